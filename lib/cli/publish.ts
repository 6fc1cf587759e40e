/**
 * `mesh publish <product> --file events.jsonl [--aws]`: sends events to a product's stream.
 *
 * Without `--aws` the stream is the local one: the command runs the local mode for that product alone (an in-process
 * local Kinesis, the real processor) and appends the result to the local lake, so `mesh query` sees it at once; it
 * starts its own stream and stops it when done (a producer of your own publishes to `mesh dev --watch` instead).
 * With `--aws` it puts the records into the product's real Kinesis stream with the default AWS credentials and region.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Command } from 'commander';
import type { MeshManifest, ProductEntry } from '../../constructs/manifest/manifest';
import { publishRecords } from '../../lambdas/publisher';
import { DEFAULT_LAKE_DIR } from '../local/lake';
import { DEFAULT_BUILD_DIR, LocalMesh } from '../local/local-mesh';
import { fileRecords } from '../local/record-source';
import { resolveProduct } from '../local/resolve-product';
import { readManifest } from '../manifest/read-manifest';

export interface PublishCommandOptions {
  readonly assembly: string;
  readonly file: string;
  readonly aws?: boolean;
  readonly region?: string;
  readonly lake: string;
  readonly buildDir: string;
}

export function register(program: Command): void {
  program
    .command('publish')
    .argument('<product>', 'the product: orders.order_placed, orders.order_placed.v1 or orders.order_placed_v1')
    .description(
      'Send the events of a JSON Lines file to a product\'s stream: the local one (processed into the local lake) by ' +
        'default, the real Kinesis stream with --aws.',
    )
    .requiredOption('-f, --file <events.jsonl>', 'JSON Lines file, one event per line (each line is sent as it is)')
    .option('--aws', 'put the records into the product\'s Kinesis stream in AWS (default credentials and region)')
    .option('--region <region>', 'AWS region for --aws (default: from the AWS environment)')
    .option('--lake <dir>', 'local lake folder to append to (without --aws)', DEFAULT_LAKE_DIR)
    .option('--build-dir <dir>', 'cache of the bundled processors', DEFAULT_BUILD_DIR)
    .action(async function (this: Command, name: string) {
      const options = this.optsWithGlobals<PublishCommandOptions>();
      const { lines, exitCode } = await runPublish(readManifest(options.assembly), name, options);
      for (const line of lines) console.log(line);
      process.exitCode = exitCode;
    });
}

export async function runPublish(
  manifest: MeshManifest,
  name: string,
  options: Omit<PublishCommandOptions, 'assembly'>,
): Promise<{ lines: string[]; exitCode: number }> {
  const product = resolveProduct(manifest, name);
  const { records, origin } = fileRecords(product, options.file);
  return options.aws ? publishToAws(product, records, origin, options.region) : publishLocally(product, records, origin, options);
}

async function publishLocally(
  product: ProductEntry,
  records: ReturnType<typeof fileRecords>['records'],
  origin: string,
  options: Pick<PublishCommandOptions, 'lake' | 'buildDir'>,
): Promise<{ lines: string[]; exitCode: number }> {
  if (product.source !== undefined) {
    throw new Error(`${product.id} is a derived product: its records come from ${product.source.from.join(', ')}; publish to those instead.`);
  }
  const mesh = await LocalMesh.start([product], { lakeDir: options.lake, buildDir: options.buildDir });
  try {
    mesh.lake.ensure();
    await mesh.publishTo(product, records);
    const delivery = await mesh.deliver(product);
    const lines = [
      `${records.length} records from ${origin} → local stream ${product.physical.streamName} → ${product.physical.databaseName}.${product.physical.tableName} in ${mesh.lake.root}`,
      `in ${delivery.in}, ok ${delivery.ok}, dropped ${delivery.dropped}, failed ${delivery.failed} (appended to the lake)`,
      ...delivery.sampleReasons.map((reason) => `  failed: ${reason}`),
      ...delivery.invocationErrors.map((error) => `  FAILED BATCH ${error}`),
    ];
    return { lines, exitCode: delivery.invocationErrors.length > 0 ? 1 : 0 };
  } finally {
    await mesh.close();
  }
}

async function publishToAws(
  product: ProductEntry,
  records: ReturnType<typeof fileRecords>['records'],
  origin: string,
  region: string | undefined,
): Promise<{ lines: string[]; exitCode: number }> {
  const client = new KinesisClient(region !== undefined ? { region } : {});
  try {
    try {
      await client.config.credentials();
      await client.config.region();
    } catch (error) {
      throw new Error(
        `Cannot publish to AWS: ${error instanceof Error ? error.message : String(error)}. ` +
          'Configure credentials and a region (AWS_PROFILE / `aws sso login` / AWS_ACCESS_KEY_ID…, AWS_REGION or --region), ' +
          'or drop --aws to publish to the local lake.',
      );
    }
    const result = await publishRecords(client, product.physical.streamName, records);
    const lines = [
      `${records.length} records from ${origin} → Kinesis stream ${product.physical.streamName} (${await client.config.region()})`,
      `delivered ${result.delivered}, failed ${result.failed.length}`,
      ...result.failed.slice(0, 5).map((failure) => `  record ${failure.index + 1}: ${failure.errorCode}: ${failure.errorMessage}`),
    ];
    return { lines, exitCode: result.failed.length > 0 ? 1 : 0 };
  } finally {
    client.destroy();
  }
}
