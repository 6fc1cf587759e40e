/** What the translator knows of the tables a query may read: their columns' DuckDB types and partition keys. */
export interface AthenaCatalog {
  readonly tables: readonly CatalogTable[];
}

export interface CatalogTable {
  readonly database: string;
  readonly table: string;
  /** Data columns, then partition columns, each with its DuckDB type. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly partitionKeys: readonly string[];
  /** A relation with the table's columns plus `"$path"` (the object each row was read from), if the lake defines one. */
  readonly withPath?: string;
}

export const EMPTY_CATALOG: AthenaCatalog = { tables: [] };

export function findTable(catalog: AthenaCatalog, database: string | undefined, table: string): CatalogTable | undefined {
  const lower = (name: string) => name.toLowerCase();
  return catalog.tables.find((t) => lower(t.table) === lower(table) && (database === undefined || lower(t.database) === lower(database)));
}

/** The DuckDB type of a column name any catalog table has (the first one), for type-dependent translations. */
export function columnType(catalog: AthenaCatalog, name: string): string | undefined {
  for (const table of catalog.tables) {
    const column = table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (column) return column.type;
  }
  return undefined;
}
