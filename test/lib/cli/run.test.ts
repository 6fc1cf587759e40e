/**
 * `mesh run <product>`: a SQL derived product built on demand over the local lake, rebuilt (not appended) when run
 * again, and refused for a product that is not SQL-derived.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, col } from '../../../constructs/contract';
import type { MeshManifest } from '../../../constructs/manifest/manifest';
import { formatRun, runProduct } from '../../../lib/cli/run';
import { LakeDatabase } from '../../../lib/local/lake-database';
import { LocalLake, writeParquetPartition } from '../../../lib/local/lake';
import { orderPlaced, productEntry } from '../local/fake-assembly';

const dailyRevenue = Contract.of({
  name: 'daily_revenue',
  domain: 'finance',
  version: 1,
  owner: { team: 'finance-team', contact: 'finance@example.com' },
  description: 'Revenue per day.',
  columns: {
    day: col.date({ required: true, primaryKey: true, description: 'The day.' }),
    orders: col.bigint({ required: true, description: 'Orders placed that day.' }),
    revenue: col.decimal(14, 2, { required: true, description: 'Sum of the order totals.' }),
  },
  partitionBy: { column: 'day' },
});

describe('mesh run', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-run-'));
  const lake = new LocalLake(root);
  const orders = productEntry(orderPlaced);
  const revenue = productEntry(dailyRevenue, {
    source: {
      kind: 'sql',
      from: [orders.id],
      schedule: 'rate(1 day)',
      sql: "SELECT CAST(dt AS date) AS day, count(*) AS orders, sum(total) AS revenue FROM orders.order_placed_v1 WHERE dt = :dt GROUP BY dt",
    },
  });
  const manifest: MeshManifest = { products: [orders, revenue], consumers: [], grants: [], governance: [] };

  beforeAll(async () => {
    lake.ensure();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const order = (id: string, total: string, at: string) => JSON.stringify({ order_id: id, customer_id: 'c-1', total, placed_at: at });
    await writeParquetPartition(connection, lake, orders, '2026-11-20', [order('o-1', '10.50', '2026-11-20T08:00:00Z'), order('o-2', '4.25', '2026-11-20T09:30:00Z')]);
    await writeParquetPartition(connection, lake, orders, '2026-11-21', [order('o-3', '7.00', '2026-11-21T10:00:00Z')]);
    connection.closeSync();
    instance.closeSync();
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('builds every dt its sources hold, and the same table when run again', async () => {
    const first = await runProduct(manifest, 'finance.daily_revenue', { lake: root });
    expect(first.partitions).toEqual(['2026-11-20', '2026-11-21']);
    expect(formatRun(first)).toBe('finance.daily_revenue.v1: 2 rows from orders.order_placed.v1 into dt 2026-11-20, 2026-11-21 (2 Parquet objects).');
    await runProduct(manifest, revenue.id, { lake: root });
    const database = await LakeDatabase.open(lake, manifest.products);
    try {
      const result = await database.athenaQuery('SELECT day, orders, revenue FROM finance.daily_revenue_v1 ORDER BY day');
      expect(result.rows.map((row) => row.map(String))).toEqual([
        ['2026-11-20', '2', '14.75'],
        ['2026-11-21', '1', '7.00'],
      ]);
    } finally {
      database.close();
    }
  });

  it('refuses a product that is not SQL-derived, saying what it is', async () => {
    await expect(runProduct(manifest, orders.id, { lake: root })).rejects.toThrow(
      'orders.order_placed.v1 is a source product (its records come from producers): `mesh run` builds SQL derived products only.',
    );
  });
});
