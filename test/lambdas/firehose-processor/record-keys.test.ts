import { describe, expect, it } from 'vitest';
import { col, Contract } from '../../../constructs/contract';
import { loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import { processRecords } from '../../../lambdas/firehose-processor/process-records';
import { sampleLabelledRecords, sampleRecords } from '../../../constructs/contract/arbitrary';
import { readableRecords } from '../../../lib/local/readable-records';
import { decodeOk, firehoseEvent } from './fixtures';

/** Events as a service emits them (camelCase), columns as Glue and Athena want them (snake_case). */
const camel = Contract.of({
  name: 'order_placed',
  domain: 'orders',
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed.',
  fields: 'camelCase',
  columns: {
    order_id: col.string({ required: true, description: 'Order id.' }),
    placed_at: col.timestamp({ required: true, description: 'When.' }),
    line_items: col.array(col.struct({ unit_price: col.decimal(12, 2, { required: true, description: 'Price.' }) }), { description: 'Items.' }),
    legacy_code: col.string({ field: 'LEGACY', description: 'Code from the old system.' }),
  },
  partitionBy: { column: 'placed_at' },
});
const ctx = loadProcessorContext(camel.spec);

function one(data: unknown) {
  const result = processRecords(firehoseEvent([data]).records, ctx);
  return { record: result.records[0], reason: result.failures[0]?.reason };
}

describe('record keys that are not the column names', () => {
  it('reads each column from its key and writes the column', () => {
    const { record } = one({ orderId: 'o-1', placedAt: '2026-11-21T10:00:00Z', lineItems: [{ unitPrice: '9.90' }], LEGACY: 'x' });
    expect(record.result).toBe('Ok');
    expect(record.metadata).toEqual({ partitionKeys: { dt: '2026-11-21' } });
    expect(decodeOk(record.data)).toEqual({ order_id: 'o-1', placed_at: '2026-11-21T10:00:00.000Z', line_items: [{ unit_price: '9.90' }], legacy_code: 'x' });
  });

  it('names the record key in validation reasons', () => {
    expect(one({ orderId: 5, placedAt: '2026-11-21T10:00:00Z' }).reason).toBe('"orderId": must be a string (got 5)');
    expect(one({ orderId: 'o-1', placedAt: '2026-11-21T10:00:00Z', lineItems: [{ unitPrice: 'x' }] }).reason).toBe(
      '"lineItems[0].unitPrice": must match decimal(12,2) (got "x")',
    );
  });

  it('refuses a record that uses the column names, naming the expected key', () => {
    expect(one({ order_id: 'o-1', placed_at: '2026-11-21T10:00:00Z' }).reason).toBe(
      '"orderId": required field missing (the record has "order_id": the contract reads column order_id from the key "orderId")',
    );
  });

  it('refuses a record with both the key and the column name', () => {
    const { record, reason } = one({ orderId: 'o-1', order_id: 'o-1', placedAt: '2026-11-21T10:00:00Z' });
    expect(record.result).toBe('ProcessingFailed');
    expect(reason).toBe('"order_id": not a record key (the contract reads column order_id from the key "orderId"): send it only as "orderId"');
  });
});

describe('generated records of a camelCase contract (property)', () => {
  it('are all accepted, and every single mutation is refused', () => {
    const valid = sampleRecords(camel.spec, 200, { seed: 7 });
    expect(Object.keys(valid[0])).toContain('orderId');
    const result = processRecords(firehoseEvent(valid).records, ctx);
    expect(result.failures).toEqual([]);
    const broken = sampleLabelledRecords(camel.spec, 100, { seed: 8, invalidShare: 1 });
    const refused = processRecords(firehoseEvent(broken.map((b) => b.record)).records, ctx);
    expect(refused.records.every((r) => r.result === 'ProcessingFailed')).toBe(true);
  });

  it('are generated under the record keys by the local mode', () => {
    const eventTime = { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') };
    const samples = readableRecords(camel.spec, 50, { seed: 1, invalidShare: 0, eventTime });
    expect(Object.keys(samples[0].record)).toEqual(expect.arrayContaining(['orderId', 'placedAt']));
    expect(Object.keys(samples[0].record)).not.toContain('order_id');
    expect(processRecords(firehoseEvent(samples.map((s) => s.record)).records, ctx).failures).toEqual([]);
  });
});
