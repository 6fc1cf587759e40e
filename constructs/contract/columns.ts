import type { Classification, ColumnSpec, ColumnType, ScalarKind } from './types';

/** Options every column (and struct field) accepts. */
export interface ColumnOptions {
  /** @default false */
  readonly required?: boolean;
  readonly description?: string;
  readonly classification?: Classification;
  /** @default false */
  readonly primaryKey?: boolean;
  readonly examples?: readonly unknown[];
  /** Smallest value (inclusive) of an `int`, `bigint`, `float` or `double` column, e.g. `minimum: 1` for a quantity. */
  readonly minimum?: number;
  /** Largest value (inclusive) of an `int`, `bigint`, `float` or `double` column, e.g. `maximum: 90` for a latitude. */
  readonly maximum?: number;
  /** The record's key for this column when it is not the column name, e.g. `'orderId'`. @default - the column name (or the contract's `fields` convention) */
  readonly field?: string;
}

function column(type: ColumnType, options: ColumnOptions = {}): ColumnSpec {
  return {
    type,
    required: options.required ?? false,
    ...(options.description !== undefined && { description: options.description }),
    ...(options.classification !== undefined && { classification: options.classification }),
    ...(options.primaryKey !== undefined && { primaryKey: options.primaryKey }),
    ...(options.examples !== undefined && { examples: options.examples }),
    ...(options.minimum !== undefined && { minimum: options.minimum }),
    ...(options.maximum !== undefined && { maximum: options.maximum }),
    ...(options.field !== undefined && { field: options.field }),
  };
}

const scalar = (kind: ScalarKind) => (options?: ColumnOptions) => column({ kind }, options);

/**
 * Column builders for `Contract.of({ columns: { … } })`.
 *
 * @example
 * columns: {
 *   order_id: col.string({ required: true, primaryKey: true, description: 'Order identifier.' }),
 *   total: col.decimal(12, 2, { required: true, description: 'Order total.' }),
 *   line_items: col.array(col.struct({ sku: col.string({ description: 'Stock keeping unit.' }) }), { description: 'Items.' }),
 * }
 */
export const col = {
  string: scalar('string'),
  boolean: scalar('boolean'),
  int: scalar('int'),
  bigint: scalar('bigint'),
  float: scalar('float'),
  double: scalar('double'),
  date: scalar('date'),
  timestamp: scalar('timestamp'),
  /** A fixed-point number: `precision` digits in all (1-38), `scale` of them after the point. */
  decimal: (precision: number, scale: number, options?: ColumnOptions) =>
    column({ kind: 'decimal', precision, scale }, options),
  /** A list of values of the element column's type (the element's own options are ignored but its type). */
  array: (element: ColumnSpec, options?: ColumnOptions) => column({ kind: 'array', items: element.type }, options),
  /** A nested record with named fields. */
  struct: (fields: Record<string, ColumnSpec>, options?: ColumnOptions) => column({ kind: 'struct', fields }, options),
  /** A string-keyed map whose values have the value column's type. */
  map: (values: ColumnSpec, options?: ColumnOptions) =>
    column({ kind: 'map', keys: { kind: 'string' }, values: values.type }, options),
} as const;
