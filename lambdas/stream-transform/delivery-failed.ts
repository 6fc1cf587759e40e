/**
 * Where the payloads of dead-lettered records are. What still ends in the dead-letter queue is an infrastructure
 * failure (an output the publisher could not put after its retries, or a rejection the error location could not
 * take). Lambda's on-failure message holds only the batch's position (`KinesisBatchInfo`: shardId,
 * startSequenceNumber, approximateArrivalOfFirstRecord…), and the stream keeps the records 24 hours; so, whenever
 * the runtime reports a failure, it first writes the failed records — payload, reason, origin — to one object whose
 * key that message names:
 *
 *   `<error prefix with error-output-type = delivery-failed, date = approximateArrivalOfFirstRecord>` +
 *   `<shardId>-<startSequenceNumber>.jsonl`
 *
 * Lambda retries from the reported record, so a later attempt of the same checkpoint overwrites the object; an
 * invocation that gets past the checkpoint (succeeds, or fails further on) deletes it. An object left behind is
 * therefore the checkpoint the mapping gave up on — the one its DLQ message points to — and `mesh replay` sends its
 * records through the transform again (documents shaped like transform-failed ones).
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import type { BatchOutcome } from './core';
import type { TransformFailedDocument } from './error-location';

/** The `!{firehose:error-output-type}` of records the runtime could not deliver (infrastructure failures). */
export const DELIVERY_FAILED = 'delivery-failed';

/** One undelivered record as written: a transform-failed document plus its shard. */
export interface DeliveryFailedDocument extends TransformFailedDocument {
  readonly shardId: string;
}

/** What recording pending failures needs of S3: put and delete one object. */
export interface PendingFailureStore {
  write(key: string, body: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * The key of the delivery-failed object of a checkpoint, from the fields of the DLQ message
 * (`KinesisBatchInfo.shardId`, `.startSequenceNumber`, `.approximateArrivalOfFirstRecord`).
 */
export function deliveryFailedKey(errorPrefix: string, shardId: string, startSequenceNumber: string, firstArrival: Date): string {
  const iso = firstArrival.toISOString();
  const parts: Record<string, string> = {
    yyyy: iso.slice(0, 4), MM: iso.slice(5, 7), dd: iso.slice(8, 10), HH: iso.slice(11, 13), mm: iso.slice(14, 16), ss: iso.slice(17, 19),
  };
  const prefix = errorPrefix.replace(/!\{([a-zA-Z]+):([^}]*)\}/g, (expression, namespace: string, argument: string) => {
    if (namespace === 'firehose' && argument === 'error-output-type') return DELIVERY_FAILED;
    if (namespace === 'timestamp') return argument.replace(/yyyy|MM|dd|HH|mm|ss/g, (letters) => parts[letters]);
    throw new Error(`The error prefix "${errorPrefix}" has ${expression}, which the streaming transform cannot expand.`);
  });
  return `${prefix}${shardId}-${startSequenceNumber}.jsonl`;
}

function keyOf(errorPrefix: string, record: KinesisStreamRecord): string {
  const shardId = record.eventID.split(':')[0];
  return deliveryFailedKey(errorPrefix, shardId, record.kinesis.sequenceNumber, new Date(Math.round(record.kinesis.approximateArrivalTimestamp * 1000)));
}

/** The documents of a batch's failed records (those reported and those after, which Lambda retries too). */
export function deliveryFailedDocuments(
  records: readonly KinesisStreamRecord[],
  outcome: Pick<BatchOutcome, 'failures'>,
  sources: ReadonlyMap<string, string>,
  at: Date,
): DeliveryFailedDocument[] {
  return outcome.failures.map((failure): DeliveryFailedDocument => {
    const record = records[failure.index];
    const sourceProductId = sources.get(record.eventSourceARN);
    return {
      attemptsMade: 1,
      arrivalTimestamp: Math.round(record.kinesis.approximateArrivalTimestamp * 1000),
      errorCode: failure.errorCode,
      errorMessage: failure.errorMessage,
      attemptEndingTimestamp: at.getTime(),
      rawData: record.kinesis.data,
      ...(sourceProductId !== undefined && { sourceProductId }),
      eventSourceArn: record.eventSourceARN,
      partitionKey: record.kinesis.partitionKey,
      sequenceNumber: record.kinesis.sequenceNumber,
      shardId: record.eventID.split(':')[0],
    };
  });
}

/**
 * After a batch: when it reports a failure, writes the failed records to the object of the reported checkpoint;
 * and deletes the object of the checkpoint the batch started from when the batch got past it. Returns the keys.
 */
export async function recordPendingFailures(
  records: readonly KinesisStreamRecord[],
  outcome: Pick<BatchOutcome, 'failures'>,
  options: { errorPrefix: string; store: PendingFailureStore; sources?: ReadonlyMap<string, string>; now?: Date },
): Promise<{ written?: string; removed?: string }> {
  if (records.length === 0) return {};
  const started = keyOf(options.errorPrefix, records[0]);
  const first = outcome.failures[0];
  if (first === undefined) {
    await options.store.remove(started);
    return { removed: started };
  }
  const written = keyOf(options.errorPrefix, records[first.index]);
  const body = deliveryFailedDocuments(records, outcome, options.sources ?? new Map(), options.now ?? new Date())
    .map((document) => `${JSON.stringify(document)}\n`)
    .join('');
  await options.store.write(written, body);
  if (written === started) return { written };
  await options.store.remove(started);
  return { written, removed: started };
}

/** The pending-failure store in the domain bucket (the bucket's default encryption, the domain key). */
export function s3PendingFailureStore(options: { bucket: string; client?: { send(command: unknown): Promise<unknown> } }): PendingFailureStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-s3') as {
    S3Client: new (config: object) => { send(command: unknown): Promise<unknown> };
    PutObjectCommand: new (input: object) => unknown;
    DeleteObjectCommand: new (input: object) => unknown;
  };
  const client = options.client ?? new sdk.S3Client({});
  return {
    write: async (key, body) => {
      await client.send(new sdk.PutObjectCommand({ Bucket: options.bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
    },
    // Deleting a key that does not exist succeeds (S3 DeleteObject is idempotent, and not billed).
    remove: async (key) => {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: options.bucket, Key: key }));
    },
  };
}
