import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedPlan, PLAN_CACHE_ENV } from '../../../constructs/derived/private/plan-cache';
import type { PlanRequest, PlanResponse } from '../../../constructs/derived/private/sql-plan-types';
import { planSqlProduct, type PlanSource } from '../../../constructs/derived/sql-plan';
import { customerOrders, customerRegistered, orderPlaced } from '../../../lib/reference/contracts';
import { CUSTOMER_ORDERS_SQL } from '../../../lib/reference/marketing-stack';

const REQUEST: PlanRequest = { tables: [{ database: 'orders', table: 'order_placed_v1', columns: [{ name: 'total', type: 'DECIMAL(12,2)' }] }], select: 'SELECT total FROM orders.order_placed_v1' };
const ANSWER: PlanResponse = { columns: [{ name: 'total', type: 'DECIMAL(12,2)' }] };

/** A planner that answers `answer` and counts its runs. */
function countingPlanner(answer: PlanResponse): { run: () => PlanResponse; runs: () => number } {
  let count = 0;
  return {
    run: () => {
      count++;
      return answer;
    },
    runs: () => count,
  };
}

describe('the SQL plan cache', () => {
  let dir: string;
  const planner = 'fingerprint of planner v1';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cache-test-'));
    process.env[PLAN_CACHE_ENV] = path.join(dir, 'cache');
  });
  afterEach(() => {
    delete process.env[PLAN_CACHE_ENV];
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plans a request once, then answers it from the cache', () => {
    const { run, runs } = countingPlanner(ANSWER);
    expect(cachedPlan(REQUEST, planner, run)).toEqual(ANSWER);
    expect(cachedPlan(REQUEST, planner, run)).toEqual(ANSWER);
    expect(runs()).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'cache'))).toHaveLength(1);
  });

  it('plans again when the request changes (another column type, another SELECT)', () => {
    const { run, runs } = countingPlanner(ANSWER);
    cachedPlan(REQUEST, planner, run);
    cachedPlan({ ...REQUEST, select: 'SELECT total * 2 AS total FROM orders.order_placed_v1' }, planner, run);
    cachedPlan({ ...REQUEST, tables: [{ ...REQUEST.tables[0], columns: [{ name: 'total', type: 'DOUBLE' }] }] }, planner, run);
    expect(runs()).toBe(3);
  });

  it('plans again with another planner (a new version of the library or of DuckDB)', () => {
    const { run, runs } = countingPlanner(ANSWER);
    const other = 'fingerprint of planner v2';
    cachedPlan(REQUEST, planner, run);
    cachedPlan(REQUEST, other, run);
    expect(runs()).toBe(2);
  });

  it('caches an error answer as well (the same SQL fails the same way)', () => {
    const { run, runs } = countingPlanner({ error: 'Binder Error: Referenced column "x" not found' });
    expect(cachedPlan(REQUEST, planner, run)).toEqual({ error: 'Binder Error: Referenced column "x" not found' });
    expect(cachedPlan(REQUEST, planner, run)).toEqual({ error: 'Binder Error: Referenced column "x" not found' });
    expect(runs()).toBe(1);
  });

  it('plans when the cache directory cannot be written', () => {
    fs.writeFileSync(path.join(dir, 'cache'), 'a file, not a directory');
    const { run, runs } = countingPlanner(ANSWER);
    expect(cachedPlan(REQUEST, planner, run)).toEqual(ANSWER);
    expect(cachedPlan(REQUEST, planner, run)).toEqual(ANSWER);
    expect(runs()).toBe(2);
  });

  it('gives the reference product the same plan from the cache as from the planner', () => {
    const source = (c: typeof orderPlaced, databaseName: string, tableName: string): PlanSource => ({ productId: c.id, databaseName, tableName, contract: c.spec, piiColumns: c.piiColumns });
    const sources = [source(orderPlaced, 'orders', 'order_placed_v1'), source(customerRegistered, 'accounts', 'customer_registered_v1')];
    const first = planSqlProduct(CUSTOMER_ORDERS_SQL, sources, customerOrders.spec);
    expect(fs.readdirSync(path.join(dir, 'cache'))).toHaveLength(1);
    expect(planSqlProduct(CUSTOMER_ORDERS_SQL, sources, customerOrders.spec)).toEqual(first);
  });
});
