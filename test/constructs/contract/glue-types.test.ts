import { describe, expect, it } from 'vitest';
import {
  Contract,
  ContractError,
  glueType,
  parseGlueType,
  partitionFormat,
  toGlueColumns,
  toGluePartitionKeys,
  type ColumnType,
} from '../../../constructs/contract';
import { FLAT, MONEY_PII, NESTED } from './fixtures';

describe('glueType', () => {
  it('writes scalar, decimal and nested Hive types', () => {
    expect(glueType({ kind: 'string' })).toBe('string');
    expect(glueType({ kind: 'bigint' })).toBe('bigint');
    expect(glueType({ kind: 'decimal', precision: 12, scale: 2 })).toBe('decimal(12,2)');
    expect(glueType({ kind: 'map', keys: { kind: 'string' }, values: { kind: 'array', items: { kind: 'int' } } })).toBe(
      'map<string,array<int>>',
    );
  });

  it('writes the columns of a contract in order, with comments', () => {
    const columns = toGlueColumns(Contract.of(NESTED).spec);
    expect(columns.map((c) => c.name)).toEqual(['order_id', 'shipped_at', 'line_items', 'shipping', 'attributes', 'batches']);
    expect(columns[2]).toEqual({
      name: 'line_items',
      type: 'array<struct<sku:string,quantity:int,dimensions:struct<width_cm:double,height_cm:double>>>',
      comment: 'What was shipped.',
    });
    expect(columns[4].type).toBe('map<string,struct<score:double>>');
    expect(columns[5].type).toBe('array<array<bigint>>');
  });

  it('truncates comments to the 255 characters Glue allows', () => {
    const spec = Contract.of(FLAT).spec;
    const long = { ...spec, columns: { ...spec.columns, order_id: { ...spec.columns.order_id, description: 'x'.repeat(300) } } };
    expect(toGlueColumns(long)[0].comment).toHaveLength(255);
  });

  it('partitions by one dt string, daily or hourly', () => {
    expect(toGluePartitionKeys(Contract.of(FLAT).spec)).toEqual([
      { name: 'dt', type: 'string', comment: 'Event-time partition (yyyy-MM-dd) from placed_at' },
    ]);
    expect(partitionFormat(Contract.of(NESTED).spec)).toBe('yyyy-MM-dd-HH');
    expect(partitionFormat(Contract.of(MONEY_PII).spec)).toBe('yyyy-MM-dd');
  });
});

describe('parseGlueType', () => {
  const types: ColumnType[] = [
    { kind: 'timestamp' },
    { kind: 'decimal', precision: 38, scale: 10 },
    { kind: 'array', items: { kind: 'array', items: { kind: 'double' } } },
    { kind: 'map', keys: { kind: 'string' }, values: { kind: 'struct', fields: { a: { type: { kind: 'int' }, required: false } } } },
    {
      kind: 'struct',
      fields: {
        sku: { type: { kind: 'string' }, required: false },
        dims: { type: { kind: 'struct', fields: { w: { type: { kind: 'float' }, required: false } } }, required: false },
      },
    },
  ];

  it('reads back every type glueType writes', () => {
    for (const type of types) expect(parseGlueType(glueType(type))).toEqual(type);
  });

  it('reads Hive aliases and spacing', () => {
    expect(parseGlueType('ARRAY< VARCHAR(20) >')).toEqual({ kind: 'array', items: { kind: 'string' } });
    expect(parseGlueType('integer')).toEqual({ kind: 'int' });
    expect(parseGlueType('long')).toEqual({ kind: 'bigint' });
    expect(parseGlueType('decimal')).toEqual({ kind: 'decimal', precision: 10, scale: 0 });
  });

  it('names the position and the expected token on bad input', () => {
    expect(() => parseGlueType('array<int')).toThrow(
      new ContractError('Glue type "array<int" cannot be read at position 9: expected ">" (e.g. "array<struct<sku:string,qty:int>>").'),
    );
    expect(() => parseGlueType('map<int,string>')).toThrow(/expected string map keys/);
    expect(() => parseGlueType('uuid')).toThrow(/expected a Glue type/);
    expect(() => parseGlueType('int extra')).toThrow(/expected the end of the type/);
  });
});
