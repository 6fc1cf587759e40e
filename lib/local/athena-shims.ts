import type { DuckDBConnection } from '@duckdb/node-api';

/** A DuckDB macro that gives an Athena (Trino) function's name to its DuckDB equivalent. */
export interface AthenaShim {
  readonly name: string;
  /** Parameters and body of `CREATE MACRO name(params) AS body`. */
  readonly params: readonly string[];
  readonly body: string;
  /** An Athena call and what it returns, tested against DuckDB (see the test). */
  readonly example: { readonly sql: string; readonly result: string };
}

/** Athena's `date_format` specifiers (MySQL's) and DuckDB `strftime`'s; `%M` first: it means month name in MySQL. */
const MYSQL_TO_STRFTIME: ReadonlyArray<readonly [string, string]> = [
  ['%M', '%B'],
  ['%W', '%A'],
  ['%i', '%M'],
  ['%s', '%S'],
  ['%e', '%-d'],
  ['%c', '%-m'],
  ['%k', '%-H'],
  ['%h', '%I'],
  ['%l', '%-I'],
  ['%T', '%H:%M:%S'],
  ['%r', '%I:%M:%S %p'],
  ['%v', '%V'],
];

const translateFormat = (format: string) =>
  MYSQL_TO_STRFTIME.reduce((expression, [mysql, strftime]) => `replace(${expression}, '${mysql}', '${strftime}')`, format);

/**
 * Athena functions the local lake answers under their Athena names, so example queries written for Athena run in
 * `mesh dev` unchanged. Only names DuckDB lacks are defined (DuckDB's own functions are never shadowed); results
 * follow DuckDB's semantics, which the README's table of differences describes.
 */
export const ATHENA_SHIMS: readonly AthenaShim[] = [
  {
    name: 'approx_distinct',
    params: ['x'],
    body: 'approx_count_distinct(x)',
    example: { sql: 'SELECT approx_distinct(x) FROM (VALUES (1), (2), (2)) t(x)', result: '2' },
  },
  {
    name: 'approx_percentile',
    params: ['x', 'p'],
    body: 'approx_quantile(x, p)',
    example: { sql: 'SELECT approx_percentile(x, 0.5) FROM (VALUES (1), (2), (3)) t(x)', result: '2' },
  },
  {
    name: 'from_iso8601_timestamp',
    params: ['s'],
    body: 'CAST(s AS TIMESTAMPTZ)',
    example: { sql: "SELECT from_iso8601_timestamp('2026-11-21T10:15:00+02:00')", result: '2026-11-21 08:15:00+00' },
  },
  {
    name: 'from_iso8601_date',
    params: ['s'],
    body: 'CAST(s AS DATE)',
    example: { sql: "SELECT from_iso8601_date('2026-11-21')", result: '2026-11-21' },
  },
  {
    name: 'to_iso8601',
    params: ['t'],
    body: "strftime(CAST(t AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')",
    example: { sql: "SELECT to_iso8601(TIMESTAMP '2026-11-21 10:15:00')", result: '2026-11-21T10:15:00.000Z' },
  },
  {
    name: 'date_format',
    params: ['t', 'format'],
    body: `strftime(t, ${translateFormat('format')})`,
    example: { sql: "SELECT date_format(TIMESTAMP '2026-11-21 10:15:03', '%Y-%m-%d %H:%i:%s')", result: '2026-11-21 10:15:03' },
  },
  {
    name: 'to_unixtime',
    params: ['t'],
    body: 'epoch(t)',
    example: { sql: "SELECT to_unixtime(TIMESTAMP '1970-01-02 00:00:00')", result: '86400' },
  },
  {
    name: 'from_unixtime',
    params: ['n'],
    body: 'to_timestamp(n)',
    example: { sql: 'SELECT from_unixtime(86400)', result: '1970-01-02 00:00:00+00' },
  },
  {
    name: 'day_of_week',
    params: ['d'],
    body: 'isodow(d)',
    example: { sql: "SELECT day_of_week(DATE '2026-11-22')", result: '7' },
  },
  {
    name: 'day_of_year',
    params: ['d'],
    body: 'dayofyear(d)',
    example: { sql: "SELECT day_of_year(DATE '2026-02-01')", result: '32' },
  },
  {
    name: 'regexp_like',
    params: ['s', 'pattern'],
    body: 'regexp_matches(s, pattern)',
    example: { sql: "SELECT regexp_like('order-42', '\\d+')", result: 'true' },
  },
  {
    name: 'json_extract_scalar',
    params: ['json', 'path'],
    body: 'json_extract_string(json, path)',
    example: { sql: `SELECT json_extract_scalar('{"a": {"b": "x"}}', '$.a.b')`, result: 'x' },
  },
  {
    name: 'array_join',
    params: ['a', 'separator'],
    body: 'array_to_string(a, separator)',
    example: { sql: "SELECT array_join(['a', 'b'], ',')", result: 'a,b' },
  },
];

/**
 * Makes the connection answer like an Athena session where it cheaply can: UTC session time zone (Athena's), and
 * the {@link ATHENA_SHIMS} macros for names DuckDB does not define itself.
 */
export async function installAthenaShims(connection: DuckDBConnection): Promise<void> {
  await connection.run("SET TimeZone = 'UTC'");
  const existing = new Set(
    (await connection.runAndReadAll('SELECT DISTINCT function_name FROM duckdb_functions()')).getRows().map((row) => String(row[0])),
  );
  for (const shim of ATHENA_SHIMS) {
    if (existing.has(shim.name)) continue;
    await connection.run(`CREATE MACRO ${shim.name}(${shim.params.join(', ')}) AS ${shim.body}`);
  }
}
