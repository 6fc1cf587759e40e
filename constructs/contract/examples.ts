/**
 * A column's `examples` are values of the column: the catalog shows them, the ODCS export carries them and the
 * local generator mixes them into records, so an example the column cannot hold (`examples: ['lots']` on a
 * decimal) is refused at synth. An example is checked as a record value of the column's type, as the processor's
 * JSON Schema checks it (decimals as a string or a number, dates `yyyy-MM-dd`, timestamps RFC 3339 with a zone).
 */
import { isCalendarDate } from './private/values';
import { DATE_PATTERN, TIMESTAMP_PATTERN, decimalPattern } from './json-schema';
import { recordKey } from './fields';
import type { ColumnSpec, ColumnType, FieldConvention } from './types';

const INT32 = { min: -2147483648, max: 2147483647 };

/**
 * One sentence per declared example (at any depth, struct fields included) that is not a value of its column's
 * type; `label` prefixes each (the product, e.g. `orders.order_placed`).
 */
export function exampleProblems(columns: Readonly<Record<string, ColumnSpec>>, label: string, convention?: FieldConvention, prefix = ''): string[] {
  const problems: string[] = [];
  for (const [name, column] of Object.entries(columns)) {
    if (typeof column !== 'object' || column === null || typeof column.type !== 'object' || column.type === null) continue;
    const path = `${prefix}${name}`;
    const range = rangeProblems(column, `${label}: column "${path}"`);
    problems.push(...range);
    for (const example of Array.isArray(column.examples) ? column.examples : []) {
      if (example === null && column.required !== true) continue;
      const why = valueProblem(column.type, example, convention) ?? (range.length === 0 ? outOfRange(column, example) : undefined);
      if (why === undefined) continue;
      problems.push(
        `${label}: column "${path}" has example ${show(example)}, which is not a valid ${typeName(column.type)} value (${why}): ` +
          `give an example the column holds, e.g. ${show(column.minimum ?? column.maximum ?? sampleValue(column.type))}, or remove it.`,
      );
    }
    const nested = structFields(column.type);
    if (nested !== undefined) problems.push(...exampleProblems(nested.fields, label, convention, `${nested.path(path)}.`));
  }
  return problems;
}

/** Column kinds that take `minimum` / `maximum`, with the values the type holds. */
const RANGED: Readonly<Partial<Record<ColumnType['kind'], { min: number; max: number }>>> = {
  int: INT32,
  bigint: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  float: { min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
  double: { min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
};

/**
 * `minimum` / `maximum` of a column: numbers of its type (whole for `int` and `bigint`), on a numeric column
 * (decimals are exact strings and take no bound yet), `minimum` ≤ `maximum`. One sentence per break, after `where`.
 */
function rangeProblems(column: ColumnSpec, where: string): string[] {
  if (column.minimum === undefined && column.maximum === undefined) return [];
  const kind = column.type.kind;
  const holds = RANGED[kind];
  if (holds === undefined) {
    return [`${where} is ${typeName(column.type)} and has minimum/maximum, which only int, bigint, float and double columns take: remove them${kind === 'decimal' ? ', or check the range with a quality rule (docs/quality.md)' : ''}.`];
  }
  const problems: string[] = [];
  const whole = kind === 'int' || kind === 'bigint';
  for (const bound of ['minimum', 'maximum'] as const) {
    const value = column[bound];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value)) || value < holds.min || value > holds.max) {
      problems.push(`${where} has ${bound} ${show(value)}, which is not ${whole ? `a whole number from ${holds.min} to ${holds.max}` : 'a finite number'}: give ${bound} as a number the ${kind} column holds, e.g. ${bound}: ${bound === 'minimum' ? 0 : 100}.`);
    }
  }
  if (problems.length === 0 && column.minimum !== undefined && column.maximum !== undefined && column.minimum > column.maximum) {
    problems.push(`${where} has minimum ${column.minimum} above maximum ${column.maximum}: swap them (minimum: ${column.maximum}, maximum: ${column.minimum}).`);
  }
  return problems;
}

/** Why a value of the column's type is outside its `minimum` / `maximum`, or undefined. */
function outOfRange(column: ColumnSpec, value: unknown): string | undefined {
  if (typeof value !== 'number') return undefined;
  if (column.minimum !== undefined && value < column.minimum) return `below the column's minimum ${column.minimum}`;
  if (column.maximum !== undefined && value > column.maximum) return `above the column's maximum ${column.maximum}`;
  return undefined;
}

/** The struct whose fields carry their own examples, under a column of `type` (through arrays and maps). */
function structFields(type: ColumnType): { fields: Readonly<Record<string, ColumnSpec>>; path: (p: string) => string } | undefined {
  if (type.kind === 'struct' && typeof type.fields === 'object' && type.fields !== null) return { fields: type.fields, path: (p) => p };
  if (type.kind === 'array' && typeof type.items === 'object' && type.items !== null) {
    const inner = structFields(type.items);
    return inner && { fields: inner.fields, path: (p) => inner.path(`${p}[]`) };
  }
  if (type.kind === 'map' && typeof type.values === 'object' && type.values !== null) {
    const inner = structFields(type.values);
    return inner && { fields: inner.fields, path: (p) => inner.path(`${p}{}`) };
  }
  return undefined;
}

/** Why `value` is not a record value of `type`, or undefined when it is one. */
export function valueProblem(type: ColumnType, value: unknown, convention?: FieldConvention): string | undefined {
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? undefined : 'not a string';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'not true or false';
    case 'int':
      return Number.isInteger(value) && (value as number) >= INT32.min && (value as number) <= INT32.max
        ? undefined
        : `not a whole number from ${INT32.min} to ${INT32.max}`;
    case 'bigint':
      return Number.isSafeInteger(value) ? undefined : 'not a whole number (a JSON number up to 2^53-1)';
    case 'float':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'not a number';
    case 'decimal': {
      const digits = `at most ${type.precision - type.scale} digits before the point and ${type.scale} after`;
      if (typeof value === 'string') return new RegExp(decimalPattern(type)).test(value) ? undefined : `not a decimal number with ${digits}`;
      const limit = 10 ** (type.precision - type.scale);
      if (typeof value !== 'number' || !Number.isFinite(value)) return `not a decimal number with ${digits}`;
      if (type.scale === 0 && !Number.isInteger(value)) return 'not a whole number';
      return Math.abs(value) < limit ? undefined : `more than ${type.precision - type.scale} digits before the point`;
    }
    case 'date':
      return typeof value === 'string' && new RegExp(DATE_PATTERN).test(value) && isCalendarDate(value) ? undefined : 'not a date written yyyy-MM-dd';
    case 'timestamp':
      return typeof value === 'string' && new RegExp(TIMESTAMP_PATTERN).test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'not an RFC 3339 timestamp with a zone';
    case 'array':
      if (!Array.isArray(value)) return 'not a list';
      return firstProblem(value.map((item, i) => [`item ${i + 1}`, valueProblem(type.items, item, convention)]));
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
      return firstProblem(Object.entries(value).map(([key, item]) => [`key "${key}"`, valueProblem(type.values, item, convention)]));
    case 'struct': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
      const record = value as Record<string, unknown>;
      return firstProblem(
        Object.entries(type.fields).map(([name, field]) => {
          const key = recordKey(name, field, convention);
          const item = record[key];
          if (item === undefined || item === null) return [`field "${key}"`, field.required === true ? 'missing' : undefined];
          return [`field "${key}"`, valueProblem(field.type, item, convention)];
        }),
      );
    }
    default:
      return undefined;
  }
}

function firstProblem(entries: ReadonlyArray<readonly [string, string | undefined]>): string | undefined {
  const found = entries.find(([, problem]) => problem !== undefined);
  return found && `${found[0]}: ${found[1]}`;
}

/** The column type as the catalog and Glue write it, e.g. `decimal(12,2)`, `array<string>`. */
function typeName(type: ColumnType): string {
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${typeName(type.items)}>`;
    case 'map':
      return `map<string,${typeName(type.values)}>`;
    case 'struct':
      return 'struct';
    default:
      return type.kind;
  }
}

/** A value of `type` to show in the fix. */
function sampleValue(type: ColumnType): unknown {
  switch (type.kind) {
    case 'string':
      return 'text';
    case 'boolean':
      return true;
    case 'int':
    case 'bigint':
      return 42;
    case 'float':
    case 'double':
      return 1.5;
    case 'decimal': {
      const integer = '1234567890'.repeat(4).slice(0, Math.min(type.precision - type.scale, 4)) || '0';
      return type.scale === 0 ? integer : `${integer}.${'5'.repeat(type.scale)}`;
    }
    case 'date':
      return '2026-01-31';
    case 'timestamp':
      return '2026-01-31T09:30:00Z';
    case 'array':
      return [sampleValue(type.items)];
    case 'map':
      return { key: sampleValue(type.values) };
    case 'struct':
      return Object.fromEntries(Object.entries(type.fields).map(([name, field]) => [name, sampleValue(field.type)]));
    default:
      return null;
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
