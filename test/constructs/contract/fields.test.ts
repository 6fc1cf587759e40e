import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { camelCase, col, Contract, recordKey, type ContractProps } from '../../../constructs/contract';
import { odcsSchemaErrors } from './odcs-helpers';

const BASE = {
  name: 'order_placed',
  domain: 'orders',
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed.',
  partitionBy: { column: 'placed_at' },
} as const;

const CAMEL: ContractProps = {
  ...BASE,
  fields: 'camelCase',
  columns: {
    order_id: col.string({ required: true, description: 'Order id.' }),
    placed_at: col.timestamp({ required: true, description: 'When.' }),
    shipping: col.struct({ city_name: col.string({ description: 'City.' }) }, { description: 'Where to.' }),
    legacy_code: col.string({ field: 'LEGACY', description: 'Old code.' }),
  },
};

describe('record keys', () => {
  it('are the field, else the convention, else the column name', () => {
    expect(recordKey('order_id', {})).toBe('order_id');
    expect(recordKey('order_id', {}, 'camelCase')).toBe('orderId');
    expect(recordKey('order_id', { field: 'id' }, 'camelCase')).toBe('id');
    expect(camelCase('line_items_v2')).toBe('lineItemsV2');
  });

  it('shape the JSON Schema: properties under their keys, the column names of renamed columns refused', () => {
    const schema = Contract.of(CAMEL).toJsonSchema();
    expect(Object.keys(schema.properties as object)).toEqual(['orderId', 'placedAt', 'shipping', 'LEGACY', 'order_id', 'placed_at', 'legacy_code']);
    expect(schema.required).toEqual(['orderId', 'placedAt']);
    expect((schema.properties as Record<string, unknown>).order_id).toBe(false);
    expect((schema.properties as Record<string, any>).shipping.anyOf[1].properties).toEqual({
      cityName: { anyOf: [{ type: 'null' }, { type: 'string' }], description: 'City.' },
      city_name: false,
    });
  });

  it('may not collide: two columns reading one key are refused', () => {
    expect(() =>
      Contract.of({ ...BASE, columns: { placed_at: col.timestamp({ required: true, description: 'When.' }), id: col.string({ field: 'placed_at', description: 'Id.' }) } }),
    ).toThrow('orders.order_placed: columns "placed_at" and "id" both read the record key "placed_at": give one of them another field.');
    // Ajv, like other JSON Schema validators, leaves a "__proto__" property unchecked.
    expect(() =>
      Contract.of({ ...BASE, columns: { placed_at: col.timestamp({ required: true, description: 'When.' }), proto: col.string({ field: '__proto__', description: 'P.' }) } }),
    ).toThrow(`orders.order_placed: column "proto" has field "__proto__", a key JSON Schema validators do not check: have producers send it under another key, e.g. field: 'proto'.`);
    expect(() => Contract.of({ ...CAMEL, fields: 'kebab' as never })).toThrow(
      `orders.order_placed: fields "kebab" is not a record-key convention: use fields: 'camelCase', or give columns their own field.`,
    );
  });

  it('are recorded in the ODCS export and read back from it', () => {
    const contract = Contract.of(CAMEL);
    const doc = parse(contract.toOdcs());
    expect(doc.customProperties).toContainEqual({ property: 'fields', value: 'camelCase' });
    expect(doc.schema[0].properties[3].customProperties).toEqual([{ property: 'field', value: 'LEGACY' }]);
    expect(Contract.fromOdcs(contract.toOdcs()).spec).toEqual(contract.spec);
    expect(odcsSchemaErrors(doc)).toEqual([]);
  });
});
