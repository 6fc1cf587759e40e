/**
 * `mesh replay <product> [--since <time>] [--dry-run] [--aws]`: sends the records in a product's error location
 * (processing-failed, format-conversion-failed; transform-failed through the product's transform) to its stream
 * again, once the cause is fixed (a corrected contract, processor or transform, a fixed producer). Locally by
 * default: the local lake's error location, the product's local stream and real processor, the result appended to
 * the lake (see lib/local/replay.ts). With --aws: the domain bucket's error location into the product's Kinesis
 * stream (see lib/replay/aws-replay.ts).
 */
import type { Command } from 'commander';
import * as path from 'node:path';
import type { MeshManifest, ProductEntry } from '../../constructs/manifest/manifest';
import { DEFAULT_LAKE_DIR } from '../local/lake';
import { DEFAULT_BUILD_DIR } from '../local/local-mesh';
import { replayLocally, type ReplayReport } from '../local/replay';
import { resolveProduct } from '../local/resolve-product';
import { loadTransformModule } from '../local/stream-pipeline';
import { readManifest } from '../manifest/read-manifest';
import { awsReplayTarget, s3ErrorBucket } from '../replay/aws-clients';
import { formatAwsReplay, replayFromAws } from '../replay/aws-replay';

export interface ReplayCommandOptions {
  readonly assembly: string;
  readonly since?: string;
  readonly dryRun?: boolean;
  readonly aws?: boolean;
  /** With --aws: the region the product is deployed to. @default - the SDK's (AWS_REGION, profile) */
  readonly region?: string;
  /** With --aws: the domain bucket, when it does not follow the naming convention. @default - `<mesh>-<domain>-data-<account>-<region>` */
  readonly bucket?: string;
  readonly lake: string;
  readonly buildDir: string;
  /** The CDK app's directory, where a streaming transform's handlerEntry starts. @default process.cwd() */
  readonly appDir?: string;
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
    .option('--region <region>', 'with --aws: the region the product is deployed to (default: AWS_REGION / profile)')
    .option('--bucket <name>', "with --aws: the domain bucket, if not <mesh>-<domain>-data-<account>-<region>")
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
  const since = parseSince(options.since);
  if (options.aws === true) return runAwsReplay(product, { ...options, since });
  const report = await replayLocally(product, { lakeDir: options.lake, buildDir: options.buildDir, appDir: options.appDir, since, dryRun: options.dryRun });
  return { lines: formatReplay(report, options.dryRun === true), exitCode: report.transform !== undefined && report.transform.failed > 0 ? 1 : 0 };
}

async function runAwsReplay(
  product: ProductEntry,
  options: Omit<ReplayCommandOptions, 'assembly' | 'since'> & { since?: Date },
): Promise<{ lines: string[]; exitCode: number }> {
  const target = await awsReplayTarget(product, { region: options.region, bucket: options.bucket });
  try {
    const report = await replayFromAws(product, {
      s3: s3ErrorBucket(target.s3),
      bucketName: target.bucketName,
      kinesis: target.kinesis,
      since: options.since,
      dryRun: options.dryRun,
      loadTransform: () => {
        if (product.source?.kind !== 'stream') throw new Error(`${product.id} has no streaming transform.`);
        return loadTransformModule(product, product.source, { appDir: path.resolve(options.appDir ?? process.cwd()), buildDir: path.resolve(options.buildDir) });
      },
    });
    return { lines: formatAwsReplay(report, options.dryRun === true), exitCode: report.failed.length > 0 ? 1 : 0 };
  } finally {
    target.s3.destroy();
    target.kinesis.destroy();
  }
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
  if (dryRun) {
    lines.push(`  dry run: ${total - report.duplicatesSkipped} would be sent again`);
    return lines;
  }
  lines.push(`  re-sent ${report.resent}`);
  const transform = report.transform;
  if (transform !== undefined) {
    lines.push(
      `  transform: ${transform.replayed} replayed, ${transform.published} outputs published, ${transform.rejectedAgain} rejected again` +
        (transform.failed > 0 ? `, ${transform.failed} NOT SENT (publish failed)` : ''),
    );
  }
  const delivery = report.delivery;
  if (delivery !== undefined) {
    lines.push(`  delivered: ok ${delivery.ok}, dropped ${delivery.dropped}, failed again ${delivery.failed}${delivery.partitions.length > 0 ? `, partitions ${delivery.partitions.join(', ')}` : ''}`);
    if (delivery.sampleReasons.length > 0) lines.push(`  still failing, e.g.: ${delivery.sampleReasons[0]}`);
  }
  if (report.moved.length > 0) lines.push(`  ${report.moved.length} error object${report.moved.length === 1 ? '' : 's'} moved under replayed/`);
  return lines;
}
