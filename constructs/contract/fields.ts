import type { ColumnSpec, FieldConvention } from './types';

/**
 * The JSON key a record carries a column (or struct field) under: its `field`, else the name the
 * contract's `fields` convention derives, else the column name itself. Columns are snake_case (right for
 * Glue and Athena); events are often camelCase (`orderId`): the processor reads the key, writes the column.
 */
export function recordKey(name: string, column: Pick<ColumnSpec, 'field'>, convention?: FieldConvention): string {
  if (column.field !== undefined) return column.field;
  return convention === 'camelCase' ? camelCase(name) : name;
}

/** `order_id` → `orderId`, `line_items_v2` → `lineItemsV2`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Record-key rules, one sentence per break (the caller prefixes the product): a `field` is a non-empty
 * string other than `__proto__`, and no two columns of one level read the same key — which includes one column's key being
 * another column's name the other reads itself.
 */
export function recordKeyProblems(columns: Readonly<Record<string, ColumnSpec>>, convention: FieldConvention | undefined, prefix = ''): string[] {
  const problems: string[] = [];
  const readers = new Map<string, string>();
  for (const [name, column] of Object.entries(columns)) {
    if (typeof column !== 'object' || column === null) continue;
    if (column.field !== undefined && (typeof column.field !== 'string' || column.field === '')) {
      problems.push(`column "${prefix}${name}" has field ${JSON.stringify(column.field)}: give the record's key for it, e.g. field: '${camelCase(name)}'.`);
      continue;
    }
    if (column.field === '__proto__') {
      // JSON Schema validators (Ajv among them) leave a "__proto__" property unchecked: its values would reach the table unvalidated.
      problems.push(`column "${prefix}${name}" has field "__proto__", a key JSON Schema validators do not check: have producers send it under another key, e.g. field: '${camelCase(name)}'.`);
      continue;
    }
    const key = recordKey(name, column, convention);
    const other = readers.get(key);
    if (other !== undefined) {
      problems.push(`columns "${prefix}${other}" and "${prefix}${name}" both read the record key "${key}": give one of them another field.`);
    } else {
      readers.set(key, name);
    }
    const type = column.type as ColumnSpec['type'] | undefined;
    let nested = type;
    while (nested?.kind === 'array' || nested?.kind === 'map') nested = nested.kind === 'array' ? nested.items : nested.values;
    if (nested?.kind === 'struct' && typeof nested.fields === 'object' && nested.fields !== null) {
      problems.push(...recordKeyProblems(nested.fields, convention, `${prefix}${name}.`));
    }
  }
  return problems;
}
