/**
 * The local mode end to end: a small mesh synthesised from the real constructs (two source products, one with a
 * transform, one fed from a fixture file; a streaming and a SQL derived product) through kinesalite, the real bundled
 * processors and DuckDB, checked on the lake it writes.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlueColumns } from '../../constructs/contract';
import { generatedRecords } from '../../lib/local/record-source';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { runPublish } from '../../lib/cli/publish';
import { runQuery } from '../../lib/cli/query';
import { LocalLake } from '../../lib/local/lake';
import { LakeDatabase } from '../../lib/local/lake-database';
import { runDev, type DevReport } from '../../lib/local/run-dev';
import { readManifest } from '../../lib/manifest/read-manifest';
import { customerRegistered, orderPlaced, productEntry } from '../lib/local/fake-assembly';
import { synthSmallMesh } from './small-mesh';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-e2e-'));
const dirs = {
  assembly: '',
  lake: path.join(root, 'lake'),
  build: path.join(root, 'build'),
  fixtures: path.join(root, 'fixtures'),
};

/** Hive type of a DuckDB column type (the inverse of the local mode's mapping, written independently). */
function hiveType(duckdb: string): string {
  const scalars: Record<string, string> = {
    VARCHAR: 'string', BOOLEAN: 'boolean', INTEGER: 'int', BIGINT: 'bigint', FLOAT: 'float', DOUBLE: 'double',
    DATE: 'date', TIMESTAMP: 'timestamp',
  };
  if (duckdb in scalars) return scalars[duckdb];
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckdb);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  if (duckdb.endsWith('[]')) return `array<${hiveType(duckdb.slice(0, -2))}>`;
  const inner = (prefix: string) => duckdb.slice(prefix.length, -1);
  if (duckdb.startsWith('MAP(')) return `map<${splitTopLevel(inner('MAP(')).map(hiveType).join(',')}>`;
  if (duckdb.startsWith('STRUCT(')) {
    const fields = splitTopLevel(inner('STRUCT(')).map((field) => {
      const space = field.indexOf(' ');
      return `${field.slice(0, space).replace(/"/g, '')}:${hiveType(field.slice(space + 1))}`;
    });
    return `struct<${fields.join(',')}>`;
  }
  throw new Error(`Unexpected DuckDB type ${duckdb}`);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')') depth--;
    if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

const accountLines = [
  JSON.stringify({ customer_id: 'c-1', email: 'ada@example.com', country: 'DE', registered_on: '2026-11-20' }),
  JSON.stringify({ customer_id: 'c-2', email: 'bob@example.com', country: 'FR', registered_on: '2026/11/21' }),
  '{"customer_id": "c-3", "email":',
];

const now = new Date('2026-11-21T12:00:00Z');
let manifest: MeshManifest;
let report: DevReport;

beforeAll(async () => {
  fs.mkdirSync(dirs.fixtures, { recursive: true });
  fs.writeFileSync(path.join(dirs.fixtures, 'accounts.customer_registered.jsonl'), `${accountLines.join('\n')}\n`);
  dirs.assembly = synthSmallMesh(root);
  manifest = readManifest(dirs.assembly);
  report = await runDev(manifest.products, {
    records: 150,
    invalidShare: 0.1,
    seed: 7,
    lakeDir: dirs.lake,
    buildDir: dirs.build,
    fixturesDir: dirs.fixtures,
    now,
  });
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const delivery = (id: string) => report.deliveries.find((d) => d.product.id === id)!;

describe('mesh dev on a small mesh', () => {
  it('reconciles every product: in = ok + dropped + failed, and everything sent came in', () => {
    for (const d of report.deliveries) {
      expect(d.in).toBe(d.sent);
      expect(d.notPublished).toEqual([]);
      expect(d.ok + d.dropped + d.failed).toBe(d.in);
    }
    const orders = delivery('orders.order_placed.v1');
    expect(orders.in).toBe(150);
    expect(orders.failedBy.processing).toBe(15);
    expect(orders.dropped).toBeGreaterThan(0);
    expect(delivery('accounts.customer_registered.v1')).toMatchObject({ in: 3, ok: 1, dropped: 0, failed: 2 });
  });

  it('writes Parquet whose columns carry the contract\'s Glue types, with dt as a string partition', async () => {
    const database = await LakeDatabase.open(new LocalLake(dirs.lake), manifest.products);
    try {
      for (const [table, contract] of [['orders.order_placed_v1', orderPlaced], ['accounts.customer_registered_v1', customerRegistered]] as const) {
        const described = await database.query(`DESCRIBE ${table}`);
        const columns = described.rows.map((row) => ({ name: row[0], type: hiveType(row[1] as string) }));
        expect(columns).toEqual([...toGlueColumns(contract.spec).map(({ name, type }) => ({ name, type })), { name: 'dt', type: 'string' }]);
      }
      // The physical Parquet types, as Athena reads them.
      const file = delivery('orders.order_placed.v1').objects.find((object) => object.endsWith('.parquet'))!;
      const schema = await database.query(
        `SELECT name, type, converted_type, precision, scale FROM parquet_schema('${file}') WHERE name IN ('total', 'placed_at', 'delivery_date', 'quantity', 'points')`,
      );
      expect(Object.fromEntries(schema.rows.map(([name, ...rest]) => [name, rest]))).toEqual({
        quantity: ['INT32', 'INT_32', null, null],
        points: ['INT64', 'INT_64', null, null],
        total: ['INT64', 'DECIMAL', '12', '2'],
        delivery_date: ['INT32', 'DATE', null, null],
        placed_at: ['INT64', 'TIMESTAMP_MICROS', null, null],
      });
    } finally {
      database.close();
    }
  });

  it('lays the lake out like the bucket: <bucket>/<table>/dt=YYYY-MM-DD/<stream>-1-<time>-<uuid>.parquet', () => {
    const accounts = delivery('accounts.customer_registered.v1');
    const parquet = accounts.objects.filter((object) => object.endsWith('.parquet'));
    expect(parquet).toHaveLength(1);
    expect(path.relative(dirs.lake, parquet[0])).toMatch(
      /^test-accounts-data-000000000000-us-east-1\/customer_registered_v1\/dt=2026-11-20\/test-accounts-customer_registered-v1-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.parquet$/,
    );
    expect(accounts.partitions).toEqual(['2026-11-20']);
  });

  it('writes each rejected record as a processing-failed document with its reason and raw data', () => {
    const errors = delivery('accounts.customer_registered.v1').objects.filter((object) => !object.endsWith('.parquet'));
    expect(errors).toHaveLength(1);
    expect(path.relative(dirs.lake, errors[0])).toMatch(
      /^test-accounts-data-000000000000-us-east-1\/errors\/customer_registered_v1\/processing-failed\/\d{4}-\d{2}-\d{2}\/test-accounts-customer_registered-v1-1-/,
    );
    const documents = fs.readFileSync(errors[0], 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(documents.map((d) => Buffer.from(d.rawData, 'base64').toString())).toEqual(accountLines.slice(1));
    expect(documents[0]).toMatchObject({
      attemptsMade: 1,
      errorCode: 'Lambda.ProcessingFailedStatus',
      errorMessage: expect.stringContaining('"registered_on": must be a valid date'),
      lambdaArn: expect.stringMatching(/^arn:aws:lambda:us-east-1:000000000000:function:/),
    });
    expect(documents[1].errorMessage).toMatch(/^record is not valid JSON/);
    for (const document of documents) {
      expect(Object.keys(document).sort()).toEqual(
        ['attemptEndingTimestamp', 'attemptsMade', 'arrivalTimestamp', 'errorCode', 'errorMessage', 'lambdaArn', 'rawData'].sort(),
      );
    }
  });

  it('runs the product transform: dropped records are not in the table', async () => {
    const gifts = await runQuery(manifest, 'SELECT count(*) AS n FROM orders.order_placed_v1 WHERE gift', { lake: dirs.lake, maxRows: 10, json: true });
    expect(JSON.parse(gifts)).toEqual({ n: '0' }); // BIGINT, as JSON text (lossless)
  });

  it('mesh query returns the Ok count mesh dev reported', async () => {
    for (const d of report.deliveries) {
      const out = await runQuery(manifest, `SELECT count(*) AS n FROM ${d.product.physical.databaseName}.${d.product.physical.tableName}`, {
        lake: dirs.lake,
        maxRows: 10,
        json: true,
      });
      expect(JSON.parse(out)).toEqual({ n: String(d.ok) });
    }
  });

  it('mesh publish (local) appends a file\'s records to the lake', async () => {
    const file = path.join(root, 'more.jsonl');
    fs.writeFileSync(file, `${JSON.stringify({ customer_id: 'c-9', email: 'eve@example.com', registered_on: '2026-11-21' })}\n`);
    const result = await runPublish(manifest, 'accounts.customer_registered', { file, lake: dirs.lake, buildDir: dirs.build });
    expect(result.exitCode).toBe(0);
    expect(result.lines[1]).toBe('in 1, ok 1, dropped 0, failed 0 (appended to the lake)');
    const out = await runQuery(manifest, "SELECT count(*) AS n, count(*) FILTER (WHERE dt = '2026-11-21') AS today FROM accounts.customer_registered_v1", {
      lake: dirs.lake,
      maxRows: 10,
      json: true,
    });
    expect(JSON.parse(out)).toEqual({ n: '2', today: '1' });
  });
});

describe('derived products in mesh dev', () => {
  it('runs a streaming derived product through the stream-transform runtime and its own processor', () => {
    const published = generatedRecords(delivery('orders.order_placed.v1').product, { count: 150, invalidShare: 0.1, seed: 7, now }).records.map(
      (record) => JSON.parse(record.data as string) as { total?: unknown },
    );
    const throws = published.filter((o) => o.total !== undefined && o.total !== null && typeof o.total !== 'string' && typeof o.total !== 'number');
    const kept = published.filter((o) => typeof o.total === 'string' || typeof o.total === 'number');
    const [pipeline] = report.pipelines;
    expect(pipeline).toMatchObject({ from: ['orders.order_placed.v1'], read: 150, skipped: 0 });
    expect(throws.length).toBeGreaterThan(0);
    // A record whose transform throws is rejected to the error location with its payload; nothing is dead-lettered.
    expect(pipeline.rejected).toBe(throws.length);
    expect(pipeline.deadLettered).toBe(0);
    expect(pipeline.transformed).toBe(150 - throws.length);
    expect(pipeline.filtered).toBe(150 - throws.length - kept.length);
    expect(pipeline.published).toBe(kept.length);
    expect(pipeline.sampleReasons[0]).toMatch(/^rejected \(Error\): total is not a number: /);
    const totals = delivery('orders.order_totals.v1');
    expect(totals.in).toBe(kept.length);
    expect(totals.ok + totals.failed).toBe(kept.length);
  });

  it('builds a SQL derived product per dt over the lake, after the products it reads', async () => {
    const [sql] = report.sqlRuns;
    expect(sql.partitions).toEqual(['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21']);
    const built = await runQuery(manifest, 'SELECT CAST(day AS VARCHAR) AS day, orders, totals, dt FROM orders.daily_orders_v1 ORDER BY day', {
      lake: dirs.lake,
      maxRows: 10,
      json: true,
    });
    const expected = await runQuery(
      manifest,
      "SELECT o.dt AS day, o.n AS orders, coalesce(t.n, 0) AS totals, o.dt AS dt FROM (SELECT dt, count(*) AS n FROM orders.order_placed_v1 GROUP BY dt) o LEFT JOIN (SELECT dt, count(*) AS n FROM orders.order_totals_v1 GROUP BY dt) t USING (dt) ORDER BY day",
      { lake: dirs.lake, maxRows: 10, json: true },
    );
    expect(built).toBe(expected);
    expect(sql.rows).toBe(4);
  });
});

describe('edge cases through the whole pipeline', () => {
  it('converts every valid edge-case record (unicode, extreme numbers, offsets) to Parquet', async () => {
    // The contract without the product's transform: every valid record must come out Ok.
    const edge = await runDev([productEntry(orderPlaced)], {
      records: 300,
      invalidShare: 0,
      seed: 11,
      edgeCases: true,
      lakeDir: path.join(root, 'edge-lake'),
      buildDir: dirs.build,
      now,
    });
    const [orders] = edge.deliveries;
    expect(orders.origin).toBe('edge cases: 300 (0 invalid), seed 11');
    expect(orders.failedBy).toEqual({ processing: 0, invocation: 0, conversion: 0 });
    expect(orders.ok).toBe(300);
  });
});

describe('the mesh CLI', () => {
  it('`mesh dev` prints reconciling counts and query results, and `mesh query` prints the same Ok count', async () => {
    const run = promisify(execFile);
    const mesh = path.resolve(__dirname, '../../bin/mesh.js');
    const lake = path.join(root, 'cli-lake');
    const common = ['-a', dirs.assembly];
    const dev = await run(process.execPath, [mesh, ...common, 'dev', '--records', '40', '--lake', lake, '--build-dir', dirs.build]);
    const row = dev.stdout.split('\n').find((line) => line.startsWith('| orders.order_placed_v1'))!;
    const [, inCount, ok, dropped, failed] = row.split('|').map((cell) => cell.trim()).slice(1);
    expect(Number(inCount)).toBe(40);
    expect(Number(ok) + Number(dropped) + Number(failed)).toBe(40);
    expect(dev.stdout).toContain('== orders.order_placed.v1: orders per day');
    const query = await run(process.execPath, [mesh, ...common, 'query', '--lake', lake, 'SELECT count(*) AS n FROM orders.order_placed_v1']);
    expect(query.stdout.split('\n')[2]).toBe(`| ${ok.padEnd(Math.max(1, ok.length))} |`);
  });
});
