/**
 * `mesh query "<SQL>"`: SQL over the local lake (DuckDB), with the Athena names of the tables.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { parseCount } from '../local/cli-options';
import { DEFAULT_LAKE_DIR, LocalLake } from '../local/lake';
import { LakeDatabase, formatTable } from '../local/lake-database';
import { readManifest } from '../manifest/read-manifest';

export interface QueryCommandOptions {
  readonly assembly: string;
  readonly lake: string;
  readonly maxRows: number;
  readonly json?: boolean;
}

export function register(program: Command): void {
  program
    .command('query')
    .argument('<sql>', 'Athena SQL, with Athena table names (e.g. "SELECT count(*) FROM orders.order_placed_v1")')
    .description('Run SQL against the local lake that `mesh dev` wrote (DuckDB, one view per product table).')
    .option('--lake <dir>', 'local lake folder', DEFAULT_LAKE_DIR)
    .option('--max-rows <n>', 'rows to print at most', parseCount, 100)
    .option('--json', 'print the rows as JSON (one object per row) instead of a table')
    .action(async function (this: Command, sql: string) {
      const options = this.optsWithGlobals<QueryCommandOptions>();
      console.log(await runQuery(readManifest(options.assembly), sql, options));
    });
}

/**
 * Runs one Athena SQL statement over the local lake (translated into DuckDB SQL with Athena's meaning, see
 * docs/athena-sql.md) and returns the printed result; warnings about edge cases go to stderr.
 */
export async function runQuery(
  manifest: MeshManifest,
  sql: string,
  options: Omit<QueryCommandOptions, 'assembly'>,
): Promise<string> {
  const lake = new LocalLake(options.lake);
  if (!fs.existsSync(lake.root)) {
    throw new Error(`No local lake at "${lake.root}": run \`mesh dev\` (or \`npm start\`) first, or pass --lake <dir>.`);
  }
  const database = await LakeDatabase.open(lake, manifest.products);
  try {
    const result = await database.athenaQuery(sql);
    for (const warning of result.warnings) console.warn(`warning: ${warning.construct}: ${warning.message}`);
    if (options.json) {
      return result.rows
        .map((row) => JSON.stringify(Object.fromEntries(result.columns.map((column, i) => [column, row[i]]))))
        .join('\n');
    }
    return formatTable(result, options.maxRows);
  } finally {
    database.close();
  }
}
