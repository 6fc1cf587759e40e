import type { FirehoseTransformationEvent, FirehoseTransformationEventRecord } from 'aws-lambda';
import { col, Contract } from '../../../constructs/contract';
import type { ContractSpec } from '../../../constructs/contract/types';
import { loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import type { ProcessorContext } from '../../../lambdas/firehose-processor/process-records';

/** The order_placed contract of the reference mesh (nested line items, decimals, timestamps, PII). */
export const orderPlaced = Contract.of({
  name: 'order_placed',
  domain: 'orders',
  version: 1,
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed.',
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order id.' }),
    customer_id: col.string({ required: true, description: 'Customer id.' }),
    customer_email: col.string({ description: 'Where the receipt goes.', classification: 'pii' }),
    line_items: col.array(
      col.struct({
        sku: col.string({ required: true, description: 'Stock keeping unit.' }),
        quantity: col.int({ required: true, description: 'How many.' }),
        unit_price: col.decimal(10, 2, { required: true, description: 'Price of one.' }),
      }),
      { required: true, description: 'What was ordered.' },
    ),
    total: col.decimal(12, 2, { required: true, description: 'Order total.' }),
    currency: col.string({ required: true, description: 'ISO 4217 currency.' }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed.' }),
    shipped_on: col.date({ description: 'Day the order shipped.' }),
    loyalty_points: col.bigint({ description: 'Points earned.' }),
    gift: col.boolean({ description: 'Is it a gift.' }),
    attributes: col.map(col.string(), { description: 'Free-form attributes.' }),
    delivery: col.struct(
      {
        window_start: col.timestamp({ description: 'Earliest delivery.' }),
        express: col.boolean({ required: true, description: 'Express delivery.' }),
      },
      { description: 'Delivery preferences.' },
    ),
  },
  partitionBy: { column: 'placed_at' },
});

/** A valid order record. */
export function validOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    order_id: 'o-1',
    customer_id: 'c-1',
    customer_email: 'ada@example.com',
    line_items: [
      { sku: 'sku-1', quantity: 2, unit_price: '9.99' },
      { sku: 'sku-2', quantity: 1, unit_price: 20 },
    ],
    total: '39.98',
    currency: 'EUR',
    placed_at: '2026-11-21T10:15:30.123Z',
    ...overrides,
  };
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64');

/** One Firehose record; `data` is an object (JSON-encoded), a string (UTF-8) or raw bytes. */
export function firehoseRecord(data: unknown, recordId: string): FirehoseTransformationEventRecord {
  const raw = Buffer.isBuffer(data) ? data : typeof data === 'string' ? data : JSON.stringify(data);
  return {
    recordId,
    approximateArrivalTimestamp: 1_795_000_000_000,
    data: b64(raw),
    kinesisRecordMetadata: {
      shardId: 'shardId-000000000000',
      partitionKey: recordId,
      sequenceNumber: `4959${recordId.replace(/\D/g, '').padStart(8, '0')}`,
      subsequenceNumber: '0',
      approximateArrivalTimestamp: 1_795_000_000_000,
    },
  };
}

/** A Firehose transformation event; record ids are `r0`, `r1`, … unless given as `[id, data]` pairs. */
export function firehoseEvent(records: readonly unknown[]): FirehoseTransformationEvent {
  return {
    invocationId: 'invocation-1',
    deliveryStreamArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/orders-order-placed-v1',
    sourceKinesisStreamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders-order-placed-v1',
    region: 'eu-west-1',
    records: records.map((data, i) => firehoseRecord(data, `r${i}`)),
  };
}

/** Decodes an Ok record's data. */
export function decodeOk(data: string | undefined): unknown {
  return JSON.parse(Buffer.from(data ?? '', 'base64').toString('utf8'));
}

/**
 * A contract's processor context with its fast path and one with the general path alone, at one clock (the event
 * window must not move between them); `counter.fast` counts the records the fast path answered.
 */
export function fastAndGeneralContexts(spec: ContractSpec, now: number, counter: { fast: number }): { fast: ProcessorContext; general: ProcessorContext } {
  const withFast = loadProcessorContext(spec);
  const fastPath = withFast.fast;
  if (fastPath === undefined) throw new Error(`The fast path does not cover ${spec.domain}.${spec.name}`);
  return {
    fast: {
      ...withFast,
      now: () => now,
      fast: (bytes, start, end) => {
        const line = fastPath(bytes, start, end);
        if (line !== undefined) counter.fast++;
        return line;
      },
    },
    general: { ...loadProcessorContext(spec, { fastPath: false }), now: () => now },
  };
}
