/**
 * Replaying a streaming derived product's transform failures: each rejected upstream record is handed to the
 * (fixed) transform again as the Kinesis record it was — same stream ARN, partition key and sequence number — through
 * the mesh's stream-transform runtime, so its outputs go to the derived product's stream and a record that fails
 * again is written to the error location again with its new reason. The upstream stream is never written to: its
 * other readers (the upstream table, other derived products) do not see the record twice.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import type { PublishRecord, PublishResult } from '../../lambdas/publisher';
import { processKinesisRecords, type RecordFailure, type RejectedRecord, type TransformModule } from '../../lambdas/stream-transform';
import type { ErrorLocationRecord } from './error-documents';

/** The event source mapping's batch size the replay uses (StreamingPipeline's default). */
const REPLAY_BATCH_SIZE = 100;

export interface TransformReplayOptions {
  readonly module: TransformModule;
  /** Publishes outputs to the derived product's stream. */
  readonly publish: (records: PublishRecord[]) => Promise<PublishResult>;
  /** Writes records the transform rejects again to the error location. */
  readonly reject: (records: readonly RejectedRecord[]) => Promise<void>;
}

export interface TransformReplayResult {
  /** Upstream records handed to the transform. */
  readonly replayed: number;
  /** Output records published to the derived product's stream. */
  readonly published: number;
  /** Records the transform rejected again (written to the error location with the new reason). */
  readonly rejectedAgain: readonly RejectedRecord[];
  /** Records whose outputs could not be published, or that could not be written to the error location. */
  readonly failed: readonly RecordFailure[];
  /** Records that are not JSON (cannot happen for a record the runtime wrote; counted, not lost silently). */
  readonly skipped: number;
}

/** Sends transform failures through the transform again, in batches, each record once (no batch is retried). */
export async function replayThroughTransform(records: readonly ErrorLocationRecord[], options: TransformReplayOptions): Promise<TransformReplayResult> {
  const sources = new Map<string, string>();
  for (const record of records) {
    if (record.origin?.sourceProductId !== undefined) sources.set(record.origin.eventSourceArn, record.origin.sourceProductId);
  }
  let published = 0;
  let skipped = 0;
  const rejectedAgain: RejectedRecord[] = [];
  const failed: RecordFailure[] = [];
  for (let start = 0; start < records.length; start += REPLAY_BATCH_SIZE) {
    const batch = records.slice(start, start + REPLAY_BATCH_SIZE).map(kinesisEventRecord);
    const outcome = await processKinesisRecords(batch, { module: options.module, publish: options.publish, reject: options.reject, sources });
    published += outcome.published;
    skipped += outcome.skipped.length;
    rejectedAgain.push(...outcome.rejected);
    // A replay reports every failed record rather than resuming from the first: the others were published once.
    failed.push(...outcome.failures.map((failure) => ({ ...failure, index: failure.index + start })));
  }
  return { replayed: records.length, published, rejectedAgain, failed, skipped };
}

/** The Kinesis event record the transform saw the first time, rebuilt from its transform-failed document. */
export function kinesisEventRecord(record: ErrorLocationRecord): KinesisStreamRecord {
  const origin = record.origin;
  if (origin === undefined) throw new Error(`The record from ${record.object} is a ${record.errorOutputType} record, not a transform failure.`);
  const [, , , region = '', account = ''] = origin.eventSourceArn.split(':');
  return {
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `replay:${origin.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${account}:role/mesh-replay`,
    awsRegion: region,
    eventSourceARN: origin.eventSourceArn,
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: origin.partitionKey,
      sequenceNumber: origin.sequenceNumber,
      data: record.data.toString('base64'),
      approximateArrivalTimestamp: record.arrivalTimestamp / 1000,
    },
  };
}
