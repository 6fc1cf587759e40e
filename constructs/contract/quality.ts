/**
 * Data-quality rules of a contract, in the vocabulary of ODCS v3.1 `quality`: library metrics (`rowCount`,
 * `nullValues`, `missingValues`, `invalidValues`, `duplicateValues`) and `sql` rules, each compared with one
 * threshold (`mustBe`, `mustBeGreaterThan`, `mustBeBetween`…). Plain data, like the rest of the contract: the same
 * rules travel to the manifest, the ODCS document, `mesh test` and the scheduled run on AWS.
 */

/** The ODCS library metrics. */
export const QUALITY_METRICS = ['rowCount', 'nullValues', 'missingValues', 'invalidValues', 'duplicateValues'] as const;
export type QualityMetric = (typeof QUALITY_METRICS)[number];

/** The ODCS data-quality dimensions. */
export const QUALITY_DIMENSIONS = ['accuracy', 'completeness', 'conformity', 'consistency', 'coverage', 'timeliness', 'uniqueness'] as const;
export type QualityDimension = (typeof QUALITY_DIMENSIONS)[number];

/** What a failing rule means: `error` fails `mesh test` (exit 1) and alarms the owner on AWS. */
export const QUALITY_SEVERITIES = ['info', 'warning', 'error'] as const;
export type QualitySeverity = (typeof QUALITY_SEVERITIES)[number];

/** The ODCS threshold operators, each with its comparison. */
export const THRESHOLD_OPERATORS = {
  mustBe: '=',
  mustNotBe: '≠',
  mustBeGreaterThan: '>',
  mustBeGreaterOrEqualTo: '≥',
  mustBeLessThan: '<',
  mustBeLessOrEqualTo: '≤',
  mustBeBetween: 'between',
  mustNotBeBetween: 'not between',
} as const;
export type ThresholdOperator = keyof typeof THRESHOLD_OPERATORS;

/** Arguments of a library metric (ODCS `arguments`). */
export interface QualityArguments {
  /** `invalidValues`: the values that are valid (every other non-null value is invalid). */
  readonly validValues?: readonly unknown[];
  /** `invalidValues`: a regular expression valid values match. */
  readonly pattern?: string;
  /** `missingValues`: values that count as missing besides null, e.g. `['', 'n/a']`. */
  readonly missingValues?: readonly unknown[];
  /** `duplicateValues` on the table: the columns whose combination must be unique. */
  readonly properties?: readonly string[];
}

/**
 * One quality rule, with ODCS's field names. A rule with `column` is a column rule (ODCS: in the property's
 * `quality`), one without is a table rule (in the schema object's `quality`).
 *
 * @example
 * quality: [
 *   { metric: 'rowCount', mustBeGreaterThan: 100, dimension: 'completeness', description: 'A day has orders.' },
 *   { column: 'country', metric: 'invalidValues', arguments: { validValues: ['DE', 'FR'] }, mustBe: 0 },
 *   { type: 'sql', name: 'total_matches_items', query: 'SELECT count(*) FROM ${table} WHERE …', mustBe: 0 },
 * ]
 */
export interface QualityRule {
  /** The (top-level) column the rule is about. @default - a table rule */
  readonly column?: string;
  /** @default - 'library' when `metric` is set */
  readonly type?: 'library' | 'sql' | 'text' | 'custom';
  /** The library metric (type `library`). */
  readonly metric?: QualityMetric;
  readonly arguments?: QualityArguments;
  /**
   * The SQL of a `sql` rule, returning one number: Athena SQL reading only this product's table, written as
   * `${table}` (or its Athena name); `${column}` is the rule's column. It runs on one `dt` partition.
   */
  readonly query?: string;
  readonly mustBe?: number;
  readonly mustNotBe?: number;
  readonly mustBeGreaterThan?: number;
  readonly mustBeGreaterOrEqualTo?: number;
  readonly mustBeLessThan?: number;
  readonly mustBeLessOrEqualTo?: number;
  readonly mustBeBetween?: readonly [number, number];
  readonly mustNotBeBetween?: readonly [number, number];
  /** What a library metric counts in: `rows`, or `percent` of the rows. @default 'rows' */
  readonly unit?: 'rows' | 'percent';
  /** The rule's name (snake_case): the metric and alarm name. @default - derived from column and metric, see {@link ruleName} */
  readonly name?: string;
  readonly description?: string;
  readonly dimension?: QualityDimension;
  /** @default 'error' */
  readonly severity?: QualitySeverity;
  /** ODCS `businessImpact`, e.g. `operational`. */
  readonly businessImpact?: string;
  /** A five-field cron expression (UTC) for the scheduled run on AWS. @default - daily, after the day's partition closes */
  readonly schedule?: string;
  /** ODCS `scheduler`, e.g. `cron`. */
  readonly scheduler?: string;
  /** `custom` rules: the engine (e.g. `soda`); the mesh keeps them but does not run them. */
  readonly engine?: string;
  readonly implementation?: unknown;
}

/** The default severity of a rule. */
export const DEFAULT_SEVERITY: QualitySeverity = 'error';

/** A rule with its name and severity settled, and whether the contract implies it (primary key, `required`). */
export interface ResolvedRule extends QualityRule {
  readonly name: string;
  readonly severity: QualitySeverity;
  /** `primaryKey` or `required` implied the rule; the author did not write it. */
  readonly implied?: 'primaryKey' | 'required';
}

/** The threshold of a rule: its operator and value(s); undefined when it has none. */
export function thresholdOf(rule: QualityRule): { readonly operator: ThresholdOperator; readonly value: number | readonly [number, number] } | undefined {
  for (const operator of Object.keys(THRESHOLD_OPERATORS) as ThresholdOperator[]) {
    const value = rule[operator];
    if (value !== undefined) return { operator, value };
  }
  return undefined;
}

/** Whether `measured` meets the rule's threshold. */
export function meetsThreshold(rule: QualityRule, measured: number): boolean {
  const threshold = thresholdOf(rule);
  return threshold === undefined || meetsOperator(threshold.operator, threshold.value, measured);
}

/**
 * Whether `measured` meets `operator` with `value` (one number, or `[low, high]` for the between operators); also what
 * the scheduled run compares with, where the operator arrives as text (unknown → an error).
 */
export function meetsOperator(operator: string, value: number | readonly [number, number], measured: number): boolean {
  const [low, high] = Array.isArray(value) ? value : [value, value];
  switch (operator as ThresholdOperator) {
    case 'mustBe':
      return measured === low;
    case 'mustNotBe':
      return measured !== low;
    case 'mustBeGreaterThan':
      return measured > low;
    case 'mustBeGreaterOrEqualTo':
      return measured >= low;
    case 'mustBeLessThan':
      return measured < low;
    case 'mustBeLessOrEqualTo':
      return measured <= low;
    case 'mustBeBetween':
      return measured >= low && measured <= high;
    case 'mustNotBeBetween':
      return measured < low || measured > high;
    default:
      throw new Error(`Unknown threshold operator "${operator}".`);
  }
}

/** The threshold in words-and-signs, e.g. `= 0`, `> 100 rows`, `between 1 and 5 %`. */
export function describeThreshold(rule: QualityRule): string {
  const threshold = thresholdOf(rule);
  if (threshold === undefined) return '-';
  const unit = rule.unit === 'percent' ? ' %' : '';
  const sign = THRESHOLD_OPERATORS[threshold.operator];
  return Array.isArray(threshold.value) ? `${sign} ${threshold.value[0]} and ${threshold.value[1]}${unit}` : `${sign} ${threshold.value}${unit}`;
}

const METRIC_WORDS: Record<QualityMetric, string> = {
  rowCount: 'rows',
  nullValues: 'null values',
  missingValues: 'missing values',
  invalidValues: 'invalid values',
  duplicateValues: 'duplicate values',
};

/** The rule in words, for people (the catalog, `mesh test`): its description, else what it measures. */
export function describeRule(rule: QualityRule): string {
  if (rule.description !== undefined && rule.description !== '') return rule.description;
  const where = rule.column !== undefined ? ` of ${rule.column}` : rule.arguments?.properties !== undefined ? ` of (${rule.arguments.properties.join(', ')})` : '';
  if (rule.metric !== undefined) {
    const extra =
      rule.arguments?.validValues !== undefined
        ? ` (valid: ${rule.arguments.validValues.map((v) => JSON.stringify(v)).join(', ')})`
        : rule.arguments?.missingValues !== undefined
          ? ` (missing: null, ${rule.arguments.missingValues.map((v) => JSON.stringify(v)).join(', ')})`
          : '';
    return `${rule.unit === 'percent' ? 'share of ' : 'number of '}${METRIC_WORDS[rule.metric]}${where}${extra} must be ${describeThreshold(rule)}`;
  }
  if (rule.type === 'sql') return `the result of its SQL must be ${describeThreshold(rule)}`;
  return rule.type === 'custom' ? `a ${rule.engine ?? 'custom'} check (not run by the mesh)` : 'a rule in words (not run by the mesh)';
}

/** What people are shown of a rule wherever it is listed (the catalog, `mesh test`, the scheduled run's results). */
export interface RuleSummary {
  readonly name: string;
  readonly column?: string;
  readonly dimension?: string;
  readonly severity: QualitySeverity;
  readonly description: string;
  readonly threshold: string;
}

/** The rule's {@link RuleSummary}: its name, column and dimension when it has them, severity, words and threshold. */
export function ruleSummary(rule: ResolvedRule): RuleSummary {
  return {
    name: rule.name,
    ...(rule.column !== undefined && { column: rule.column }),
    ...(rule.dimension !== undefined && { dimension: rule.dimension }),
    severity: rule.severity,
    description: describeRule(rule),
    threshold: describeThreshold(rule),
  };
}

/** Whether the mesh runs the rule (`text` and `custom` rules are kept for people and other tools). */
export function isRunnable(rule: QualityRule): boolean {
  return rule.metric !== undefined || rule.type === 'sql';
}

/** `nullValues` → `null_values`. */
function snake(text: string): string {
  return text.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * A rule's name: its `name`, else `<column>_<metric>` (`order_id_duplicate_values`), `<metric>` for a table rule
 * (`row_count`), or `<column or table>_<type>` (`table_sql`); a second unnamed rule of the same kind gets `_2`, and so on.
 */
export function ruleNames(rules: readonly QualityRule[]): string[] {
  const seen = new Map<string, number>();
  return rules.map((rule) => {
    if (typeof rule !== 'object' || rule === null) return '';
    if (rule.name !== undefined) return rule.name;
    const subject = rule.column !== undefined ? `${rule.column}_` : '';
    const base = rule.metric !== undefined ? `${subject}${snake(rule.metric)}` : `${subject || 'table_'}${rule.type ?? 'rule'}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

/**
 * The rules in the order an ODCS document holds them: table rules first, then column rules in column order (the
 * order of the rules of one place is kept). The contract keeps them in this order so that an export imports again
 * to the same contract.
 */
export function orderRules(rules: readonly QualityRule[], columns: readonly string[]): QualityRule[] {
  const rank = (rule: QualityRule) => (typeof rule !== 'object' || rule === null || rule.column === undefined ? -1 : columns.includes(rule.column) ? columns.indexOf(rule.column) : columns.length);
  return rules.map((rule, index) => ({ rule, index })).sort((a, b) => rank(a.rule) - rank(b.rule) || a.index - b.index).map(({ rule }) => rule);
}

/**
 * Every rule of a contract, named, with its severity, and the rules the contract implies: a primary key column must
 * be unique (`duplicateValues` = 0) and a required column must never be null (`nullValues` = 0), unless the author
 * wrote that metric for that column already.
 */
export function qualityRules(spec: {
  readonly columns: Readonly<Record<string, { readonly required: boolean; readonly primaryKey?: boolean }>>;
  readonly quality?: readonly QualityRule[];
}): ResolvedRule[] {
  const names = ruleNames(spec.quality ?? []);
  const written = (spec.quality ?? []).map((rule, index): ResolvedRule => ({ ...rule, name: names[index], severity: rule.severity ?? DEFAULT_SEVERITY }));
  const has = (column: string, metric: QualityMetric) => written.some((r) => r.column === column && r.metric === metric);
  const implied: ResolvedRule[] = [];
  for (const [column, spec_] of Object.entries(spec.columns)) {
    if (spec_.primaryKey === true && !has(column, 'duplicateValues')) {
      implied.push({ column, metric: 'duplicateValues', mustBe: 0, dimension: 'uniqueness', severity: 'error', name: `${column}_duplicate_values`, implied: 'primaryKey' });
    }
    if (spec_.required && !has(column, 'nullValues')) {
      implied.push({ column, metric: 'nullValues', mustBe: 0, dimension: 'completeness', severity: 'error', name: `${column}_null_values`, implied: 'required' });
    }
  }
  return [...implied, ...written];
}
