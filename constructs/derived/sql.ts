import { MeshError } from '../errors';

/**
 * The SQL of a SQL derived product: checked at synth (one SELECT, reading only declared sources) and
 * turned into the Athena `INSERT INTO` that builds one `dt` partition of the product's table.
 *
 * The team writes a `SELECT` (or `WITH … SELECT`) whose output columns are named like the product's
 * contract columns (any order) and uses the placeholder `:dt` for the partition being built, e.g.
 *
 * ```sql
 * SELECT o.order_id, o.customer_id, c.country, o.total, o.placed_at
 * FROM orders.order_placed_v1 o
 * JOIN accounts.customer_registered_v1 c ON c.customer_id = o.customer_id
 * WHERE o.dt = :dt
 * ```
 *
 * At run time `:dt` becomes a string literal (`'2026-11-20'`) — the value is checked against
 * `yyyy-MM-dd` first, so it can never inject SQL — and the statement becomes
 *
 * ```sql
 * INSERT INTO "marketing"."customer_orders_v1"
 * SELECT "order_id", "customer_id", "country", "total", "placed_at", '2026-11-20' AS "dt"
 * FROM (<the SELECT above>) AS "derived"
 * ```
 *
 * (Athena execution parameters cannot be used: `?` is allowed only in WHERE clauses, not in the
 * select list that sets the partition value.)
 */

/** The placeholder for the partition value in a derived product's SQL. */
export const PARTITION_PLACEHOLDER = ':dt';

/** Partition values a run may build: `yyyy-MM-dd`. */
export const PARTITION_VALUE = /^\d{4}-\d{2}-\d{2}$/;

/** A table the SQL reads. */
export interface TableReference {
  /** `awsdatacatalog` when written with a catalog, else undefined. */
  readonly catalog?: string;
  readonly database: string;
  readonly table: string;
  /** The reference as written, e.g. `orders.order_placed_v1`. */
  readonly text: string;
}

export interface SqlAnalysis {
  /** The statement, trimmed, without a trailing `;`. */
  readonly statement: string;
  /** Tables read (CTE names and subqueries excluded), in order of appearance, deduplicated. */
  readonly tables: readonly TableReference[];
  /** Names defined by `WITH`. */
  readonly cteNames: readonly string[];
  /** Offsets of the `:dt` placeholders in `statement`. */
  readonly placeholders: readonly number[];
}

/** The SQL is not something a derived product can run; the message says what and how to fix it. */
export class SqlError extends MeshError {
  constructor(message: string) {
    super(message);
    this.name = 'SqlError';
  }
}

interface Token {
  readonly kind: 'word' | 'quoted' | 'punct';
  /** Words lower-cased, quoted identifiers unquoted, punctuation as is. */
  readonly value: string;
  readonly offset: number;
  readonly end: number;
}

const CLAUSE_KEYWORDS = new Set([
  'where', 'join', 'inner', 'left', 'right', 'full', 'cross', 'outer', 'natural', 'on', 'using', 'group', 'order',
  'having', 'limit', 'union', 'intersect', 'except', 'window', 'offset', 'fetch', 'tablesample', 'for', 'select',
  'from', 'and', 'or', 'with', 'as', 'lateral', 'unnest', 'values', 'qualify', 'match_recognize',
]);

/**
 * Checks that `sql` is one `SELECT` (optionally `WITH … SELECT`) and lists the tables it reads, the CTE
 * names it defines and where `:dt` appears. String literals and comments are ignored.
 */
export function analyseSql(sql: string): SqlAnalysis {
  const statement = sql.trim().replace(/;\s*$/, '').trimEnd();
  const masked = mask(statement);
  const tokens = tokenize(masked, statement);
  if (tokens.length === 0) throw new SqlError('The SQL is empty: write the SELECT that computes the product.');
  const first = tokens[0];
  if (first.kind !== 'word' || (first.value !== 'select' && first.value !== 'with')) {
    throw new SqlError(
      `The SQL must be one SELECT (or WITH … SELECT) whose columns match the product's contract; it starts with "${statement.slice(first.offset, first.end)}". The INSERT INTO the product's table is generated around it.`,
    );
  }
  checkParentheses(tokens);
  const semicolon = tokens.find((token) => token.kind === 'punct' && token.value === ';');
  if (semicolon) {
    throw new SqlError(`The SQL holds more than one statement (a ";" at offset ${semicolon.offset}): write a single SELECT.`);
  }

  const placeholders: number[] = [];
  tokens.forEach((token, i) => {
    if (token.kind !== 'punct' || token.value !== ':') return;
    const next = tokens[i + 1];
    if (next && next.kind === 'word' && next.offset === token.end && next.value === 'dt') {
      placeholders.push(token.offset);
      return;
    }
    const written = next && next.offset === token.end ? `:${statement.slice(next.offset, next.end)}` : ':';
    throw new SqlError(`Unknown placeholder "${written}" at offset ${token.offset}: the only placeholder is ${PARTITION_PLACEHOLDER} (the partition being built).`);
  });

  const cteNames = first.value === 'with' ? readCteNames(tokens) : [];
  const tables = readTables(tokens, statement);
  const seen = new Set<string>();
  const unique = tables.filter((t) => {
    const key = `${t.catalog ?? ''}.${t.database}.${t.table}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (const ref of unique) {
    if (ref.database === '' && !cteNames.includes(ref.table)) {
      throw new SqlError(
        `Table "${ref.text}" has no database: write it as <database>.<table> (e.g. orders.order_placed_v1), so the lineage of the product is known.`,
      );
    }
  }
  return { statement, tables: unique.filter((ref) => ref.database !== ''), cteNames, placeholders };
}

/** Replaces every `:dt` of `sql` by the string literal of `dt` (checked against `yyyy-MM-dd`): the SELECT for one partition. */
export function bindPartition(sql: string, dt: string): string {
  assertPartitionValue(dt);
  const analysis = analyseSql(sql);
  return splitAt(analysis.statement, analysis.placeholders).join(`'${dt}'`);
}

/** The target of the generated INSERT. */
export interface InsertTarget {
  readonly database: string;
  readonly table: string;
  /** Contract columns, in the table's order (the `dt` partition column is added last). */
  readonly columns: readonly string[];
  /** @default 'dt' */
  readonly partitionColumn?: string;
}

/**
 * The INSERT statement split where the partition value goes: joining the parts with the quoted value
 * (`'2026-11-20'`) gives the statement to run. The state machine joins them at run time.
 */
export function insertStatementParts(analysis: SqlAnalysis, target: InsertTarget): string[] {
  const partition = target.partitionColumn ?? 'dt';
  const head = [
    `INSERT INTO ${quoteIdentifier(target.database)}.${quoteIdentifier(target.table)}`,
    `SELECT ${target.columns.map(quoteIdentifier).join(', ')}, `,
  ].join('\n');
  const select = splitAt(analysis.statement, analysis.placeholders);
  select[0] = ` AS ${quoteIdentifier(partition)}\nFROM (\n${select[0]}`;
  select[select.length - 1] = `${select[select.length - 1]}\n) AS "derived"`;
  return [head, ...select];
}

/** The INSERT statement for partition `dt` (used by tests, the local mode and documentation). */
export function renderInsert(sql: string, target: InsertTarget, dt: string): string {
  assertPartitionValue(dt);
  return insertStatementParts(analyseSql(sql), target).join(`'${dt}'`);
}

/** `"name"` with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function assertPartitionValue(dt: string): void {
  if (!PARTITION_VALUE.test(dt)) {
    throw new SqlError(`Partition value "${dt}" is not a date in yyyy-MM-dd form (e.g. 2026-11-20).`);
  }
}

function splitAt(statement: string, placeholders: readonly number[]): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const offset of placeholders) {
    parts.push(statement.slice(from, offset));
    from = offset + PARTITION_PLACEHOLDER.length;
  }
  parts.push(statement.slice(from));
  return parts;
}

/** `sql` with comments and single-quoted string literals blanked out (same length, so offsets hold). */
function mask(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new SqlError(`A /* comment at offset ${i} is never closed.`);
      out += sql.slice(i, end + 2).replace(/[^\n]/g, ' ');
      i = end + 2;
    } else if (c === "'") {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new SqlError(`A string literal at offset ${i} is never closed.`);
        if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j += 1;
      }
      out += `'${' '.repeat(j - i - 1)}'`;
      i = j + 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

function tokenize(masked: string, original: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /([A-Za-z_][A-Za-z0-9_$]*)|("(?:[^"]|"")*")|(\d+(?:\.\d+)?)|('[^']*')|(\S)/g;
  for (let match = pattern.exec(masked); match; match = pattern.exec(masked)) {
    const offset = match.index;
    const end = offset + match[0].length;
    if (match[1]) tokens.push({ kind: 'word', value: match[1].toLowerCase(), offset, end });
    else if (match[2]) tokens.push({ kind: 'quoted', value: original.slice(offset + 1, end - 1).replace(/""/g, '"').toLowerCase(), offset, end });
    else if (match[5]) tokens.push({ kind: 'punct', value: match[5], offset, end });
    // numbers and string literals carry no structure we need
  }
  return tokens;
}

const isName = (token: Token | undefined): token is Token => token !== undefined && (token.kind === 'quoted' || (token.kind === 'word' && !CLAUSE_KEYWORDS.has(token.value)));
const isPunct = (token: Token | undefined, value: string) => token !== undefined && token.kind === 'punct' && token.value === value;

function checkParentheses(tokens: readonly Token[]): void {
  const open: number[] = [];
  for (const token of tokens) {
    if (isPunct(token, '(')) open.push(token.offset);
    else if (isPunct(token, ')') && open.pop() === undefined) {
      throw new SqlError(`A ")" at offset ${token.offset} has no matching "(".`);
    }
  }
  if (open.length > 0) throw new SqlError(`A "(" at offset ${open[open.length - 1]} is never closed.`);
}

/** Index just after the parenthesis matching the one at `open`. */
function skipParens(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    if (isPunct(tokens[i], '(')) depth += 1;
    else if (isPunct(tokens[i], ')')) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  throw new SqlError(`A "(" at offset ${tokens[open].offset} is never closed.`);
}

function readCteNames(tokens: readonly Token[]): string[] {
  const names: string[] = [];
  let i = 1;
  if (tokens[i]?.kind === 'word' && tokens[i].value === 'recursive') i += 1;
  for (;;) {
    const name = tokens[i];
    if (!isName(name)) break;
    names.push(name.value);
    i += 1;
    if (isPunct(tokens[i], '(')) i = skipParens(tokens, i);
    if (tokens[i]?.value !== 'as' || !isPunct(tokens[i + 1], '(')) break;
    i = skipParens(tokens, i + 1);
    if (!isPunct(tokens[i], ',')) break;
    i += 1;
  }
  return names;
}

function readTables(tokens: readonly Token[], statement: string): TableReference[] {
  const refs: TableReference[] = [];
  // For each open parenthesis: does it hold a query (its first token is SELECT or WITH)?
  const queryParens: boolean[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (isPunct(token, '(')) {
      const inner = tokens[i + 1];
      queryParens.push(inner?.kind === 'word' && (inner.value === 'select' || inner.value === 'with'));
      continue;
    }
    if (isPunct(token, ')')) {
      queryParens.pop();
      continue;
    }
    const inQuery = queryParens.length === 0 || queryParens[queryParens.length - 1];
    if (!inQuery || token.kind !== 'word' || (token.value !== 'from' && token.value !== 'join')) continue;

    let j = i + 1;
    for (;;) {
      const start = tokens[j];
      if (start === undefined) break;
      if (isPunct(start, '(')) break; // a subquery: its own FROM is read when the loop gets there
      if (start.kind === 'word' && (start.value === 'unnest' || start.value === 'lateral' || start.value === 'table')) break;
      if (!isName(start)) break;
      const parts: Token[] = [start];
      j += 1;
      while (isPunct(tokens[j], '.') && (tokens[j + 1]?.kind === 'word' || tokens[j + 1]?.kind === 'quoted')) {
        parts.push(tokens[j + 1]);
        j += 2;
      }
      const text = statement.slice(parts[0].offset, parts[parts.length - 1].end);
      refs.push(toReference(parts.map((p) => p.value), text));
      if (token.value === 'join') break;
      // optional alias, then "," for another table of the FROM list
      if (tokens[j]?.kind === 'word' && tokens[j].value === 'as') j += 1;
      if (isName(tokens[j])) j += 1;
      if (isPunct(tokens[j], '(')) j = skipParens(tokens, j);
      if (!isPunct(tokens[j], ',')) break;
      j += 1;
    }
  }
  return refs;
}

function toReference(parts: readonly string[], text: string): TableReference {
  switch (parts.length) {
    case 1:
      return { database: '', table: parts[0], text };
    case 2:
      return { database: parts[0], table: parts[1], text };
    case 3:
      if (parts[0] !== 'awsdatacatalog') {
        throw new SqlError(`Table "${text}" is in catalog "${parts[0]}": a derived product reads mesh products, which live in the AwsDataCatalog.`);
      }
      return { catalog: parts[0], database: parts[1], table: parts[2], text };
    default:
      throw new SqlError(`Table "${text}" has ${parts.length} name parts: write <database>.<table>.`);
  }
}
