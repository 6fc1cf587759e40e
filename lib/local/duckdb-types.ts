import type { ColumnType, ContractSpec } from '../../constructs/contract/types';

/**
 * The DuckDB type that holds a contract type exactly as the Glue table declares it, so that the local Parquet files
 * carry the same physical types as the ones Firehose writes from the Glue schema:
 *
 * | Glue / Hive            | DuckDB                  |
 * |------------------------|-------------------------|
 * | string                 | VARCHAR                 |
 * | boolean                | BOOLEAN                 |
 * | int                    | INTEGER                 |
 * | bigint                 | BIGINT                  |
 * | float                  | FLOAT                   |
 * | double                 | DOUBLE                  |
 * | decimal(p,s)           | DECIMAL(p,s)            |
 * | date                   | DATE                    |
 * | timestamp              | TIMESTAMP               |
 * | array<t>               | t[] (LIST)              |
 * | struct<a:t,…>          | STRUCT("a" t, …)        |
 * | map<string,t>          | MAP(VARCHAR, t)         |
 */
export function duckdbType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'int':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'array':
      return `${duckdbType(type.items)}[]`;
    case 'map':
      return `MAP(${duckdbType(type.keys)}, ${duckdbType(type.values)})`;
    case 'struct':
      return `STRUCT(${Object.entries(type.fields)
        .map(([name, field]) => `${quoteIdentifier(name)} ${duckdbType(field.type)}`)
        .join(', ')})`;
  }
}

/** The table's data columns and their DuckDB types, in contract order. */
export function duckdbColumns(contract: ContractSpec): Array<{ readonly name: string; readonly type: string }> {
  return Object.entries(contract.columns).map(([name, column]) => ({ name, type: duckdbType(column.type) }));
}

/** `"name"`, with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'text'`, with embedded quotes doubled. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The `columns={…}` argument of DuckDB's `read_json` that reads JSON lines into the contract's types. */
export function readJsonColumnsArgument(contract: ContractSpec): string {
  return `{${duckdbColumns(contract)
    .map(({ name, type }) => `${quoteLiteral(name)}: ${quoteLiteral(type)}`)
    .join(', ')}}`;
}
