/**
 * `mesh dev`: the whole mesh on one machine — publish, process with the real handlers, write the local lake, query.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { AthenaSqlError, DIFFERENCES_DOC } from '../athena/errors';
import { LakeDatabase, formatTable } from '../local/lake-database';
import { DEFAULT_LAKE_DIR, LocalLake } from '../local/lake';
import { DEFAULT_BUILD_DIR } from '../local/local-mesh';
import { DEFAULT_INVALID_SHARE, DEFAULT_RECORDS, DEFAULT_SEED, runDev, type DevReport } from '../local/run-dev';
import { readManifest } from '../manifest/read-manifest';
import { parseCount, parseShare } from '../local/cli-options';
import { DEFAULT_BUFFER_SECONDS } from '../local/watch';
import { runWatchCommand } from './dev-watch';
import { runTestCommand } from './test';

export interface DevCommandOptions {
  readonly assembly: string;
  readonly records: number;
  readonly invalidShare: number;
  readonly seed: number;
  readonly lake: string;
  readonly buildDir: string;
  readonly fixtures?: string;
  readonly edgeCases?: boolean;
  readonly queries: boolean;
  /** Serve the local Kinesis to producers and deliver continuously (see dev-watch.ts). */
  readonly watch?: boolean;
  readonly port?: number;
  readonly bufferSeconds: number;
}

export function register(program: Command): void {
  program
    .command('dev')
    .description(
      'Run the mesh locally: publish records to each product\'s stream (a local Kinesis), process them with the real ' +
        'Firehose processor, write Parquet and error documents to a local lake, then run the example queries (DuckDB).',
    )
    .option('-n, --records <n>', 'records generated per product', parseCount, DEFAULT_RECORDS)
    .option('--invalid-share <share>', 'share (0-1) of generated records broken on purpose', parseShare, DEFAULT_INVALID_SHARE)
    .option('--seed <n>', 'random seed of the generated records', parseCount, DEFAULT_SEED)
    .option('--lake <dir>', 'local lake folder (wiped at start)', DEFAULT_LAKE_DIR)
    .option('--build-dir <dir>', 'cache of the bundled processors', DEFAULT_BUILD_DIR)
    .option('--fixtures <dir>', 'folder of <domain>.<product>.jsonl files to publish instead of generated records')
    .option('--edge-cases', 'generate edge cases (unicode, extreme values) with the property-test generator instead of readable records')
    .option('--no-queries', 'skip the example queries')
    .option('--watch', 'serve: keep the local Kinesis up for your producers (prints endpoint and env) and deliver continuously until Ctrl-C')
    .option('--port <n>', 'with --watch: port of the local Kinesis on 127.0.0.1 (default: a free one)', parseCount)
    .option('--buffer-seconds <n>', 'with --watch: seconds between deliveries', parseCount, DEFAULT_BUFFER_SECONDS)
    .action(async function (this: Command) {
      const options = this.optsWithGlobals<DevCommandOptions>();
      const print = (line: string) => console.log(line);
      if (options.watch) {
        process.exitCode = await runWatchCommand(readManifest(options.assembly).products, options, print);
        return;
      }
      process.exitCode = await runDevCommand(readManifest(options.assembly), options, print);
    });
}

/** Runs `mesh dev` and prints its report; returns the exit code (0 when every product reconciled and every query ran). */
export async function runDevCommand(
  manifest: MeshManifest,
  options: Omit<DevCommandOptions, 'assembly'>,
  print: (line: string) => void,
): Promise<number> {
  if (manifest.products.length === 0) {
    throw new Error('The cloud assembly has no data products: add a DataProduct to the CDK app and synth again.');
  }
  const report = await runDev(manifest.products, {
    records: options.records,
    invalidShare: options.invalidShare,
    seed: options.seed,
    lakeDir: options.lake,
    buildDir: options.buildDir,
    fixturesDir: options.fixtures,
    edgeCases: options.edgeCases,
    progress: (message) => process.stderr.write(`  … ${message}\n`),
  });
  print(countsReport(report));
  let exitCode = report.deliveries.some((delivery) => delivery.invocationErrors.length > 0) ? 1 : 0;
  if (options.queries) {
    exitCode = Math.max(exitCode, await printExampleQueries(report, print));
  }
  print('');
  print(`Done in ${(report.durationMs / 1000).toFixed(1)} s. The lake is in ${relative(report.lakeDir)}; query it with`);
  const first = report.deliveries[0]?.product;
  if (first !== undefined) {
    print(`  npx mesh query "SELECT count(*) FROM ${first.physical.databaseName}.${first.physical.tableName}"`);
  }
  // Last, so that the run ends with the quality summary.
  return Math.max(exitCode, await printQuality(manifest, report, options.lake, print));
}

/** The per-product table of in / ok / dropped / failed, with where the failures went and why. */
export function countsReport(report: DevReport): string {
  const table = (product: DevReport['deliveries'][number]['product']) => `${product.physical.databaseName}.${product.physical.tableName}`;
  const rows = [
    ...report.deliveries.map((delivery) => [
      table(delivery.product),
      String(delivery.in),
      String(delivery.ok),
      String(delivery.dropped),
      String(delivery.failed),
      delivery.origin,
    ]),
    ...report.sqlRuns.map((run) => [
      table(run.product),
      String(run.rows),
      String(run.rows),
      '0',
      '0',
      `SQL over ${run.from.join(', ')}: ${run.partitions.length} partitions`,
    ]),
  ];
  const lines = [
    formatTable({ columns: ['table', 'in', 'ok', 'dropped', 'failed', 'records'], rows }, rows.length),
    'Every product reconciles: in = ok + dropped + failed (and every record sent reached its stream).',
  ];
  for (const delivery of report.deliveries) {
    if (delivery.notPublished.length > 0) {
      lines.push(`${delivery.product.id}: ${delivery.notPublished.length} records were not published (${delivery.notPublished[0].errorCode}: ${delivery.notPublished[0].errorMessage})`);
    }
    if (delivery.failed > 0) {
      const lake = new LocalLake(report.lakeDir);
      const errors = path.join(lake.bucketDir(delivery.product), 'errors');
      const { processing, invocation, conversion } = delivery.failedBy;
      const kinds = [
        processing > 0 ? `${processing} refused by the processor` : '',
        invocation > 0 ? `${invocation} in failed invocations` : '',
        conversion > 0 ? `${conversion} refused by the Parquet conversion` : '',
      ].filter((kind) => kind !== '');
      lines.push(`${delivery.product.id}: ${kinds.join(', ')}; e.g. ${delivery.sampleReasons[0] ?? '(no reason)'}`);
      lines.push(`  error documents under ${relative(errors)}/`);
    }
    for (const error of delivery.invocationErrors.slice(0, 3)) lines.push(`${delivery.product.id}: FAILED BATCH ${error}`);
  }
  for (const pipeline of report.pipelines) {
    lines.push(
      `${pipeline.product.id} ← ${pipeline.from.join(', ')}: read ${pipeline.read}, transformed ${pipeline.transformed} ` +
        `(${pipeline.filtered} filtered out) into ${pipeline.published} records, skipped ${pipeline.skipped}, rejected ${pipeline.rejected}, dead-lettered ${pipeline.deadLettered}` +
        (pipeline.sampleReasons.length > 0 ? `; e.g. ${pipeline.sampleReasons[0]}` : ''),
    );
  }
  for (const { product, reason } of report.skipped) lines.push(`${product.id}: skipped, ${reason}`);
  return lines.join('\n');
}

async function printExampleQueries(report: DevReport, print: (line: string) => void): Promise<number> {
  const products = [...report.deliveries.map((delivery) => delivery.product), ...report.sqlRuns.map((run) => run.product)];
  const database = await LakeDatabase.open(new LocalLake(report.lakeDir), products);
  let exitCode = 0;
  try {
    for (const product of products) {
      for (const query of product.contract.exampleQueries) {
        print('');
        print(`== ${product.id}: ${query.name}`);
        print(query.sql.trim());
        try {
          const result = await database.athenaQuery(query.sql);
          for (const warning of result.warnings) print(`warning: ${warning.construct}: ${warning.message}`);
          print(formatTable(result, 10));
        } catch (error) {
          exitCode = 1;
          print(`QUERY FAILED locally: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
          if (!(error instanceof AthenaSqlError)) print(`  (the local lake translates Athena SQL into DuckDB's: see ${DIFFERENCES_DOC})`);
        }
      }
    }
  } finally {
    database.close();
  }
  return exitCode;
}

/** `mesh test` over the products this run delivered: the rules table and the summary line. */
async function printQuality(manifest: MeshManifest, report: DevReport, lake: string, print: (line: string) => void): Promise<number> {
  const ran = new Set([...report.deliveries.map((d) => d.product.id), ...report.sqlRuns.map((r) => r.product.id)]);
  const products = manifest.products.filter((p) => ran.has(p.id));
  print('');
  print('== Quality rules of the contracts (mesh test, latest partition of each product)');
  const { output, exitCode } = await runTestCommand({ ...manifest, products }, undefined, { lake });
  print(output);
  return exitCode;
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || '.';
}
