import { recordKey } from './fields';
import type { ColumnSpec, ColumnType, ContractSpec, DecimalType, FieldConvention } from './types';

/** A JSON Schema (draft 2020-12) document. */
export type JsonSchema = Record<string, unknown>;

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Inclusive bounds of 32-bit and 64-bit integers (64-bit capped to what a JSON number holds exactly). */
const INT_RANGE = { minimum: -2147483648, maximum: 2147483647 };
const BIGINT_RANGE = { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

/** RFC 3339 date-time with a mandatory zone, as the processor accepts it. */
export const TIMESTAMP_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})$';
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** The textual form of a decimal(p,s): at most p-s integer digits and s fraction digits. */
export function decimalPattern(type: DecimalType): string {
  const integerDigits = type.precision - type.scale;
  const integer = integerDigits === 0 ? '0' : `\\d{1,${integerDigits}}`;
  const fraction = type.scale === 0 ? '' : `(\\.\\d{1,${type.scale}})?`;
  return `^-?${integer}${fraction}$`;
}

/**
 * A decimal travels as a string (exact: the pattern enforces precision and scale) or as a JSON number.
 * A number is checked against the range the precision allows (beyond it Parquet conversion writes null);
 * its scale is not checked: a binary double cannot carry decimal digits exactly (`multipleOf: 0.01` rejects
 * 0.29 in float arithmetic), and conversion rounds it to the column's scale. Integers (scale 0) must be whole.
 */
function decimalSchema(type: DecimalType): JsonSchema {
  const step = 10 ** -type.scale;
  const limit = Number((10 ** (type.precision - type.scale) - step).toFixed(type.scale));
  return {
    anyOf: [
      { type: 'string', pattern: decimalPattern(type) },
      {
        type: type.scale === 0 ? 'integer' : 'number',
        minimum: -limit,
        maximum: limit,
      },
    ],
  };
}

/** JSON Schema of one contract type (without description); struct fields under their record keys. */
export function typeSchema(type: ColumnType, convention?: FieldConvention): JsonSchema {
  switch (type.kind) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'int':
      return { type: 'integer', ...INT_RANGE };
    case 'bigint':
      return { type: 'integer', ...BIGINT_RANGE };
    case 'float':
    case 'double':
      return { type: 'number' };
    case 'date':
      return { type: 'string', format: 'date', pattern: DATE_PATTERN };
    case 'timestamp':
      return { type: 'string', format: 'date-time', pattern: TIMESTAMP_PATTERN };
    case 'decimal':
      return decimalSchema(type);
    case 'array':
      return { type: 'array', items: typeSchema(type.items, convention) };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(type.values, convention) };
    case 'struct':
      return objectSchema(type.fields, convention);
  }
}

function columnSchema(column: ColumnSpec, convention: FieldConvention | undefined): JsonSchema {
  const schema = { ...typeSchema(column.type, convention), ...boundsOf(column) };
  const described = column.description !== undefined ? { description: column.description } : {};
  // Optional columns may be absent or null; required ones may not be null.
  if (!column.required) {
    return { ...described, anyOf: [{ type: 'null' }, schema] };
  }
  return { ...described, ...schema };
}

/** A numeric column's declared `minimum` / `maximum` (they replace the type's own bounds: synth checks they are inside). */
function boundsOf(column: ColumnSpec): JsonSchema {
  if (!['int', 'bigint', 'float', 'double'].includes(column.type.kind)) return {};
  return {
    ...(typeof column.minimum === 'number' && { minimum: column.minimum }),
    ...(typeof column.maximum === 'number' && { maximum: column.maximum }),
  };
}

/**
 * An object under record keys. A column read from another key (`orderId` for `order_id`) refuses its
 * column name as a key (`false`): a record with both, or with the column name instead, would be ambiguous.
 */
function objectSchema(fields: Readonly<Record<string, ColumnSpec>>, convention: FieldConvention | undefined): JsonSchema {
  const entries = Object.entries(fields).map(([name, column]) => ({ name, column, key: recordKey(name, column, convention) }));
  const required = entries.filter((e) => e.column.required).map((e) => e.key);
  const keys = new Set(entries.map((e) => e.key));
  const renamed = entries.filter((e) => e.key !== e.name && !keys.has(e.name));
  return {
    type: 'object',
    properties: Object.fromEntries([
      ...entries.map((e) => [e.key, columnSchema(e.column, convention)]),
      ...renamed.map((e) => [e.name, false]),
    ]),
    ...(required.length > 0 && { required }),
  };
}

/**
 * The JSON Schema (draft 2020-12) a record must satisfy to enter the product.
 *
 * Extra properties are allowed (producers may send more than the contract; Parquet conversion drops them).
 * Dates and timestamps carry both `format` (for other tools) and `pattern` (what the processor enforces).
 */
export function toJsonSchema(contract: ContractSpec): JsonSchema {
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: `urn:cdk-data-mesh:${contract.domain}.${contract.name}.v${contract.version}`,
    title: `${contract.domain}.${contract.name} v${contract.version}`,
    description: contract.description,
    ...objectSchema(contract.columns, contract.fields),
  };
}
