/**
 * The pure core of the streaming transform: a batch of Kinesis event-source records in, the transform
 * applied, the outputs published, and the batch-item failures out. No AWS client and no Powertools here,
 * so the local mode runs exactly this against kinesalite.
 */
import type { KinesisStreamBatchItemFailure, KinesisStreamRecord } from 'aws-lambda';
import type { PublishRecord, PublishResult } from '../publisher';
import type { TransformContext, TransformModule } from './types';

/** Why an input record was not fully handled. */
export type FailureStage =
  /** The transform (or the module's `partitionKey`) threw, or returned something that is not JSON. */
  | 'transform'
  /** At least one of its outputs could not be published after the publisher's retries. */
  | 'publish'
  /** A record before it in the batch failed its transform, so it was not processed in this invocation. */
  | 'not-attempted';

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

export interface BatchOutcome {
  /** The Lambda response: every record not fully delivered, by sequence number. */
  readonly batchItemFailures: KinesisStreamBatchItemFailure[];
  /** Records in the batch. */
  readonly received: number;
  /** Input records the transform filtered out (zero outputs). */
  readonly filtered: number;
  /** Output records published. */
  readonly published: number;
  readonly skipped: readonly SkippedRecord[];
  readonly failures: readonly RecordFailure[];
  /** The publisher's result, when anything was published. */
  readonly publishResult?: PublishResult;
}

export interface ProcessOptions {
  readonly module: TransformModule;
  /** Publishes output records to the derived product's stream (the shared publisher, bound to a client and stream). */
  readonly publish: (records: PublishRecord[]) => Promise<PublishResult>;
  /** Upstream stream ARN → product id, to tell the transform which source a record came from. */
  readonly sources?: ReadonlyMap<string, string>;
}

interface Output extends PublishRecord {
  readonly data: string;
  /** Position of the input record it came from. */
  readonly source: number;
}

/**
 * Applies the transform to the records in order and publishes the outputs.
 *
 * Kinesis batches are ordered and Lambda resumes a retried batch from the lowest reported sequence
 * number, so at the first record whose transform throws the core stops: the records before it are
 * published, that record and every later one are reported (`transform`, then `not-attempted`) and come
 * back in the retry — nothing after a failure is published twice by the retry. A record whose outputs
 * could not all be published is reported (`publish`); records after it were published already and will
 * be published again when Lambda replays from it (at-least-once).
 *
 * `batchItemFailures` lists every record not fully delivered, in batch order, so that either reading
 * of it — "resume from the lowest" (Lambda on Kinesis) or "these items failed" — retries all of them.
 */
export async function processKinesisRecords(records: readonly KinesisStreamRecord[], options: ProcessOptions): Promise<BatchOutcome> {
  const failures: RecordFailure[] = [];
  const skipped: SkippedRecord[] = [];
  const outputs: Output[] = [];
  let filtered = 0;
  let cut = records.length;

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
      const mine: Output[] = produced.map((output, n) => {
        const data = JSON.stringify(output);
        if (data === undefined) {
          throw new TypeError(`Output ${n} of the record is not JSON-serialisable (got ${typeof output}).`);
        }
        const partitionKey = options.module.partitionKey ? options.module.partitionKey(output, context) : context.partitionKey;
        return { data, partitionKey, source: index };
      });
      outputs.push(...mine);
    } catch (error) {
      failures.push({ sequenceNumber, index, stage: 'transform', ...describe(error) });
      cut = index;
      break;
    }
  }

  for (let index = cut + 1; index < records.length; index += 1) {
    failures.push({
      sequenceNumber: records[index].kinesis.sequenceNumber,
      index,
      stage: 'not-attempted',
      errorCode: 'NotAttempted',
      errorMessage: `Record ${cut} (sequence number ${records[cut].kinesis.sequenceNumber}) failed its transform earlier in the batch.`,
    });
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

  failures.sort((a, b) => a.index - b.index);
  return {
    batchItemFailures: failures.map((failure) => ({ itemIdentifier: failure.sequenceNumber })),
    received: records.length,
    filtered,
    published: publishResult?.delivered ?? 0,
    skipped,
    failures,
    ...(publishResult && { publishResult }),
  };
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
