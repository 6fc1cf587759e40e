/**
 * `npm start` on the reference mesh: generated records (default count, seed and clock) through kinesalite, the real
 * processors and DuckDB; then every example query of every product answers with rows, as a newcomer expects.
 */
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

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-reference-'));
const lakeDir = path.join(root, 'lake');
let manifest: MeshManifest;
let report: DevReport;

beforeAll(async () => {
  manifest = readManifest(synthReferenceMesh(root));
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
