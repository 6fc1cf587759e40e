import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { LAKE_MARKER, LocalLake, expandPrefix, formatTimestamp, writeParquetPartition } from '../../../lib/local/lake';
import { orderPlaced, productEntry } from './fake-assembly';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-lake-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const at = new Date('2026-03-04T05:06:07.890Z');

describe('expandPrefix', () => {
  it('substitutes the error output type and the UTC timestamp', () => {
    expect(expandPrefix('errors/order_placed_v1/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/', { errorOutputType: 'processing-failed', at })).toBe(
      'errors/order_placed_v1/processing-failed/2026-03-04/',
    );
    expect(formatTimestamp(at, 'yyyy/MM/dd/HH/mm/ss')).toBe('2026/03/04/05/06/07');
  });

  it('refuses an expression it cannot expand, naming it', () => {
    expect(() => expandPrefix('x/!{partitionKeyFromQuery:customer}/', { at })).toThrow(
      'The local mode cannot expand !{partitionKeyFromQuery:customer} in the S3 prefix "x/!{partitionKeyFromQuery:customer}/".',
    );
  });
});

describe('LocalLake.wipe', () => {
  it('empties a lake it created', () => {
    const lake = new LocalLake(path.join(root, 'lake'));
    lake.wipe();
    fs.writeFileSync(path.join(lake.root, 'old.parquet'), 'x');
    lake.wipe();
    expect(fs.readdirSync(lake.root)).toEqual([LAKE_MARKER]);
  });

  it('refuses to empty a non-empty folder that is not a lake', () => {
    const folder = path.join(root, 'precious');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'thesis.tex'), 'x');
    expect(() => new LocalLake(folder).wipe()).toThrow(`Refusing to wipe "${folder}": it is not empty and is not a local lake`);
    expect(fs.readdirSync(folder)).toEqual(['thesis.tex']);
  });
});

describe('writeParquetPartition', () => {
  it('writes convertible lines and isolates each line the Parquet conversion refuses', async () => {
    const lake = new LocalLake(path.join(root, 'conversion'));
    const product = productEntry(orderPlaced);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const row = (order: string, total: unknown) =>
        JSON.stringify({ order_id: order, customer_id: 'c', total, placed_at: '2026-03-04T05:06:07.890Z' });
      const lines = [row('a', '1.50'), row('b', 'lots'), row('c', 2), row('d', '9.99'), '{"order_id": "e", "quantity": 3000000000}'];
      const result = await writeParquetPartition(connection, lake, product, '2026-03-04', lines, at);
      expect(result.written).toBe(3);
      expect(result.failures.map((f) => f.index)).toEqual([1, 4]);
      expect(result.failures[0].message).toMatch(/^Invalid Input Error: JSON transform error: .*"lots"/);
      expect(result.file).toMatch(/order_placed_v1\/dt=2026-03-04\/test-orders-order_placed-v1-1-2026-03-04-05-06-07-[0-9a-f-]{36}\.parquet$/);
      const rows = await connection.runAndReadAll(`SELECT order_id, CAST(total AS VARCHAR) FROM read_parquet('${result.file}') ORDER BY 1`);
      expect(rows.getRows()).toEqual([['a', '1.50'], ['c', '2.00'], ['d', '9.99']]);

      // The delivery passes each processor answer's lines as one text: positions count lines, not texts.
      const joined = await writeParquetPartition(connection, lake, product, '2026-03-05', [lines.slice(0, 3).join('\n'), lines.slice(3).join('\n')], at);
      expect(joined.written).toBe(3);
      expect(joined.failures.map((f) => f.index)).toEqual([1, 4]);
      const all = await writeParquetPartition(connection, lake, product, '2026-03-06', [[lines[0], lines[2]].join('\n'), lines[3]], at);
      expect(all).toMatchObject({ written: 3, failures: [] });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
