import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Macros behind the translations of {@link FUNCTIONS} that need an argument more than once. Named `athena_*` so
 * that no DuckDB function is shadowed: the translator decides where Athena's meaning applies.
 */
export const ATHENA_MACROS: Readonly<Record<string, string>> = {
  // Trino fails on an integer or decimal division by zero (a double gives Infinity or NaN); DuckDB returns NULL.
  athena_divisor: "(d) AS CASE WHEN d = 0 AND typeof(d) NOT IN ('DOUBLE', 'FLOAT') THEN error('Division by zero') ELSE d END",
  // Trino returns NULL when the pattern does not match; DuckDB an empty string.
  athena_regexp_extract: '(s, pattern, grp) AS CASE WHEN regexp_matches(s, pattern) THEN regexp_extract(s, pattern, grp) END',
  // Trino returns NULL for an object or an array; DuckDB their JSON text.
  athena_json_extract_scalar:
    "(j, path) AS CASE WHEN json_type(json_extract(j, path)) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, path) END",
  athena_url_extract_protocol: "(url) AS nullif(regexp_extract(url, '^([A-Za-z][A-Za-z0-9+.-]*):', 1), '')",
  athena_url_extract_host: "(url) AS nullif(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/]*@)?(\\[[^\\]]*\\]|[^:/?#]*)', 1), '')",
  athena_url_extract_port: "(url) AS TRY_CAST(nullif(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/]*@)?[^:/?#]*:(\\d+)', 1), '') AS BIGINT)",
  athena_url_extract_path: "(url) AS regexp_extract(url, '^(?:[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)?([^?#]*)', 1)",
  athena_url_extract_query: "(url) AS CASE WHEN contains(url, '?') THEN regexp_extract(url, '\\?([^#]*)', 1) END",
  athena_url_extract_fragment: "(url) AS CASE WHEN contains(url, '#') THEN regexp_extract(url, '#(.*)$', 1) END",
  athena_url_extract_parameter:
    "(url, name) AS CASE WHEN regexp_matches(url, '[?&]' || name || '(=|&|#|$)') THEN regexp_extract(url, '[?&]' || name || '=?([^&#]*)', 1) END",
  // Trino's slice: start < 0 counts from the end; length elements.
  athena_slice:
    '(a, start, length) AS CASE WHEN start > 0 THEN a[start:start + length - 1] WHEN start < 0 THEN a[len(a) + start + 1:len(a) + start + length] END',
  // Trino keeps the first occurrence's order; DuckDB's list_distinct does not.
  athena_array_distinct: '(a) AS list_filter(a, lambda x, i: list_position(a, x) = i OR (x IS NULL AND list_position(list_transform(a, lambda y: y IS NULL), true) = i))',
  athena_type_name: `(t) AS ${typeNameRewrites()}`,
};

/** DuckDB's type names as Athena's (`STRUCT("a" INTEGER)[]` → `array(row(a integer))`), as one SQL expression over `t`. */
function typeNameRewrites(): string {
  const rewrites: ReadonlyArray<readonly [string, string]> = [
    ['TIMESTAMP WITH TIME ZONE', 'TSTZ'],
    ['\\bTIMESTAMP\\b', 'timestamp(3)'],
    ['\\bTSTZ\\b', 'timestamp(3) with time zone'],
    ['\\bFLOAT\\b', 'real'],
    ['\\bBLOB\\b', 'varbinary'],
    ['\\bHUGEINT\\b', 'bigint'],
    ['\\bSTRUCT\\(', 'row('],
    ['"" ', ''],
    ['"([^"]*)" ', '\\1 '],
    ['(\\w+(?:\\([^()]*\\))?)\\[\\]', 'array(\\1)'],
    ['(\\w+(?:\\([^()]*\\))?)\\[\\]', 'array(\\1)'],
  ];
  return `lower(${rewrites.reduce((sql, [pattern, replacement]) => `regexp_replace(${sql}, '${pattern}', '${replacement}', 'g')`, 't')})`;
}

/** The session settings that give Athena's answers: UTC (Athena sessions run in UTC) and integer division of integers. */
export const ATHENA_SETTINGS: readonly string[] = ["SET TimeZone = 'UTC'", 'SET integer_division = true'];

/** Makes a DuckDB connection ready for translated Athena SQL: the settings, then the macros. */
export async function installAthenaSession(connection: DuckDBConnection): Promise<void> {
  for (const setting of ATHENA_SETTINGS) await connection.run(setting);
  for (const [name, definition] of Object.entries(ATHENA_MACROS)) await connection.run(`CREATE OR REPLACE MACRO ${name}${definition}`);
}
