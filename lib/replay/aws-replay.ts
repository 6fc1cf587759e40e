/**
 * `mesh replay <product> --aws`: the records in a product's S3 error location sent again to its Kinesis stream.
 *
 * The work is a function of two narrow clients — {@link ErrorBucketClient} (ListObjectsV2, GetObject, PutObject)
 * and the publisher's {@link PutRecordsClient} — so tests run it against in-memory ones; `aws-clients.ts` adapts
 * the AWS SDK v3 clients to them. Records are read from every error output type, filtered by `since`, each sent
 * once (a record found in two documents is counted and skipped), with the publisher's retries of the entries
 * PutRecords refused. Transform failures go through the product's transform again (see transform-replay.ts).
 * Error objects are left in place (the bucket's lifecycle expires them); the report gives the `--since` that
 * picks up only what fails during this replay.
 */
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { publishRecords, type PublishOptions, type PutRecordsClient } from '../../lambdas/publisher';
import { transformFailedBody, transformFailedKey } from '../../lambdas/stream-transform/error-location';
import type { TransformModule } from '../../lambdas/stream-transform';
import { REPLAYABLE_TYPES, countByType, distinctRecords, errorRootPrefix, parseErrorObject, replayPartitionKey, type ErrorLocationRecord } from './error-documents';
import { replayThroughTransform } from './transform-replay';

/** What the replay needs of S3, shaped like the SDK's commands (input and output fields keep their S3 names). */
export interface ErrorBucketClient {
  listObjectsV2(input: { Bucket: string; Prefix: string; ContinuationToken?: string }): Promise<{
    Contents?: ReadonlyArray<{ Key?: string; LastModified?: Date }>;
    IsTruncated?: boolean;
    NextContinuationToken?: string;
  }>;
  /** The object's body as UTF-8 text. */
  getObjectText(input: { Bucket: string; Key: string }): Promise<string>;
  putObject(input: { Bucket: string; Key: string; Body: string; ContentType: string }): Promise<void>;
}

export interface AwsReplayOptions {
  readonly s3: ErrorBucketClient;
  /** The domain bucket holding the product's error location. */
  readonly bucketName: string;
  readonly kinesis: PutRecordsClient;
  /** Only records whose last attempt ended at or after this time. @default - all */
  readonly since?: Date;
  /** Count what would be sent, send nothing. @default false */
  readonly dryRun?: boolean;
  /** Loads the product's transform; called only when there are transform failures to replay. */
  readonly loadTransform?: () => Promise<TransformModule>;
  /** Publisher options (tests shorten the backoff). @default - the publisher's defaults (5 attempts, jittered backoff) */
  readonly publishOptions?: PublishOptions;
  /** @default - the current time */
  readonly now?: () => Date;
}

export interface AwsReplayReport {
  readonly product: ProductEntry;
  readonly bucketName: string;
  /** Error objects read (those last modified before `since` are not read). */
  readonly objectsRead: number;
  /** Records found in the error location, by error output type. */
  readonly found: Readonly<Record<string, number>>;
  /** The same record in more than one error document: sent once. */
  readonly duplicatesSkipped: number;
  /** Records that would be sent (dry run) or were handed to the stream / the transform. */
  readonly toSend: number;
  /** Records Kinesis accepted (processing-failed, format-conversion-failed). */
  readonly resent: number;
  /** Transform failures sent through the transform again, and what came of them. */
  readonly transform?: { readonly replayed: number; readonly published: number; readonly rejectedAgain: number };
  /** Records not sent after the publisher's retries (or not written back to the error location), with the reason. */
  readonly failed: ReadonlyArray<{ readonly object: string; readonly errorCode: string; readonly errorMessage: string }>;
  /** When the replay started: `--since` this time later finds only what failed during or after it. */
  readonly startedAt: Date;
}

/** Replays a product's S3 error location into its Kinesis stream. */
export async function replayFromAws(product: ProductEntry, options: AwsReplayOptions): Promise<AwsReplayReport> {
  if (product.source?.kind === 'sql') {
    throw new Error(`${product.id} is a SQL derived product: it has no stream to replay into; its next scheduled run rebuilds it.`);
  }
  const startedAt = (options.now ?? (() => new Date()))();
  const { records, objectsRead } = await readBucketErrorLocation(product, options);
  const { distinct, duplicates } = distinctRecords(records);
  const base = { product, bucketName: options.bucketName, objectsRead, found: countByType(records), duplicatesSkipped: duplicates, toSend: distinct.length, startedAt };
  if (options.dryRun === true || distinct.length === 0) return { ...base, resent: 0, failed: [] };

  const direct = distinct.filter((record) => record.origin === undefined);
  const transformFailures = distinct.filter((record) => record.origin !== undefined);
  const loadTransform = options.loadTransform;
  // Checked before anything is sent, so a refused replay sends nothing.
  if (transformFailures.length > 0 && (product.source?.kind !== 'stream' || loadTransform === undefined)) {
    throw new Error(
      `${product.id} has ${transformFailures.length} transform-failed or delivery-failed records but ${product.source?.kind === 'stream' ? 'no transform was loaded' : 'is not a streaming derived product'}: ` +
        `only a StreamingPipeline's transform can replay them.`,
    );
  }
  const failed: Array<AwsReplayReport['failed'][number]> = [];
  const publish = (records: Parameters<typeof publishRecords>[2]) =>
    publishRecords(options.kinesis, product.physical.streamName, records, options.publishOptions);

  const result = await publish(direct.map((record, index) => ({ data: record.data, partitionKey: replayPartitionKey(product, record.data, index) })));
  for (const failure of result.failed) failed.push({ object: direct[failure.index].object, errorCode: failure.errorCode, errorMessage: failure.errorMessage });

  let transform: AwsReplayReport['transform'];
  if (transformFailures.length > 0 && loadTransform !== undefined) {
    const module = await loadTransform();
    const outcome = await replayThroughTransform(transformFailures, {
      module,
      publish,
      reject: async (rejected) => {
        const at = (options.now ?? (() => new Date()))();
        await options.s3.putObject({
          Bucket: options.bucketName,
          Key: transformFailedKey(product.physical.errorPrefix, product.id, at),
          Body: transformFailedBody(rejected, at),
          ContentType: 'application/x-ndjson',
        });
      },
    });
    for (const failure of outcome.failed) failed.push({ object: transformFailures[failure.index].object, errorCode: failure.errorCode, errorMessage: failure.errorMessage });
    transform = { replayed: outcome.replayed, published: outcome.published, rejectedAgain: outcome.rejectedAgain.length };
  }
  return { ...base, resent: result.delivered, ...(transform !== undefined && { transform }), failed };
}

/**
 * Lists `<error root><type>/` for each error output type (every page), skips objects last modified before `since`
 * (an object is written after its records' last attempt), and parses the rest.
 */
async function readBucketErrorLocation(product: ProductEntry, options: AwsReplayOptions): Promise<{ records: ErrorLocationRecord[]; objectsRead: number }> {
  const root = errorRootPrefix(product);
  const records: ErrorLocationRecord[] = [];
  let objectsRead = 0;
  for (const type of REPLAYABLE_TYPES) {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await options.s3.listObjectsV2({ Bucket: options.bucketName, Prefix: `${root}${type}/`, ...(token !== undefined && { ContinuationToken: token }) });
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        if (options.since !== undefined && object.LastModified !== undefined && object.LastModified.getTime() < options.since.getTime()) continue;
        keys.push(object.Key);
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    for (const key of keys.sort()) {
      const text = await options.s3.getObjectText({ Bucket: options.bucketName, Key: key });
      objectsRead += 1;
      records.push(...parseErrorObject(text, type, `s3://${options.bucketName}/${key}`, options.since));
    }
  }
  return { records, objectsRead };
}


/** The report lines of `mesh replay --aws`. */
export function formatAwsReplay(report: AwsReplayReport, dryRun: boolean): string[] {
  const found = Object.entries(report.found);
  const total = found.reduce((sum, [, n]) => sum + n, 0);
  const lines = [
    `${report.product.id}: ${total} record${total === 1 ? '' : 's'} in s3://${report.bucketName}/${errorRootPrefix(report.product)}` +
      (found.length > 0 ? ` (${found.map(([type, n]) => `${type} ${n}`).join(', ')})` : '') +
      `, ${report.objectsRead} object${report.objectsRead === 1 ? '' : 's'} read`,
  ];
  if (report.duplicatesSkipped > 0) lines.push(`  ${report.duplicatesSkipped} found twice, sent once`);
  if (dryRun) {
    lines.push(`  dry run: ${report.toSend} would be sent again to ${report.product.physical.streamName}`);
    return lines;
  }
  lines.push(`  re-sent ${report.resent} to Kinesis stream ${report.product.physical.streamName}`);
  if (report.transform !== undefined) {
    const t = report.transform;
    lines.push(`  transform: ${t.replayed} replayed, ${t.published} outputs published, ${t.rejectedAgain} rejected again (new error documents)`);
  }
  if (report.failed.length > 0) {
    lines.push(`  NOT SENT ${report.failed.length}, still in the error location, e.g. ${report.failed[0].errorCode}: ${report.failed[0].errorMessage} (${report.failed[0].object})`);
  }
  lines.push(`  what fails again lands in new error documents: replay those with --since ${report.startedAt.toISOString()}`);
  return lines;
}
