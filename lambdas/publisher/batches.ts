import { PUT_RECORDS_LIMITS } from './limits';

/** Limits a batch plan respects; the defaults are {@link PUT_RECORDS_LIMITS}. */
export interface BatchLimits {
  readonly maxRecordsPerRequest: number;
  readonly maxRequestBytes: number;
}

/** Bytes a record counts for against the Kinesis limits: its data plus its UTF-8 partition key. */
export function recordSize(data: Uint8Array, partitionKey: string): number {
  return data.byteLength + Buffer.byteLength(partitionKey, 'utf8');
}

/**
 * Splits entries, in order, into requests of at most `maxRecordsPerRequest` records and
 * `maxRequestBytes` bytes. Each entry must itself fit in one request (oversize records are
 * rejected before planning). Returns arrays of positions into `sizes`.
 */
export function planBatches(sizes: readonly number[], limits: BatchLimits = PUT_RECORDS_LIMITS): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let currentBytes = 0;
  sizes.forEach((size, position) => {
    if (size > limits.maxRequestBytes) {
      throw new RangeError(`Entry ${position} is ${size} bytes, more than a whole request may hold (${limits.maxRequestBytes}).`);
    }
    if (current.length === limits.maxRecordsPerRequest || currentBytes + size > limits.maxRequestBytes) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(position);
    currentBytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
