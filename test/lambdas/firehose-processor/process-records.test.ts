import { describe, expect, it } from 'vitest';
import { col, Contract } from '../../../constructs/contract';
import { loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import { MAX_RECORD_BYTES, processRecords, type ProcessResult } from '../../../lambdas/firehose-processor/process-records';
import { decodeOk, firehoseEvent, orderPlaced, validOrder } from './fixtures';
import { transform } from './transform-fixture';

const ctx = loadProcessorContext(orderPlaced.spec);

function run(records: readonly unknown[], context = ctx): ProcessResult {
  return processRecords(firehoseEvent(records).records, context);
}

/** The only record's outcome, with its reason when it failed. */
function one(data: unknown, context = ctx) {
  const result = run([data], context);
  expect(result.records).toHaveLength(1);
  const [record] = result.records;
  return { record, reason: result.failures[0]?.reason };
}

describe('processRecords', () => {
  it('returns a valid record Ok, normalised, newline-terminated, with its dt partition key', () => {
    const { record } = one(validOrder({ placed_at: '2026-11-21T23:15:30-02:00' }));
    expect(record.result).toBe('Ok');
    expect(record.metadata).toEqual({ partitionKeys: { dt: '2026-11-22' } });
    const text = Buffer.from(record.data!, 'base64').toString('utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(decodeOk(record.data)).toEqual({
      order_id: 'o-1',
      customer_id: 'c-1',
      customer_email: 'ada@example.com',
      line_items: [
        { sku: 'sku-1', quantity: 2, unit_price: '9.99' },
        { sku: 'sku-2', quantity: 1, unit_price: '20.00' },
      ],
      total: '39.98',
      currency: 'EUR',
      placed_at: '2026-11-22T01:15:30.000Z',
    });
  });

  it('keeps only contract columns and declared struct fields, in contract order', () => {
    const { record } = one({
      extra: { deeply: [1, 2, 3] },
      Total: 'shadow',
      ...validOrder({ delivery: { express: true, courier: 'x' }, gift: null }),
    });
    expect(record.result).toBe('Ok');
    const out = decodeOk(record.data) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual([
      'order_id', 'customer_id', 'customer_email', 'line_items', 'total', 'currency', 'placed_at', 'delivery',
    ]);
    expect(out.delivery).toEqual({ express: true });
  });

  it('normalises nested timestamps, dates, maps and bigints', () => {
    const { record } = one(
      validOrder({
        shipped_on: '2026-11-23',
        loyalty_points: 9007199254740991,
        attributes: { channel: 'web', 'a.b': 'dots are fine in map keys' },
        delivery: { express: false, window_start: '2026-11-24 08:00:00.25+01:00' },
      }),
    );
    const out = decodeOk(record.data) as Record<string, unknown>;
    expect(out).toMatchObject({
      shipped_on: '2026-11-23',
      loyalty_points: 9007199254740991,
      attributes: { channel: 'web', 'a.b': 'dots are fine in map keys' },
      delivery: { express: false, window_start: '2026-11-24T07:00:00.250Z' },
    });
  });

  it('keeps unicode intact', () => {
    const { record } = one(validOrder({ customer_id: 'Zoë 🦄 東京', attributes: { 'ключ': 'значение' } }));
    expect(record.result).toBe('Ok');
    expect(decodeOk(record.data)).toMatchObject({ customer_id: 'Zoë 🦄 東京', attributes: { 'ключ': 'значение' } });
  });

  it('tolerates a UTF-8 byte order mark', () => {
    const { record } = one(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(validOrder()))]));
    expect(record.result).toBe('Ok');
  });

  it.each([
    ['invalid JSON', '{"order_id": "o-1",', /^record is not valid JSON: /],
    ['empty data', '', /^record is empty \(no data\)$/],
    ['binary data', Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81]), /^record is not UTF-8 text/],
    ['a JSON array', '[1,2]', /^record must be a JSON object, got an array$/],
    ['a JSON string', '"order"', /^record must be a JSON object, got a string$/],
    ['JSON null', 'null', /^record must be a JSON object, got null$/],
  ])('fails %s with a reason', (_name, data, reason) => {
    const { record, reason: actual } = one(data);
    expect(record.result).toBe('ProcessingFailed');
    expect(actual).toMatch(reason);
  });

  it.each([
    ['a missing required field', validOrder({ placed_at: undefined }), '"placed_at": required field missing'],
    ['a required field that is null', validOrder({ currency: null }), '"currency": required field is null'],
    ['a decimal with too many fraction digits', validOrder({ total: '12.345' }), '"total": must match decimal(12,2) (got "12.345")'],
    ['a decimal number with too many digits', validOrder({ total: 12.345 }), '"total": must match decimal(12,2) (got 12.345)'],
    ['a decimal over its precision', validOrder({ total: '12345678901.00' }), '"total": must match decimal(12,2) (got "12345678901.00")'],
    ['an impossible calendar date', validOrder({ placed_at: '2026-02-30T10:00:00Z' }),
      '"placed_at": must be a valid timestamp with a zone like 2026-01-31T09:30:00Z (got "2026-02-30T10:00:00Z")'],
    ['a timestamp without zone', validOrder({ placed_at: '2026-02-03T10:00:00' }),
      '"placed_at": must be a valid timestamp with a zone like 2026-01-31T09:30:00Z (got "2026-02-03T10:00:00")'],
    ['a number as a string', validOrder({ line_items: [{ sku: 'a', quantity: '3', unit_price: '1' }] }),
      '"line_items[0].quantity": must be an int (a whole number from -2147483648 to 2147483647) (got "3")'],
    ['an int out of range', validOrder({ line_items: [{ sku: 'a', quantity: 2147483648, unit_price: '1' }] }),
      '"line_items[0].quantity": must be an int (a whole number from -2147483648 to 2147483647) (got 2147483648)'],
    ['a fractional int', validOrder({ line_items: [{ sku: 'a', quantity: 1.5, unit_price: '1' }] }),
      '"line_items[0].quantity": must be an int (a whole number from -2147483648 to 2147483647) (got 1.5)'],
    ['a missing struct field in an array', validOrder({ line_items: [{ sku: 'a', unit_price: '1' }] }),
      '"line_items[0].quantity": required field missing'],
    ['a missing field of an optional struct', validOrder({ delivery: { window_start: '2026-01-01T00:00:00Z' } }),
      '"delivery.express": required field missing'],
    ['a wrong type in an optional struct', validOrder({ delivery: { express: 'yes' } }),
      '"delivery.express": must be a boolean (true or false) (got "yes")'],
    ['a wrong map value', validOrder({ attributes: { channel: 7 } }), '"attributes["channel"]": must be a string (got 7)'],
    ['an invalid nested timestamp', validOrder({ delivery: { express: true, window_start: '2026-04-31T00:00:00Z' } }),
      '"delivery.window_start": must be a valid timestamp with a zone like 2026-01-31T09:30:00Z (got "2026-04-31T00:00:00Z")'],
    ['an invalid date', validOrder({ shipped_on: '2026-02-29' }), '"shipped_on": must be a valid date like 2026-01-31 (got "2026-02-29")'],
    ['an array where a string belongs', validOrder({ order_id: ['o-1'] }), '"order_id": must be a string (got an array of 1 item)'],
    ['an object where an array belongs', validOrder({ line_items: {} }),
      '"line_items": must be an array (array<struct<sku:string,quantity:int,unit_price:decimal(10,2)>>) (got an object)'],
    ['a bigint beyond 2^53', validOrder({ loyalty_points: 9007199254740993 }),
      '"loyalty_points": must be a bigint (a whole number from -9007199254740991 to 9007199254740991) (got 9007199254740992)'],
  ])('fails %s naming the field and why', (_name, data, reason) => {
    const { record, reason: actual } = one(data);
    expect(record.result).toBe('ProcessingFailed');
    expect(actual).toBe(reason);
  });

  it('never echoes the value of a PII column', () => {
    const { reason } = one(validOrder({ customer_email: ['ada@example.com'] }));
    expect(reason).toBe('"customer_email": must be a string (got an array of 1 item)');
    const { reason: other } = one(validOrder({ customer_email: 42 }));
    expect(other).toBe('"customer_email": must be a string (got a number; PII, not shown)');
  });

  it('keeps the original data of a failed record', () => {
    const event = firehoseEvent(['not json']);
    const result = processRecords(event.records, ctx);
    expect(result.records[0]).toEqual({ recordId: 'r0', result: 'ProcessingFailed', data: event.records[0].data });
  });

  it('fails a record over 1 MiB without decoding it, and accepts one just under', () => {
    const pad = (n: number) => {
      const base = JSON.stringify(validOrder({ attributes: { pad: '' } }));
      return JSON.stringify(validOrder({ attributes: { pad: 'x'.repeat(n - base.length) } }));
    };
    const over = pad(MAX_RECORD_BYTES + 1);
    const under = pad(MAX_RECORD_BYTES);
    expect(Buffer.byteLength(over)).toBe(MAX_RECORD_BYTES + 1);
    const result = run([over, under]);
    expect(result.records.map((r) => r.result)).toEqual(['ProcessingFailed', 'Ok']);
    expect(result.failures[0].reason).toBe('record is 1048577 bytes, over the 1 MiB limit (1048576 bytes)');
  });

  it('encodes records of every size exactly, through the reused buffer and past it', () => {
    const sizes = [10, 1_000, 300_000, 699_000, 1_000_000];
    const inputs = sizes.map((n) => validOrder({ attributes: { pad: 'é'.repeat(n / 4) + 'x'.repeat(n / 2) } }));
    const result = run(inputs);
    expect(result.records.map((r) => r.result)).toEqual(sizes.map(() => 'Ok'));
    result.records.forEach((record, i) => {
      expect(decodeOk(record.data)).toMatchObject({ attributes: inputs[i].attributes });
      expect(Buffer.from(record.data!, 'base64').at(-1)).toBe(0x0a);
    });
  });

  it('survives deep nesting in columns and in extra fields', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const result = run([
      `{"extra": ${deep(5000)}, ${JSON.stringify(validOrder()).slice(1)}`,
      JSON.stringify(validOrder()).replace('"line_items":', `"line_items": ${deep(3000)}, "ignored":`),
      `{"order_id": ${deep(100_000)}}`,
    ]);
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed', 'ProcessingFailed']);
  });

  it('fails a record with no data field instead of throwing', () => {
    const event = firehoseEvent([validOrder()]);
    const broken = [{ ...event.records[0], data: undefined as unknown as string }];
    const result = processRecords(broken, ctx);
    expect(result.failures).toEqual([{ recordId: 'r0', reason: 'record has no data field' }]);
  });

  it('returns every input id exactly once, in input order, and counts outcomes', () => {
    const inputs = [validOrder(), '{', validOrder({ total: 'x' }), '', validOrder()];
    const event = firehoseEvent(inputs);
    const result = processRecords(event.records, ctx);
    expect(result.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(result.ok).toBe(2);
    expect(result.dropped).toBe(0);
    expect(result.failures.map((f) => f.recordId)).toEqual(['r1', 'r2', 'r3']);
  });
});

describe('processRecords with a product transform', () => {
  const withTransform = loadProcessorContext(orderPlaced.spec, { transform });

  it('passes the normalised record through the transform', () => {
    const { record } = one(validOrder(), withTransform);
    expect(decodeOk(record.data)).toMatchObject({ customer_email: '***' });
  });

  it('drops what the transform returns null for, without reason', () => {
    const result = run([validOrder({ currency: 'XTS' })], withTransform);
    expect(result.records[0]).toMatchObject({ recordId: 'r0', result: 'Dropped' });
    expect(result.dropped).toBe(1);
    expect(result.failures).toEqual([]);
  });

  it('fails with the error message when the transform throws', () => {
    const { record, reason } = one(validOrder({ order_id: 'boom' }), withTransform);
    expect(record.result).toBe('ProcessingFailed');
    expect(reason).toBe('transform failed: order "boom" cannot be enriched');
  });

  it('validates the transform output against the contract', () => {
    const { reason } = one(validOrder({ order_id: 'break-contract' }), withTransform);
    expect(reason).toBe('transform output: "total": must match decimal(12,2) (got "lots")');
  });

  it('normalises the transform output and derives dt from it', () => {
    const { record } = one(validOrder({ order_id: 'shift' }), withTransform);
    expect(record.metadata).toEqual({ partitionKeys: { dt: '2026-11-22' } });
  });

  it('fails records whose transform is asynchronous or returns a non-object', () => {
    const asyncCtx = loadProcessorContext(orderPlaced.spec, { transform: (async (r: unknown) => r) as never });
    expect(one(validOrder(), asyncCtx).reason).toMatch(/^transform returned a Promise: transforms must be synchronous/);
    const arrayCtx = loadProcessorContext(orderPlaced.spec, { transform: (() => [1]) as never });
    expect(one(validOrder(), arrayCtx).reason).toBe('transform must return an object, null or undefined; it returned an array');
  });

  it('refuses a transform module that exports no function', () => {
    expect(() => loadProcessorContext(orderPlaced.spec, { transform: 'nope' as never })).toThrow(
      'The transform module of orders.order_placed.v1 must export a function "transform(record)"; it exports a string.',
    );
  });
});

describe('partitioning', () => {
  const base = {
    domain: 'storefront',
    owner: { team: 'web', contact: 'web@example.com' },
    description: 'Page views.',
  };

  it('derives an hourly dt from a timestamp column', () => {
    const hourly = Contract.of({
      ...base,
      name: 'page_viewed',
      columns: { viewed_at: col.timestamp({ required: true, description: 'When.' }) },
      partitionBy: { column: 'viewed_at', granularity: 'hour' },
    });
    const { record } = one({ viewed_at: '2026-11-21T23:59:59.999+01:00' }, loadProcessorContext(hourly.spec));
    expect(record.metadata).toEqual({ partitionKeys: { dt: '2026-11-21-22' } });
  });

  it('derives dt from a date column', () => {
    const daily = Contract.of({
      ...base,
      name: 'daily_summary',
      columns: { day: col.date({ required: true, description: 'Day.' }) },
      partitionBy: { column: 'day' },
    });
    const { record } = one({ day: '2026-11-21' }, loadProcessorContext(daily.spec));
    expect(record.metadata).toEqual({ partitionKeys: { dt: '2026-11-21' } });
  });

  it('refuses a raw spec whose partition column is not a required date or timestamp', () => {
    // Contract.of already refuses this; the processor guards specs that bypass it (e.g. read from a manifest).
    const valid = Contract.of({
      ...base,
      name: 'wrong',
      columns: { at: col.string({ required: true, description: 'At.' }), day: col.date({ required: true, description: 'Day.' }) },
      partitionBy: { column: 'day' },
    }).spec;
    expect(() => loadProcessorContext({ ...valid, partitionBy: { column: 'at', granularity: 'day' } })).toThrow(
      'Contract "storefront.wrong.v1": the partition column "at" must be a top-level date or timestamp column',
    );
    const optionalDay = { ...valid, columns: { ...valid.columns, day: { ...valid.columns.day, required: false } } };
    expect(() => loadProcessorContext(optionalDay)).toThrow(
      'Contract "storefront.wrong.v1": the partition column "day" must be required',
    );
  });
});
