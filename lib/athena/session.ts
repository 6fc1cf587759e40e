import { type DuckDBConnection, DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api';
import { athenaTypeName } from './types';

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
};

/** The session settings that give Athena's answers: UTC (Athena sessions run in UTC) and integer division of integers. */
export const ATHENA_SETTINGS: readonly string[] = ["SET TimeZone = 'UTC'", 'SET integer_division = true'];

/** `athena_type_name(typeof(x))`: DuckDB's type name as Athena's (`STRUCT("a" INTEGER)[]` → `array(row(a integer))`). */
function athenaTypeNameFunction(): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name: 'athena_type_name',
    returnType: VARCHAR,
    parameterTypes: [VARCHAR],
    mainFunction: (_info, input, output) => {
      const names = input.getColumnVector(0);
      for (let row = 0; row < input.rowCount; row++) {
        const name = names.getItem(row);
        output.setItem(row, name === null ? null : athenaTypeName(String(name)));
      }
      output.flush();
    },
  });
}

/** Makes a DuckDB connection ready for translated Athena SQL: the settings, the macros and `athena_type_name`. */
export async function installAthenaSession(connection: DuckDBConnection): Promise<void> {
  for (const setting of ATHENA_SETTINGS) await connection.run(setting);
  for (const [name, definition] of Object.entries(ATHENA_MACROS)) await connection.run(`CREATE OR REPLACE MACRO ${name}${definition}`);
  connection.registerScalarFunction(athenaTypeNameFunction());
}
