/**
 * `npm run bench [-- --json <file>] [-- --only <suite>[,<suite>]]`
 *
 * Runs every suite under bench/suites/ (each in its own Node process), prints one table of figures with
 * their targets, and optionally writes the figures as JSON: each figure's value under its name as a
 * top-level key (e.g. `processor_vs_floor`), plus `meta` with units, targets and the machine.
 * Exits non-zero when a suite fails (a missed target is reported, not fatal).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Figure, SuiteFigures } from './harness';

interface Options {
  readonly json?: string;
  readonly only?: readonly string[];
}

function parseArgs(argv: readonly string[]): Options {
  let json: string | undefined;
  let only: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = argv[++i];
    else if (arg.startsWith('--json=')) json = arg.slice('--json='.length);
    else if (arg === '--only') only = argv[++i]?.split(',');
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length).split(',');
    else throw new Error(`Unknown argument "${arg}": use --json <file> and/or --only <suite>[,<suite>].`);
  }
  if (json === undefined && argv.includes('--json')) throw new Error('--json needs a file name, e.g. --json bench.json.');
  return { json, only };
}

const SUITES_DIR = path.join(__dirname, 'suites');

function suiteFiles(only: readonly string[] | undefined): string[] {
  const all = fs
    .readdirSync(SUITES_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
  if (only === undefined) return all.map((f) => path.join(SUITES_DIR, f));
  const unknown = only.filter((name) => !all.includes(`${name}.ts`));
  if (unknown.length > 0) {
    throw new Error(`No suite named ${unknown.join(', ')}: choose from ${all.map((f) => f.slice(0, -3)).join(', ')}.`);
  }
  return only.map((name) => path.join(SUITES_DIR, `${name}.ts`));
}

interface SuiteOutcome {
  readonly suite: string;
  readonly seconds: number;
  readonly figures?: SuiteFigures;
  readonly error?: string;
  readonly log: string;
}

function runSuite(file: string, tmp: string): SuiteOutcome {
  const suite = path.basename(file, '.ts');
  const resultFile = path.join(tmp, `${suite}.json`);
  const log = path.join(tmp, `${suite}.log`);
  process.stderr.write(`▶ ${suite}\n`);
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'suite-runner.ts'), file, resultFile], {
    cwd: path.join(__dirname, '..'),
    stdio: ['ignore', fs.openSync(log, 'w'), 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0 || !fs.existsSync(resultFile)) {
    return { suite, seconds, log, error: `exit ${child.status ?? child.signal}` };
  }
  return { suite, seconds, log, figures: JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteFigures };
}

function formatValue(f: Figure): string {
  const digits = Math.abs(f.value) >= 100 ? 0 : Math.abs(f.value) >= 10 ? 1 : 2;
  return f.value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function printTable(outcomes: readonly SuiteOutcome[]): void {
  const rows: string[][] = [['suite', 'figure', 'value', 'unit', 'target', 'met']];
  for (const o of outcomes) {
    if (o.figures === undefined) {
      rows.push([o.suite, '(failed)', o.error ?? '', '', '', `log: ${o.log}`]);
      continue;
    }
    for (const [name, f] of Object.entries(o.figures)) {
      rows.push([o.suite, name, formatValue(f), f.unit ?? '', f.target ?? '', f.ok === undefined ? '' : f.ok ? 'yes' : 'NO']);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w, c) => (c === 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const files = suiteFiles(options.only);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-'));
  const outcomes = files.map((file) => runSuite(file, tmp));
  console.log('');
  printTable(outcomes);

  if (options.json !== undefined) {
    const values: Record<string, unknown> = {};
    const figures: Record<string, Figure & { suite: string }> = {};
    for (const o of outcomes) {
      for (const [name, f] of Object.entries(o.figures ?? {})) {
        if (name in values) throw new Error(`Figure "${name}" is returned by two suites: names must be unique.`);
        values[name] = f.value;
        figures[name] = { ...f, suite: o.suite };
      }
    }
    const meta = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
      suites: Object.fromEntries(outcomes.map((o) => [o.suite, { seconds: Math.round(o.seconds), ...(o.error && { error: o.error }) }])),
      figures,
    };
    fs.writeFileSync(options.json, `${JSON.stringify({ ...values, meta }, null, 2)}\n`);
    console.log(`\nFigures written to ${path.resolve(options.json)}`);
  }
  if (outcomes.some((o) => o.error !== undefined)) process.exitCode = 1;
}

main();
