import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { Contract, decimalPattern, toJsonSchema, typeSchema } from '../../../constructs/contract';
import { FLAT, MONEY_PII, NESTED } from './fixtures';

/** A fresh validator per schema: the schemas carry an `$id`, which one Ajv instance registers only once. */
const ajv = {
  compile: (schema: object) => new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(schema),
};

describe('toJsonSchema', () => {
  it('declares draft 2020-12, an id and the required columns', () => {
    const schema = toJsonSchema(Contract.of(FLAT).spec);
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:cdk-data-mesh:orders.order_placed.v1',
      type: 'object',
      required: ['order_id', 'placed_at', 'item_count'],
    });
    expect((schema.properties as Record<string, unknown>).gift).toEqual({
      description: 'Whether the order is a gift.',
      anyOf: [{ type: 'null' }, { type: 'boolean' }],
    });
  });

  it('compiles in strict mode for every fixture', () => {
    for (const props of [FLAT, NESTED, MONEY_PII]) expect(() => ajv.compile(toJsonSchema(Contract.of(props).spec))).not.toThrow();
  });

  it('checks records: required, null for optional, extra properties allowed', () => {
    const validate = ajv.compile(toJsonSchema(Contract.of(FLAT).spec));
    const good = { order_id: 'o-1', placed_at: '2026-11-21T10:15:00Z', item_count: 2, gift: null, extra: 'kept' };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, order_id: null })).toBe(false);
    expect(validate({ ...good, item_count: 2 ** 31 })).toBe(false);
    expect(validate({ ...good, placed_at: '2026-11-21T10:15:00' })).toBe(false);
    expect(validate({ ...good, placed_at: '2026-11-21 10:15:00.123456+05:30' })).toBe(true);
    expect(validate({ ...good, delivery_day: '2026-11-21' })).toBe(true);
    expect(validate({ ...good, delivery_day: '21.11.2026' })).toBe(false);
  });

  it('checks nested array<struct> and map values', () => {
    const validate = ajv.compile(toJsonSchema(Contract.of(NESTED).spec));
    const good = {
      order_id: 'o-1',
      shipped_at: '2026-11-21T10:15:00Z',
      line_items: [{ sku: 'a', quantity: 1, dimensions: { width_cm: 1.5 } }],
      attributes: { colour: { score: 0.5 } },
    };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, line_items: [{ quantity: 1 }] })).toBe(false);
    expect(validate({ ...good, attributes: { colour: { score: 'high' } } })).toBe(false);
  });

  it('accepts decimals as exact strings or as numbers within the precision', () => {
    const validate = ajv.compile(toJsonSchema(Contract.of(MONEY_PII).spec));
    const base = { payment_id: 'p-1', captured_on: '2026-11-21' };
    for (const amount of ['19.99', '-0.5', '9999999999.99', 19.99, 0.29, 0.07, 9999999999.99]) {
      expect(validate({ ...base, amount }), String(amount)).toBe(true);
    }
    for (const amount of ['19.999', '99999999999', '1e3', '', 10_000_000_000]) {
      expect(validate({ ...base, amount }), String(amount)).toBe(false);
    }
    expect(validate({ ...base, amount: '1', units: 12.5 })).toBe(false); // decimal(9,0) numbers are whole
    expect(validate({ ...base, amount: '1', fee: '0.12345' })).toBe(true); // decimal(5,5)
    expect(validate({ ...base, amount: '1', fee: '1.5' })).toBe(false);
  });
});

describe('decimalPattern and typeSchema', () => {
  it('spells the digits a decimal allows', () => {
    expect(decimalPattern({ kind: 'decimal', precision: 12, scale: 2 })).toBe('^-?\\d{1,10}(\\.\\d{1,2})?$');
    expect(decimalPattern({ kind: 'decimal', precision: 3, scale: 3 })).toBe('^-?0(\\.\\d{1,3})?$');
    expect(decimalPattern({ kind: 'decimal', precision: 9, scale: 0 })).toBe('^-?\\d{1,9}$');
  });

  it('bounds ints and bigints', () => {
    expect(typeSchema({ kind: 'int' })).toEqual({ type: 'integer', minimum: -2147483648, maximum: 2147483647 });
    expect(typeSchema({ kind: 'bigint' })).toEqual({ type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });
    expect(typeSchema({ kind: 'map', keys: { kind: 'string' }, values: { kind: 'boolean' } })).toEqual({
      type: 'object',
      additionalProperties: { type: 'boolean' },
    });
  });
});
