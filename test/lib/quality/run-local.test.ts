import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { col, Contract, qualityRules, type OdcsImportOptions } from '../../../constructs/contract';
import type { MeshManifest, ProductEntry } from '../../../constructs/manifest/manifest';
import { runTestCommand } from '../../../lib/cli/test';
import { LocalLake, writeParquetPartition } from '../../../lib/local/lake';
import { readLocalResults } from '../../../lib/quality/run-local';
import { orderPlaced } from '../../../lib/reference/contracts/orders';
import { productEntry } from '../local/fake-assembly';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** A local lake holding `partitions` (dt → JSON lines) of the product, as `mesh dev` writes it. */
async function lakeWith(product: ProductEntry, partitions: Record<string, readonly object[]>): Promise<LocalLake> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-quality-'));
  roots.push(root);
  const lake = new LocalLake(root);
  lake.ensure();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const [dt, records] of Object.entries(partitions)) {
      const { failures } = await writeParquetPartition(connection, lake, product, dt, records.map((r) => JSON.stringify(r)));
      expect(failures).toEqual([]);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return lake;
}

const manifest = (...products: ProductEntry[]): MeshManifest => ({ products, consumers: [], grants: [], governance: [] });

const order = (id: string, total: string, items: Array<[number, string]>, at = '2026-12-01T10:00:00Z') => ({
  order_id: id,
  customer_id: 'c-1',
  line_items: items.map(([quantity, unit_price], i) => ({ sku: `sku-${i}`, quantity, unit_price })),
  total,
  currency: 'EUR',
  placed_at: at,
});

describe('mesh test over the local lake', () => {
  const product = productEntry(orderPlaced);
  const day = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => order(`${prefix}-${i}`, '20.00', [[2, '10.00']]));

  it('passes the reference order_placed rules on good data of the latest partition and exits 0', async () => {
    const lake = await lakeWith(product, { '2026-11-30': day(3, 'old'), '2026-12-01': day(12, 'o') });
    const { exitCode, results, output } = await runTestCommand(manifest(product), 'orders.order_placed', { lake: lake.root });
    expect(exitCode).toBe(0);
    expect(results.every((r) => r.dt === '2026-12-01' && r.status === 'pass')).toBe(true);
    expect(results.find((r) => r.rule === 'orders_per_day')?.measured).toBe(12);
    expect(output).toMatch(/\| orders\.order_placed orders_per_day +\| completeness \| 2026-12-01 \| 12 +\| ≥ 10 +\| error +\| pass +\|/);
    expect(output).toMatch(/Quality: 10 rules, 10 passed, 0 failed\.$/);
    // The older partition alone has too few orders; --dt checks it, --all checks everything.
    expect((await runTestCommand(manifest(product), undefined, { lake: lake.root, dt: '2026-11-30' })).exitCode).toBe(1);
    const all = await runTestCommand(manifest(product), undefined, { lake: lake.root, all: true, json: true });
    expect(JSON.parse(all.output.split('\n').find((l) => l.includes('orders_per_day'))!)).toMatchObject({ dt: 'all', measured: 15, status: 'pass' });
  });

  it('exits 1 on a duplicated order_id, naming the rule and the value, and records the results for the catalog', async () => {
    const rows = day(12, 'o');
    rows.push({ ...rows[3] });
    const lake = await lakeWith(product, { '2026-12-01': rows });
    const { exitCode, output } = await runTestCommand(manifest(product), 'orders.order_placed.v1', { lake: lake.root });
    expect(exitCode).toBe(1);
    expect(output).toMatch(/\| orders\.order_placed order_id_duplicate_values +\| uniqueness +\| 2026-12-01 \| 1 +\| = 0 +\| error +\| FAIL +\|/);
    expect(output).toContain('FAILED: orders.order_placed.v1 order_id_duplicate_values (number of duplicate values of order_id must be = 0): measured 1, expected = 0');
    expect(readLocalResults(lake.root)['orders.order_placed.v1'].find((r) => r.rule === 'order_id_duplicate_values')).toMatchObject({ status: 'fail', measured: 1 });
  });

  it('measures the SQL rule total = sum of line items, as a warning that does not fail the run', async () => {
    const rows = day(12, 'o');
    rows.push(order('o-bad', '99.00', [[1, '5.00'], [2, '1.50']]));
    const lake = await lakeWith(product, { '2026-12-01': rows });
    const { exitCode, results } = await runTestCommand(manifest(product), undefined, { lake: lake.root });
    expect(results.find((r) => r.rule === 'total_matches_line_items')).toMatchObject({ measured: 1, status: 'fail', severity: 'warning' });
    expect(exitCode).toBe(0);
  });
});

/** The standard's quality examples, with what the mesh needs to import them and rows matching each one. */
const EXAMPLES = path.join(__dirname, '../../../../shared/odcs/examples');
const OWNER = { team: 'env-team', contact: 'env@example.com' };
const EVENT_TIME: OdcsImportOptions = {
  domain: 'environment',
  owner: OWNER,
  addColumns: { event_time: col.timestamp({ required: true, description: 'When the value was measured (UTC).' }) },
  partitionBy: { column: 'event_time' },
};
const AT = '2026-12-01T06:00:00Z';

describe('the ODCS standard quality examples, imported, run against a local lake', () => {
  const run = async (example: string, options: OdcsImportOptions, rows: object[]) => {
    const contract = Contract.fromOdcs(fs.readFileSync(path.join(EXAMPLES, `quality--${example}.odcs.yaml`), 'utf8'), options);
    const product = productEntry(contract);
    const lake = await lakeWith(product, { '2026-12-01': rows });
    const outcome = await runTestCommand(manifest(product), undefined, { lake: lake.root });
    // event_time is the column the mesh added (required: its implied not-null rule passes); the document's rules follow.
    expect(outcome.results.filter((r) => r.column === 'event_time').map((r) => [r.rule, r.status])).toEqual([['event_time_null_values', 'pass']]);
    return { ...outcome, results: outcome.results.filter((r) => r.column !== 'event_time') };
  };

  it('column-accuracy: the sql rule (it queries the schema object Air_Quality and the property DataValue) measures the out-of-range values', async () => {
    // The column keeps the letters of the property name, so the query's DataValue finds it (SQL names ignore case).
    const options = { ...EVENT_TIME, name: 'air_quality', columnNames: { DataValue: 'datavalue' } };
    const good = await run('column-accuracy', options, [{ datavalue: 12.5, event_time: AT }, { datavalue: 499, event_time: AT }]);
    expect(good.results.map((r) => [r.rule, r.measured, r.status])).toEqual([['datavalue_sql', 0, 'pass']]);
    const bad = await run('column-accuracy', options, [{ datavalue: 0, event_time: AT }, { datavalue: 600, event_time: AT }, { datavalue: 3, event_time: AT }]);
    expect(bad.results.map((r) => [r.rule, r.measured, r.status])).toEqual([['datavalue_sql', 2, 'fail']]);
    expect(bad.exitCode).toBe(1);
  });

  it('column-completeness: the nullValues rule (and the uniqueness the primary key implies)', async () => {
    const options = { ...EVENT_TIME, name: 'air_quality', columnNames: 'snake_case' as const };
    const { results } = await run('column-completeness', options, [{ unique_id: 1, event_time: AT }, { unique_id: null, event_time: AT }, { unique_id: 1, event_time: AT }]);
    expect(results.map((r) => [r.rule, r.measured, r.status])).toEqual([
      ['unique_id_duplicate_values', 1, 'fail'],
      ['unique_id_null_values', 1, 'fail'],
    ]);
  });

  it('column-validity: invalidValues in percent of the rows', async () => {
    const options = { ...EVENT_TIME, name: 'air_quality', columnDescriptions: { air_quality_status: 'Air quality status.' } };
    const rows = Array.from({ length: 20 }, (_, i) => ({ air_quality_status: i === 0 ? 'smoggy' : i % 2 === 0 ? 'n/a' : '', event_time: AT }));
    const { results } = await run('column-validity', options, rows);
    expect(results.find((r) => r.rule === 'air_quality_status_invalid_values')).toMatchObject({ measured: 5, threshold: '≤ 5 %', status: 'pass' });
  });

  it('column-custom: the soda checks are kept and listed, but not run by the mesh', async () => {
    const options = { ...EVENT_TIME, name: 'air_quality', columnNames: 'snake_case' as const };
    const contract = Contract.fromOdcs(fs.readFileSync(path.join(EXAMPLES, 'quality--column-custom.odcs.yaml'), 'utf8'), options);
    expect(qualityRules(contract.spec).filter((r) => r.type === 'custom').map((r) => r.engine)).toEqual(['soda', 'soda']);
    const { results } = await run('column-custom', options, [{ unique_id: 1, event_time: AT }]);
    expect(results.filter((r) => r.status === 'skipped').map((r) => r.rule)).toEqual(['unique_id_custom', 'unique_id_custom_2']);
  });
});
