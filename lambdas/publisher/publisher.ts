import { PutRecordsCommand, type PutRecordsCommandOutput, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { fullJitterDelay } from './backoff';
import { planBatches, recordSize } from './batches';
import { describeError, isRetryable } from './errors';
import { PUT_RECORDS_LIMITS } from './limits';

/** One record to publish. */
export interface PublishRecord {
  /** The payload; strings are sent as UTF-8. */
  readonly data: Uint8Array | string;
  /** Decides the shard; 1-256 characters. */
  readonly partitionKey: string;
  /** Overrides the partition key's hash to choose the shard. */
  readonly explicitHashKey?: string;
}

/** What the publisher needs of a Kinesis client: the real `KinesisClient`, or a wrapper around it. */
export interface PutRecordsClient {
  send(command: PutRecordsCommand): Promise<PutRecordsCommandOutput>;
}

/** Information passed to {@link PublishOptions.onRetry} before each new round of attempts. */
export interface RetryInfo {
  /** The round about to start (2 for the first retry). */
  readonly attempt: number;
  /** How many records are being sent again. */
  readonly records: number;
  /** How long the publisher waits before sending them, in milliseconds. */
  readonly delayMs: number;
  /** Error codes of the previous round and how many records each hit. */
  readonly errorCodes: Readonly<Record<string, number>>;
}

export interface PublishOptions {
  /**
   * Attempts per record: the first send plus retries. A record still failing after this many is
   * reported in `failed`, never dropped.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Delay cap before the first retry, in milliseconds; doubles every round (full jitter).
   * @default 100
   */
  readonly baseDelayMs?: number;
  /**
   * Upper bound of a single backoff delay, in milliseconds.
   * @default 5000
   */
  readonly maxDelayMs?: number;
  /** @default PUT_RECORDS_LIMITS.maxRecordsPerRequest (500) */
  readonly maxRecordsPerRequest?: number;
  /** @default PUT_RECORDS_LIMITS.maxRequestBytes (5 MiB) */
  readonly maxRequestBytes?: number;
  /** @default PUT_RECORDS_LIMITS.maxRecordBytes (1 MiB) */
  readonly maxRecordBytes?: number;
  /** Random source in [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
  /** How to wait between rounds. @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before every retry round, e.g. to log or count throttling. @default - nothing */
  readonly onRetry?: (info: RetryInfo) => void;
}

/** A record the publisher could not deliver, with the last reason. */
export interface FailedRecord<R extends PublishRecord = PublishRecord> {
  /** Position of the record in the input array. */
  readonly index: number;
  readonly record: R;
  /** Kinesis error code (`ProvisionedThroughputExceededException`, `InternalFailure`, …) or one of the
   * publisher's own: `RecordTooLarge`, `InvalidPartitionKey`, `ResponseMismatch`. */
  readonly errorCode: string;
  readonly errorMessage: string;
  /** How many times the record was sent (0 when it was rejected before sending). */
  readonly attempts: number;
}

export interface PublishResult<R extends PublishRecord = PublishRecord> {
  /** Records Kinesis accepted (each one exactly once in the final accounting). */
  readonly delivered: number;
  /** Records not delivered, in input order. `delivered + failed.length` equals the input length. */
  readonly failed: FailedRecord<R>[];
  /** PutRecords requests sent. */
  readonly requests: number;
  /** Rounds of attempts made (1 when everything went through the first time). */
  readonly rounds: number;
}

interface Prepared {
  readonly entry: PutRecordsRequestEntry;
  readonly size: number;
}

interface LastError {
  readonly errorCode: string;
  readonly errorMessage: string;
}

/**
 * Publishes records to a Kinesis data stream with PutRecords and accounts for every one of them.
 *
 * - Requests hold at most 500 records and 5 MiB; a record over 1 MiB (data + partition key) or with
 *   an invalid partition key is reported failed at once, without a request.
 * - A PutRecords response matches its request one-to-one: only the entries with an `ErrorCode` are
 *   sent again; a whole request that throws a transient error (throttling, server fault, network) is
 *   sent again in full; a permanent error (missing stream, access denied, disabled key) fails its
 *   records at once.
 * - Between rounds the publisher waits with exponential backoff and full jitter, for at most
 *   `maxAttempts` rounds.
 * - Every record ends up either delivered or in `failed` with its last error code: nothing is
 *   dropped silently. Delivery is at-least-once: a request whose response is lost (a network error
 *   after Kinesis accepted it) is sent again and its records may appear twice in the stream.
 * - Order: records are sent in input order, but a retried record lands after records that succeeded
 *   in an earlier round (PutRecords never guaranteed ordering within a request either).
 *
 * @param streamNameOrArn the stream name, or its ARN (`arn:…:stream/…`)
 */
export async function publishRecords<R extends PublishRecord>(
  client: PutRecordsClient,
  streamNameOrArn: string,
  records: readonly R[],
  options: PublishOptions = {},
): Promise<PublishResult<R>> {
  const maxAttempts = options.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a whole number of at least 1, got ${maxAttempts}.`);
  }
  const limits = {
    maxRecordsPerRequest: options.maxRecordsPerRequest ?? PUT_RECORDS_LIMITS.maxRecordsPerRequest,
    maxRequestBytes: options.maxRequestBytes ?? PUT_RECORDS_LIMITS.maxRequestBytes,
  };
  const maxRecordBytes = options.maxRecordBytes ?? PUT_RECORDS_LIMITS.maxRecordBytes;
  const backoff = { baseDelayMs: options.baseDelayMs ?? 100, maxDelayMs: options.maxDelayMs ?? 5000 };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const target = streamNameOrArn.startsWith('arn:') ? { StreamARN: streamNameOrArn } : { StreamName: streamNameOrArn };

  const failed = new Map<number, FailedRecord<R>>();
  const prepared: Prepared[] = [];
  let pending: number[] = [];
  records.forEach((record, index) => {
    const rejection = validate(record, Math.min(maxRecordBytes, limits.maxRequestBytes));
    if (rejection) {
      failed.set(index, { index, record, attempts: 0, ...rejection });
      prepared.push({ entry: { Data: new Uint8Array(), PartitionKey: '' }, size: 0 });
      return;
    }
    const data = typeof record.data === 'string' ? Buffer.from(record.data, 'utf8') : record.data;
    prepared.push({
      entry: {
        Data: data,
        PartitionKey: record.partitionKey,
        ...(record.explicitHashKey !== undefined && { ExplicitHashKey: record.explicitHashKey }),
      },
      size: recordSize(data, record.partitionKey),
    });
    pending.push(index);
  });

  let delivered = 0;
  let requests = 0;
  let rounds = 0;
  const lastError = new Map<number, LastError>();
  const giveUp = (index: number, error: LastError) => {
    failed.set(index, { index, record: records[index], attempts: rounds, ...error });
  };

  while (pending.length > 0 && rounds < maxAttempts) {
    if (rounds > 0) {
      const delayMs = fullJitterDelay(rounds, backoff, random);
      options.onRetry?.({ attempt: rounds + 1, records: pending.length, delayMs, errorCodes: countCodes(pending, lastError) });
      await sleep(delayMs);
    }
    rounds += 1;
    const retry: number[] = [];
    const batches = planBatches(pending.map((index) => prepared[index].size), limits).map((batch) =>
      batch.map((position) => pending[position]),
    );
    for (const batch of batches) {
      requests += 1;
      let response: PutRecordsCommandOutput;
      try {
        response = await client.send(new PutRecordsCommand({ ...target, Records: batch.map((index) => prepared[index].entry) }));
      } catch (error) {
        const reason = describeError(error);
        for (const index of batch) {
          lastError.set(index, reason);
          if (isRetryable(reason.errorCode)) retry.push(index);
          else giveUp(index, reason);
        }
        continue;
      }
      const results = response.Records ?? [];
      if (results.length !== batch.length) {
        // Without a one-to-one response nothing can be matched: resend all (possible duplicates, no loss).
        const reason = {
          errorCode: 'ResponseMismatch',
          errorMessage: `PutRecords answered ${results.length} results for ${batch.length} records.`,
        };
        for (const index of batch) {
          lastError.set(index, reason);
          retry.push(index);
        }
        continue;
      }
      results.forEach((result, position) => {
        const index = batch[position];
        if (result.ErrorCode === undefined && result.SequenceNumber !== undefined) {
          delivered += 1;
          lastError.delete(index);
          return;
        }
        const reason = {
          errorCode: result.ErrorCode ?? 'MissingSequenceNumber',
          errorMessage: result.ErrorMessage ?? result.ErrorCode ?? 'Kinesis returned neither a sequence number nor an error.',
        };
        lastError.set(index, reason);
        if (isRetryable(reason.errorCode)) retry.push(index);
        else giveUp(index, reason);
      });
    }
    pending = retry.sort((a, b) => a - b);
  }

  for (const index of pending) {
    giveUp(index, lastError.get(index) ?? { errorCode: 'NotAttempted', errorMessage: 'The record was never sent.' });
  }
  return {
    delivered,
    failed: [...failed.values()].sort((a, b) => a.index - b.index),
    requests,
    rounds,
  };
}

function validate(record: PublishRecord, maxRecordBytes: number): LastError | undefined {
  const key = record.partitionKey;
  // A key of at most 256 UTF-16 units has at most 256 characters: only a longer one is counted by code point.
  if (typeof key !== 'string' || key.length === 0 || (key.length > PUT_RECORDS_LIMITS.maxPartitionKeyLength && [...key].length > PUT_RECORDS_LIMITS.maxPartitionKeyLength)) {
    return {
      errorCode: 'InvalidPartitionKey',
      errorMessage: `The partition key must be 1-${PUT_RECORDS_LIMITS.maxPartitionKeyLength} characters, got ${
        typeof key === 'string' ? `${[...key].length} characters` : typeof key
      }.`,
    };
  }
  const dataBytes = typeof record.data === 'string' ? Buffer.byteLength(record.data, 'utf8') : record.data.byteLength;
  const size = dataBytes + Buffer.byteLength(key, 'utf8');
  if (size > maxRecordBytes) {
    return {
      errorCode: 'RecordTooLarge',
      errorMessage: `The record is ${size} bytes (data + partition key); Kinesis accepts at most ${maxRecordBytes}.`,
    };
  }
  return undefined;
}

function countCodes(indexes: readonly number[], lastError: ReadonlyMap<number, LastError>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const index of indexes) {
    const code = lastError.get(index)?.errorCode ?? 'Unknown';
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}
