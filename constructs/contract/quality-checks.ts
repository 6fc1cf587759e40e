import { QUALITY_DIMENSIONS, QUALITY_METRICS, QUALITY_SEVERITIES, THRESHOLD_OPERATORS, ruleNames, type QualityRule, type ThresholdOperator } from './quality';
import { foreignTables, type RuleTarget } from './quality-sql';
import type { ContractSpec } from './types';
import { describe, isObject } from './private/values';

type Report = (text: string) => void;

const CRON_FIELD = /^[\d*,/\-A-Za-z?LW#]+$/;
const RULE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * The names a quality rule's SQL may call the product's table by: `${table}`, the Athena name, and for a contract
 * imported from ODCS the schema object's `name` and `physicalName` (the standard's examples query those).
 */
export function qualityTarget(spec: Pick<ContractSpec, 'name' | 'domain' | 'version' | 'odcs'>, database: string = spec.domain): RuleTarget {
  const aliases: string[] = [];
  const schemas = spec.odcs !== undefined && Array.isArray(spec.odcs.document.schema) ? (spec.odcs.document.schema as unknown[]) : [];
  for (const schema of schemas.filter(isObject)) {
    if (spec.odcs?.options.schema !== undefined && schema.name !== spec.odcs.options.schema) continue;
    for (const name of [schema.name, schema.physicalName]) if (typeof name === 'string') aliases.push(name);
  }
  return { database, table: `${spec.name}_v${spec.version}`, aliases };
}

/** Checks the contract's `quality` rules; reports one sentence per broken rule, naming the rule and the fix. */
export function checkQuality(spec: ContractSpec, report: Report): void {
  if (spec.quality === undefined) return;
  if (!Array.isArray(spec.quality)) {
    report(`quality ${describe(spec.quality)} is not a list: write quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }, …].`);
    return;
  }
  const names = new Map<string, number>();
  const derived = ruleNames(spec.quality);
  spec.quality.forEach((rule: QualityRule, index) => {
    if (!isObject(rule)) {
      report(`quality[${index}] ${describe(rule)} is not a rule: write e.g. { column: 'order_id', metric: 'duplicateValues', mustBe: 0 }.`);
      return;
    }
    const name = derived[index];
    const label = `quality rule "${name}"`;
    const at = (text: string) => report(`${label}: ${text}`);
    if (!RULE_NAME.test(name)) at(`the name must be lower-case snake_case of at most 63 characters (it names a CloudWatch metric and an alarm): use e.g. name: 'order_total_matches_items'.`);
    if (names.has(name)) at(`quality[${names.get(name)}] and quality[${index}] have the same name: give one of them another name: '…'.`);
    names.set(name, index);
    checkRule(spec, rule, at);
  });
}

function checkRule(spec: ContractSpec, rule: QualityRule, at: Report): void {
  const columns = isObject(spec.columns) ? Object.keys(spec.columns) : [];
  if (rule.column !== undefined && !columns.includes(rule.column)) {
    at(`column "${rule.column}" is not a column of the contract: use one of ${columns.join(', ')}.`);
  }
  const type = rule.type ?? (rule.metric !== undefined ? 'library' : undefined);
  if (type === undefined || !['library', 'sql', 'text', 'custom'].includes(type)) {
    at(`type ${describe(rule.type)} is not an ODCS quality type: use a metric (metric: 'rowCount', …), type: 'sql' with a query, or type: 'text' / 'custom'.`);
    return;
  }
  if (rule.dimension !== undefined && !QUALITY_DIMENSIONS.includes(rule.dimension)) {
    at(`dimension ${describe(rule.dimension)} is not an ODCS dimension: use one of ${QUALITY_DIMENSIONS.join(', ')}.`);
  }
  if (rule.severity !== undefined && !QUALITY_SEVERITIES.includes(rule.severity)) {
    at(`severity ${describe(rule.severity)} is not valid: use one of ${QUALITY_SEVERITIES.join(', ')} (error fails \`mesh test\` and alarms the owner).`);
  }
  if (rule.schedule !== undefined && !isCron(rule.schedule)) {
    at(`schedule ${describe(rule.schedule)} is not a five-field cron expression (minute hour day-of-month month day-of-week, UTC): use e.g. schedule: '0 20 * * *'.`);
  }
  if (type === 'text' || type === 'custom') return;
  if (type === 'library') checkLibrary(rule, columns, at);
  else checkSql(spec, rule, at);
  checkThreshold(rule, at);
}

function checkLibrary(rule: QualityRule, columns: readonly string[], at: Report): void {
  if (!QUALITY_METRICS.includes(rule.metric as never)) {
    at(`metric ${describe(rule.metric)} is not an ODCS library metric: use one of ${QUALITY_METRICS.join(', ')}, or type: 'sql' with a query.`);
    return;
  }
  if (rule.unit !== undefined && rule.unit !== 'rows' && rule.unit !== 'percent') {
    at(`unit ${describe(rule.unit)} is not valid: use 'rows' or 'percent'.`);
  }
  if (rule.metric === 'rowCount') {
    if (rule.column !== undefined) at(`rowCount counts the rows of the table: remove column: '${rule.column}' (for a column use nullValues or missingValues).`);
    if (rule.unit === 'percent') at(`rowCount is a number of rows: remove unit: 'percent'.`);
    return;
  }
  const properties = rule.arguments?.properties;
  if (rule.metric === 'duplicateValues' && rule.column === undefined) {
    if (!Array.isArray(properties) || properties.length === 0) {
      at(`a table duplicateValues rule needs the columns that must be unique together: add arguments: { properties: ['${columns[0] ?? 'id'}', …] }, or set column: '…'.`);
    } else {
      for (const property of properties.filter((p) => !columns.includes(p))) at(`arguments.properties names "${property}", which is not a column of the contract: use columns of ${columns.join(', ')}.`);
    }
    return;
  }
  if (rule.column === undefined) at(`${rule.metric} is a column metric: add column: '<column>' (one of ${columns.join(', ')}).`);
  if (rule.metric === 'invalidValues' && rule.arguments?.validValues === undefined && rule.arguments?.pattern === undefined) {
    at(`invalidValues needs what is valid: add arguments: { validValues: […] } or arguments: { pattern: '^[A-Z]{2}$' }.`);
  }
  if (rule.arguments?.validValues !== undefined && !Array.isArray(rule.arguments.validValues)) at(`arguments.validValues must be a list of values.`);
  if (rule.arguments?.missingValues !== undefined && !Array.isArray(rule.arguments.missingValues)) at(`arguments.missingValues must be a list of values, e.g. ['', 'n/a'].`);
  if (rule.arguments?.pattern !== undefined) {
    try {
      new RegExp(rule.arguments.pattern);
    } catch {
      at(`arguments.pattern ${describe(rule.arguments.pattern)} is not a regular expression: fix it, e.g. '^[A-Z]{2}$'.`);
    }
  }
}

function checkSql(spec: ContractSpec, rule: QualityRule, at: Report): void {
  if (rule.metric !== undefined) at(`a sql rule has no metric: remove metric: '${rule.metric}', or remove type: 'sql'.`);
  if (typeof rule.query !== 'string' || rule.query.trim() === '') {
    at(`a sql rule needs a query returning one number: add query: 'SELECT count(*) FROM \${table} WHERE …'.`);
    return;
  }
  if (!/^\s*(select|with)\b/i.test(rule.query)) at(`the query must be one SELECT returning one number, got "${rule.query.trim().slice(0, 40)}…".`);
  if (rule.query.includes('${column}') && rule.column === undefined) at('the query uses ${column} but the rule has no column: add column: \'…\'.');
  const target = qualityTarget(spec);
  const foreign = foreignTables(rule.query, target);
  if (foreign.length > 0) {
    at(
      `the query reads ${foreign.map((t) => `"${t}"`).join(', ')}, and a quality rule may read only its own product (its scheduled run is granted nothing else): read \${table} (${target.database}.${target.table}).`,
    );
  }
}

function checkThreshold(rule: QualityRule, at: Report): void {
  const given = (Object.keys(THRESHOLD_OPERATORS) as ThresholdOperator[]).filter((op) => rule[op] !== undefined);
  if (given.length !== 1) {
    at(`${given.length === 0 ? 'the rule has no threshold' : `the rule has ${given.length} thresholds (${given.join(', ')})`}: give exactly one of ${Object.keys(THRESHOLD_OPERATORS).join(', ')}.`);
    return;
  }
  const operator = given[0];
  const value = rule[operator] as unknown;
  if (operator === 'mustBeBetween' || operator === 'mustNotBeBetween') {
    if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      at(`${operator} ${describe(value)} must be two numbers, smallest first, e.g. ${operator}: [1, 5].`);
      return;
    }
    if (value[0] >= value[1]) at(`${operator} [${value.join(', ')}] is impossible: give the smaller number first and two different numbers, e.g. [${Math.min(...value)}, ${Math.max(...value) + (value[0] === value[1] ? 1 : 0)}].`);
    return;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    at(`${operator} ${describe(value)} must be a number.`);
    return;
  }
  if (rule.type === 'sql') return;
  // A library metric is a count (≥ 0) or, with unit percent, a share between 0 and 100.
  const max = rule.unit === 'percent' ? 100 : Infinity;
  const what = rule.unit === 'percent' ? 'a percentage (0 to 100)' : 'a count (0 or more)';
  const impossible =
    (operator === 'mustBe' && (value < 0 || value > max)) ||
    (operator === 'mustBeLessThan' && value <= 0) ||
    (operator === 'mustBeLessOrEqualTo' && value < 0) ||
    (operator === 'mustBeGreaterThan' && value >= max) ||
    (operator === 'mustBeGreaterOrEqualTo' && value > max);
  if (impossible) at(`${operator}: ${value} can never hold for ${rule.metric}, which is ${what}: fix the threshold.`);
}

function isCron(schedule: unknown): boolean {
  if (typeof schedule !== 'string') return false;
  const fields = schedule.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => CRON_FIELD.test(f));
}
