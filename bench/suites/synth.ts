/**
 * Synth scaling (issue 10, item 3): `cdk synth` of generated meshes of 10 products (5 domain stacks) and of
 * 100 products (20 domain stacks), built from the real DataDomain and DataProduct with seeded random, valid
 * contracts (one DataDomain per stack), synthesised in this one process as `cdk synth` would: the project's
 * cdk.json context, the CLI's path metadata and CDKMetadata, asset bundling on (every processor bundled with
 * esbuild), CloudFormation Validate on. One warm-up synth, then the two meshes alternately, ROUNDS times each.
 *
 * Figures: synth_scaling_ratio (CPU seconds per product at 100 ÷ at 10), resources_per_product,
 * max_stack_resources (+ the wall-clock ratio, seconds per product, esbuild's share, shared resources per stack).
 *
 * SQL plan cost (issue 18): sql_plan_synth_ratio is (the CPU time of a synth of the reference mesh (lib/reference, as
 * `npm start` synthesises it: compliance scans off) without its SQL plan (CDK_DATA_MESH_SQL_PLAN=off) + the CPU time
 * spent in the plan, timed around planSqlProduct inside synths with it) ÷ the synth without, the plan's cache warm as
 * on every synth after the SQL last changed; sql_plan_synth_ratio_cold is the same with an empty plan cache and no
 * planner worker (the first synth after a change); sql_plan_synth_ratio_fresh adds what the plan costs a process of
 * its own, cache empty (DuckDB's library load included, which the in-process figures pay only once): a `cdk synth` on
 * a fresh CI machine. The whole synths with and without are compared too (sql_plan_whole_synth_ratio*), as a check:
 * on this shared machine a synth varies by ±15%, more than the plan costs. Measured first;
 * `BENCH_SYNTH_ONLY=plan` measures only these (e.g. `BENCH_SYNTH_ONLY=plan npm run bench -- --only synth`).
 *
 * Time is the CPU time of this process and of its child processes (esbuild), read from /proc: the machine this
 * runs on is shared, and wall-clock time there measures the neighbours as much as the synth. Wall-clock figures
 * are reported next to it.
 *
 * Resources per product are counted from the synthesised templates: each resource's `aws:cdk:path` metadata says
 * whether it lies under a DataProduct (counted), under the DataDomain, or elsewhere in the stack (stack-wide
 * singletons the products share, CDKMetadata); the latter two are reported as shared resources per stack.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { PLAN_CACHE_ENV, SQL_PLAN_ENV, sqlPlanCpuSeconds, stopSqlPlanner } from '../../constructs/derived/sql-plan';
import { Contract, col } from '../../constructs/contract';
import type { ColumnSpec } from '../../constructs/contract/types';
import { DataDomain } from '../../constructs/domain/data-domain';
import { DataProduct } from '../../constructs/product/data-product';
import { writeProcessorEntry } from '../../lambdas/firehose-processor/codegen';
import { referenceMesh } from '../../lib/reference/mesh';
import { figure, median, progress, round, type SuiteFigures } from '../harness';

const MESH = 'bench';
/** The meshes of the issue: products across domain stacks. */
const SMALL = { products: 10, domains: 5 } as const;
const LARGE = { products: 100, domains: 20 } as const;
const WARM_UP = { products: 20, domains: 4 } as const;
/** Synths of each mesh measured (after the warm-up), interleaved small, large, small, large, … */
const ROUNDS = Number(process.env.BENCH_SYNTH_ROUNDS ?? 3);
const CDK_JSON = path.resolve(__dirname, '..', '..', 'cdk.json');

/** A seeded PRNG (mulberry32): every run synthesises the same meshes. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Column name stems: no SQL keyword, no personal-data token (those need a classification). */
const STEMS = ['amount', 'status', 'score', 'label', 'quantity', 'ratio', 'level', 'channel', 'source', 'weight', 'duration', 'segment', 'tier', 'note'];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** A random column of any contract type, nested one level at most. */
function randomColumn(random: Random, name: string, depth = 0): ColumnSpec {
  const description = `The ${name.replace(/_/g, ' ')} of the event.`;
  const required = random() < 0.5;
  const kinds = depth === 0 ? 12 : 9;
  switch (Math.floor(random() * kinds)) {
    case 0: return col.string({ required, description });
    case 1: return col.boolean({ required, description });
    case 2: return col.int({ required, description });
    case 3: return col.bigint({ required, description });
    case 4: return col.double({ required, description });
    case 5: return col.float({ required, description });
    case 6: return col.date({ required, description });
    case 7: return col.timestamp({ required, description });
    case 8: {
      const precision = 4 + Math.floor(random() * 30);
      return col.decimal(precision, Math.floor(random() * Math.min(precision, 6)), { required, description });
    }
    case 9:
      return col.array(randomColumn(random, `${name}_item`, depth + 1), { required, description });
    case 10: {
      const fields: Record<string, ColumnSpec> = {};
      const count = 2 + Math.floor(random() * 4);
      for (let i = 0; i < count; i++) fields[`${pick(random, STEMS)}_${i}`] = randomColumn(random, `${name} field ${i}`, depth + 1);
      return col.struct(fields, { required, description });
    }
    default:
      return col.map(randomColumn(random, `${name}_value`, depth + 1), { required, description });
  }
}

/** A random, valid contract: 4-22 columns of every type, day or hour partitions, an SLA, a PII column in one of five. */
export function randomContract(random: Random, domain: string, name: string): Contract {
  const columns: Record<string, ColumnSpec> = {
    event_id: col.string({ required: true, primaryKey: true, description: 'Event identifier.' }),
    event_time: col.timestamp({ required: true, description: 'When the event happened (UTC).' }),
  };
  const extra = 2 + Math.floor(random() * 19);
  for (let i = 0; i < extra; i++) {
    const column = `${pick(random, STEMS)}_${i}`;
    columns[column] = randomColumn(random, column);
  }
  if (random() < 0.2) columns.contact_email = col.string({ classification: 'pii', description: 'E-mail address to reach the contact.' });
  return Contract.of({
    name,
    domain,
    owner: { team: `${domain}-team`, contact: `${domain}@example.com` },
    description: `Generated product ${name} of domain ${domain} (synth benchmark).`,
    sla: { freshnessMinutes: pick(random, [15, 30, 60, 240]), retentionDays: pick(random, [30, 365, 730]) },
    columns,
    partitionBy: { column: 'event_time', granularity: random() < 0.2 ? 'hour' : 'day' },
  });
}

/**
 * What `cdk synth` runs the app with: the project's cdk.json context plus what the CLI adds by default
 * (path and asset metadata, the CDKMetadata resource).
 */
function synthContext(): Record<string, unknown> {
  return {
    ...(JSON.parse(fs.readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> }).context,
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:version-reporting': true,
    'cdk-data-mesh:meshName': MESH,
  };
}

/** CPU clock ticks of a /proc/<pid>/stat: its own (utime + stime), its waited-for children's (cutime + cstime), and its parent. */
function statTicks(file: string): { own: number; children: number; ppid: number } {
  const stat = fs.readFileSync(file, 'utf8');
  // Fields after the command name (which may hold spaces, hence the last ')'): field 3 is the state.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { own: Number(fields[11]) + Number(fields[12]), children: Number(fields[13]) + Number(fields[14]), ppid: Number(fields[1]) };
}

interface CpuTime {
  /** This process (all its threads). */
  readonly self: number;
  /** Its child processes, ended (waited for) or running: esbuild's sync API keeps one service process running. */
  readonly children: number;
}

/** CPU seconds of this process and of its children, or undefined where there is no /proc. */
function cpuSeconds(): CpuTime | undefined {
  try {
    const self = statTicks('/proc/self/stat');
    let children = self.children;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      try {
        const child = statTicks(`/proc/${entry}/stat`);
        if (child.ppid === process.pid) children += child.own + child.children;
      } catch {
        // The process ended meanwhile: its time is in our cutime once waited for.
      }
    }
    return { self: self.own / CLOCK_TICKS, children: children / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}
/** USER_HZ: 100 on every Linux Node runs on (`getconf CLK_TCK`). */
const CLOCK_TICKS = 100;

interface MeshShape {
  readonly products: number;
  readonly domains: number;
}

interface SynthResult {
  /** CPU seconds of the synth: this process and its children. */
  readonly cpuS: number;
  /** CPU seconds of the child processes alone (esbuild bundling the processors). */
  readonly childCpuS: number;
  readonly wallS: number;
  /** Resources per domain stack, from the synthesised templates. */
  readonly stackResources: readonly number[];
  /** Resources under a DataProduct's construct path, over all stacks. */
  readonly productResources: number;
  /** Resources under the DataDomain's construct path, over all stacks. */
  readonly domainResources: number;
  /** The rest: stack-wide singletons the products of a stack share (and CDKMetadata). */
  readonly stackWideResources: number;
}

/** The mesh's domains and their products' contracts: `tag` makes its names (and processors) distinct. */
function meshContracts(shape: MeshShape, tag: string, seed: number): { domainName: string; contracts: Contract[] }[] {
  const random = seeded(seed);
  return Array.from({ length: shape.domains }, (_, d) => {
    const domainName = `${tag}_d${String(d + 1).padStart(2, '0')}`;
    // Products spread evenly: 10 over 5 stacks is 2 each, 100 over 20 is 5 each.
    const count = Math.floor(shape.products / shape.domains) + (d < shape.products % shape.domains ? 1 : 0);
    const contracts = Array.from({ length: count }, (__, p) => randomContract(random, domainName, `product_${String(p + 1).padStart(3, '0')}`));
    return { domainName, contracts };
  });
}

/**
 * Builds one mesh (one DataDomain per stack) and synthesises it into a fresh directory, timed from `new App`
 * to the cloud assembly. The processors' entries are generated before the clock starts, as after the first
 * synth of the same contracts (they are content-addressed and kept): what is timed is the synth a team runs
 * on every change.
 */
export function synthMesh(shape: MeshShape, tag: string, seed: number): SynthResult {
  const mesh = meshContracts(shape, tag, seed);
  for (const { contracts } of mesh) for (const contract of contracts) writeProcessorEntry(contract.spec);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `mesh-bench-synth-${tag}-`));
  try {
    const cpuStart = cpuSeconds();
    const started = process.hrtime.bigint();
    const app = new App({ outdir, context: synthContext() });
    const productPaths: string[] = [];
    const domainPaths: string[] = [];
    for (const { domainName, contracts } of mesh) {
      const stack = new Stack(app, `${MESH}-${domainName.replace(/_/g, '-')}`);
      const domain = new DataDomain(stack, 'Domain', { domainName });
      domainPaths.push(`${domain.node.path}/`);
      contracts.forEach((contract, p) => {
        const product = new DataProduct(stack, `Product${p + 1}`, { domain, contract });
        productPaths.push(`${product.node.path}/`);
      });
    }
    const assembly = app.synth();
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuEnd = cpuSeconds();

    const stackResources: number[] = [];
    let productResources = 0;
    let domainResources = 0;
    let stackWideResources = 0;
    for (const artifact of assembly.stacks) {
      const resources = Object.entries((artifact.template as { Resources?: Record<string, { Metadata?: Record<string, unknown> }> }).Resources ?? {});
      stackResources.push(resources.length);
      for (const [logicalId, resource] of resources) {
        const cdkPath = resource.Metadata?.['aws:cdk:path'];
        if (typeof cdkPath !== 'string') throw new Error(`Resource ${logicalId} of ${artifact.stackName} has no aws:cdk:path metadata: cannot attribute it.`);
        if (productPaths.some((prefix) => cdkPath.startsWith(prefix))) productResources++;
        else if (domainPaths.some((prefix) => cdkPath.startsWith(prefix))) domainResources++;
        else stackWideResources++;
      }
    }
    const cpu = cpuStart !== undefined && cpuEnd !== undefined;
    return {
      cpuS: cpu ? cpuEnd.self + cpuEnd.children - cpuStart.self - cpuStart.children : wallS,
      childCpuS: cpu ? cpuEnd.children - cpuStart.children : 0,
      wallS,
      stackResources,
      productResources,
      domainResources,
      stackWideResources,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** One synth of the reference mesh: its CPU seconds, and those spent in the SQL plan (`planSqlProduct`) within it. */
interface ReferenceSynth {
  readonly cpuS: number;
  readonly planCpuS: number;
}

/**
 * CPU seconds (this process with all its threads, the SQL planner's worker included, and its children: esbuild) of
 * one synth of the reference mesh. A cold synth also starts without the planner's worker, as `cdk synth` does.
 */
async function synthReference(plan: 'on' | 'off', cache: 'warm' | 'cold'): Promise<ReferenceSynth> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-reference-'));
  const cacheDir = process.env[PLAN_CACHE_ENV]!;
  if (cache === 'cold') {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    await stopSqlPlanner();
  }
  process.env[SQL_PLAN_ENV] = plan;
  try {
    const planBefore = sqlPlanCpuSeconds();
    const start = cpuSeconds();
    const app = new App({ outdir, context: { ...synthContext(), 'cdk-data-mesh:meshName': 'shop', 'cdk-data-mesh:compliance': 'off' } });
    referenceMesh(app);
    app.synth();
    const end = cpuSeconds();
    if (start === undefined || end === undefined) throw new Error('The SQL plan figures need /proc (Linux) to read CPU time.');
    return { cpuS: end.self + end.children - start.self - start.children, planCpuS: sqlPlanCpuSeconds() - planBefore };
  } finally {
    delete process.env[SQL_PLAN_ENV];
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * CPU seconds that planning the reference SQL product adds to a process of its own, cache empty: DuckDB's library
 * load (paid once per process, so only the first of the in-process cold synths pays it), the worker's start, the
 * translator's first (unoptimised) run and the plan. Timed inside a fresh Node process, around planSqlProduct.
 */
function planInFreshProcess(): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-plan-process-'));
  const module = (file: string) => JSON.stringify(path.resolve(__dirname, '..', '..', file));
  const script = [
    `const { planSqlProduct } = require(${module('constructs/derived/sql-plan')});`,
    `const { customerOrders, customerRegistered, orderPlaced } = require(${module('lib/reference/contracts')});`,
    `const { CUSTOMER_ORDERS_SQL } = require(${module('lib/reference/marketing-stack')});`,
    'const source = (c, databaseName, tableName) => ({ productId: c.id, databaseName, tableName, contract: c.spec, piiColumns: c.piiColumns });',
    "const sources = [source(orderPlaced, 'orders', 'order_placed_v1'), source(customerRegistered, 'accounts', 'customer_registered_v1')];",
    'const start = process.cpuUsage();',
    'planSqlProduct(CUSTOMER_ORDERS_SQL, sources, customerOrders.spec);',
    'const used = process.cpuUsage(start);',
    'console.log(JSON.stringify({ cpuS: (used.user + used.system) / 1e6 }));',
  ].join('\n');
  try {
    const result = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, [PLAN_CACHE_ENV]: path.join(dir, 'plan-cache') },
    });
    if (result.status !== 0) throw new Error(`The SQL plan did not run in a process of its own:\n${result.stderr}`);
    return (JSON.parse(result.stdout.trim().split('\n').pop()!) as { cpuS: number }).cpuS;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The reference mesh synthesised with the SQL plan and without, interleaved, PLAN_ROUNDS times each. */
async function planFigures(): Promise<SuiteFigures> {
  process.env[PLAN_CACHE_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-plan-cache-'));
  // Warm-up (not measured): the first synths of a process pay for loading and compiling aws-cdk-lib.
  for (let i = 0; i < 2; i++) for (const plan of ['on', 'off'] as const) await synthReference(plan, 'cold');
  const rounds = Number(process.env.BENCH_PLAN_ROUNDS ?? 7);
  const off: ReferenceSynth[] = [];
  const warm: ReferenceSynth[] = [];
  const cold: ReferenceSynth[] = [];
  const kinds = [
    async () => off.push(await synthReference('off', 'warm')),
    async () => cold.push(await synthReference('on', 'cold')),
    async () => warm.push(await synthReference('on', 'warm')),
  ];
  for (let round = 0; round < rounds; round++) {
    // Rotated each round, so that no variant always runs first (or right after the cold plan's worker start).
    for (let k = 0; k < kinds.length; k++) await kinds[(k + round) % kinds.length]();
    progress(
      `reference mesh, round ${round + 1}/${rounds}: ${off[round].cpuS.toFixed(2)} CPU s without the SQL plan, ` +
        `${warm[round].cpuS.toFixed(2)} with it (cache warm; ${warm[round].planCpuS.toFixed(3)} in the plan), ${cold[round].cpuS.toFixed(2)} (cache cold; ${cold[round].planCpuS.toFixed(3)} in the plan)`,
    );
  }
  fs.rmSync(process.env[PLAN_CACHE_ENV]!, { recursive: true, force: true });
  const fresh = Array.from({ length: rounds }, () => planInFreshProcess());
  progress(`the plan in a fresh process (cache empty): ${fresh.map((cpu) => cpu.toFixed(3)).join(', ')} CPU s`);
  const without = median(off.map((synth) => synth.cpuS));
  // What the plan adds, timed around planSqlProduct inside each synth (all threads): a few hundredths of a second,
  // which the difference of two whole synths (each ±15% on this shared machine) cannot resolve.
  const added = (synths: readonly ReferenceSynth[]) => 1 + median(synths.map((synth) => synth.planCpuS)) / without;
  // The whole synths compared, the median of each round's ratio: the synths of one round ran seconds apart.
  const whole = (synths: readonly ReferenceSynth[]) => median(synths.map((synth, round) => synth.cpuS / off[round].cpuS));
  const target = { unit: 'ratio', target: '<= 1.10', ok: (v: number) => v <= 1.1 } as const;
  const note = (what: string) =>
    `(CPU s of a synth of the reference mesh without its SQL plan + CPU s in the plan, ${what}) ÷ the synth without (compliance off, as npm start); medians of ${rounds}`;
  return {
    sql_plan_synth_ratio: figure(round(added(warm), 2), { ...target, note: note('plan cache warm: every synth after the SQL last changed') }),
    sql_plan_synth_ratio_cold: figure(round(added(cold), 2), {
      ...target,
      note: note('plan cache empty and no planner worker yet: the first synth after a change'),
    }),
    sql_plan_synth_ratio_fresh: figure(round(1 + median(fresh) / without, 2), {
      ...target,
      note:
        '(the synth without the plan + what the plan adds to a fresh process, the line below) ÷ the synth without: a synth on a fresh CI machine, ' +
        'conservatively (a fresh process also loads aws-cdk-lib, which makes its synth several times longer than the warm one divided by)',
    }),
    sql_plan_fresh_process_s: figure(round(median(fresh), 3), {
      unit: 'CPU s',
      note: `what the plan adds to a fresh process, cache empty: DuckDB's library load, the worker's start, the translator's first run, the plan; median of ${rounds}`,
    }),
    sql_plan_whole_synth_ratio: figure(round(whole(warm), 2), {
      unit: 'ratio',
      note: `whole synths with the plan (cache warm) ÷ without, the median of each round's ratio: a check on the figures above, within this machine's noise (±15% a synth)`,
    }),
    sql_plan_whole_synth_ratio_cold: figure(round(whole(cold), 2), { unit: 'ratio', note: 'the same, cache cold and no planner worker yet' }),
    sql_plan_synth_s_without: figure(round(without, 2), { unit: 'CPU s', note: 'a synth of the reference mesh without the SQL plan' }),
  };
}

export default async function run(): Promise<SuiteFigures> {
  progress('SQL plan cost: the reference mesh synthesised with and without the plan');
  const plan = await planFigures();
  if (process.env.BENCH_SYNTH_ONLY === 'plan') return plan;
  // The first synths of a process pay for loading aws-cdk-lib and for V8 compiling its hot paths (the first 10-product
  // synth after a 1-product one still ran 2.5 times slower per product than the same synth later): warm up first.
  progress(`warm-up synth (${WARM_UP.products} products in ${WARM_UP.domains} stacks), not measured`);
  synthMesh(WARM_UP, 'w', 1);
  const small: SynthResult[] = [];
  const large: SynthResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [shape, results, tag] of [[SMALL, small, 's'], [LARGE, large, 'l']] as const) {
      const result = synthMesh(shape, tag, 1000 + round);
      results.push(result);
      progress(
        `round ${round + 1}/${ROUNDS}: ${shape.products} products in ${shape.domains} stacks: ${result.cpuS.toFixed(1)} CPU s ` +
          `(${result.childCpuS.toFixed(1)} in esbuild), ${result.wallS.toFixed(1)} s wall, ${Math.max(...result.stackResources)} resources in the largest stack`,
      );
    }
  }
  const perProduct = (results: readonly SynthResult[], shape: MeshShape, key: 'cpuS' | 'wallS') => median(results.map((r) => r[key])) / shape.products;
  const cpuRatio = perProduct(large, LARGE, 'cpuS') / perProduct(small, SMALL, 'cpuS');
  const wallRatio = perProduct(large, LARGE, 'wallS') / perProduct(small, SMALL, 'wallS');
  const resources = (r: SynthResult) => r.stackResources.reduce((sum, n) => sum + n, 0);
  const perResource = (results: readonly SynthResult[]) => median(results.map((r) => r.cpuS / resources(r)));
  const bundlingShare = median(large.map((r) => r.childCpuS / r.cpuS));
  const last = large[large.length - 1];
  const maxStack = Math.max(...[...small, ...large].flatMap((r) => r.stackResources));
  const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  return {
    ...plan,
    synth_scaling_ratio: figure(round(cpuRatio, 2), {
      unit: 'ratio',
      target: '<= 1.3',
      ok: (v) => v <= 1.3,
      note: `CPU s per product (synth process + esbuild) at ${LARGE.products} products ÷ at ${SMALL.products}, median of ${ROUNDS} synths each`,
    }),
    synth_scaling_ratio_wall: figure(round(wallRatio, 2), {
      unit: 'ratio',
      note: `the same in wall-clock time (load average ${load} at the end, ${os.cpus().length} CPUs)`,
    }),
    synth_scaling_ratio_per_resource: figure(round(perResource(large) / perResource(small), 2), {
      unit: 'ratio',
      note:
        `CPU s per synthesised resource at ${LARGE.products} products ÷ at ${SMALL.products}: a domain stack's shared resources ` +
        `are spread over ${SMALL.products / SMALL.domains} products in the small mesh and ${LARGE.products / LARGE.domains} in the large one`,
    }),
    synth_s_per_product_10: figure(round(perProduct(small, SMALL, 'cpuS'), 3), { unit: 'CPU s', note: `${SMALL.products} products in ${SMALL.domains} domain stacks` }),
    synth_s_per_product_100: figure(round(perProduct(large, LARGE, 'cpuS'), 3), { unit: 'CPU s', note: `${LARGE.products} products in ${LARGE.domains} domain stacks` }),
    synth_bundling_share: figure(round(bundlingShare, 2), { unit: 'ratio', note: `share of the ${LARGE.products}-product synth's CPU spent in esbuild` }),
    resources_per_product: figure(round(last.productResources / LARGE.products, 1), {
      unit: 'resources',
      note: `resources whose aws:cdk:path lies under a DataProduct ÷ products (${LARGE.products}-product mesh); shared ones are not counted`,
    }),
    shared_resources_per_stack: figure(round((last.domainResources + last.stackWideResources) / LARGE.domains, 1), {
      unit: 'resources',
      note:
        `per domain stack, not under a product: ${round(last.domainResources / LARGE.domains, 1)} of the DataDomain, ` +
        `${round(last.stackWideResources / LARGE.domains, 1)} stack-wide (singletons its products share, CDKMetadata)`,
    }),
    max_stack_resources: figure(maxStack, {
      unit: 'resources',
      target: '<= 450',
      ok: (v) => v <= 450,
      note: `largest domain stack (${LARGE.products / LARGE.domains} products); DataDomain refuses more than 450, CloudFormation more than 500`,
    }),
  };
}
