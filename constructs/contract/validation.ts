import { MeshError } from '../errors';
import { NAME_LIMITS, SNAKE_CASE } from '../naming/naming';
import { exampleProblems } from './examples';
import { recordKeyProblems } from './fields';
import { ownerTeamProblem } from './tag-values';
import { checkQuality } from './quality-checks';
import type { ColumnSpec, ColumnType, ContractSpec } from './types';
import { PERSONAL_DATA_TOKENS, SQL_RESERVED_WORDS, personalDataToken } from './words';
import { CLASSIFICATIONS, PARTITION_KEY } from './types';
import { describe, isCalendarDate, isIsoDate, isNonEmptyString, isObject, isPositiveNumber, shorten } from './private/values';

/**
 * A contract that breaks a rule. The message names the product (`orders.order_placed`), the column
 * (`line_items[].sku`, `shipping.city`), the bad value and the fix. When several rules are broken,
 * `problems` lists each one and the message lists them all.
 */
export class ContractError extends MeshError {
  /** Every rule the contract breaks, one full sentence each. */
  public readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = [message]) {
    super(message);
    this.name = 'ContractError';
    this.problems = problems;
  }
}

export { PERSONAL_DATA_TOKENS, SQL_RESERVED_WORDS, personalDataToken };

const KINDS = ['string', 'boolean', 'int', 'bigint', 'float', 'double', 'decimal', 'date', 'timestamp', 'array', 'struct', 'map'];
const MAX_DECIMAL_PRECISION = 38;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PRODUCT_ID = /^[a-z][a-z0-9]*(_[a-z0-9]+)*\.[a-z][a-z0-9]*(_[a-z0-9]+)*\.v[1-9]\d*$/;
const SNAKE_CASE_RULE = 'must be lower-case snake_case (a-z, 0-9 and single underscores, starting with a letter)';
const CLASSIFICATION_LIST = CLASSIFICATIONS.join(', ');

/** Checks every contract rule; throws one `ContractError` listing every violation. */
export function validateContract(spec: ContractSpec): void {
  const problems = contractProblems(spec);
  if (problems.length === 1) throw new ContractError(problems[0], problems);
  if (problems.length > 1) {
    throw new ContractError(
      `${productLabel(spec)} breaks ${problems.length} contract rules:\n${problems.map((p) => `- ${p}`).join('\n')}`,
      problems,
    );
  }
}

/** Every rule `spec` breaks, one sentence each (empty when the contract is valid). */
export function contractProblems(spec: ContractSpec): string[] {
  if (!isObject(spec)) {
    return [`Contract.of needs a props object, got ${describe(spec)}: pass { name, domain, owner, description, columns, partitionBy }.`];
  }
  const label = productLabel(spec);
  const problems: string[] = [];
  const report = (text: string) => problems.push(`${label}: ${text}`);

  checkProductName(spec, report);
  checkDomain(spec, report);
  if (!(Number.isInteger(spec.version) && spec.version > 0)) {
    report(`version ${describe(spec.version)} is not valid: use a positive integer major version, e.g. version: 1.`);
  }
  checkOwner(spec, report);
  const teamProblem = ownerTeamProblem(isObject(spec.owner) ? spec.owner.team : undefined);
  if (teamProblem !== undefined) report(teamProblem);
  if (!isNonEmptyString(spec.description)) {
    report(`the product has no description: add description: '…' saying what one record means.`);
  }
  if (!isClassification(spec.classification)) {
    report(`classification ${describe(spec.classification)} is not valid: use one of ${CLASSIFICATION_LIST}.`);
  }
  checkSla(spec, report);
  checkTags(spec, report);
  checkVolume(spec, report);
  checkDeprecation(spec, report);
  checkExampleQueries(spec, report);

  if (!isObject(spec.columns) || Object.keys(spec.columns).length === 0) {
    report(`the contract has no columns: declare at least one in columns: { … }.`);
  } else {
    if (Object.keys(spec.columns).includes(PARTITION_KEY)) {
      report(`column "${PARTITION_KEY}" collides with the "${PARTITION_KEY}" partition key every product table has: rename it, e.g. "event_date".`);
    }
    checkFields(spec.columns, '', report);
    checkPartition(spec, report);
    if (spec.fields !== undefined && spec.fields !== 'camelCase') {
      report(`fields ${describe(spec.fields)} is not a record-key convention: use fields: 'camelCase', or give columns their own field.`);
    }
    for (const problem of recordKeyProblems(spec.columns, spec.fields)) report(problem);
    problems.push(...exampleProblems(spec.columns, label, spec.fields));
    checkQuality(spec, report);
  }
  return problems;
}

type Report = (text: string) => void;

function checkProductName(spec: ContractSpec, report: Report): void {
  if (!isNonEmptyString(spec.name)) {
    report(`product name is missing: add name: 'order_placed' (lower-case snake_case).`);
  } else if (!SNAKE_CASE.test(spec.name)) {
    report(`product name "${spec.name}" ${SNAKE_CASE_RULE}: use e.g. "${suggestSnakeCase(spec.name)}".`);
  } else {
    const table = `${spec.name}_v${Number.isInteger(spec.version) ? spec.version : 1}`;
    const bytes = Buffer.byteLength(table);
    if (bytes > NAME_LIMITS.glueName) {
      report(`product name "${shorten(spec.name)}" makes a ${bytes}-byte table name: Glue names are at most ${NAME_LIMITS.glueName} bytes; shorten it.`);
    }
  }
}

function checkDomain(spec: ContractSpec, report: Report): void {
  if (!isNonEmptyString(spec.domain)) {
    report(`domain is missing: add domain: 'orders' (lower-case snake_case).`);
  } else if (!SNAKE_CASE.test(spec.domain)) {
    report(`domain "${spec.domain}" ${SNAKE_CASE_RULE}: use e.g. "${suggestSnakeCase(spec.domain)}".`);
  } else if (Buffer.byteLength(spec.domain) > NAME_LIMITS.glueName) {
    report(`domain "${shorten(spec.domain)}" is ${Buffer.byteLength(spec.domain)} bytes long: Glue database names are at most ${NAME_LIMITS.glueName} bytes; shorten it.`);
  } else if (SQL_RESERVED_WORDS.has(spec.domain)) {
    report(`domain "${spec.domain}" is an SQL reserved word in Athena (it names the Glue database): rename it, e.g. "${spec.domain}_domain".`);
  }
}

function checkOwner(spec: ContractSpec, report: Report): void {
  const owner = spec.owner as unknown;
  if (!isObject(owner)) {
    report(`owner is missing: add owner: { team: 'orders-team', contact: 'orders@example.com' }.`);
    return;
  }
  if (!isNonEmptyString(owner.team)) {
    report(`owner.team is empty: name the owning team, e.g. owner: { team: 'orders-team', … }.`);
  }
  if (!isNonEmptyString(owner.contact)) {
    report(`owner.contact is empty: give the e-mail address that reaches the owning team, e.g. contact: 'orders@example.com'.`);
  } else if (!EMAIL.test(owner.contact)) {
    report(`owner.contact "${owner.contact}" is not an e-mail address: give the address that reaches the owning team (alarms go there), e.g. contact: 'orders@example.com'.`);
  }
}

function checkSla(spec: ContractSpec, report: Report): void {
  if (spec.sla === undefined) return;
  if (!isObject(spec.sla)) {
    report(`sla ${describe(spec.sla)} is not valid: use e.g. sla: { freshnessMinutes: 60, retentionDays: 365 }.`);
    return;
  }
  const units = { freshnessMinutes: ['minutes', 60], retentionDays: ['days', 365] } as const;
  for (const [key, [unit, example]] of Object.entries(units)) {
    const value = (spec.sla as Record<string, unknown>)[key];
    if (value !== undefined && !isPositiveNumber(value)) {
      report(`sla.${key} ${describe(value)} is not valid: use a positive number of ${unit}, e.g. sla: { ${key}: ${example} }.`);
    }
  }
}

function checkTags(spec: ContractSpec, report: Report): void {
  if (spec.tags === undefined) return;
  if (!Array.isArray(spec.tags)) {
    report(`tags ${describe(spec.tags)} is not valid: use a list of non-empty strings, e.g. tags: ['sales'].`);
    return;
  }
  for (const tag of spec.tags) {
    if (!isNonEmptyString(tag)) report(`tag ${describe(tag)} is not valid: tags are non-empty strings, e.g. tags: ['sales'].`);
  }
}

function checkVolume(spec: ContractSpec, report: Report): void {
  if (spec.volume === undefined) return;
  for (const key of ['eventsPerSecond', 'meanEventBytes'] as const) {
    const value = isObject(spec.volume) ? spec.volume[key] : undefined;
    if (!isPositiveNumber(value)) {
      report(`volume.${key} ${describe(value)} is not valid: use a positive number, e.g. volume: { eventsPerSecond: 10, meanEventBytes: 512 }.`);
    }
  }
}

function checkDeprecation(spec: ContractSpec, report: Report): void {
  const deprecated = spec.deprecated;
  if (deprecated === undefined) return;
  const next = `${spec.domain}.${spec.name}.v${Number.isInteger(spec.version) ? spec.version + 1 : 2}`;
  if (!isObject(deprecated) || !isIsoDate(deprecated.sunset)) {
    const value = isObject(deprecated) ? deprecated.sunset : deprecated;
    report(`deprecated.sunset ${describe(value)} is not a date: use an ISO date (YYYY-MM-DD), e.g. deprecated: { sunset: '2027-03-01', successor: '${next}' }.`);
    return;
  }
  const successor = deprecated.successor;
  if (successor === undefined) return;
  if (typeof successor !== 'string' || !PRODUCT_ID.test(successor)) {
    report(`deprecated.successor ${describe(successor)} is not a product id: use <domain>.<product>.v<major>, e.g. '${next}'.`);
  } else if (successor === `${spec.domain}.${spec.name}.v${spec.version}`) {
    report(`deprecated.successor "${successor}" is this very version: name the version that replaces it, e.g. '${next}'.`);
  }
}

function checkExampleQueries(spec: ContractSpec, report: Report): void {
  if (spec.exampleQueries === undefined) return;
  if (!Array.isArray(spec.exampleQueries)) {
    report(`exampleQueries ${describe(spec.exampleQueries)} is not valid: use a list, e.g. exampleQueries: [{ name: 'Orders per day', sql: 'SELECT …' }].`);
    return;
  }
  spec.exampleQueries.forEach((query, index) => {
    if (!isObject(query) || !isNonEmptyString(query.name) || !isNonEmptyString(query.sql)) {
      report(`example query ${index + 1} needs a non-empty name and sql: use e.g. { name: 'Orders per day', sql: 'SELECT …' }.`);
    }
  });
}

/** Checks the columns (or struct fields) of one level, then recurses into their types. */
function checkFields(fields: Readonly<Record<string, ColumnSpec>>, prefix: string, report: Report): void {
  const seen = new Map<string, string>();
  for (const [name, column] of Object.entries(fields)) {
    const path = `${prefix}${name}`;
    const folded = name.toLowerCase();
    const previous = seen.get(folded);
    if (previous !== undefined) {
      report(`columns "${prefix}${previous}" and "${path}" collide: Glue lower-cases names, so both name the same column; rename or remove one.`);
    } else {
      seen.set(folded, name);
      checkColumnName(name, path, report);
    }
    checkColumn(column, path, name, report);
  }
}

function checkColumnName(name: string, path: string, report: Report): void {
  const bytes = Buffer.byteLength(name);
  if (bytes > NAME_LIMITS.glueName) {
    report(`column "${shorten(path)}" is ${bytes} bytes long: Glue column names are at most ${NAME_LIMITS.glueName} bytes; shorten it.`);
  } else if (!SNAKE_CASE.test(name)) {
    report(`column "${path}" ${SNAKE_CASE_RULE}: rename it, e.g. "${suggestSnakeCase(name)}".`);
  } else if (SQL_RESERVED_WORDS.has(name)) {
    report(`column "${path}" is an SQL reserved word in Athena ("${name}"): rename it, e.g. "event_${name}".`);
  }
}

function checkColumn(column: ColumnSpec, path: string, name: string, report: Report): void {
  if (!isObject(column) || !isObject(column.type)) {
    report(`column "${path}" is not a column: build it with a col.* builder, e.g. col.string({ description: '…' }).`);
    return;
  }
  if (typeof column.required !== 'boolean') {
    report(`column "${path}" has required ${describe(column.required)}: use true or false.`);
  }
  if (!isNonEmptyString(column.description)) {
    report(`column "${path}" has no description: add description: '…' saying what it means.`);
  }
  if (column.classification === undefined) {
    const token = personalDataToken(name);
    if (token !== undefined) {
      report(`column "${path}" looks like personal data ("${token}") but has no classification: add classification: 'pii' (or 'confidential', 'internal' or 'public' if it is not personal data).`);
    }
  } else if (!isClassification(column.classification)) {
    report(`column "${path}" has classification ${describe(column.classification)}: use one of ${CLASSIFICATION_LIST}.`);
  }
  if (column.primaryKey !== undefined && typeof column.primaryKey !== 'boolean') {
    report(`column "${path}" has primaryKey ${describe(column.primaryKey)}: use true or false.`);
  }
  if (column.examples !== undefined && !Array.isArray(column.examples)) {
    report(`column "${path}" has examples ${describe(column.examples)}: use a list of values, e.g. examples: ['…'].`);
  }
  checkType(column.type, path, report);
}

function checkType(type: ColumnType, path: string, report: Report): void {
  if (!isObject(type) || !KINDS.includes(type.kind as string)) {
    const kind = isObject(type) ? type.kind : type;
    report(`column "${path}" has unknown type ${describe(kind)}: use one of ${KINDS.join(', ')}.`);
    return;
  }
  switch (type.kind) {
    case 'decimal': {
      const { precision, scale } = type;
      if (!(Number.isInteger(precision) && precision >= 1 && precision <= MAX_DECIMAL_PRECISION)) {
        report(`column "${path}" has decimal precision ${describe(precision)}: use an integer from 1 to ${MAX_DECIMAL_PRECISION} (the Glue/Athena maximum), e.g. col.decimal(18, 2).`);
      } else if (!(Number.isInteger(scale) && scale >= 0 && scale <= precision)) {
        report(`column "${path}" has decimal scale ${describe(scale)} for precision ${precision}: use an integer from 0 to ${precision}, e.g. col.decimal(${precision}, ${Math.min(2, precision)}).`);
      }
      return;
    }
    case 'array':
      checkType(type.items, `${path}[]`, report);
      return;
    case 'map':
      if (!isObject(type.keys) || type.keys.kind !== 'string') {
        report(`column "${path}" has map keys of type ${describe(isObject(type.keys) ? type.keys.kind : type.keys)}: JSON object keys are strings, build it with col.map(values).`);
      }
      checkType(type.values, `${path}{}`, report);
      return;
    case 'struct':
      if (!isObject(type.fields) || Object.keys(type.fields).length === 0) {
        report(`column "${path}" is a struct without fields: declare at least one, e.g. col.struct({ id: col.string({ description: '…' }) }).`);
        return;
      }
      checkFields(type.fields, `${path}.`, report);
      return;
    default:
      return;
  }
}

function checkPartition(spec: ContractSpec, report: Report): void {
  const partition = spec.partitionBy as Partial<ContractSpec['partitionBy']> | undefined;
  const candidates = Object.entries(spec.columns)
    .filter(([, c]) => isObject(c) && isObject(c.type) && (c.type.kind === 'date' || c.type.kind === 'timestamp'))
    .map(([name]) => name);
  const hint =
    candidates.length > 0
      ? `partition by one of: ${candidates.join(', ')}`
      : 'add a required date or timestamp column and partition by it';
  const columnName = partition?.column;
  if (!isNonEmptyString(columnName)) {
    report(`partitionBy.column is missing: name the required date or timestamp column the "${PARTITION_KEY}" partition is derived from, e.g. partitionBy: { column: '${candidates[0] ?? 'placed_at'}' }.`);
    return;
  }
  const granularity = partition?.granularity;
  if (granularity !== undefined && granularity !== 'day' && granularity !== 'hour') {
    report(`partitionBy.granularity ${describe(granularity)} is not valid: use 'day' or 'hour'.`);
  }
  const since = partition?.since;
  if (since !== undefined && !isCalendarDate(since)) {
    report(`partitionBy.since ${describe(since)} is not a date: use yyyy-MM-dd, e.g. since: '2015-01-01'.`);
  }
  const tolerance = partition?.futureToleranceHours;
  if (tolerance !== undefined && !(Number.isInteger(tolerance) && (tolerance as number) >= 0 && (tolerance as number) <= 8760)) {
    report(`partitionBy.futureToleranceHours ${describe(tolerance)} is not valid: use a whole number of hours from 0 to 8760, e.g. 24.`);
  }
  const column = spec.columns[columnName];
  if (!Object.prototype.hasOwnProperty.call(spec.columns, columnName) || !isObject(column) || !isObject(column.type)) {
    report(`partition column "${columnName}" is not a column: ${hint}.`);
    return;
  }
  if (column.type.kind !== 'date' && column.type.kind !== 'timestamp') {
    report(`partition column "${columnName}" is ${describeType(column.type)}: ${hint}.`);
    return;
  }
  if (column.required !== true) {
    report(`partition column "${columnName}" is optional: mark it required: true (every record needs it to land in a "${PARTITION_KEY}" partition).`);
  }
  if (column.type.kind === 'date' && granularity === 'hour') {
    report(`partition column "${columnName}" is a date, which has no hour: use granularity 'day' or partition by a timestamp column.`);
  }
}

/** A lower-case snake_case version of `name`, e.g. `Order-Id` → `order_id`, `orderId` → `order_id`. */
export function suggestSnakeCase(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (snake === '') return 'column_name';
  return /^[a-z]/.test(snake) ? snake : `c_${snake}`;
}

function productLabel(spec: { readonly domain?: unknown; readonly name?: unknown }): string {
  const part = (value: unknown) => (isNonEmptyString(value) ? value : '(unnamed)');
  return `${part(spec.domain)}.${part(spec.name)}`;
}

function describeType(type: ColumnType): string {
  switch (type.kind) {
    case 'decimal':
      return `a decimal(${type.precision},${type.scale})`;
    case 'array':
    case 'int':
      return `an ${type.kind}`;
    default:
      return `a ${type.kind}`;
  }
}

function isClassification(value: unknown): boolean {
  return (CLASSIFICATIONS as readonly unknown[]).includes(value);
}
