/**
 * The processor plan: the part of a contract the processor needs at run time, in a compact,
 * JSON-serialisable form that the generated entry module embeds (descriptions, owners and examples
 * stay out of the Lambda bundle).
 *
 * `buildPlan` runs at build time (codegen); the runtime only uses the types.
 */
import { recordKey } from '../../constructs/contract/fields';
import type { ColumnSpec, ColumnType, ContractSpec, FieldConvention } from '../../constructs/contract/types';

/** How one value is normalised. `v` values (identity) are copied as they are. */
export type TypePlan =
  | { readonly k: 'v'; readonly g: string }
  | { readonly k: 'ts'; readonly g: 'timestamp' }
  | { readonly k: 'date'; readonly g: 'date' }
  | { readonly k: 'dec'; readonly g: string; readonly p: number; readonly s: number }
  | { readonly k: 'arr'; readonly g: string; readonly items: TypePlan }
  | { readonly k: 'map'; readonly g: string; readonly values: TypePlan }
  | { readonly k: 'struct'; readonly g: string; readonly fields: readonly FieldPlan[] };

/** One column or struct field. */
export interface FieldPlan {
  readonly name: string;
  /** The record key it is read from, when that is not `name` (e.g. `orderId` for `order_id`). */
  readonly key?: string;
  readonly required: boolean;
  /** Classified `pii`: failure reasons never echo its value. */
  readonly pii: boolean;
  readonly type: TypePlan;
}

export interface ProcessorPlan {
  /** `<domain>.<name>.v<version>`, e.g. `orders.order_placed.v1`. */
  readonly id: string;
  readonly columns: readonly FieldPlan[];
  readonly partition: {
    /** The top-level column `dt` is derived from. */
    readonly column: string;
    readonly granularity: 'day' | 'hour';
  };
}

function glue(type: ColumnType): string {
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${glue(type.items)}>`;
    case 'map':
      return `map<${glue(type.keys)},${glue(type.values)}>`;
    case 'struct':
      return `struct<${Object.entries(type.fields)
        .map(([name, field]) => `${name}:${glue(field.type)}`)
        .join(',')}>`;
    default:
      return type.kind;
  }
}

function typePlan(type: ColumnType, convention: FieldConvention | undefined): TypePlan {
  switch (type.kind) {
    case 'timestamp':
      return { k: 'ts', g: 'timestamp' };
    case 'date':
      return { k: 'date', g: 'date' };
    case 'decimal':
      return { k: 'dec', g: glue(type), p: type.precision, s: type.scale };
    case 'array':
      return { k: 'arr', g: glue(type), items: typePlan(type.items, convention) };
    case 'map':
      return { k: 'map', g: glue(type), values: typePlan(type.values, convention) };
    case 'struct':
      return { k: 'struct', g: glue(type), fields: fieldPlans(type.fields, convention) };
    default:
      return { k: 'v', g: type.kind };
  }
}

function fieldPlans(fields: Readonly<Record<string, ColumnSpec>>, convention: FieldConvention | undefined, parentPii = false): FieldPlan[] {
  return Object.entries(fields).map(([name, column]) => {
    const pii = parentPii || column.classification === 'pii';
    const type = typePlan(column.type, convention);
    const key = recordKey(name, column, convention);
    return { name, ...(key !== name && { key }), required: column.required, pii, type: pii ? markPii(type) : type };
  });
}

/** Struct fields under a PII column inherit the classification. */
function markPii(type: TypePlan): TypePlan {
  switch (type.k) {
    case 'struct':
      return { ...type, fields: type.fields.map((f) => ({ ...f, pii: true, type: markPii(f.type) })) };
    case 'arr':
      return { ...type, items: markPii(type.items) };
    case 'map':
      return { ...type, values: markPii(type.values) };
    default:
      return type;
  }
}

/** The processor plan of a contract. Throws when the partition column is not a top-level date/timestamp. */
export function buildPlan(spec: ContractSpec): ProcessorPlan {
  const id = `${spec.domain}.${spec.name}.v${spec.version}`;
  const partitionColumn = spec.columns[spec.partitionBy.column];
  if (partitionColumn === undefined || (partitionColumn.type.kind !== 'timestamp' && partitionColumn.type.kind !== 'date')) {
    throw new Error(
      `Contract "${id}": the partition column "${spec.partitionBy.column}" must be a top-level date or timestamp column ` +
        `(declare it in "columns" with col.timestamp({ required: true }) or col.date({ required: true })).`,
    );
  }
  if (!partitionColumn.required) {
    throw new Error(
      `Contract "${id}": the partition column "${spec.partitionBy.column}" must be required, ` +
        `otherwise a record without it has no dt partition (set required: true).`,
    );
  }
  return {
    id,
    columns: fieldPlans(spec.columns, spec.fields),
    partition: { column: spec.partitionBy.column, granularity: spec.partitionBy.granularity ?? 'day' },
  };
}
