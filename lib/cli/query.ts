/**
 * `mesh query "<SQL>"`: SQL over the local lake (DuckDB), with the Athena names of the tables.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { accessReport } from '../access/access';
import { parseCount } from '../local/cli-options';
import { checkQueryAccess, queryAccess } from '../local/query-access';
import { DEFAULT_LAKE_DIR, LocalLake } from '../local/lake';
import { LakeDatabase, formatTable } from '../local/lake-database';
import { readManifest } from '../manifest/read-manifest';

export interface QueryCommandOptions {
  readonly assembly: string;
  readonly lake: string;
  readonly maxRows: number;
  readonly json?: boolean;
  /** Answer as this consumer or pipeline would be answered on AWS (its Lake Formation grants). */
  readonly as?: string;
}

export function register(program: Command): void {
  program
    .command('query')
    .argument('<sql>', 'Athena SQL, with Athena table names (e.g. "SELECT count(*) FROM orders.order_placed_v1")')
    .description('Run SQL against the local lake that `mesh dev` wrote (DuckDB, one view per product table).')
    .option('--lake <dir>', 'local lake folder', DEFAULT_LAKE_DIR)
    .option('--max-rows <n>', 'rows to print at most', parseCount, 100)
    .option('--json', 'print the rows as JSON (one object per row) instead of a table')
    .option(
      '--as <principal>',
      'answer as a consumer (e.g. management), a pipeline (its product id, e.g. marketing.customer_orders.v1) or a role\'s construct path would be on AWS: only the tables and columns its Lake Formation grants name',
    )
    .action(async function (this: Command, sql: string) {
      const options = this.optsWithGlobals<QueryCommandOptions>();
      console.log(await runQuery(readManifest(options.assembly), sql, { ...options, grantsFrom: options.assembly }));
    });
}

/**
 * Runs one Athena SQL statement over the local lake (translated into DuckDB SQL with Athena's meaning, see
 * docs/athena-sql.md) and returns the printed result; warnings about edge cases go to stderr.
 */
export async function runQuery(
  manifest: MeshManifest,
  sql: string,
  options: Omit<QueryCommandOptions, 'assembly'> & {
    /** The cloud assembly whose grants `as` reads. @default 'cdk.out' */
    readonly grantsFrom?: string;
  },
): Promise<string> {
  const lake = new LocalLake(options.lake);
  if (!fs.existsSync(lake.root)) {
    throw new Error(`No local lake at "${lake.root}": run \`mesh dev\` (or \`npm start\`) first, or pass --lake <dir>.`);
  }
  const access = options.as === undefined ? undefined : queryAccess(accessReport(options.grantsFrom ?? 'cdk.out'), options.as);
  if (access !== undefined) checkQueryAccess(sql, manifest.products, access);
  const database = await LakeDatabase.open(lake, manifest.products, access?.columns);
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
