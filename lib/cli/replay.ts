/**
 * `mesh replay <product> [--since <time>] [--dry-run]`: sends the records in a product's error location
 * (processing-failed, format-conversion-failed) to its stream again, once the cause is fixed (a corrected contract
 * or processor, a fixed producer). Locally by default: the local lake's error location, the product's local stream
 * and real processor, the result appended to the lake (see lib/local/replay.ts).
 */
import type { Command } from 'commander';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { DEFAULT_LAKE_DIR } from '../local/lake';
import { DEFAULT_BUILD_DIR } from '../local/local-mesh';
import { replayLocally, type ReplayReport } from '../local/replay';
import { resolveProduct } from '../local/resolve-product';
import { readManifest } from '../manifest/read-manifest';

export interface ReplayCommandOptions {
  readonly assembly: string;
  readonly since?: string;
  readonly dryRun?: boolean;
  readonly aws?: boolean;
  readonly lake: string;
  readonly buildDir: string;
}

export function register(program: Command): void {
  program
    .command('replay')
    .argument('<product>', 'the product: orders.order_placed, orders.order_placed.v1 or orders.order_placed_v1')
    .description(
      "Send the records in a product's error location to its stream again after a fix, each once, and count them: " +
        'the local lake by default.',
    )
    .option('--since <time>', 'only records that failed at or after this time (ISO 8601, e.g. 2026-12-03 or 2026-12-03T10:00:00Z)')
    .option('--dry-run', 'count what would be sent again, send nothing')
    .option('--aws', "replay from the product's S3 error location into its Kinesis stream in AWS")
    .option('--lake <dir>', 'local lake folder (without --aws)', DEFAULT_LAKE_DIR)
    .option('--build-dir <dir>', 'cache of the bundled processors', DEFAULT_BUILD_DIR)
    .action(async function (this: Command, name: string) {
      const options = this.optsWithGlobals<ReplayCommandOptions>();
      const { lines, exitCode } = await runReplay(readManifest(options.assembly), name, options);
      for (const line of lines) console.log(line);
      process.exitCode = exitCode;
    });
}

export async function runReplay(
  manifest: MeshManifest,
  name: string,
  options: Omit<ReplayCommandOptions, 'assembly'>,
): Promise<{ lines: string[]; exitCode: number }> {
  const product = resolveProduct(manifest, name);
  if (options.aws === true) {
    throw new Error(
      `mesh replay --aws is not available yet: it needs an S3 client, which cdk-data-mesh does not depend on. ` +
        `Replay ${product.id} locally (without --aws), or copy its error objects from s3://…/${product.physical.errorPrefix.split('!{')[0]} into the local lake first.`,
    );
  }
  const since = parseSince(options.since);
  const report = await replayLocally(product, { lakeDir: options.lake, buildDir: options.buildDir, since, dryRun: options.dryRun });
  return { lines: formatReplay(report, options.dryRun === true), exitCode: 0 };
}

function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(time)) throw new Error(`--since "${value}" is not a time: use ISO 8601, e.g. 2026-12-03 or 2026-12-03T10:00:00Z.`);
  return new Date(time);
}

/** The report lines of a replay. */
export function formatReplay(report: ReplayReport, dryRun: boolean): string[] {
  const found = Object.entries(report.found);
  const total = found.reduce((sum, [, n]) => sum + n, 0);
  const lines = [
    `${report.product.id}: ${total} record${total === 1 ? '' : 's'} in the error location` +
      (found.length > 0 ? ` (${found.map(([type, n]) => `${type} ${n}`).join(', ')})` : ''),
  ];
  if (report.duplicatesSkipped > 0) lines.push(`  ${report.duplicatesSkipped} found twice, sent once`);
  if (report.notReplayable > 0) lines.push(`  ${report.notReplayable} transform-failed, not replayed locally yet (replay the upstream product's records through the transform)`);
  if (dryRun) {
    lines.push(`  dry run: ${total - report.duplicatesSkipped - report.notReplayable} would be sent again`);
    return lines;
  }
  lines.push(`  re-sent ${report.resent}`);
  const delivery = report.delivery;
  if (delivery !== undefined) {
    lines.push(`  delivered: ok ${delivery.ok}, dropped ${delivery.dropped}, failed again ${delivery.failed}${delivery.partitions.length > 0 ? `, partitions ${delivery.partitions.join(', ')}` : ''}`);
    if (delivery.sampleReasons.length > 0) lines.push(`  still failing, e.g.: ${delivery.sampleReasons[0]}`);
  }
  if (report.moved.length > 0) lines.push(`  ${report.moved.length} error object${report.moved.length === 1 ? '' : 's'} moved under replayed/`);
  return lines;
}
