/**
 * The documents of a product's error location, as Firehose writes them (`processing-failed`,
 * `format-conversion-failed`) and as the streaming transform writes its rejections (`transform-failed`): one JSON
 * document per line, the record base64 in `rawData`. Shared by the local replay (files in the local lake) and
 * `mesh replay --aws` (objects in the domain bucket), so both read, filter and de-duplicate alike.
 */
import { createHash } from 'node:crypto';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { DELIVERY_FAILED } from '../../lambdas/stream-transform/delivery-failed';
import { TRANSFORM_FAILED } from '../../lambdas/stream-transform/error-location';
import { partitionKeyOf } from '../local/record-source';

/**
 * Error output types a replay reads, each a folder under the product's error root. `delivery-failed` holds the
 * payloads of records a streaming transform could not deliver (what its dead-letter queue points to).
 */
export const REPLAYABLE_TYPES = ['processing-failed', 'format-conversion-failed', TRANSFORM_FAILED, DELIVERY_FAILED] as const;

/** Error output types whose records are upstream records, sent through the product's transform again. */
export const THROUGH_TRANSFORM: ReadonlySet<string> = new Set([TRANSFORM_FAILED, DELIVERY_FAILED]);

/** Where the upstream record of a transform or delivery failure came from (`transform-failed`, `delivery-failed`). */
export interface TransformOrigin {
  readonly eventSourceArn: string;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly sourceProductId?: string;
}

/** One record found in the error location. */
export interface ErrorLocationRecord {
  readonly errorOutputType: string;
  /** The error object it was read from (a file locally, an S3 key on AWS). */
  readonly object: string;
  /** The record as it arrived (processing-failed, transform-failed) or as the processor wrote it (format-conversion-failed). */
  readonly data: Buffer;
  readonly arrivalTimestamp: number;
  readonly attemptEndingTimestamp: number;
  readonly reason: string;
  /** Set for transform and delivery failures: the upstream record's stream and position, which the transform sees again. */
  readonly origin?: TransformOrigin;
}

/** The product's error root: its error prefix up to the first `!{…}` expression (e.g. `errors/order_placed_v1/`). */
export function errorRootPrefix(product: ProductEntry): string {
  const prefix = product.physical.errorPrefix;
  const cut = prefix.indexOf('!{');
  return cut < 0 ? prefix : prefix.slice(0, cut);
}

/**
 * The records of one error object (JSON lines); with `since`, only those whose last attempt ended at or after it.
 * Throws, naming the object and line, on a line that is not an error document.
 */
export function parseErrorObject(text: string, errorOutputType: string, object: string, since?: Date): ErrorLocationRecord[] {
  const records: ErrorLocationRecord[] = [];
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  for (const [index, line] of lines.entries()) {
    let document: Record<string, unknown>;
    try {
      document = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`Line ${index + 1} of the error object ${object} is not JSON: the error location was edited by hand?`);
    }
    if (typeof document.rawData !== 'string') throw new Error(`Line ${index + 1} of the error object ${object} has no rawData to replay.`);
    const attemptEndingTimestamp = Number(document.attemptEndingTimestamp ?? 0);
    if (since !== undefined && attemptEndingTimestamp < since.getTime()) continue;
    const origin = THROUGH_TRANSFORM.has(errorOutputType) ? originOf(document, errorOutputType, object, index) : undefined;
    records.push({
      errorOutputType,
      object,
      data: Buffer.from(document.rawData, 'base64'),
      arrivalTimestamp: Number(document.arrivalTimestamp ?? 0),
      attemptEndingTimestamp,
      reason: String(document.errorMessage ?? document.lastErrorMessage ?? ''),
      ...(origin !== undefined && { origin }),
    });
  }
  return records;
}

function originOf(document: Record<string, unknown>, type: string, object: string, index: number): TransformOrigin {
  const { eventSourceArn, partitionKey, sequenceNumber, sourceProductId } = document;
  if (typeof eventSourceArn !== 'string' || typeof sequenceNumber !== 'string' || typeof partitionKey !== 'string') {
    throw new Error(
      `Line ${index + 1} of the error object ${object} is a ${type} record without eventSourceArn, partitionKey and sequenceNumber: ` +
        'it cannot be sent through the transform again as the record it was.',
    );
  }
  return { eventSourceArn, partitionKey, sequenceNumber, ...(typeof sourceProductId === 'string' && { sourceProductId }) };
}

/**
 * What makes two error documents the same record: for a transform failure its upstream stream and sequence number;
 * otherwise its arrival time and payload (a retried Firehose batch writes the same record again with both unchanged).
 */
export function recordIdentity(record: ErrorLocationRecord): string {
  if (record.origin !== undefined) return `${record.errorOutputType}:${record.origin.eventSourceArn}/${record.origin.sequenceNumber}`;
  return `${record.arrivalTimestamp}:${createHash('sha256').update(record.data).digest('base64')}`;
}

/** Each record once, in the order found, and how many copies were dropped. */
export function distinctRecords(records: readonly ErrorLocationRecord[]): { distinct: ErrorLocationRecord[]; duplicates: number } {
  const seen = new Set<string>();
  const distinct = records.filter((record) => {
    const identity = recordIdentity(record);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
  return { distinct, duplicates: records.length - distinct.length };
}

/** Counts by error output type. */
export function countByType(records: readonly ErrorLocationRecord[]): Record<string, number> {
  const found: Record<string, number> = {};
  for (const record of records) found[record.errorOutputType] = (found[record.errorOutputType] ?? 0) + 1;
  return found;
}

/** The partition key a replayed record is sent with: the product's, read from the record (a record that is no JSON object gets the index's). */
export function replayPartitionKey(product: ProductEntry, data: Buffer, index: number): string {
  let record: Record<string, unknown> = {};
  try {
    const value = JSON.parse(data.toString('utf8')) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) record = value as Record<string, unknown>;
  } catch {
    // Not JSON: the record is replayed as it was, keyed by its position.
  }
  return partitionKeyOf(product.contract, record, index);
}
