import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'node:fs';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { PARTITION_KEY } from '../../constructs/contract/types';
import type { AthenaCatalog, CatalogTable } from '../athena/catalog';
import type { AthenaWarning } from '../athena/errors';
import { installAthenaSession } from '../athena/session';
import { translate } from '../athena/translate';
import { duckdbColumns, quoteIdentifier, quoteLiteral } from './duckdb-types';
import type { LocalLake } from './lake';

/** An in-memory DuckDB database whose schemas and views carry the Athena names of the lake's tables. */
export class LakeDatabase {
  /**
   * Opens DuckDB and defines, per product, `CREATE SCHEMA <database>` and `CREATE VIEW <database>.<table>` over the
   * product's Parquet objects with `dt` as a VARCHAR partition column, like the Glue table with partition projection.
   * A product without objects yet gets an empty view with the contract's columns. The session is prepared for
   * translated Athena SQL (UTC, integer division, the `athena_*` macros: see lib/athena/), and each table also gets a
   * `<table>$path` view with Athena's `"$path"` column.
   *
   * With `granted` (product id → columns, as `mesh query --as` computes them from Lake Formation grants), only the
   * granted products get views, and only with the granted columns: what the principal reads on AWS.
   */
  public static async open(lake: LocalLake, products: readonly ProductEntry[], granted?: ReadonlyMap<string, readonly string[]>): Promise<LakeDatabase> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await installAthenaSession(connection);
    const database = new LakeDatabase(instance, connection, lake, granted);
    for (const product of products) {
      if (granted === undefined || granted.has(product.id)) await database.defineTable(product);
    }
    return database;
  }

  private constructor(
    private readonly instance: DuckDBInstance,
    /** The connection the views live on. */
    public readonly connection: DuckDBConnection,
    private readonly lake: LocalLake,
    /** Product id → the columns its views show; @default - every column of every product */
    private readonly granted?: ReadonlyMap<string, readonly string[]>,
  ) {}

  private readonly tables = new Map<string, CatalogTable>();

  /** The lake's tables as the Athena translator sees them. */
  public get catalog(): AthenaCatalog {
    return { tables: [...this.tables.values()] };
  }

  /** (Re)defines the product's view over what is in the lake now, and its `"$path"` companion. */
  public async defineTable(product: ProductEntry): Promise<void> {
    const schema = quoteIdentifier(product.physical.databaseName);
    const view = `${schema}.${quoteIdentifier(product.physical.tableName)}`;
    const withPath = `${schema}.${quoteIdentifier(`${product.physical.tableName}$path`)}`;
    await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await this.connection.run(`CREATE OR REPLACE VIEW ${view} AS ${this.tableSql(product, false)}`);
    await this.connection.run(`CREATE OR REPLACE VIEW ${withPath} AS ${this.tableSql(product, true)}`);
    this.tables.set(view, {
      database: product.physical.databaseName,
      table: product.physical.tableName,
      columns: [...this.columnsOf(product), { name: PARTITION_KEY, type: 'VARCHAR' }],
      partitionKeys: [PARTITION_KEY],
      withPath,
    });
  }

  /**
   * Runs Athena SQL: translated into DuckDB SQL with Athena's meaning (lib/athena/translate.ts), or refused with an
   * `AthenaSqlError` naming what the local lake cannot answer as Athena would. Returns the translation's warnings too.
   */
  public async athenaQuery(sql: string): Promise<QueryResult & { readonly warnings: readonly AthenaWarning[] }> {
    const translation = translate(sql, this.catalog);
    return { ...(await this.query(translation.sql)), warnings: translation.warnings };
  }

  /** Runs DuckDB SQL as it is and returns column names, rows as JSON-safe values (DuckDB's JSON forms) and as SQL-style text. */
  public async query(sql: string): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql);
    return {
      columns: reader.columnNames(),
      rows: reader.getRowsJson() as unknown[][],
      text: reader.getRows().map((row) => row.map((value) => (value === null ? 'NULL' : String(value)))),
    };
  }

  public close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** The contract's columns the views show: all, or the granted ones. */
  private columnsOf(product: ProductEntry): ReturnType<typeof duckdbColumns> {
    const granted = this.granted?.get(product.id);
    const columns = duckdbColumns(product.contract);
    return granted === undefined ? columns : columns.filter(({ name }) => granted.includes(name));
  }

  private tableSql(product: ProductEntry, withPath: boolean): string {
    const columns = this.columnsOf(product);
    const dir = this.lake.dataDir(product);
    if (hasParquet(dir)) {
      const select = columns
        .map(({ name }) => quoteIdentifier(name))
        .concat(quoteIdentifier(PARTITION_KEY), withPath ? 'filename AS "$path"' : [])
        .join(', ');
      // union_by_name: objects written before an optional column was added lack it (NULL there, as in Athena).
      return (
        `SELECT ${select} FROM read_parquet(${quoteLiteral(this.lake.dataGlob(product))}, ` +
        `hive_partitioning = true, hive_types = {${quoteLiteral(PARTITION_KEY)}: 'VARCHAR'}, union_by_name = true${withPath ? ', filename = true' : ''})`
      );
    }
    const typed = columns
      .map(({ name, type }) => `CAST(NULL AS ${type}) AS ${quoteIdentifier(name)}`)
      .concat(`CAST(NULL AS VARCHAR) AS ${quoteIdentifier(PARTITION_KEY)}`, withPath ? 'CAST(NULL AS VARCHAR) AS "$path"' : [])
      .join(', ');
    return `SELECT ${typed} WHERE false`;
  }
}

export interface QueryResult {
  readonly columns: readonly string[];
  /** Values in DuckDB's JSON forms (BIGINT and DECIMAL as strings, MAP as key/value lists…). */
  readonly rows: readonly (readonly unknown[])[];
  /** Values as DuckDB prints them (`{'k': 'v'}`, `[1, 2]`, `NULL`); used by `formatTable` when present. */
  readonly text?: readonly (readonly string[])[];
}

function hasParquet(dir: string): boolean {
  if (!fs.existsSync(dir)) return false;
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .some((entry) => entry.isFile() && entry.name.endsWith('.parquet'));
}

/**
 * Renders rows as an aligned text table: the `text` form when given, else strings as they are and other values as
 * compact JSON (NULL as `NULL`).
 * At most `maxRows` rows are shown; a last line says how many were left out.
 */
export function formatTable(result: QueryResult, maxRows = 20): string {
  const cell = (value: unknown) => (value === null || value === undefined ? 'NULL' : typeof value === 'string' ? value : JSON.stringify(value));
  const shown = (result.text ?? result.rows.map((row) => row.map(cell))).slice(0, maxRows);
  const widths = result.columns.map((name, i) => Math.min(80, Math.max(name.length, ...shown.map((row) => row[i].length))));
  const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  const line = (cells: readonly string[]) => `| ${cells.map((text, i) => clip(text, widths[i])).join(' | ')} |`;
  const lines = [line(result.columns), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...shown.map(line)];
  const hidden = result.rows.length - shown.length;
  if (hidden > 0) lines.push(`(${hidden} more row${hidden === 1 ? '' : 's'})`);
  if (result.rows.length === 0) lines.push('(no rows)');
  return lines.join('\n');
}

