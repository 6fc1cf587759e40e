/**
 * `mesh run <product>`: builds a SQL derived product in the local lake on demand, as its scheduled Athena
 * `INSERT INTO` would, from what its sources hold now (e.g. while `mesh dev --watch` delivers them).
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { DEFAULT_LAKE_DIR, LocalLake } from '../local/lake';
import { LakeDatabase } from '../local/lake-database';
import { resolveProduct } from '../local/resolve-product';
import { runSqlProduct, type SqlRun } from '../local/sql-product';
import { readManifest } from '../manifest/read-manifest';

export interface RunCommandOptions {
  readonly assembly: string;
  readonly lake: string;
}

export function register(program: Command): void {
  program
    .command('run')
    .argument('<product>', 'a SQL derived product: id (marketing.daily_revenue.v1), Athena name or domain.product')
    .description(
      'Build a SQL derived product in the local lake now, from what its sources hold (every dt), replacing what an ' +
        'earlier build wrote. Works while `mesh dev --watch` runs, or on the lake a `mesh dev` left.',
    )
    .option('--lake <dir>', 'local lake folder', DEFAULT_LAKE_DIR)
    .action(async function (this: Command, name: string) {
      const options = this.optsWithGlobals<RunCommandOptions>();
      const run = await runProduct(readManifest(options.assembly), name, options);
      console.log(formatRun(run));
    });
}

/**
 * Rebuilds one SQL derived product over the local lake: its earlier objects are removed first, so running it twice
 * gives the same table (Athena's `INSERT INTO` would append; the local build is a rebuild of every `dt`).
 */
export async function runProduct(manifest: MeshManifest, name: string, options: { readonly lake: string }): Promise<SqlRun> {
  const product = resolveProduct(manifest, name);
  if (product.source?.kind !== 'sql') {
    const what = product.source === undefined ? 'a source product (its records come from producers)' : 'a streaming derived product (it follows its sources in `mesh dev --watch`)';
    throw new Error(`${product.id} is ${what}: \`mesh run\` builds SQL derived products only.`);
  }
  const lake = new LocalLake(options.lake);
  if (!fs.existsSync(lake.root)) {
    throw new Error(`No local lake at "${lake.root}": run \`mesh dev\` (or \`npm start\`) first, or pass --lake <dir>.`);
  }
  const byId = new Map(manifest.products.map((p) => [p.id, p]));
  const sources = product.source.from.map((id) => {
    const source = byId.get(id);
    if (source === undefined) throw new Error(`${product.id} reads ${id}, which is not in the mesh's manifest: run \`cdk synth\` again.`);
    return source;
  });
  fs.rmSync(lake.dataDir(product), { recursive: true, force: true });
  const database = await LakeDatabase.open(lake, sources);
  try {
    return await runSqlProduct(database, lake, product, sources);
  } finally {
    database.close();
  }
}

export function formatRun(run: SqlRun): string {
  const partitions = run.partitions.length === 0 ? 'no partition (its sources hold no rows)' : `dt ${run.partitions.join(', ')}`;
  return `${run.product.id}: ${run.rows} rows from ${run.from.join(', ')} into ${partitions} (${run.objects.length} Parquet objects).`;
}

