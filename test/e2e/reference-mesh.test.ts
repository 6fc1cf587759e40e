/**
 * `npm start` on the reference mesh: generated records (default count, seed and clock) through kinesalite, the real
 * processors and DuckDB; then every example query of every product answers with rows, as a newcomer expects, and
 * `mesh query --as` answers each consumer as its Lake Formation grants would.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { LocalLake } from '../../lib/local/lake';
import { LakeDatabase } from '../../lib/local/lake-database';
import { runDev, type DevReport } from '../../lib/local/run-dev';
import { readManifest } from '../../lib/manifest/read-manifest';
import { synthReferenceMesh } from './reference-mesh';

const ROOT = path.resolve(__dirname, '..', '..');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-reference-'));
const lakeDir = path.join(root, 'lake');
let assemblyDir: string;
let manifest: MeshManifest;
let report: DevReport;

beforeAll(async () => {
  assemblyDir = synthReferenceMesh(root);
  manifest = readManifest(assemblyDir);
  // The defaults of `npm start`: DEFAULT_RECORDS per product, event times ending now.
  report = await runDev(manifest.products, { lakeDir, buildDir: path.join(root, 'build') });
}, 240_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('npm start on the reference mesh', () => {
  it('runs every product of the reference mesh', () => {
    const ran = [...report.deliveries.map((d) => d.product.id), ...report.sqlRuns.map((run) => run.product.id)].sort();
    expect(ran).toEqual(manifest.products.map((product) => product.id).sort());
    expect(report.skipped).toEqual([]);
  });

  it('answers every example query with at least one row', async () => {
    const queries = manifest.products.flatMap((product) => product.contract.exampleQueries.map((query) => ({ product: product.id, ...query })));
    expect(queries.length).toBeGreaterThanOrEqual(7);
    const database = await LakeDatabase.open(new LocalLake(lakeDir), manifest.products);
    try {
      const empty: string[] = [];
      for (const query of queries) {
        const result = await database.athenaQuery(query.sql);
        if (result.rows.length === 0) empty.push(`${query.product}: ${query.name}`);
      }
      expect(empty).toEqual([]);
    } finally {
      database.close();
    }
  });
});

describe('mesh query --as on the reference mesh (grants from the synthesized assembly)', () => {
  const mesh = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/mesh.ts'), '--assembly', assemblyDir, ...args], { encoding: 'utf8', cwd: ROOT });
  const emails = 'SELECT email FROM accounts.customer_registered_v1';

  it('refuses management the e-mail column, naming the column and the grant', () => {
    const run = mesh('query', '--lake', lakeDir, '--as', 'management', emails);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('management may not read column "email" of accounts.customer_registered_v1');
    expect(run.stderr).toContain('consumers/Management/Role');
    expect(run.stderr).toContain("grantRead(consumer, { pii: { columns: ['email'], reason:");
  });

  it('answers marketing, whose grant names a reason, with the e-mail addresses', () => {
    const run = mesh('query', '--lake', lakeDir, '--as', 'marketing', '--json', emails);
    expect(run.status).toBe(0);
    const rows = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { email: string });
    expect(rows.length).toBeGreaterThan(100);
    expect(rows[0].email).toMatch(/@example\.com$/);
  });

  it('answers management a count, and SELECT * with the granted columns only', () => {
    const count = mesh('query', '--lake', lakeDir, '--as', 'management', '--json', 'SELECT count(*) AS customers FROM accounts.customer_registered_v1');
    expect(count.status).toBe(0);
    expect(Number(JSON.parse(count.stdout).customers)).toBeGreaterThan(100);
    const star = mesh('query', '--lake', lakeDir, '--as', 'management', '--json', 'SELECT * FROM accounts.customer_registered_v1 LIMIT 1');
    expect(Object.keys(JSON.parse(star.stdout)).sort()).toEqual(['country', 'customer_id', 'dt', 'registered_at']);
  });

  it('answers a pipeline by its product id with what its grants name', () => {
    const run = mesh('query', '--lake', lakeDir, '--as', 'marketing.customer_orders.v1', 'SELECT count(*) FROM storefront.page_viewed_v1');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('marketing.customer_orders.v1 may not read storefront.page_viewed_v1');
  });
});
