import type { QualityRule } from '../quality';
import { isObject, sameData, type OdcsNode } from './private/nodes';
import type { PropertyReader } from './property-reader';

/**
 * ODCS `quality` ↔ contract rules. A table rule sits in the schema object's `quality`, a column rule in its
 * property's. The rule's fields are ODCS's own, so a rule is written as it is, without its `column`; reading keeps
 * the fields the mesh models (a document's other fields, e.g. `id` or `tags`, stay in the document: see merge.ts).
 */

/** The rule fields the mesh models, in the order it writes them. */
const RULE_KEYS = [
  'name', 'description', 'type', 'metric', 'arguments', 'query', 'engine', 'implementation',
  'mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan', 'mustBeLessOrEqualTo', 'mustBeBetween', 'mustNotBeBetween',
  'unit', 'dimension', 'severity', 'businessImpact', 'scheduler', 'schedule',
] as const;

/** The ODCS form of a rule. */
export function odcsRule(rule: QualityRule): OdcsNode {
  const node: OdcsNode = {};
  for (const key of RULE_KEYS) if (rule[key] !== undefined) node[key] = structuredClone(rule[key]);
  return node;
}

/** The rule an ODCS quality item states (`rule`, deprecated, is read as `metric`). */
function readRule(item: OdcsNode, column: string | undefined): QualityRule {
  const rule: Record<string, unknown> = column === undefined ? {} : { column };
  for (const key of RULE_KEYS) if (item[key] !== undefined) rule[key] = item[key];
  if (rule.metric === undefined && typeof item.rule === 'string') rule.metric = item.rule;
  return rule as QualityRule;
}

function items(quality: unknown): OdcsNode[] {
  return Array.isArray(quality) ? quality.filter(isObject) : [];
}

/** The rules of a schema object: its own `quality`, then each top-level property's, in property order. */
export function readQuality(table: OdcsNode, reader: PropertyReader): QualityRule[] {
  const rules = items(table.quality).map((item) => readRule(item, undefined));
  for (const property of Array.isArray(table.properties) ? table.properties.filter(isObject) : []) {
    if (property.quality === undefined) continue;
    const column = reader.columnName(property, '');
    if (column !== undefined) rules.push(...items(property.quality).map((item) => readRule(item, column)));
  }
  return rules;
}

/** The contract's rules of one place (`undefined`: the table's), as ODCS items. */
export function rulesAt(rules: readonly QualityRule[] | undefined, column: string | undefined): OdcsNode[] {
  return (rules ?? []).filter((rule) => rule.column === column).map(odcsRule);
}

/**
 * `quality` of a document's node (schema object or property) after the merge: the document's items when they
 * state the contract's rules of that place (so their other fields stay), else the contract's rules.
 */
export function mergeQuality(node: OdcsNode, rules: readonly QualityRule[] | undefined, column: string | undefined): OdcsNode {
  const wanted = (rules ?? []).filter((rule) => rule.column === column);
  const current = items(node.quality).map((item) => readRule(item, column));
  if (sameData(current, wanted)) return node;
  const { quality: _quality, ...rest } = node;
  return wanted.length === 0 ? rest : { ...rest, quality: wanted.map(odcsRule) };
}
