import * as fc from 'fast-check';
import { DATE_PATTERN, TIMESTAMP_PATTERN, decimalPattern } from './json-schema';
import { recordKey } from './fields';
import { partitionWindow, type ColumnSpec, type ColumnType, type ContractSpec, type DecimalType, type FieldConvention } from './types';

/**
 * Generators of records from a contract, built on fast-check: valid records for property tests and the
 * local mode, and records broken in exactly one way for the unhappy paths.
 *
 * Valid records satisfy the contract's JSON Schema (`toJsonSchema`): decimals as strings or (up to 15
 * digits) as numbers within precision and scale, timestamps as RFC 3339 strings with a zone (`Z` or an
 * offset), dates as `YYYY-MM-DD`, integers within their range, unicode strings, and optional columns
 * sometimes absent, sometimes `null`.
 */

/** A JSON record as producers send it. */
export type JsonRecord = Record<string, unknown>;

/** A record that breaks the contract in exactly one way, and what that way is. */
export interface InvalidRecord {
  readonly record: JsonRecord;
  /** e.g. `wrong type: order_id = 42 (string expected)`. */
  readonly mutation: string;
}

const INT32 = { min: -2147483648, max: 2147483647 };
/** Years the date generators stay in: four digits, and inside what every engine reads. */
const MIN_DATE = new Date('2000-01-01T00:00:00.000Z');
const MAX_DATE = new Date('2099-12-31T23:59:59.999Z');
/** Doubles carry 15 significant decimal digits exactly: wider decimals are only generated as strings. */
const MAX_NUMERIC_DECIMAL_PRECISION = 15;

/** Options of the record generators. */
export interface RecordArbitraryOptions {
  /**
   * Event times of the partition column fall in this window (e.g. the last days, so that the local
   * mode fills a few recent `dt` partitions).
   * @default - any time the contract accepts: from its partitionBy.since up to now
   */
  readonly eventTime?: { readonly from: Date; readonly to: Date };
}

/** Valid JSON records of the contract. */
export function recordArbitrary(spec: ContractSpec, options: RecordArbitraryOptions = {}): fc.Arbitrary<JsonRecord> {
  const overrides = new Map<string, fc.Arbitrary<unknown>>();
  // A valid record's event time is within the contract's window (partitionBy.since up to now).
  const eventTime = options.eventTime ?? { from: new Date(`${partitionWindow(spec).since}T00:00:00Z`), to: new Date() };
  const partition = spec.columns[spec.partitionBy.column];
  overrides.set(spec.partitionBy.column, dateTimeArbitrary(partition.type.kind === 'date', eventTime));
  return fieldsArbitrary(spec.columns, spec.fields, overrides);
}

/** Valid JSON values of one contract type (struct fields under their record keys, see `recordKey`). */
export function valueArbitrary(type: ColumnType, convention?: FieldConvention): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'string':
      return fc.string({ unit: 'grapheme', maxLength: 24 });
    case 'boolean':
      return fc.boolean();
    case 'int':
      return fc.integer(INT32);
    case 'bigint':
      return fc.oneof(fc.integer(INT32), fc.maxSafeInteger());
    case 'float':
      return fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    case 'double':
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    case 'decimal':
      return decimalArbitrary(type);
    case 'date':
      return dateTimeArbitrary(true);
    case 'timestamp':
      return dateTimeArbitrary(false);
    case 'array':
      return fc.array(valueArbitrary(type.items, convention), { maxLength: 4 });
    case 'map':
      return fc.dictionary(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((key) => key !== '__proto__'),
        valueArbitrary(type.values, convention),
        { maxKeys: 3, noNullPrototype: true },
      );
    case 'struct':
      return fieldsArbitrary(type.fields, convention);
  }
}

/** Records of the fields, under their record keys; `overrides` by column name. */
function fieldsArbitrary(
  fields: Readonly<Record<string, ColumnSpec>>,
  convention: FieldConvention | undefined,
  overrides: ReadonlyMap<string, fc.Arbitrary<unknown>> = new Map(),
): fc.Arbitrary<JsonRecord> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const [name, column] of Object.entries(fields)) {
    const value = overrides.get(name) ?? columnValueArbitrary(column, convention);
    const key = recordKey(name, column, convention);
    if (column.required) {
      requiredKeys.push(key);
      model[key] = value;
    } else {
      // Absent (record constraints), null, or a value.
      model[key] = fc.option(value, { nil: null, freq: 4 });
    }
  }
  return fc.record(model, { requiredKeys, noNullPrototype: true }) as fc.Arbitrary<JsonRecord>;
}

/** A column's values: its type's values, mixed with its declared examples where they fit the type. */
function columnValueArbitrary(column: ColumnSpec, convention: FieldConvention | undefined): fc.Arbitrary<unknown> {
  const values = boundedArbitrary(column) ?? valueArbitrary(column.type, convention);
  const examples = (column.examples ?? []).filter((example) => conforms(column.type, example));
  return examples.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...examples), weight: 1 }, { arbitrary: values, weight: 2 }) : values;
}

/** Values of a numeric column with `minimum` / `maximum`, bounds included; undefined without bounds. */
function boundedArbitrary(column: ColumnSpec): fc.Arbitrary<unknown> | undefined {
  const { minimum, maximum } = column;
  if (minimum === undefined && maximum === undefined) return undefined;
  switch (column.type.kind) {
    case 'int':
    case 'bigint': {
      const whole = column.type.kind === 'int' ? INT32 : { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
      return fc.integer({ min: Math.ceil(minimum ?? whole.min), max: Math.floor(maximum ?? whole.max) });
    }
    case 'float':
    case 'double': {
      const single = column.type.kind === 'float';
      const inside = (x: number) => (minimum === undefined || x >= minimum) && (maximum === undefined || x <= maximum);
      return fc
        .double({ min: minimum ?? -Number.MAX_VALUE, max: maximum ?? Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true })
        .map((x) => (single ? Math.fround(x) : x))
        .map((x) => (Object.is(x, -0) ? 0 : inside(x) ? x : (minimum ?? maximum!)));
    }
    default:
      return undefined;
  }
}

/** Whether a declared example is a valid value of a scalar type (nested examples are not used). */
function conforms(type: ColumnType, value: unknown): boolean {
  switch (type.kind) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
      return Number.isInteger(value) && (value as number) >= INT32.min && (value as number) <= INT32.max;
    case 'bigint':
      return Number.isSafeInteger(value);
    case 'float':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'decimal':
      return typeof value === 'string' && new RegExp(decimalPattern(type)).test(value);
    case 'date':
      return typeof value === 'string' && new RegExp(DATE_PATTERN).test(value);
    case 'timestamp':
      return typeof value === 'string' && new RegExp(TIMESTAMP_PATTERN).test(value);
    default:
      return false;
  }
}

function decimalArbitrary(type: DecimalType): fc.Arbitrary<string | number> {
  const integerDigits = type.precision - type.scale;
  const digits = (min: number, max: number) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
  const text = fc
    .tuple(fc.boolean(), integerDigits === 0 ? fc.constant('0') : digits(1, integerDigits), type.scale === 0 ? fc.constant('') : digits(0, type.scale))
    .map(([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === '' ? '' : `.${fraction}`}`);
  if (type.precision > MAX_NUMERIC_DECIMAL_PRECISION) return text;
  const bound = 10 ** type.precision - 1;
  const number = fc.integer({ min: -bound, max: bound }).map((units) => {
    const value = units / 10 ** type.scale;
    return Object.is(value, -0) ? 0 : value;
  });
  return fc.oneof(text, number);
}

/** `YYYY-MM-DD` dates, or RFC 3339 timestamps with a zone (`Z` or an offset) and 0, 3 or 6 fraction digits. */
function dateTimeArbitrary(dateOnly: boolean, window: { readonly from: Date; readonly to: Date } = { from: MIN_DATE, to: MAX_DATE }): fc.Arbitrary<string> {
  const instant = fc.date({ min: window.from, max: window.to, noInvalidDate: true });
  if (dateOnly) return instant.map((d) => d.toISOString().slice(0, 10));
  return fc
    .tuple(instant, fc.constantFrom(0, 0, 60, -300, 330, 120), fc.constantFrom(0, 3, 6), fc.integer({ min: 0, max: 999 }))
    .map(([d, offsetMinutes, fractionDigits, micros]) => formatTimestamp(d, offsetMinutes, fractionDigits, micros));
}

function formatTimestamp(instant: Date, offsetMinutes: number, fractionDigits: number, micros: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  const seconds = local.slice(0, 19);
  const fraction = fractionDigits === 0 ? '' : fractionDigits === 3 ? local.slice(19, 23) : `${local.slice(19, 23)}${String(micros).padStart(3, '0')}`;
  if (offsetMinutes === 0) return `${seconds}${fraction}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${seconds}${fraction}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** One way to break a valid record, for one column. */
interface Mutation {
  readonly column: string;
  /** The value to put in place of the column's (or `undefined` to remove it). */
  readonly value: unknown;
  readonly describe: string;
}

/** Every single-column mutation that makes a record of `spec` invalid. */
export function mutationsOf(spec: ContractSpec): readonly Mutation[] {
  const mutations: Mutation[] = [];
  for (const [columnName, column] of Object.entries(spec.columns)) {
    // Mutations name and change the record's key for the column.
    const name = recordKey(columnName, column, spec.fields);
    const type = column.type;
    if (column.required) {
      mutations.push({ column: name, value: undefined, describe: `missing required: ${name}` });
    }
    const wrong = wrongTypeValue(type);
    mutations.push({ column: name, value: wrong, describe: `wrong type: ${name} = ${JSON.stringify(wrong)} (${type.kind} expected)` });
    if (type.kind === 'decimal') {
      const badScale = `1.${'5'.repeat(type.scale + 1)}`;
      mutations.push({ column: name, value: badScale, describe: `bad decimal scale: ${name} = "${badScale}" (decimal(${type.precision},${type.scale}))` });
      const badPrecision = `${'9'.repeat(type.precision - type.scale + 1)}`;
      mutations.push({ column: name, value: badPrecision, describe: `bad decimal precision: ${name} = "${badPrecision}" (decimal(${type.precision},${type.scale}))` });
    }
    if (type.kind === 'timestamp') {
      mutations.push({ column: name, value: '2026-11-21T10:15:00', describe: `bad timestamp: ${name} = "2026-11-21T10:15:00" (no zone)` });
      mutations.push({ column: name, value: '21/11/2026 10:15', describe: `bad timestamp: ${name} = "21/11/2026 10:15" (not RFC 3339)` });
    }
    if (type.kind === 'date') {
      mutations.push({ column: name, value: '2026/11/21', describe: `bad date: ${name} = "2026/11/21" (YYYY-MM-DD expected)` });
    }
    if (type.kind === 'int') {
      mutations.push({ column: name, value: INT32.max + 1, describe: `int out of range: ${name} = ${INT32.max + 1}` });
    }
    if (['int', 'bigint', 'float', 'double'].includes(type.kind)) {
      if (column.minimum !== undefined && column.minimum - 1 < column.minimum) mutations.push({ column: name, value: column.minimum - 1, describe: `below minimum: ${name} = ${column.minimum - 1} (minimum ${column.minimum})` });
      if (column.maximum !== undefined && column.maximum + 1 > column.maximum) mutations.push({ column: name, value: column.maximum + 1, describe: `above maximum: ${name} = ${column.maximum + 1} (maximum ${column.maximum})` });
    }
  }
  return mutations;
}

/** A value of a JSON type the contract type never accepts. */
function wrongTypeValue(type: ColumnType): unknown {
  switch (type.kind) {
    case 'string':
    case 'date':
    case 'timestamp':
      return 42;
    case 'boolean':
      return 'yes';
    case 'int':
    case 'bigint':
      return 'forty-two';
    case 'float':
    case 'double':
    case 'decimal':
      return true;
    case 'array':
      return { not: 'an array' };
    case 'struct':
    case 'map':
      return ['not', 'an', 'object'];
  }
}

/** A valid record with exactly one mutation (wrong type, missing required, bad decimal, bad timestamp…). */
export function invalidRecordArbitrary(spec: ContractSpec, options: RecordArbitraryOptions = {}): fc.Arbitrary<InvalidRecord> {
  return fc.tuple(recordArbitrary(spec, options), fc.constantFrom(...mutationsOf(spec))).map(([valid, mutation]) => {
    const record: JsonRecord = { ...valid };
    if (mutation.value === undefined) delete record[mutation.column];
    else record[mutation.column] = mutation.value;
    return { record, mutation: mutation.describe };
  });
}

/** Options of {@link sampleRecords}. */
export interface SampleOptions extends RecordArbitraryOptions {
  /** Share of records (0-1) broken by one mutation, spread evenly through the sample. @default 0 */
  readonly invalidShare?: number;
  /** The random seed: the same seed gives the same records. @default 42 */
  readonly seed?: number;
}

/** One sampled record; `mutation` says how it was broken, for the invalid ones. */
export interface SampledRecord {
  readonly record: JsonRecord;
  readonly mutation?: string;
}

/** `count` records of the contract, deterministic for a seed; `invalidShare` of them broken (and labelled). */
export function sampleLabelledRecords(spec: ContractSpec, count: number, options: SampleOptions = {}): SampledRecord[] {
  const share = options.invalidShare ?? 0;
  const seed = options.seed ?? 42;
  if (!(share >= 0 && share <= 1)) {
    throw new RangeError(`invalidShare ${share} must be between 0 and 1 (e.g. 0.05 for 5% invalid records).`);
  }
  if (!(Number.isInteger(count) && count >= 0)) {
    throw new RangeError(`count ${count} must be a whole number of records (0 or more).`);
  }
  const invalidAt = (i: number) => Math.floor((i + 1) * share) > Math.floor(i * share);
  const invalidCount = Array.from({ length: count }, (_, i) => i).filter(invalidAt).length;
  const valid = count - invalidCount > 0 ? fc.sample(recordArbitrary(spec, options), { seed, numRuns: count - invalidCount }) : [];
  const invalid = invalidCount > 0 ? fc.sample(invalidRecordArbitrary(spec, options), { seed: seed + 1, numRuns: invalidCount }) : [];
  let nextValid = 0;
  let nextInvalid = 0;
  return Array.from({ length: count }, (_, i) => (invalidAt(i) ? invalid[nextInvalid++] : { record: valid[nextValid++] }));
}

/** `count` JSON records of the contract for the local mode to publish; deterministic for a seed. */
export function sampleRecords(spec: ContractSpec, count: number, options: SampleOptions = {}): JsonRecord[] {
  return sampleLabelledRecords(spec, count, options).map((sample) => sample.record);
}
