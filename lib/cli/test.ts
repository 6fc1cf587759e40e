/**
 * `mesh test [product]`: the contracts' quality rules, checked against the local lake that `mesh dev` wrote.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import type { MeshManifest, ProductEntry } from '../../constructs/manifest/manifest';
import { DEFAULT_LAKE_DIR, LocalLake } from '../local/lake';
import { LakeDatabase, formatTable } from '../local/lake-database';
import { resolveProduct } from '../local/resolve-product';
import { readManifest } from '../manifest/read-manifest';
import { failsRun, runProductQuality, writeLocalResults, type RuleResult } from '../quality/run-local';

export interface TestCommandOptions {
  readonly lake: string;
  /** The partition to check (`yyyy-MM-dd`). @default - each product's latest */
  readonly dt?: string;
  /** Check all data instead of one partition. */
  readonly all?: boolean;
  readonly json?: boolean;
}

export function register(program: Command): void {
  program
    .command('test')
    .argument('[product]', 'a product (e.g. orders.order_placed or orders.order_placed.v1); default every product')
    .description('Check the contracts\' quality rules against the local lake (`mesh dev` writes it): one row per rule; exit 1 when a rule of severity error fails.')
    .option('--lake <dir>', 'local lake folder', DEFAULT_LAKE_DIR)
    .option('--dt <partition>', 'the dt partition to check (yyyy-MM-dd); default the latest of each product')
    .option('--all', 'check all partitions together instead of one')
    .option('--json', 'print the results as JSON (one object per rule)')
    .action(async function (this: Command, product: string | undefined) {
      const options = this.optsWithGlobals<TestCommandOptions & { assembly: string }>();
      const { output, exitCode } = await runTestCommand(readManifest(options.assembly), product, options);
      console.log(output);
      process.exitCode = exitCode;
    });
}

/** Runs the rules of one product (or all) and returns what `mesh test` prints and its exit code. */
export async function runTestCommand(
  manifest: MeshManifest,
  name: string | undefined,
  options: TestCommandOptions,
): Promise<{ readonly output: string; readonly exitCode: number; readonly results: readonly RuleResult[] }> {
  if (options.dt !== undefined && options.all) throw new Error('Give --dt <partition> or --all, not both.');
  if (options.dt !== undefined && !/^\d{4}-\d{2}-\d{2}(-\d{2})?$/.test(options.dt)) {
    throw new Error(`--dt "${options.dt}" is not a partition: use yyyy-MM-dd (yyyy-MM-dd-HH for hourly products), e.g. --dt 2026-12-01.`);
  }
  const lake = new LocalLake(options.lake);
  if (!fs.existsSync(lake.root)) {
    throw new Error(`No local lake at "${lake.root}": run \`mesh dev\` (or \`npm start\`) first, or pass --lake <dir>.`);
  }
  const products: readonly ProductEntry[] = name === undefined ? manifest.products : [resolveProduct(manifest, name)];
  const database = await LakeDatabase.open(lake, manifest.products);
  const results: RuleResult[] = [];
  try {
    for (const product of products) results.push(...(await runProductQuality(database, product, options)));
  } finally {
    database.close();
  }
  writeLocalResults(lake, results);
  const exitCode = failsRun(results) ? 1 : 0;
  return { output: options.json ? results.map((r) => JSON.stringify(r)).join('\n') : formatResults(results), exitCode, results };
}

/** One row per rule (rule, dimension, measured, threshold, result), then the failures in words and a summary line. */
export function formatResults(results: readonly RuleResult[]): string {
  const rows = results.map((r) => [
    `${r.product.replace(/\.v\d+$/, '')} ${r.rule}`,
    r.dimension ?? '-',
    r.dt,
    r.measured === undefined ? '-' : String(r.measured),
    r.threshold,
    r.severity,
    r.status === 'fail' || r.status === 'error' ? r.status.toUpperCase() : r.status,
  ]);
  const lines = [formatTable({ columns: ['rule', 'dimension', 'dt', 'measured', 'threshold', 'severity', 'result'], rows }, rows.length)];
  for (const r of results.filter((x) => x.status === 'fail' || x.status === 'error')) {
    const what = r.status === 'fail' ? `measured ${r.measured}, expected ${r.threshold}` : `could not run: ${r.message}`;
    lines.push(`${r.severity === 'error' ? 'FAILED' : r.severity}: ${r.product} ${r.rule} (${r.description}): ${what}`);
  }
  lines.push(summary(results));
  return lines.join('\n');
}

/** `Quality: 23 rules, 21 passed, 1 failed (warning), 1 skipped.` */
export function summary(results: readonly RuleResult[]): string {
  const count = (status: RuleResult['status']) => results.filter((r) => r.status === status).length;
  const failedErrors = results.filter((r) => r.severity === 'error' && (r.status === 'fail' || r.status === 'error')).length;
  const failed = count('fail') + count('error');
  const parts = [`${results.length} rules`, `${count('pass')} passed`, `${failed} failed${failed > 0 ? ` (${failedErrors} of severity error)` : ''}`];
  if (count('skipped') > 0) parts.push(`${count('skipped')} not run by the mesh`);
  return `Quality: ${parts.join(', ')}.`;
}
