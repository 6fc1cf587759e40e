import { describe, expect, it } from 'vitest';
import { col } from '../../../constructs/contract';
import { duckdbType, readJsonColumnsArgument } from '../../../lib/local/duckdb-types';
import { orderPlaced } from './fake-assembly';

describe('duckdbType', () => {
  it.each([
    [col.string(), 'VARCHAR'],
    [col.boolean(), 'BOOLEAN'],
    [col.int(), 'INTEGER'],
    [col.bigint(), 'BIGINT'],
    [col.float(), 'FLOAT'],
    [col.double(), 'DOUBLE'],
    [col.decimal(38, 9), 'DECIMAL(38,9)'],
    [col.date(), 'DATE'],
    [col.timestamp(), 'TIMESTAMP'],
    [col.array(col.int()), 'INTEGER[]'],
    [col.map(col.decimal(5, 1)), 'MAP(VARCHAR, DECIMAL(5,1))'],
    [col.struct({ a: col.string(), b: col.array(col.date()) }), 'STRUCT("a" VARCHAR, "b" DATE[])'],
    [col.array(col.struct({ x: col.map(col.bigint()) })), 'STRUCT("x" MAP(VARCHAR, BIGINT))[]'],
  ])('maps %j to %s', (column, expected) => {
    expect(duckdbType(column.type)).toBe(expected);
  });

  it('builds the read_json columns argument in contract order, quoting names and types', () => {
    const argument = readJsonColumnsArgument(orderPlaced.spec);
    expect(argument.startsWith("{'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'quantity': 'INTEGER'")).toBe(true);
    expect(argument).toContain(`'line_items': 'STRUCT("sku" VARCHAR, "qty" INTEGER, "price" DECIMAL(10,2))[]'`);
  });
});
