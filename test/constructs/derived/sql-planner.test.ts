import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planInWorker, stopSqlPlanner } from '../../../constructs/derived/private/sql-planner';

const TABLE = { database: 'orders', table: 'order_placed_v1', columns: [{ name: 'total', type: 'DECIMAL(12,2)' }, { name: 'customer_id', type: 'VARCHAR' }] };

describe('the SQL planner worker', () => {
  it("answers a SELECT's output columns with DuckDB's types, synchronously", () => {
    const select = 'SELECT customer_id, sum(total) AS spent, count(*) AS orders FROM orders.order_placed_v1 GROUP BY customer_id';
    expect(planInWorker({ tables: [TABLE], select })).toEqual({
      columns: [
        { name: 'customer_id', type: 'VARCHAR' },
        { name: 'spent', type: 'DECIMAL(38,2)' },
        { name: 'orders', type: 'BIGINT' },
      ],
    });
  });

  it("answers the SQL's mistake as DuckDB's error, for the caller to explain", () => {
    const answer = planInWorker({ tables: [TABLE], select: 'SELECT totl FROM orders.order_placed_v1' });
    expect(answer.error).toMatch(/Referenced column "totl" not found/);
  });

  it('uses the Athena session: a macro of the translation, the settings, athena_type_name', () => {
    const select = "SELECT athena_regexp_extract(customer_id, 'c-(\\d+)', 1) AS n, 7 / 2 AS half, athena_type_name(typeof(total)) AS t FROM orders.order_placed_v1";
    expect(planInWorker({ tables: [TABLE], select })).toEqual({
      columns: [
        { name: 'n', type: 'VARCHAR' },
        { name: 'half', type: 'INTEGER' },
        { name: 't', type: 'VARCHAR' },
      ],
    });
  });

  it('throws when the planner itself fails (a table it cannot create), instead of answering a plan', () => {
    const broken = { ...TABLE, columns: [{ name: 'total', type: 'NOT_A_TYPE' }] };
    expect(() => planInWorker({ tables: [broken], select: 'SELECT 1' })).toThrow(/^The SQL planner failed: .*NOT_A_TYPE/);
  });

  it('starts a new worker after stopSqlPlanner', async () => {
    await stopSqlPlanner();
    expect(planInWorker({ tables: [TABLE], select: 'SELECT total FROM orders.order_placed_v1' })).toEqual({ columns: [{ name: 'total', type: 'DECIMAL(12,2)' }] });
  });

  it('never holds a synth process open: a process that planned ends by itself', () => {
    const script = `const { planInWorker } = require(${JSON.stringify(path.resolve(__dirname, '../../../constructs/derived/private/sql-planner'))});
      console.log(JSON.stringify(planInWorker({ tables: [], select: 'SELECT 42 AS answer' })));`;
    const result = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ columns: [{ name: 'answer', type: 'INTEGER' }] });
  });
});
