/**
 * JSON field names end to end in the local mode: a product whose contract reads `orderId` / `placedAt` takes
 * the camelCase events a service emits, through kinesalite, the real bundled processor and DuckDB, into the
 * Parquet columns `order_id` / `placed_at`; a record with the snake_case keys is refused, naming the key.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col, Contract } from '../../constructs/contract';
import { DataDomain } from '../../constructs/domain';
import { DataProduct } from '../../constructs/product';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { runQuery } from '../../lib/cli/query';
import { LocalLake } from '../../lib/local/lake';
import { LakeDatabase } from '../../lib/local/lake-database';
import { runDev, type DevReport } from '../../lib/local/run-dev';
import { readManifest } from '../../lib/manifest/read-manifest';

const orderPlaced = Contract.of({
  name: 'order_placed',
  domain: 'orders',
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed, as the order service emits it.',
  fields: 'camelCase',
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order id.' }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed.' }),
    total: col.decimal(12, 2, { required: true, description: 'Order total.' }),
  },
  partitionBy: { column: 'placed_at' },
});

const lines = [
  { orderId: 'o-1', placedAt: '2026-11-21T10:00:00Z', total: '19.90' },
  { orderId: 'o-2', placedAt: '2026-11-21T11:30:00+01:00', total: 5 },
  { order_id: 'o-3', placed_at: '2026-11-21T12:00:00Z', total: '1.00' },
].map((record) => JSON.stringify(record));

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-e2e-keys-'));
const lake = path.join(root, 'lake');
let manifest: MeshManifest;
let report: DevReport;

beforeAll(async () => {
  const fixtures = path.join(root, 'fixtures');
  fs.mkdirSync(fixtures, { recursive: true });
  fs.writeFileSync(path.join(fixtures, 'orders.order_placed.jsonl'), `${lines.join('\n')}\n`);
  const app = new App({ outdir: path.join(root, 'cdk.out'), context: { 'cdk-data-mesh:meshName': 'test', 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'orders');
  new DataProduct(stack, 'OrderPlaced', { domain: new DataDomain(stack, 'Domain', { domainName: 'orders' }), contract: orderPlaced });
  app.synth();
  manifest = readManifest(path.join(root, 'cdk.out'));
  report = await runDev(manifest.products, {
    records: 10,
    invalidShare: 0,
    seed: 1,
    lakeDir: lake,
    buildDir: path.join(root, 'build'),
    fixturesDir: fixtures,
    now: new Date('2026-11-21T12:00:00Z'),
  });
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('camelCase records in the local mode', () => {
  it('land in the snake_case Parquet columns', async () => {
    expect(report.deliveries[0]).toMatchObject({ in: 3, ok: 2, failed: 1 });
    const database = await LakeDatabase.open(new LocalLake(lake), manifest.products);
    try {
      const described = await database.query('DESCRIBE orders.order_placed_v1');
      expect(described.rows.map((row) => row[0])).toEqual(['order_id', 'placed_at', 'total', 'dt']);
    } finally {
      database.close();
    }
    const out = await runQuery(manifest, 'SELECT order_id, CAST(total AS VARCHAR) AS total FROM orders.order_placed_v1 ORDER BY order_id', { lake, maxRows: 10, json: true });
    expect(out.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { order_id: 'o-1', total: '19.90' },
      { order_id: 'o-2', total: '5.00' },
    ]);
  });

  it('refuse a record with the column names, naming the expected key', () => {
    const errors = report.deliveries[0].objects.filter((object) => !object.endsWith('.parquet'));
    const [document] = fs.readFileSync(errors[0], 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(document.errorMessage).toContain(
      '"orderId": required field missing (the record has "order_id": the contract reads column order_id from the key "orderId")',
    );
  });
});
