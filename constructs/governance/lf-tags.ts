import { CLASSIFICATIONS, PARTITION_KEY, type Classification, type ColumnSpec, type ColumnType, type ContractSpec } from '../contract/types';

/**
 * The LF-Tag ontology of a mesh: two tag keys, created once by `MeshGovernance`.
 *
 * - `domain` on each domain's Glue database (tables and columns inherit it);
 * - `classification` on each product table (the product's classification) and on each column (the
 *   column's classification from the contract), so tag grants can leave PII columns out.
 */
export const LF_TAG_KEYS = {
  domain: 'domain',
  classification: 'classification',
} as const;

/** CloudFormation accepts 1-50 values per LF-Tag (`AWS::LakeFormation::Tag.TagValues`). */
export const MAX_LF_TAG_VALUES = 50;

const rank = (classification: string): number => CLASSIFICATIONS.indexOf(classification as Classification);

function highest(classifications: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const c of classifications) {
    if (c === undefined) continue;
    if (best === undefined || rank(c) > rank(best)) best = c;
  }
  return best;
}

function nestedClassification(type: ColumnType): string | undefined {
  switch (type.kind) {
    case 'struct':
      return highest(Object.values(type.fields).map((f) => highest([f.classification, nestedClassification(f.type)])));
    case 'array':
      return nestedClassification(type.items);
    case 'map':
      return nestedClassification(type.values);
    default:
      return undefined;
  }
}

/**
 * The classification of a product's ordinary (unclassified) columns, which the table itself carries.
 *
 * When no column reaches the product's classification, the product declared it for all its data
 * (e.g. `classification: 'confidential'`): every unclassified column is that. When columns explain it
 * (a `pii` product is `pii` because of its `email` column), the other columns are `internal` (or the
 * product's own classification if it is lower, e.g. `public`). Columns above it carry their own tag,
 * so a tag grant that leaves `pii` out still reads the table, without those columns.
 */
export function defaultColumnClassification(spec: ContractSpec): string {
  const product = spec.classification;
  const highestColumn = highest(
    Object.values(spec.columns).map((c) => highest([c.classification, nestedClassification(c.type)])),
  );
  if (highestColumn === undefined || rank(highestColumn) < rank(product)) return product;
  return rank(product) <= rank('internal') ? product : 'internal';
}

/**
 * The LF-Tag classification of one top-level column: the highest of its own classification and its
 * nested fields' (a struct holding a PII field is PII as a whole: LF tags top-level columns only).
 */
export function columnClassification(column: ColumnSpec, fallback: string): string {
  return highest([column.classification, nestedClassification(column.type)]) ?? fallback;
}

/**
 * Top-level column names (plus the `dt` partition key) grouped by LF-Tag classification, in
 * declaration order: `{ internal: ['customer_id', 'country', 'registered_at', 'dt'], pii: ['email'] }`.
 */
export function columnsByClassification(spec: ContractSpec): Record<string, string[]> {
  const fallback = defaultColumnClassification(spec);
  const groups: Record<string, string[]> = {};
  const add = (classification: string, name: string) => (groups[classification] ??= []).push(name);
  for (const [name, column] of Object.entries(spec.columns)) add(columnClassification(column, fallback), name);
  add(fallback, PARTITION_KEY);
  return groups;
}

/** Top-level columns whose LF-Tag classification is `pii` (what a column grant without a reason excludes). */
export function piiColumnsOf(spec: ContractSpec): string[] {
  return columnsByClassification(spec).pii ?? [];
}
