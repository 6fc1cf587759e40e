import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

export const SOURCE_ARN = 'arn:aws:kinesis:eu-west-1:111111111111:stream/shop-storefront-page_viewed-v1';

export interface RecordSpec {
  /** A value to JSON-encode, or `{ raw }` for bytes sent as they are. */
  readonly value?: unknown;
  readonly raw?: string;
  readonly partitionKey?: string;
  readonly arn?: string;
}

/** A Kinesis event-source event whose records carry sequence numbers `seq-000`, `seq-001`, … */
export function kinesisEvent(specs: readonly RecordSpec[]): KinesisStreamEvent {
  return { Records: specs.map((spec, i) => kinesisRecord(spec, i)) };
}

export function kinesisRecord(spec: RecordSpec, i: number): KinesisStreamRecord {
  const text = spec.raw ?? JSON.stringify(spec.value);
  return {
    awsRegion: 'eu-west-1',
    eventID: `shardId-000000000000:seq-${String(i).padStart(3, '0')}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventSourceARN: spec.arn ?? SOURCE_ARN,
    eventVersion: '1.0',
    invokeIdentityArn: 'arn:aws:iam::111111111111:role/transform',
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: spec.partitionKey ?? `pk-${i}`,
      sequenceNumber: `seq-${String(i).padStart(3, '0')}`,
      data: Buffer.from(text, 'utf8').toString('base64'),
      approximateArrivalTimestamp: 1_795_000_000.5 + i,
    },
  };
}
