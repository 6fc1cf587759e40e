/**
 * Classifies the differences between two versions of one product's contract: what a consumer of the old
 * one would notice (breaking) and what it would not (non-breaking). Pure: no files, no CLI.
 *
 * Breaking: a column or nested field removed; a type changed other than a safe widening (int → bigint,
 * float → double, decimal precision up with the same scale); an optional column made required; a required
 * column added; the partition column or granularity changed; a classification lowered or removed.
 * Non-breaking: an optional column added; description, tags, examples changed; required relaxed to
 * optional; a widening; a classification raised; SLA, owner, deprecation and other metadata changed.
 * The column rules apply at every depth: inside structs, array elements and map values.
 */
import { glueType } from '../../constructs/contract/glue-types';
import { recordKey } from '../../constructs/contract/fields';
import type { ColumnSpec, ColumnType, ContractSpec, FieldConvention } from '../../constructs/contract/types';
import { CLASSIFICATIONS } from '../../constructs/contract/types';

/** What changed. */
export type ChangeKind =
  | 'added'
  | 'removed'
  | 'type'
  | 'required'
  | 'classification'
  | 'description'
  | 'examples'
  | 'primary-key'
  | 'record-key'
  | 'partition'
  | 'tags'
  | 'sla'
  | 'owner'
  | 'deprecation'
  | 'volume'
  | 'example-queries';

/** The rule a change falls under; `BREAKING_RULES` lists the ones that break consumers. */
export const RULES = {
  columnRemoved: 'column removed',
  nestedFieldRemoved: 'nested field removed',
  requiredColumnAdded: 'required column added',
  optionalColumnAdded: 'optional column added',
  typeChanged: 'type changed',
  widening: 'safe widening',
  madeRequired: 'optional column made required',
  relaxed: 'required relaxed to optional',
  classificationLowered: 'classification lowered',
  classificationRemoved: 'classification removed',
  classificationRaised: 'classification raised',
  classificationAdded: 'classification added',
  descriptionChanged: 'description changed',
  examplesChanged: 'examples changed',
  primaryKeyChanged: 'primary key changed',
  recordKeyChanged: 'record key changed',
  partitionColumnChanged: 'partition column changed',
  partitionGranularityChanged: 'partition granularity changed',
  tagsChanged: 'tags changed',
  slaChanged: 'SLA changed',
  ownerChanged: 'owner changed',
  deprecationChanged: 'deprecation changed',
  volumeChanged: 'volume changed',
  exampleQueriesChanged: 'example queries changed',
} as const;

export type Rule = (typeof RULES)[keyof typeof RULES];

export const BREAKING_RULES: ReadonlySet<Rule> = new Set<Rule>([
  RULES.columnRemoved,
  RULES.nestedFieldRemoved,
  RULES.requiredColumnAdded,
  RULES.typeChanged,
  RULES.madeRequired,
  // Producers send the old key: their records are refused.
  RULES.recordKeyChanged,
  RULES.classificationLowered,
  RULES.classificationRemoved,
  RULES.partitionColumnChanged,
  RULES.partitionGranularityChanged,
]);

/** One classified difference. */
export interface ContractChange {
  /** The product version, e.g. `orders.order_placed.v1`. */
  readonly product: string;
  /** The column path (`shipping.city`, `line_items[].sku`, `attributes{}`), or `null` for product-level fields. */
  readonly column: string | null;
  readonly kind: ChangeKind;
  /** The value before (a Glue type string for types; `null` when absent). */
  readonly old: unknown;
  /** The value after (`null` when absent). */
  readonly new: unknown;
  readonly rule: Rule;
  readonly breaking: boolean;
}

/** Every difference from `old` to `next`, in column order (removed columns where they were). */
export function diffContracts(old: ContractSpec, next: ContractSpec): ContractChange[] {
  const product = `${next.domain}.${next.name}.v${next.version}`;
  const changes: ContractChange[] = [];
  const add = (column: string | null, kind: ChangeKind, before: unknown, after: unknown, rule: Rule) =>
    changes.push({ product, column, kind, old: before ?? null, new: after ?? null, rule, breaking: BREAKING_RULES.has(rule) });

  diffFields(old.columns, next.columns, '', add, { old: old.fields, next: next.fields });

  if (old.partitionBy.column !== next.partitionBy.column) {
    add(null, 'partition', old.partitionBy.column, next.partitionBy.column, RULES.partitionColumnChanged);
  }
  if ((old.partitionBy.granularity ?? 'day') !== (next.partitionBy.granularity ?? 'day')) {
    add(null, 'partition', old.partitionBy.granularity, next.partitionBy.granularity, RULES.partitionGranularityChanged);
  }
  classificationChange(old.classification, next.classification, (before, after, rule) => add(null, 'classification', before, after, rule));
  if (old.description !== next.description) add(null, 'description', old.description, next.description, RULES.descriptionChanged);
  if (!same(old.tags, next.tags)) add(null, 'tags', old.tags, next.tags, RULES.tagsChanged);
  if (!same(old.sla, next.sla)) add(null, 'sla', old.sla, next.sla, RULES.slaChanged);
  if (!same(old.owner, next.owner)) add(null, 'owner', old.owner, next.owner, RULES.ownerChanged);
  if (!same(old.deprecated, next.deprecated)) add(null, 'deprecation', old.deprecated, next.deprecated, RULES.deprecationChanged);
  if (!same(old.volume, next.volume)) add(null, 'volume', old.volume, next.volume, RULES.volumeChanged);
  if (!same(old.exampleQueries ?? [], next.exampleQueries ?? [])) {
    add(null, 'example-queries', old.exampleQueries, next.exampleQueries, RULES.exampleQueriesChanged);
  }
  return changes;
}

type Add = (column: string | null, kind: ChangeKind, before: unknown, after: unknown, rule: Rule) => void;

/** The record-key conventions of the two versions. */
interface Conventions {
  readonly old?: FieldConvention;
  readonly next?: FieldConvention;
}

function diffFields(
  old: Readonly<Record<string, ColumnSpec>>,
  next: Readonly<Record<string, ColumnSpec>>,
  prefix: string,
  add: Add,
  conventions: Conventions,
): void {
  const nested = prefix !== '';
  for (const name of mergedOrder(Object.keys(old), Object.keys(next))) {
    const path = `${prefix}${name}`;
    const before = old[name];
    const after = next[name];
    if (after === undefined) {
      add(path, 'removed', glueType(before.type), null, nested ? RULES.nestedFieldRemoved : RULES.columnRemoved);
    } else if (before === undefined) {
      add(path, 'added', null, glueType(after.type), after.required ? RULES.requiredColumnAdded : RULES.optionalColumnAdded);
    } else {
      diffColumn(before, after, path, add, conventions);
      const [from, to] = [recordKey(name, before, conventions.old), recordKey(name, after, conventions.next)];
      if (from !== to) add(path, 'record-key', from, to, RULES.recordKeyChanged);
    }
  }
}

function diffColumn(before: ColumnSpec, after: ColumnSpec, path: string, add: Add, conventions: Conventions): void {
  diffType(before.type, after.type, path, add, conventions);
  if (before.required !== after.required) {
    add(path, 'required', before.required, after.required, after.required ? RULES.madeRequired : RULES.relaxed);
  }
  classificationChange(before.classification, after.classification, (from, to, rule) => add(path, 'classification', from, to, rule));
  if ((before.description ?? '') !== (after.description ?? '')) {
    add(path, 'description', before.description, after.description, RULES.descriptionChanged);
  }
  if (!same(before.examples ?? [], after.examples ?? [])) add(path, 'examples', before.examples, after.examples, RULES.examplesChanged);
  if ((before.primaryKey ?? false) !== (after.primaryKey ?? false)) {
    add(path, 'primary-key', before.primaryKey ?? false, after.primaryKey ?? false, RULES.primaryKeyChanged);
  }
}

function diffType(before: ColumnType, after: ColumnType, path: string, add: Add, conventions: Conventions): void {
  if (before.kind === after.kind) {
    switch (before.kind) {
      case 'struct':
        diffFields(before.fields, (after as typeof before).fields, `${path}.`, add, conventions);
        return;
      case 'array':
        diffType(before.items, (after as typeof before).items, `${path}[]`, add, conventions);
        return;
      case 'map':
        diffType(before.values, (after as typeof before).values, `${path}{}`, add, conventions);
        return;
      case 'decimal': {
        const next = after as typeof before;
        if (before.precision === next.precision && before.scale === next.scale) return;
        const widening = before.scale === next.scale && next.precision > before.precision;
        add(path, 'type', glueType(before), glueType(after), widening ? RULES.widening : RULES.typeChanged);
        return;
      }
      default:
        return;
    }
  }
  add(path, 'type', glueType(before), glueType(after), isWidening(before, after) ? RULES.widening : RULES.typeChanged);
}

/** Scalar widenings every reader (Athena over old Parquet files, consumers' code) handles. */
const WIDENINGS: ReadonlySet<string> = new Set(['int>bigint', 'float>double']);

function isWidening(before: ColumnType, after: ColumnType): boolean {
  return WIDENINGS.has(`${before.kind}>${after.kind}`);
}

function classificationChange(
  before: string | undefined,
  after: string | undefined,
  report: (before: unknown, after: unknown, rule: Rule) => void,
): void {
  if (before === after) return;
  if (after === undefined) return report(before, null, RULES.classificationRemoved);
  if (before === undefined) return report(null, after, RULES.classificationAdded);
  const rank = (c: string) => (CLASSIFICATIONS as readonly string[]).indexOf(c);
  report(before, after, rank(after) < rank(before) ? RULES.classificationLowered : RULES.classificationRaised);
}

/** The names of both sides in one order: the new order, with removed names kept after their old predecessor. */
function mergedOrder(old: readonly string[], next: readonly string[]): string[] {
  const result = [...next];
  old.forEach((name, index) => {
    if (result.includes(name)) return;
    const predecessor = old.slice(0, index).reverse().find((n) => result.includes(n));
    result.splice(predecessor === undefined ? 0 : result.indexOf(predecessor) + 1, 0, name);
  });
  return result;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Key-order independent form of JSON data, for comparisons. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
