/**
 * The SQL of an Athena session in DuckDB: the settings and the macros the translator's output calls. Kept apart from
 * session.ts, which installs them with DuckDB's Node API, so that the synth-time SQL planner can send them to its
 * worker without loading that API into the synth.
 */

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
