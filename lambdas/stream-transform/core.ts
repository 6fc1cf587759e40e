/**
 * The pure core of the streaming transform: a batch of Kinesis event-source records in, the transform
 * applied, the outputs published, and the batch-item failures out. No AWS client and no Powertools here,
 * so the local mode runs exactly this against its local Kinesis (and the tests against kinesalite).
 */
import type { KinesisStreamBatchItemFailure, KinesisStreamRecord } from 'aws-lambda';
import type { PublishRecord, PublishResult } from '../publisher';
import { recordSize } from '../publisher/batches';
import { PUT_RECORDS_LIMITS } from '../publisher/limits';
import type { TransformContext, TransformModule } from './types';

/** Why an input record was reported to the event source mapping (an infrastructure failure: a retry can fix it). */
export type FailureStage =
  /** At least one of its outputs could not be published after the publisher's retries. */
  | 'publish'
  /** It was rejected, and writing it to the error location failed. */
  | 'error-location'
  /** It was rejected and no error location is configured: the mapping retries it and finally dead-letters it. */
  | 'transform';

export interface RecordFailure {
  readonly sequenceNumber: string;
  /** Position of the record in the batch. */
  readonly index: number;
  readonly stage: FailureStage;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** A record that could not be decoded (not base64 JSON): skipped, since no retry can ever fix it. */
export interface SkippedRecord {
  readonly sequenceNumber: string;
  readonly index: number;
  readonly reason: string;
}

/**
 * An input record its transform could not handle — it threw, or returned an output that is not JSON, too large
 * for a Kinesis record or without a valid partition key. No retry can fix it, so it goes to the error location
 * with its payload and reason (none of its outputs is published) and the batch carries on.
 */
export interface RejectedRecord {
  readonly index: number;
  readonly sequenceNumber: string;
  readonly eventSourceArn: string;
  /** Product id of the upstream product, when the stream is a declared source. */
  readonly sourceProductId?: string;
  readonly partitionKey: string;
  /** When the record reached its stream, in epoch milliseconds. */
  readonly approximateArrivalTimestamp: number;
  /** The record as it arrived, base64 (what `mesh replay` sends again). */
  readonly data: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface BatchOutcome {
  /**
   * The Lambda response: empty, or the first record an infrastructure failure hit. Lambda resumes a Kinesis
   * batch from the lowest reported sequence number, so the records after it are processed again (at-least-once).
   */
  readonly batchItemFailures: KinesisStreamBatchItemFailure[];
  /** Records in the batch. */
  readonly received: number;
  /** Input records the transform filtered out (zero outputs). */
  readonly filtered: number;
  /** Output records published. */
  readonly published: number;
  readonly skipped: readonly SkippedRecord[];
  /** Records written to the error location (transform failures). */
  readonly rejected: readonly RejectedRecord[];
  /** Records hit by an infrastructure failure, in batch order (only the first is reported, see batchItemFailures). */
  readonly failures: readonly RecordFailure[];
  /** The publisher's result, when anything was published. */
  readonly publishResult?: PublishResult;
}

export interface ProcessOptions {
  readonly module: TransformModule;
  /** Publishes output records to the derived product's stream (the shared publisher, bound to a client and stream). */
  readonly publish: (records: PublishRecord[]) => Promise<PublishResult>;
  /**
   * Writes rejected records to the product's error location. Throwing reports them to the mapping (retried).
   * @default - none: a rejected record is reported to the mapping, which retries it and finally dead-letters it
   */
  readonly reject?: (records: readonly RejectedRecord[]) => Promise<void>;
  /** Upstream stream ARN → product id, to tell the transform which source a record came from. */
  readonly sources?: ReadonlyMap<string, string>;
  /** @default PUT_RECORDS_LIMITS.maxRecordBytes (1 MiB): an output larger than this is rejected */
  readonly maxRecordBytes?: number;
}

interface Output extends PublishRecord {
  readonly data: string;
  /** Position of the input record it came from. */
  readonly source: number;
}

/** A problem with one input record that no retry can fix. */
class Rejection extends Error {
  constructor(
    public readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Applies the transform to every record of the batch and publishes the outputs.
 *
 * A record whose transform throws or returns an unusable output is rejected: written to the error location
 * with its payload and reason, none of its outputs published, and the batch carries on — innocent records are
 * never held back or dead-lettered with it. Only infrastructure failures (the publisher could not put an
 * output after its retries, or the error location could not be written) are reported to the event source
 * mapping, and only from the first such record: Lambda resumes from there, publishing the later records' outputs
 * again (at most one batch of duplicates per retry).
 */
export async function processKinesisRecords(records: readonly KinesisStreamRecord[], options: ProcessOptions): Promise<BatchOutcome> {
  const maxRecordBytes = options.maxRecordBytes ?? PUT_RECORDS_LIMITS.maxRecordBytes;
  const failures: RecordFailure[] = [];
  const skipped: SkippedRecord[] = [];
  const rejected: RejectedRecord[] = [];
  const outputs: Output[] = [];
  let filtered = 0;

  for (let index = 0; index < records.length; index += 1) {
    const record = records[index];
    const sequenceNumber = record.kinesis.sequenceNumber;
    const decoded = decode(record.kinesis.data);
    if (!decoded.ok) {
      skipped.push({ sequenceNumber, index, reason: decoded.reason });
      continue;
    }
    const context: TransformContext = {
      sourceProductId: options.sources?.get(record.eventSourceARN),
      eventSourceArn: record.eventSourceARN,
      partitionKey: record.kinesis.partitionKey,
      sequenceNumber,
      approximateArrivalTimestamp: Math.round(record.kinesis.approximateArrivalTimestamp * 1000),
    };
    try {
      const produced = toArray(await options.module.transform(decoded.value, context));
      if (produced.length === 0) filtered += 1;
      const mine = produced.map((output, n) => toOutput(output, n, index, context, options.module, maxRecordBytes));
      outputs.push(...mine);
    } catch (error) {
      const { errorCode, errorMessage } = describe(error);
      rejected.push({
        index,
        sequenceNumber,
        eventSourceArn: record.eventSourceARN,
        ...(context.sourceProductId !== undefined && { sourceProductId: context.sourceProductId }),
        partitionKey: context.partitionKey,
        approximateArrivalTimestamp: context.approximateArrivalTimestamp,
        data: record.kinesis.data,
        errorCode,
        errorMessage,
      });
    }
  }

  let publishResult: PublishResult | undefined;
  if (outputs.length > 0) {
    publishResult = await options.publish(outputs);
    const reported = new Set<number>();
    for (const failed of publishResult.failed) {
      const source = outputs[failed.index].source;
      if (reported.has(source)) continue;
      reported.add(source);
      failures.push({
        sequenceNumber: records[source].kinesis.sequenceNumber,
        index: source,
        stage: 'publish',
        errorCode: failed.errorCode,
        errorMessage: failed.errorMessage,
      });
    }
  }

  const written = await writeRejected(rejected, options, failures);
  failures.sort((a, b) => a.index - b.index);
  return {
    batchItemFailures: failures.length > 0 ? [{ itemIdentifier: failures[0].sequenceNumber }] : [],
    received: records.length,
    filtered,
    published: publishResult?.delivered ?? 0,
    skipped,
    rejected: written,
    failures,
    ...(publishResult && { publishResult }),
  };
}

/** One output record, checked: JSON, a valid partition key, within the Kinesis record limit. Throws a Rejection. */
function toOutput(output: unknown, n: number, source: number, context: TransformContext, module: TransformModule, maxRecordBytes: number): Output {
  const data = JSON.stringify(output);
  if (data === undefined) {
    throw new Rejection('OutputNotJson', `Output ${n} of the record is not JSON-serialisable (got ${typeof output}).`);
  }
  const partitionKey = module.partitionKey ? module.partitionKey(output, context) : context.partitionKey;
  if (typeof partitionKey !== 'string' || partitionKey.length === 0 || partitionKey.length > PUT_RECORDS_LIMITS.maxPartitionKeyLength) {
    throw new Rejection(
      'InvalidPartitionKey',
      `Output ${n} of the record has partition key ${JSON.stringify(partitionKey)}; Kinesis needs a string of 1-${PUT_RECORDS_LIMITS.maxPartitionKeyLength} characters.`,
    );
  }
  const size = recordSize(Buffer.from(data, 'utf8'), partitionKey);
  if (size > maxRecordBytes) {
    throw new Rejection('RecordTooLarge', `Output ${n} of the record is ${size} bytes with its partition key; a Kinesis record holds at most ${maxRecordBytes}.`);
  }
  return { data, partitionKey, source };
}

/**
 * Writes the rejected records to the error location; returns those written. Without an error location, or when
 * writing fails, they are reported to the mapping instead (added to `failures`).
 */
async function writeRejected(rejected: RejectedRecord[], options: ProcessOptions, failures: RecordFailure[]): Promise<RejectedRecord[]> {
  if (rejected.length === 0) return [];
  if (options.reject === undefined) {
    for (const r of rejected) failures.push({ sequenceNumber: r.sequenceNumber, index: r.index, stage: 'transform', errorCode: r.errorCode, errorMessage: r.errorMessage });
    return [];
  }
  try {
    await options.reject(rejected);
    return rejected;
  } catch (error) {
    const { errorCode, errorMessage } = describe(error);
    for (const r of rejected) {
      failures.push({
        sequenceNumber: r.sequenceNumber,
        index: r.index,
        stage: 'error-location',
        errorCode,
        errorMessage: `Could not write the rejected record to the error location (${errorMessage}); it was rejected because: ${r.errorMessage}`,
      });
    }
    return [];
  }
}

function decode(data: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const text = Buffer.from(data ?? '', 'base64').toString('utf8');
  if (text.trim() === '') return { ok: false, reason: 'The record is empty.' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `The record is not JSON: ${(error as Error).message}` };
  }
}

function toArray<T>(output: T | readonly T[] | null | undefined): T[] {
  if (output === null || output === undefined) return [];
  if (Array.isArray(output)) return output.filter((item) => item !== null && item !== undefined);
  return [output as T];
}

function describe(error: unknown): { errorCode: string; errorMessage: string } {
  if (error instanceof Rejection) return { errorCode: error.errorCode, errorMessage: error.message };
  if (error instanceof Error) return { errorCode: error.name || 'Error', errorMessage: error.message };
  return { errorCode: 'Error', errorMessage: String(error) };
}

/**
 * Picks the transform out of the team's module: the export named `exportName` (a function), and the
 * optional `partitionKey` export. Throws at load (cold start, or local mode start) with what was found.
 */
export function resolveTransformModule(userModule: Record<string, unknown>, exportName: string, entry = 'the transform module'): TransformModule {
  const transform = userModule[exportName];
  if (typeof transform !== 'function') {
    const found = Object.keys(userModule).filter((key) => key !== '__esModule');
    throw new TypeError(
      `${entry} must export a function named "${exportName}" (the streaming transform); it exports ${
        found.length ? found.map((key) => `"${key}"`).join(', ') : 'nothing'
      }. Export it, or set handler: { handler: '<name>' } to the export to use.`,
    );
  }
  const partitionKey = userModule.partitionKey;
  if (partitionKey !== undefined && typeof partitionKey !== 'function') {
    throw new TypeError(`${entry} exports "partitionKey", but it is a ${typeof partitionKey}, not a function (output, context) => string.`);
  }
  return {
    transform: transform as TransformModule['transform'],
    ...(partitionKey !== undefined && { partitionKey: partitionKey as NonNullable<TransformModule['partitionKey']> }),
  };
}
