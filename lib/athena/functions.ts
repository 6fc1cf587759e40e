/**
 * Athena (Trino) functions whose DuckDB namesake is missing or means something else, and what each becomes locally.
 * Functions not listed here have the same name and meaning in both (abs, upper, length, coalesce, …).
 */
import { AthenaSqlError } from './errors';
import { javaToPrintf, javaToRe2Replacement, jodaToStrftime, mysqlToStrftime } from './formats';
import { quoteString } from './tokens';

/** A call being translated: its arguments translated, their literal values and types when the translator knows them. */
export interface Call {
  readonly name: string;
  readonly args: readonly string[];
  /** The value of argument i when it is a string literal. */
  literal(i: number): string | undefined;
  /** The DuckDB type of argument i when the translator can tell it (literals, casts, catalog columns). */
  type(i: number): string | undefined;
  warn(message: string): void;
}

type Translate = (call: Call) => string;

const rename = (duckdb: string): Translate => (call) => `${duckdb}(${call.args.join(', ')})`;
const unsupported = (construct: string, reason: string, alternative?: string): Translate => () => {
  throw new AthenaSqlError(construct, reason, alternative);
};

const UNITS = new Set(['millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']);
const DATE_UNITS = new Set(['day', 'week', 'month', 'quarter', 'year']);

function unit(call: Call): string {
  const value = call.literal(0)?.toLowerCase();
  if (value === undefined || !UNITS.has(value)) {
    throw new AthenaSqlError(`${call.name}(${call.args[0]}, …)`, 'the unit must be a literal such as \'day\' locally', "write the unit as a literal ('second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year')");
  }
  return value;
}

function literalFormat(call: Call, i: number): string {
  const format = call.literal(i);
  if (format === undefined) {
    throw new AthenaSqlError(`${call.name}(…, ${call.args[i]})`, 'DuckDB needs the format as a literal', 'write the format as a string literal');
  }
  return format;
}

/** Precision and scale of a DECIMAL type. */
const decimalOf = (type: string | undefined): [number, number] | undefined => {
  const match = type === undefined ? null : /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
};
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);
const isDate = (type: string | undefined) => type === 'DATE';
const isMap = (type: string | undefined) => type?.startsWith('MAP(') === true;

/** `NULL` when any argument is NULL, as Trino's greatest/least do (DuckDB's skip NULLs). */
const nullIfAnyNull = (duckdb: string): Translate => (call) =>
  `CASE WHEN ${call.args.map((arg) => `(${arg}) IS NULL`).join(' OR ')} THEN NULL ELSE ${duckdb}(${call.args.join(', ')}) END`;

export const FUNCTIONS: Record<string, Translate> = {
  // Date and time: https://trino.io/docs/current/functions/datetime.html
  date_diff: (call) => `date_sub('${unit(call)}', ${call.args[1]}, ${call.args[2]})`,
  date_add: (call) => {
    const u = unit(call);
    const sum = `(${call.args[2]}) + (${call.args[1]}) * INTERVAL 1 ${u === 'millisecond' ? 'MILLISECOND' : u.toUpperCase()}`;
    if (isDate(call.type(2))) return DATE_UNITS.has(u) ? `CAST(${sum} AS DATE)` : unsupportedDateUnit(call, u);
    if (call.type(2) === undefined) call.warn(`date_add(${call.args[2]}): the type of the value is unknown locally; the result is a timestamp (Athena keeps a DATE a DATE)`);
    return `(${sum})`;
  },
  date_parse: (call) => `strptime(${call.args[0]}, ${quoteString(mysqlToStrftime(literalFormat(call, 1), 'date_parse'))})`,
  date_format: (call) => `strftime(${call.args[0]}, ${quoteString(mysqlToStrftime(literalFormat(call, 1), 'date_format'))})`,
  format_datetime: (call) => `strftime(${call.args[0]}, ${quoteString(jodaToStrftime(literalFormat(call, 1), 'format_datetime'))})`,
  parse_datetime: (call) => `CAST(strptime(${call.args[0]}, ${quoteString(jodaToStrftime(literalFormat(call, 1), 'parse_datetime'))}) AS TIMESTAMPTZ)`,
  at_timezone: (call) => atTimeZone(call.args[0], call.args[1], call.warn),
  from_iso8601_timestamp: (call) => {
    const text = call.literal(0);
    if (text !== undefined && /[+-]\d\d(:?\d\d)?$/.test(text) && !/[+-]00(:?00)?$/.test(text)) {
      throw new AthenaSqlError(`from_iso8601_timestamp('${text}')`, 'Athena keeps the offset of the text and the local lake keeps instants in UTC only, so hour(), format_datetime() and casts would differ', "convert to UTC first (e.g. '…Z') or use at_timezone(…, zone) on a UTC value");
    }
    if (text === undefined) call.warn('from_iso8601_timestamp(x): locally the result is in UTC; Athena keeps the offset of the text (the same instant, rendered and formatted in that offset)');
    return `CAST(${call.args[0]} AS TIMESTAMPTZ)`;
  },
  from_iso8601_date: (call) => `CAST(${call.args[0]} AS DATE)`,
  to_iso8601: (call) => {
    const type = call.type(0);
    if (isDate(type)) return `strftime(${call.args[0]}, '%Y-%m-%d')`;
    if (type === 'TIMESTAMPTZ') return `strftime(${call.args[0]}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
    return `strftime(CAST(${call.args[0]} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g')`;
  },
  to_unixtime: (call) => `epoch(${call.args[0]})`,
  from_unixtime: (call) => (call.args.length === 1 ? `to_timestamp(${call.args[0]})` : unsupported('from_unixtime(x, zone)', 'the zone argument has no local equivalent', "use at_timezone(from_unixtime(x), 'zone')")(call)),
  day_of_week: rename('isodow'),
  dow: rename('isodow'),
  day_of_year: rename('dayofyear'),
  doy: rename('dayofyear'),
  year_of_week: rename('isoyear'),
  yow: rename('isoyear'),
  week_of_year: rename('week'),
  day_of_month: rename('day'),
  last_day_of_month: (call) => `CAST(last_day(${call.args[0]}) AS DATE)`,
  date: (call) => `CAST(${call.args[0]} AS DATE)`,
  date_trunc: (call) => {
    const truncated = `date_trunc('${unit(call)}', ${call.args[1]})`;
    if (isDate(call.type(1))) return `CAST(${truncated} AS DATE)`;
    if (call.type(1) === undefined) call.warn(`date_trunc(…, ${call.args[1]}): the type of the value is unknown locally; on a DATE DuckDB returns a timestamp (Athena a DATE)`);
    return truncated;
  },
  // Strings: https://trino.io/docs/current/functions/string.html
  concat: (call) => {
    const joined = `(${call.args.join(' || ')})`;
    return call.args.every((_arg, i) => call.type(i) === 'VARCHAR') ? `CAST(${joined} AS VARCHAR)` : joined;
  },
  format: (call) => `printf(${quoteString(javaToPrintf(literalFormat(call, 0)))}${call.args.slice(1).map((arg) => `, ${arg}`).join('')})`,
  replace: (call) => (call.args.length === 2 ? `replace(${call.args[0]}, ${call.args[1]}, '')` : rename('replace')(call)),
  levenshtein_distance: rename('levenshtein'),
  hamming_distance: rename('hamming'),
  codepoint: rename('unicode'),
  to_utf8: rename('encode'),
  from_utf8: rename('decode'),
  strpos: (call) => (call.args.length === 2 ? rename('strpos')(call) : unsupported('strpos(s, sub, n)', 'the instance argument has no local equivalent')(call)),
  // Regular expressions: https://trino.io/docs/current/functions/regexp.html
  regexp_like: rename('regexp_matches'),
  regexp_replace: (call) => {
    if (call.args.length === 2) return `regexp_replace(${call.args[0]}, ${call.args[1]}, '', 'g')`;
    const replacement = call.literal(2);
    if (replacement === undefined) {
      throw new AthenaSqlError('regexp_replace(s, pattern, function or non-literal)', 'only a literal replacement string translates', 'write the replacement as a string literal');
    }
    return `regexp_replace(${call.args[0]}, ${call.args[1]}, ${quoteString(javaToRe2Replacement(replacement))}, 'g')`;
  },
  regexp_extract: (call) => `athena_regexp_extract(${call.args[0]}, ${call.args[1]}, ${call.args[2] ?? '0'})`,
  regexp_split: rename('regexp_split_to_array'),
  regexp_count: (call) => `len(regexp_extract_all(${call.args[0]}, ${call.args[1]}))`,
  // URLs: https://trino.io/docs/current/functions/url.html
  url_extract_protocol: rename('athena_url_extract_protocol'),
  url_extract_host: rename('athena_url_extract_host'),
  url_extract_port: rename('athena_url_extract_port'),
  url_extract_path: rename('athena_url_extract_path'),
  url_extract_query: rename('athena_url_extract_query'),
  url_extract_fragment: rename('athena_url_extract_fragment'),
  url_extract_parameter: rename('athena_url_extract_parameter'),
  // JSON: https://trino.io/docs/current/functions/json.html
  json_parse: (call) => `json(${call.args[0]})`,
  json_extract: (call) => `json_extract(json(${call.args[0]}), ${call.args[1]})`,
  json_array_length: (call) => `CAST(json_array_length(json(${call.args[0]})) AS BIGINT)`,
  json_format: (call) => `CAST(${call.args[0]} AS VARCHAR)`,
  json_extract_scalar: rename('athena_json_extract_scalar'),
  json_array_get: (call) =>
    /^-?\d+$/.test(call.args[1]) ? `json_extract(json(${call.args[0]}), '$[${call.args[1].startsWith('-') ? `#${call.args[1]}` : call.args[1]}]')` : unsupported('json_array_get(json, non-literal index)', 'the index must be a number literal locally', "use json_extract(json, '$[0]')")(call),
  json_size: (call) => `CASE json_type(json_extract(${call.args[0]}, ${call.args[1]})) WHEN 'ARRAY' THEN json_array_length(json_extract(${call.args[0]}, ${call.args[1]})) WHEN 'OBJECT' THEN len(json_keys(json_extract(${call.args[0]}, ${call.args[1]}))) ELSE 0 END`,
  // Arrays and maps: https://trino.io/docs/current/functions/array.html, …/map.html
  cardinality: (call) => (isMap(call.type(0)) ? `CAST(cardinality(${call.args[0]}) AS BIGINT)` : `len(${call.args[0]})`),
  element_at: (call) => {
    if (call.args[1].trim() === '0') {
      throw new AthenaSqlError('element_at(array, 0)', 'Athena fails on index 0 (SQL arrays start at 1)', 'use element_at(array, 1) for the first element');
    }
    return `(${call.args[0]})[${call.args[1]}]`;
  },
  array_join: (call) =>
    call.args.length === 2 ? `array_to_string(${call.args[0]}, ${call.args[1]})` : `array_to_string(list_transform(${call.args[0]}, lambda x: coalesce(CAST(x AS VARCHAR), ${call.args[2]})), ${call.args[1]})`,
  transform: rename('list_transform'),
  filter: rename('list_filter'),
  reduce: (call) => {
    if (!/^\s*(\w+)\s*->\s*\1\s*$/.test(call.args[3] ?? '')) {
      throw new AthenaSqlError('reduce(array, state, input, output)', 'only the identity output function (s -> s) translates', 'apply the output function around reduce(…, s -> s)');
    }
    return `list_reduce(${call.args[0]}, ${call.args[2]}, ${call.args[1]})`;
  },
  any_match: (call) => `list_bool_or(list_transform(${call.args[0]}, ${call.args[1]}))`,
  all_match: (call) => `list_bool_and(list_transform(${call.args[0]}, ${call.args[1]}))`,
  none_match: (call) => `NOT list_bool_or(list_transform(${call.args[0]}, ${call.args[1]}))`,
  slice: rename('athena_slice'),
  zip: rename('list_zip'),
  sequence: (call) => (call.args.length === 3 ? rename('generate_series')(call) : `generate_series(${call.args[0]}, ${call.args[1]})`),
  contains: (call) => `list_contains(${call.args[0]}, ${call.args[1]})`,
  array_position: (call) => `CAST(coalesce(list_position(${call.args[0]}, ${call.args[1]}), 0) AS BIGINT)`,
  array_max: nullListAware('list_max'),
  array_min: nullListAware('list_min'),
  array_sort: (call) => (call.args.length === 1 ? `list_sort(${call.args[0]}, 'ASC', 'NULLS LAST')` : unsupported('array_sort(array, comparator)', 'a comparator lambda has no local equivalent', 'use list_sort(array, \'DESC\') or array_sort(array)')(call)),
  array_distinct: (call) => `athena_array_distinct(${call.args[0]})`,
  array_remove: (call) => `list_filter(${call.args[0]}, lambda x: x <> ${call.args[1]})`,
  flatten: rename('flatten'),
  map_keys: rename('map_keys'),
  map_values: rename('map_values'),
  map_agg: (call) => `map_from_entries(list(struct_pack(k := ${call.args[0]}, v := ${call.args[1]})))`,
  map_from_entries: rename('map_from_entries'),
  multimap_agg: unsupported('multimap_agg(key, value)', 'it has no local equivalent', 'use map(list(key), …) over a GROUP BY of the key'),
  // Aggregates: https://trino.io/docs/current/functions/aggregate.html
  approx_distinct: rename('approx_count_distinct'),
  approx_percentile: (call) =>
    call.args.length === 2 ? `quantile_disc(${call.args[0]}, ${call.args[1]})` : unsupported('approx_percentile(x, w, p)', 'the weight argument has no local equivalent')(call),
  arbitrary: rename('any_value'),
  every: rename('bool_and'),
  avg: (call) => {
    const type = call.type(0);
    const decimal = decimalOf(type);
    if (decimal) return `CAST(round(avg(${call.args[0]}), ${decimal[1]}) AS DECIMAL(${decimal[0]},${decimal[1]}))`;
    if (type === undefined) call.warn(`avg(${call.args[0]}): the type of the value is unknown locally; over a decimal Athena returns a decimal of the same scale, DuckDB a double`);
    return `avg(${call.args.join(', ')})`;
  },
  // Math: https://trino.io/docs/current/functions/math.html — round keeps a decimal's scale (DecimalRoundFunctions).
  round: (call) => {
    const decimal = decimalOf(call.type(0));
    if (!decimal) return `round(${call.args.join(', ')})`;
    const [p, s] = decimal;
    if (call.args.length === 1) return `CAST(round(${call.args[0]}) AS DECIMAL(${Math.min(38, p - s + Math.min(s, 1))},0))`;
    return `CAST(round(${call.args[0]}, ${call.args[1]}) AS DECIMAL(${Math.min(38, p + 1)},${s}))`;
  },
  // Conditional and comparison: https://trino.io/docs/current/functions/comparison.html
  greatest: nullIfAnyNull('greatest'),
  least: nullIfAnyNull('least'),
  sign: (call) => (INTEGER_TYPES.has(call.type(0) ?? '') ? `CAST(sign(${call.args[0]}) AS ${call.type(0)})` : `sign(${call.args[0]})`),
  current_timezone: () => "current_setting('TimeZone')",
  truncate: rename('trunc'),
  typeof: (call) => `athena_type_name(typeof(${call.args[0]}))`,
  // Binary: https://trino.io/docs/current/functions/binary.html
  to_hex: (call) => `upper(hex(${call.args[0]}))`,
  md5: (call) => `unhex(md5(${call.args[0]}))`,
  sha256: (call) => `unhex(sha256(${call.args[0]}))`,
};

function unsupportedDateUnit(call: Call, u: string): never {
  throw new AthenaSqlError(`${call.name}('${u}', …, date)`, `Athena refuses the unit '${u}' on a DATE`, 'cast the date to a timestamp first');
}

/** Trino's array_max/array_min return NULL when the array holds a NULL; DuckDB's skip it. */
function nullListAware(duckdb: string): Translate {
  return (call) => `CASE WHEN list_contains(list_transform(${call.args[0]}, lambda x: x IS NULL), true) THEN NULL ELSE ${duckdb}(${call.args[0]}) END`;
}

/** `ts AT TIME ZONE zone`: the same instant in another zone. Locally a timestamp of the zone's wall-clock time. */
export function atTimeZone(value: string, zone: string, warn: (message: string) => void): string {
  warn(`AT TIME ZONE / at_timezone: locally the result is the wall-clock timestamp in ${zone} without its zone (Athena: timestamp with time zone)`);
  return `timezone(${zone}, CAST(${value} AS TIMESTAMPTZ))`;
}
