import type { QualityRule } from './quality';

/**
 * The SQL of quality rules: which tables a rule's query reads (the contract refuses one that reads another
 * product), and the one Athena statement each rule runs as, on one `dt` partition or on all of them.
 */

/** Where the rules run: the product table's Athena names, the names a query may call it by, and the partition. */
export interface RuleTarget {
  readonly database: string;
  readonly table: string;
  /** Other names the query may use for the table (e.g. the ODCS schema object's name). @default - none */
  readonly aliases?: readonly string[];
  /** The partition to check (`yyyy-MM-dd` or `yyyy-MM-dd-HH`). @default - every partition */
  readonly dt?: string;
  /** The table is partitioned by hour: a day (`yyyy-MM-dd`, or the `${dt}` placeholder) checks its 24 hours. @default false */
  readonly hourly?: boolean;
}

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly kind: 'word' | 'quoted' | 'string' | 'symbol' | 'placeholder';
}

const TOKEN = /\s+|--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|\$\{\w+\}|[A-Za-z_][A-Za-z0-9_$]*|\d+(?:\.\d+)?|./g;

function tokens(sql: string): Token[] {
  const result: Token[] = [];
  for (const match of sql.matchAll(TOKEN)) {
    const text = match[0];
    const start = match.index;
    if (/^\s/.test(text) || text.startsWith('--') || text.startsWith('/*')) continue;
    const kind = text.startsWith("'") ? 'string' : text.startsWith('"') ? 'quoted' : text.startsWith('${') ? 'placeholder' : /^[A-Za-z_]/.test(text) ? 'word' : 'symbol';
    result.push({ text, start, end: start + text.length, kind });
  }
  return result;
}

/** A table reference of a query: the text as written and where it is. */
interface TableReference {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const CLAUSE_ENDS = new Set(['where', 'group', 'order', 'having', 'limit', 'join', 'on', 'union', 'cross', 'inner', 'left', 'right', 'full', 'natural', 'using', 'except', 'intersect', 'window', 'offset', 'fetch']);

/**
 * The tables a query reads: every name after `FROM` or `JOIN` (and after a comma in a `FROM` list) that is not a
 * subquery, an `UNNEST(…)` or a name the query defines itself (`WITH name AS (…)`).
 */
export function tableReferences(sql: string): TableReference[] {
  const list = tokens(sql);
  const lower = (i: number) => list[i]?.text.toLowerCase();
  const defined = new Set<string>();
  for (let i = 0; i + 2 < list.length; i++) {
    if (list[i].kind === 'word' && lower(i + 1) === 'as' && list[i + 2].text === '(') defined.add(lower(i)!);
  }
  const references: TableReference[] = [];
  const readName = (i: number): number => {
    const first = list[i];
    if (first === undefined || first.text === '(' || !['word', 'quoted', 'placeholder'].includes(first.kind)) return i;
    if (lower(i) === 'unnest' || lower(i) === 'lateral') return i;
    let end = i;
    while (list[end + 1]?.text === '.' && list[end + 2] !== undefined) end += 2;
    if (list[end + 1]?.text === '(') return i; // a table function
    const name = sql.slice(first.start, list[end].end);
    if (!defined.has(name.toLowerCase())) references.push({ name, start: first.start, end: list[end].end });
    return end + 1;
  };
  for (let i = 0; i < list.length; i++) {
    const word = lower(i);
    if (word !== 'from' && word !== 'join') continue;
    let next = readName(i + 1);
    // FROM a [AS] x, b [AS] y
    while (word === 'from' && next > i + 1) {
      let j = next;
      if (lower(j) === 'as') j++;
      if (list[j]?.kind === 'word' && !CLAUSE_ENDS.has(lower(j)!)) j++;
      if (list[j]?.text !== ',') break;
      const after = readName(j + 1);
      if (after === j + 1) break;
      next = after;
    }
  }
  return references;
}

/** Unquotes `"Name"` and compares names as Athena does (case-insensitively). */
function normalName(name: string): string {
  return name
    .split('.')
    .map((part) => part.replace(/^"(.*)"$/, '$1').replace(/""/g, '"'))
    .join('.')
    .toLowerCase();
}

/** The names a rule's query may call the product's table by. */
export function ownTableNames(target: Pick<RuleTarget, 'database' | 'table' | 'aliases'>): string[] {
  return ['${table}', target.table, `${target.database}.${target.table}`, ...(target.aliases ?? [])].map(normalName);
}

/** The tables `sql` reads that are not the product's own (a quality rule may read only its product). */
export function foreignTables(sql: string, target: Pick<RuleTarget, 'database' | 'table' | 'aliases'>): string[] {
  const own = new Set(ownTableNames(target));
  return tableReferences(sql)
    .map((ref) => ref.name)
    .filter((name) => !own.has(normalName(name)));
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** The product's rows the rule sees: the table, or one partition of it, under `alias`. */
function source(target: RuleTarget, alias: string): string {
  const table = `${quoteIdentifier(target.database)}.${quoteIdentifier(target.table)}`;
  const day = target.hourly === true && target.dt !== undefined && (target.dt === '${dt}' || /^\d{4}-\d{2}-\d{2}$/.test(target.dt));
  // A range, not LIKE: Athena prunes projected partitions on equality and ranges.
  const filter = day ? `dt BETWEEN ${literal(`${target.dt}-00`)} AND ${literal(`${target.dt}-23`)}` : `dt = ${literal(target.dt)}`;
  const rows = target.dt === undefined ? table : `(SELECT * FROM ${table} WHERE ${filter})`;
  return alias === '' ? rows : `${rows} AS ${alias}`;
}

/**
 * The Athena statement that measures a runnable rule: it returns one row with one column, `measured`. Library metrics
 * compile to counts (or a percentage of the rows with `unit: 'percent'`); a `sql` rule's query runs with every
 * reference to the product's table replaced by the partition it checks.
 */
export function compileRule(rule: QualityRule, target: RuleTarget): string {
  if (rule.type === 'sql' || (rule.metric === undefined && rule.query !== undefined)) return compileSql(rule, target);
  const from = source(target, 't');
  const column = rule.column !== undefined ? quoteIdentifier(rule.column) : undefined;
  const percent = rule.unit === 'percent';
  const share = (count: string) => (percent ? `CASE WHEN count(*) = 0 THEN 0 ELSE 100.0 * (${count}) / count(*) END` : count);
  switch (rule.metric) {
    case 'rowCount':
      return `SELECT count(*) AS measured FROM ${from}`;
    case 'nullValues':
      return `SELECT ${share(`count_if(${column} IS NULL)`)} AS measured FROM ${from}`;
    case 'missingValues': {
      const values = (rule.arguments?.missingValues ?? []).filter((v) => v !== null);
      const missing = values.length > 0 ? `${column} IS NULL OR ${column} IN (${values.map(literal).join(', ')})` : `${column} IS NULL`;
      return `SELECT ${share(`count_if(${missing})`)} AS measured FROM ${from}`;
    }
    case 'invalidValues': {
      const valid = (rule.arguments?.validValues ?? []).filter((v) => v !== null);
      const conditions = [
        ...(rule.arguments?.validValues !== undefined ? [valid.length > 0 ? `${column} NOT IN (${valid.map(literal).join(', ')})` : 'true'] : []),
        ...(rule.arguments?.pattern !== undefined ? [`NOT regexp_like(${column}, ${literal(rule.arguments.pattern)})`] : []),
      ];
      const invalid = conditions.length > 0 ? `${column} IS NOT NULL AND (${conditions.join(' OR ')})` : 'false';
      return `SELECT ${share(`count_if(${invalid})`)} AS measured FROM ${from}`;
    }
    case 'duplicateValues': {
      const columns = column !== undefined ? [column] : (rule.arguments?.properties ?? []).map(quoteIdentifier);
      const keys = columns.join(', ');
      const notNull = columns.map((c) => `${c} IS NOT NULL`).join(' AND ');
      const duplicates = `SELECT coalesce(sum(n - 1), 0) AS d FROM (SELECT count(*) AS n FROM ${from} WHERE ${notNull} GROUP BY ${keys} HAVING count(*) > 1) AS g`;
      if (!percent) return duplicates.replace(' AS d ', ' AS measured ');
      return `SELECT CASE WHEN r.n = 0 THEN 0 ELSE 100.0 * d.d / r.n END AS measured FROM (${duplicates}) AS d CROSS JOIN (SELECT count(*) AS n FROM ${source(target, 't2')}) AS r`;
    }
    default:
      throw new Error(`Rule "${rule.name ?? rule.metric}" is not runnable: it has no metric and no SQL.`);
  }
}

function compileSql(rule: QualityRule, target: RuleTarget): string {
  const query = rule.query ?? '';
  const own = new Set(ownTableNames(target));
  const references = tableReferences(query).filter((ref) => own.has(normalName(ref.name)));
  let sql = '';
  let at = 0;
  for (const ref of references) {
    const written = query.slice(ref.start, ref.end);
    // An alias the query gives the table itself (FROM ${table} o) stays; else the table keeps the name it was written with.
    const given = /^\s+(?:as\s+)?([A-Za-z_]\w*)/i.exec(query.slice(ref.end));
    const aliased = given !== null && !CLAUSE_ENDS.has(given[1].toLowerCase());
    const alias = aliased ? '' : written === '${table}' ? quoteIdentifier(target.table) : quoteIdentifier(written.replace(/"/g, '').split('.').pop()!);
    sql += query.slice(at, ref.start) + source(target, alias);
    at = ref.end;
  }
  sql += query.slice(at);
  if (rule.column !== undefined) sql = sql.split('${column}').join(quoteIdentifier(rule.column));
  return sql.trim().replace(/;\s*$/, '');
}
