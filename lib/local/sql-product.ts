import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProductEntry, SqlSource } from '../../constructs/manifest/manifest';
import { PARTITION_VALUE, bindPartition } from '../../constructs/derived/sql';
import { duckdbColumns, quoteIdentifier, quoteLiteral } from './duckdb-types';
import type { LocalLake } from './lake';
import { translate } from '../athena/translate';
import type { LakeDatabase } from './lake-database';

/** What building a SQL derived product did. */
export interface SqlRun {
  readonly product: ProductEntry;
  readonly from: readonly string[];
  /** `dt` partitions built (those its sources hold). */
  readonly partitions: readonly string[];
  /** Rows the SELECT produced and that were written. */
  readonly rows: number;
  readonly objects: readonly string[];
}

/**
 * Builds a SQL derived product in the local lake as its scheduled Athena `INSERT INTO` would, for every `dt` its
 * sources hold: the team's SELECT with `:dt` bound, its columns cast to the contract's types, one Parquet object per
 * partition. Then redefines the product's view. Fails, naming them, when the SELECT lacks contract columns.
 */
export async function runSqlProduct(
  database: LakeDatabase,
  lake: LocalLake,
  product: ProductEntry,
  sources: readonly ProductEntry[],
): Promise<SqlRun> {
  const source = product.source as SqlSource;
  for (const input of sources) await database.defineTable(input);
  const partitions = [...new Set(sources.flatMap((input) => partitionsIn(lake.dataDir(input))))].sort();
  const columns = duckdbColumns(product.contract);
  const objects: string[] = [];
  let rows = 0;
  for (const dt of partitions) {
    // The team's SELECT is Athena SQL: run it with Athena's meaning, as the scheduled INSERT INTO will.
    const select = translate(bindPartition(source.sql, dt), database.catalog).sql;
    if (dt === partitions[0]) await checkColumns(database, product, select);
    const dir = path.join(lake.dataDir(product), `dt=${dt}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, lake.objectName(product, new Date(), '.parquet'));
    const cast = columns.map(({ name, type }) => `CAST(${quoteIdentifier(name)} AS ${type}) AS ${quoteIdentifier(name)}`).join(', ');
    const copy = await database.query(
      `COPY (SELECT ${cast} FROM (${select}) AS "derived") TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION snappy)`,
    );
    const written = Number(copy.rows[0]?.[0] ?? 0);
    if (written === 0) {
      // Athena's INSERT INTO writes no object for an empty result.
      fs.rmSync(file, { force: true });
      if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
      continue;
    }
    rows += written;
    objects.push(file);
  }
  await database.defineTable(product);
  return { product, from: source.from, partitions: objects.map((file) => path.basename(path.dirname(file)).slice('dt='.length)), rows, objects };
}

async function checkColumns(database: LakeDatabase, product: ProductEntry, select: string): Promise<void> {
  const described = await database.query(`DESCRIBE ${select}`);
  const produced = new Set(described.rows.map((row) => String(row[0])));
  const missing = Object.keys(product.contract.columns).filter((name) => !produced.has(name));
  if (missing.length > 0) {
    throw new Error(
      `The SQL of ${product.id} (${product.path}) returns no column ${missing.map((name) => `"${name}"`).join(', ')} of its contract: ` +
        `name the SELECT's output columns like the contract's (e.g. "… AS ${missing[0]}"). It returns: ${[...produced].join(', ')}.`,
    );
  }
}

/** The `dt` values of the partition folders under a table's data folder. */
function partitionsIn(dataDir: string): string[] {
  if (!fs.existsSync(dataDir)) return [];
  return fs
    .readdirSync(dataDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('dt='))
    .map((entry) => entry.name.slice('dt='.length))
    .filter((dt) => PARTITION_VALUE.test(dt));
}
