import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeDatabase } from '../../../lib/local/lake-database';
import { LocalLake, writeParquetPartition } from '../../../lib/local/lake';
import { orderPlaced, productEntry } from './fake-assembly';

describe('LakeDatabase.athenaQuery over a local lake', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-lake-database-'));
  const lake = new LocalLake(root);
  const product = productEntry(orderPlaced);
  let database: LakeDatabase;
  const files: string[] = [];

  beforeAll(async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const order = (id: string, total: string, at: string) => JSON.stringify({ order_id: id, customer_id: 'c-1', total, placed_at: at });
    for (const [dt, lines] of [
      ['2026-11-20', [order('o-1', '10.50', '2026-11-20T08:00:00Z'), order('o-2', '4.25', '2026-11-20T09:30:00Z')]],
      ['2026-11-21', [order('o-3', '7.00', '2026-11-21T10:00:00Z')]],
    ] as const) {
      const { file } = await writeParquetPartition(connection, lake, product, dt, lines);
      files.push(file!);
    }
    connection.closeSync();
    instance.closeSync();
    database = await LakeDatabase.open(lake, [product]);
  });

  afterAll(() => {
    database?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers Athena statements: SHOW TABLES IN, SHOW PARTITIONS, DESCRIBE in Athena type names', async () => {
    expect((await database.athenaQuery('SHOW TABLES IN orders')).rows).toEqual([['order_placed_v1']]);
    expect((await database.athenaQuery('SHOW PARTITIONS orders.order_placed_v1')).rows).toEqual([['dt=2026-11-20'], ['dt=2026-11-21']]);
    const described = await database.athenaQuery('DESCRIBE orders.order_placed_v1');
    expect(Object.fromEntries(described.rows.map(([name, type]) => [name, type]))).toMatchObject({
      total: 'decimal(12,2)',
      placed_at: 'timestamp(3)',
      line_items: 'array(row(sku varchar, qty integer, price decimal(10,2)))',
      dt: 'varchar',
    });
  });

  it('reads "$path" as the object each row came from, with a warning that it is a local path', async () => {
    const result = await database.athenaQuery('SELECT order_id, "$path" FROM orders.order_placed_v1 ORDER BY order_id');
    expect(result.rows).toEqual([
      ['o-1', files[0]],
      ['o-2', files[0]],
      ['o-3', files[1]],
    ]);
    expect(result.warnings.map((w) => w.construct)).toEqual(['"$path"']);
    // SELECT * stays Athena's: no "$path" column.
    expect((await database.athenaQuery('SELECT * FROM orders.order_placed_v1 LIMIT 1')).columns).not.toContain('$path');
  });

  it("gives Athena's answer where DuckDB's own differs: avg of a decimal column keeps its type", async () => {
    const result = await database.athenaQuery("SELECT avg(total) AS a, typeof(avg(total)) AS t FROM orders.order_placed_v1 WHERE dt = '2026-11-20'");
    expect(result.rows).toEqual([['7.38', 'decimal(12,2)']]);
  });
});
