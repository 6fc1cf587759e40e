import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { ProductEntry, StreamingSource } from '../../constructs/manifest/manifest';
import { processKinesisRecords, resolveTransformModule, type RejectedRecord, type TransformModule } from '../../lambdas/stream-transform';
import { TRANSFORM_FAILED, transformFailedDocuments } from '../../lambdas/stream-transform/error-location';
import { writeErrorDocuments } from './lake';
import type { PublishRecord, PublishResult } from '../../lambdas/publisher';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-kinesis';
import type { LocalMesh } from './local-mesh';
import { streamPages, type ShardCursors, type StreamedRecord } from './read-stream';

/** Defaults of StreamingPipeline the manifest does not record; the local mode uses the same. */
export const STREAM_PIPELINE_DEFAULTS = { batchSize: 100, maxRetryAttempts: 3, exportName: 'handler' } as const;

/** What the streaming transform of a derived product did with its upstream records. */
export interface PipelineRun {
  readonly product: ProductEntry;
  readonly from: readonly string[];
  /** Upstream records read (over all sources); each is transformed, skipped, rejected or dead-lettered. */
  readonly read: number;
  /** Records the transform handled: filtered out, or turned into outputs that were all published. */
  readonly transformed: number;
  /** Of those, records the transform filtered out (no output). */
  readonly filtered: number;
  /** Output records published to the derived product's stream. */
  readonly published: number;
  /** Records that were not JSON (the runtime skips them: no retry can fix them). */
  readonly skipped: number;
  /** Records the transform rejected (threw, or returned an unusable output): in the error location with their payload. */
  readonly rejected: number;
  /** Records still failing after the retries (infrastructure failures): on AWS their positions go to the dead-letter queue. */
  readonly deadLettered: number;
  /** The first few reasons (skips and failures). */
  readonly sampleReasons: readonly string[];
}

/**
 * Runs a streaming derived product's pipeline as Lambda's Kinesis event source mapping would: per upstream stream
 * and shard, batches of records (the mapping's batch size) through the mesh's stream-transform runtime with the
 * team's module, outputs published to the derived product's stream with the shared publisher. A batch that reports
 * failures is resumed from its first failed record, which is retried (the mapping's retry attempts) and then, still
 * failing, dead-lettered; processing goes on after it. Checks that every record read is accounted for.
 */
export async function runStreamPipeline(
  mesh: LocalMesh,
  product: ProductEntry,
  upstream: readonly ProductEntry[],
  options: {
    readonly appDir: string;
    readonly buildDir: string;
    /**
     * Where the pipeline stopped reading each upstream product (by id); read from and moved on, so a pipeline run
     * again (`mesh dev --watch`) reads only what arrived since. @default - every upstream record, from the oldest
     */
    readonly cursors?: Map<string, ShardCursors>;
  },
): Promise<PipelineRun> {
  const source = product.source as StreamingSource;
  const team = await loadTransformModule(product, source, options);
  // Count each record's outputs (by sequence number) to tell filtered records from transformed ones.
  const outputs = new Map<string, number>();
  const module: TransformModule = {
    ...team,
    transform: async (record, context) => {
      const output = await team.transform(record, context);
      outputs.set(`${context.eventSourceArn}/${context.sequenceNumber}`, output === null || output === undefined ? 0 : Array.isArray(output) ? output.length : 1);
      return output;
    },
  };
  const publish = (records: PublishRecord[]): Promise<PublishResult> => mesh.publishTo(product, records);
  // Rejected records go to the derived product's error location, as the StreamingPipeline construct configures on AWS.
  const reject = async (records: readonly RejectedRecord[]): Promise<void> => {
    writeErrorDocuments(mesh.lake, product, TRANSFORM_FAILED, transformFailedDocuments(records, new Date()));
  };
  const sources = new Map(upstream.map((p) => [mesh.kinesis.streamArn(p.physical.streamName), p.id]));
  // The final state of each upstream record (by stream ARN and sequence number); a record processed again
  // (at-least-once) keeps its last state.
  const states = new Map<string, 'transformed' | 'skipped' | 'rejected' | 'dead-lettered'>();
  const sampleReasons: string[] = [];
  const note = (reason: string) => {
    if (sampleReasons.length < 3) sampleReasons.push(reason);
  };
  let published = 0;

  for (const input of upstream) {
    const arn = mesh.kinesis.streamArn(input.physical.streamName);
    const shards = new Map<string, KinesisStreamRecord[]>();
    let cursors = options.cursors?.get(input.id);
    if (cursors === undefined) {
      cursors = new Map();
      options.cursors?.set(input.id, cursors);
    }
    for await (const page of streamPages(mesh.kinesis.client, input.physical.streamName, cursors)) {
      for (const record of page) {
        const list = shards.get(record.shardId) ?? [];
        list.push(kinesisEventRecord(record, arn));
        shards.set(record.shardId, list);
      }
    }
    for (const records of shards.values()) {
      let position = 0;
      while (position < records.length) {
        const batch = records.slice(position, position + STREAM_PIPELINE_DEFAULTS.batchSize);
        const outcome = await processKinesisRecords(batch, { module, publish, sources, reject });
        published += outcome.published;
        const failed = new Set(outcome.failures.map((failure) => failure.index));
        const skipped = new Map(outcome.skipped.map((skip) => [skip.index, skip.reason]));
        const rejected = new Map(outcome.rejected.map((r) => [r.index, r]));
        batch.forEach((record, index) => {
          const rejection = rejected.get(index);
          if (rejection !== undefined) {
            states.set(keyOf(record), 'rejected');
            note(`rejected (${rejection.errorCode}): ${rejection.errorMessage}`);
          } else if (skipped.has(index)) {
            states.set(keyOf(record), 'skipped');
            note(`skipped: ${skipped.get(index)}`);
          } else if (!failed.has(index)) {
            states.set(keyOf(record), 'transformed');
          }
        });
        const first = outcome.failures[0];
        if (first === undefined) {
          position += batch.length;
          continue;
        }
        // The mapping retries from the first failed record; one that keeps failing is dead-lettered, and the
        // records after it are processed again (those already published are published twice: at-least-once).
        const record = batch[first.index];
        const failure = await retry(record, module, publish, sources, reject);
        published += failure?.published ?? 0;
        if (failure?.error === undefined) {
          states.set(keyOf(record), 'transformed');
        } else {
          states.set(keyOf(record), 'dead-lettered');
          note(`dead-lettered (${failure.error.errorCode}): ${failure.error.errorMessage}`);
        }
        position += first.index + 1;
      }
    }
  }
  const count = (state: string) => [...states.values()].filter((s) => s === state).length;
  const transformed = [...states].filter(([, state]) => state === 'transformed');
  return {
    product,
    from: source.from,
    read: states.size,
    transformed: transformed.length,
    filtered: transformed.filter(([key]) => (outputs.get(key) ?? 0) === 0).length,
    published,
    skipped: count('skipped'),
    rejected: count('rejected'),
    deadLettered: count('dead-lettered'),
    sampleReasons,
  };
}

function keyOf(record: KinesisStreamRecord): string {
  return `${record.eventSourceARN}/${record.kinesis.sequenceNumber}`;
}

/** Retries one record up to the mapping's retry attempts: what it published, and its last error if it never succeeded. */
async function retry(
  record: KinesisStreamRecord,
  module: TransformModule,
  publish: (records: PublishRecord[]) => Promise<PublishResult>,
  sources: ReadonlyMap<string, string>,
  reject: (records: readonly RejectedRecord[]) => Promise<void>,
): Promise<{ published: number; error?: { errorCode: string; errorMessage: string } }> {
  let published = 0;
  let error: { errorCode: string; errorMessage: string } | undefined;
  for (let attempt = 0; attempt < STREAM_PIPELINE_DEFAULTS.maxRetryAttempts; attempt++) {
    const outcome = await processKinesisRecords([record], { module, publish, sources, reject });
    published += outcome.published;
    if (outcome.failures.length === 0) return { published };
    error = outcome.failures[0];
  }
  return { published, error };
}

/** The event record Lambda's Kinesis event source mapping hands the function. */
function kinesisEventRecord(record: StreamedRecord, eventSourceArn: string): KinesisStreamRecord {
  return {
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${record.shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/local-stream-transform`,
    awsRegion: LOCAL_REGION,
    eventSourceARN: eventSourceArn,
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: Buffer.from(record.data).toString('base64'),
      approximateArrivalTimestamp: record.approximateArrivalTimestamp / 1000,
    },
  };
}

/**
 * Bundles the team's transform module with esbuild (as the Lambda bundle pulls it in) into a CommonJS file cached
 * under the build folder, loads it, and picks its export like the runtime's entry does.
 */
export async function loadTransformModule(
  product: ProductEntry,
  source: StreamingSource,
  options: { readonly appDir: string; readonly buildDir: string },
): Promise<TransformModule> {
  const entry = path.resolve(options.appDir, source.handlerEntry);
  if (!fs.existsSync(entry)) {
    throw new Error(
      `The streaming transform of ${product.id} (${product.path}) is not at ${entry}: run \`mesh\` from the CDK app's directory, where handlerEntry paths start.`,
    );
  }
  const hash = createHash('sha256').update(entry);
  for (const file of fs.readdirSync(path.dirname(entry)).sort()) {
    const full = path.join(path.dirname(entry), file);
    if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
  }
  const outfile = path.resolve(options.buildDir, 'transforms', `${product.id}-${hash.digest('hex').slice(0, 16)}.js`);
  if (!fs.existsSync(outfile)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const tmp = `${outfile}.${process.pid}.tmp.js`;
    await esbuild.build({ entryPoints: [entry], outfile: tmp, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
    fs.renameSync(tmp, outfile);
  }
  const exportName = exportNameOf(source);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return resolveTransformModule(require(outfile) as Record<string, unknown>, exportName, source.handlerEntry);
}

/** The transform's export name: the manifest's, when it records one, else StreamingPipeline's default. */
function exportNameOf(source: StreamingSource): string {
  return source.handlerExport ?? STREAM_PIPELINE_DEFAULTS.exportName;
}
