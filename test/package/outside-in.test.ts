/**
 * The package as a domain team gets it: `npm pack` the library, scaffold an app with `mesh init domain`, install
 * the tarball and the app's dependencies offline (from the npm cache `npm ci` filled, locked at this repository's
 * versions), then the app's own type check (TypeScript 7, as `cdk init` today), `cdk synth`
 * with every compliance scan, `mesh dev` and `mesh query`; then the same library from ts-node on TypeScript 5,
 * from a plain JavaScript app, and from an app without the compliance scanners.
 *
 * A runtime import that slips into devDependencies fails here: the app has only what the package declares.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOfflineLock } from './support/offline-lock';

const REPO = path.resolve(__dirname, '..', '..');
const MINUTES = 60_000;

let work: string;
let app: string;
let installLog: string;
/** The files `npm pack` put in the tarball. */
let packedFiles: string[];

interface Run {
  readonly status: number | null;
  readonly output: string;
}

/** Runs a command in the app, as the team would, with compliance on unless `env` says otherwise. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = app): Run {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, MESH_COMPLIANCE: undefined, CDK_DISABLE_VERSION_CHECK: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function expectSuccess(result: Run): string {
  expect(result.status, result.output).toBe(0);
  // aws-cdk-lib prints a warning on every synth of the team's app for a deprecated API, ours or the scaffold's.
  expect(result.output.split('\n').filter((line) => /\[WARNING\] aws-cdk-lib\.\S+ is deprecated/.test(line))).toEqual([]);
  return result.output;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-in-'));
  // `npm pack` builds dist/ first (prepack).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = packed[0].filename;
  packedFiles = packed[0].files.map((f) => f.path);

  app = path.join(work, 'orders');
  execFileSync(process.execPath, [path.join(REPO, 'dist', 'bin', 'mesh.js'), 'init', 'domain', 'orders', '--mesh', 'shop', '--dir', app, '--library', `file:../${tarball}`], { stdio: 'ignore' });
  // The variants' tools, next to what the scaffold installs: ts-node, and TypeScript 5 under an alias.
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
  manifest.devDependencies['ts-node'] = '^10.9.2';
  manifest.devDependencies.typescript5 = 'npm:typescript@~5.9.3';
  fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeOfflineLock({ appDir: app, tarball: `../${tarball}` });

  installLog = expectSuccess(run('npm', ['ci', '--offline', '--no-audit', '--no-fund']));
}, 10 * MINUTES);

// The app's node_modules is half a gigabyte.
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The library's modules: the sources the build compiles (tsconfig.build.json), as paths without extension. */
function libraryModules(): string[] {
  const modules: string[] = ['bin/mesh'];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel !== 'lib/reference') walk(rel);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        modules.push(rel.slice(0, -'.ts'.length));
      }
    }
  };
  for (const dir of ['constructs', 'lambdas', 'lib']) walk(dir);
  return modules;
}

describe('the packed library in an app made by mesh init domain', () => {
  it('holds .js and .d.ts for every module, and no tests, benches, CI files or TypeScript sources', () => {
    expect(packedFiles.filter((f) => /^(test|bench|\.github|\.ci|docs)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
    const missing = libraryModules().flatMap((m) => [`dist/${m}.js`, `dist/${m}.d.ts`]).filter((f) => !packedFiles.includes(f));
    expect(missing).toEqual([]);
    expect(packedFiles).toContain('bin/mesh.js');
    expect(packedFiles).toContain('dist/data/prices/us-east-1.json');
  });

  it('installs with one aws-cdk-lib, one constructs, and no engine warning on this Node', () => {
    expect(installLog).not.toContain('EBADENGINE');
    const tree = JSON.parse(expectSuccess(run('npm', ['ls', '--all', '--json']))) as unknown;
    const versions = (name: string) => {
      const found = new Set<string>();
      const walk = (node: { dependencies?: Record<string, { version?: string; dependencies?: unknown }> }) => {
        for (const [dep, child] of Object.entries(node.dependencies ?? {})) {
          if (dep === name && child.version !== undefined) found.add(child.version);
          walk(child as never);
        }
      };
      walk(tree as never);
      return [...found];
    };
    expect(versions('aws-cdk-lib')).toHaveLength(1);
    expect(versions('constructs')).toHaveLength(1);
    // The tests' Kinesis (kinesalite, with LevelDB's native addon and its install script) is not the library's.
    expect(versions('kinesalite')).toEqual([]);
    expect(versions('leveldown')).toEqual([]);
    for (const peer of ['aws-cdk-lib', 'constructs']) {
      expect(fs.existsSync(path.join(app, 'node_modules', 'cdk-data-mesh', 'node_modules', peer)), peer).toBe(false);
    }
  });

  it("passes the app's own type check (TypeScript 7, as cdk init today), without skipLibCheck", () => {
    expect(JSON.parse(fs.readFileSync(path.join(app, 'tsconfig.json'), 'utf8')).compilerOptions.skipLibCheck).toBe(false);
    expectSuccess(run('npx', ['tsc', '-p', '.']));
  }, 5 * MINUTES);

  it('synthesizes with every compliance scan and no open finding (cdk.json runs the app with tsx)', () => {
    expectSuccess(run('npx', ['cdk', 'synth', '--no-notices', '--quiet']));
    const report = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    expect(report.pluginReports.map((p) => p.pluginName)).toEqual(expect.arrayContaining(['AwsSolutions', 'cdk-validator-cfnguard']));
    expect(report.pluginReports.flatMap((p) => p.violations)).toEqual([]);
  }, 5 * MINUTES);

  it('runs the product locally: mesh dev, then mesh query returns its rows, and the contract lock holds', () => {
    const dev = expectSuccess(run('npx', ['mesh', 'dev']));
    expect(dev).toContain('Every product reconciles');
    const ok = /\| orders\.example_event_v1 \| (\d+) +\| (\d+) +\|/.exec(dev);
    expect(ok, dev).not.toBeNull();
    const query = expectSuccess(run('npx', ['mesh', 'query', 'SELECT count(*) AS n FROM orders.example_event_v1']));
    expect(query).toContain(`| ${ok![2]} `);
    expect(Number(ok![2])).toBeGreaterThan(0);
    expect(expectSuccess(run('npx', ['mesh', 'contract', 'check']))).toContain('1 unchanged');
  }, 5 * MINUTES);

  // ts-node type-checks what it loads, the library's declarations included (skipLibCheck is off): the
  // TypeScript 5 check of the app.
  it('synthesizes from ts-node on TypeScript 5 (type-checked)', () => {
    const out = expectSuccess(
      run('npx', ['cdk', 'synth', '--no-notices', '--quiet', '-o', 'cdk.out.ts-node', '--app', 'npx ts-node --compiler typescript5 bin/app.ts'], { MESH_COMPLIANCE: 'off' }),
    );
    expect(fs.existsSync(path.join(app, 'cdk.out.ts-node', 'orders.template.json')), out).toBe(true);
  }, 5 * MINUTES);

  // With a SQL derived product: its plan at synth runs DuckDB from the installed package (a worker thread of the
  // synth), and a wrong column fails the synth with the product, the position and the fix.
  it('synthesizes a plain JavaScript app, whose SQL product is planned at synth', () => {
    fs.writeFileSync(
      path.join(app, 'app.js'),
      `const { App, Stack } = require('aws-cdk-lib');
const { addComplianceChecks, Contract, DataDomain, DataProduct, Derivation, col } = require('cdk-data-mesh');

const app = new App();
addComplianceChecks(app);
const stack = new Stack(app, 'payments');
const owner = { team: 'payments-team', contact: 'payments@example.com' };
const contract = Contract.of({
  name: 'payment_captured', domain: 'payments', version: 1, owner,
  description: 'A payment the provider captured.',
  sla: { retentionDays: 90 },
  columns: {
    payment_id: col.string({ required: true, primaryKey: true, description: 'Payment identifier.' }),
    captured_at: col.timestamp({ required: true, description: 'When it was captured (UTC).' }),
  },
  partitionBy: { column: 'captured_at' },
});
const domain = new DataDomain(stack, 'Domain', { domainName: 'payments' });
const captured = new DataProduct(stack, 'PaymentCaptured', { domain, contract });
const daily = Contract.of({
  name: 'daily_payments', domain: 'payments', version: 1, owner,
  description: 'Payments captured per day.',
  sla: { retentionDays: 90 },
  columns: {
    day: col.timestamp({ required: true, primaryKey: true, description: 'The day (UTC).' }),
    payments: col.bigint({ required: true, description: 'Payments captured that day.' }),
  },
  partitionBy: { column: 'day' },
});
new DataProduct(stack, 'DailyPayments', {
  domain,
  contract: daily,
  derivation: Derivation.sql({
    from: [captured],
    sql: process.env.PAYMENTS_SQL ?? "SELECT date_trunc('day', captured_at) AS day, count(*) AS payments FROM payments.payment_captured_v1 WHERE dt = :dt GROUP BY 1",
    schedule: 'cron(0 3 * * ? *)',
  }),
});
app.synth();
`,
    );
    const args = ['cdk', 'synth', '--no-notices', '--quiet', '-o', 'cdk.out.js', '--app', 'node app.js'];
    const out = expectSuccess(run('npx', args, { MESH_COMPLIANCE: 'off', CDK_DATA_MESH_PLAN_CACHE: path.join(work, 'plan-cache') }));
    const template = fs.readFileSync(path.join(app, 'cdk.out.js', 'payments.template.json'), 'utf8');
    expect(template, out).toContain('payment_captured_v1');
    expect(template, out).toContain('daily_payments_v1');
    expect(fs.readdirSync(path.join(work, 'plan-cache')), 'the plan ran (and was cached)').toHaveLength(1);

    const wrong = "SELECT date_trunc('day', captured_at) AS day, count(*) AS payments FROM payments.payment_captured_v1 WHERE dt = :dt AND amount > 0 GROUP BY 1";
    const refused = run('npx', args, { MESH_COMPLIANCE: 'off', PAYMENTS_SQL: wrong });
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain(
      '[payments/DailyPayments] The SQL of payments.daily_payments.v1 reads a column "amount" (line 1, column 121) that no source has: ' +
        "use a column of payments.payment_captured_v1 (payment_id, captured_at), or add it to the source's contract.",
    );
  }, 5 * MINUTES);

  it('scaffolds the platform app, whose synth test and cdk synth (every compliance scan) pass on the same install', () => {
    const platform = path.join(work, 'platform');
    const tarball = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')).dependencies['cdk-data-mesh'] as string;
    expectSuccess(run(process.execPath, [path.join(REPO, 'dist', 'bin', 'mesh.js'), 'init', 'platform', '--mesh', 'shop', '--domains', 'orders,accounts', '--dir', platform, '--library', tarball]));
    // Its dependencies are the domain app's, installed above.
    fs.symlinkSync(path.join(app, 'node_modules'), path.join(platform, 'node_modules'), 'dir');
    expect(expectSuccess(run('npm', ['test'], {}, platform))).toContain('# pass 1');
    // And through the CDK CLI, as its CI runs it (the CLI is what turns on aws-cdk-lib's deprecation warnings).
    expectSuccess(run('npx', ['cdk', 'synth', '--no-notices', '--quiet'], {}, platform));
  }, 5 * MINUTES);

  it('without the compliance scanners: synthesizes with compliance off, and addComplianceChecks names what to install', () => {
    // What an app that never installed them looks like to Node's module resolution.
    for (const peer of ['cdk-nag', path.join('@cdklabs', 'cdk-validator-cfnguard')]) {
      fs.rmSync(path.join(app, 'node_modules', peer), { recursive: true, force: true });
    }
    const args = ['cdk', 'synth', '--no-notices', '--quiet', '-o', 'cdk.out.js', '--app', 'node app.js'];
    expectSuccess(run('npx', args, { MESH_COMPLIANCE: 'off' }));
    const refused = run('npx', args);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain(
      'addComplianceChecks needs cdk-nag and @cdklabs/cdk-validator-cfnguard, which are not installed: run "npm install --save-dev cdk-nag @cdklabs/cdk-validator-cfnguard" in the CDK app, or switch the scans off with MESH_COMPLIANCE=off (or the context cdk-data-mesh:compliance=off).',
    );
  }, 5 * MINUTES);
});
