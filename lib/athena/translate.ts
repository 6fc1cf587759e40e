/**
 * Athena (Trino) SQL → DuckDB SQL with Athena's meaning: the statement is tokenized and nested by parentheses, and
 * every construct whose meaning depends on syntax (function calls, casts, literals, `AT TIME ZONE`, `UNNEST`,
 * `TABLESAMPLE`, `SHOW`) is rewritten from that tree, never by a text pattern over the whole statement.
 */
import { type AthenaCatalog, EMPTY_CATALOG, columnType, findTable } from './catalog';
import { AthenaSqlError, type AthenaWarning } from './errors';
import { FUNCTIONS, atTimeZone } from './functions';
import { translateStatement } from './statements';
import { type Node, type Token, isGroup, isWord, nest, solid, splitArgs, stringValue, text, tokenize } from './tokens';
import { duckdbTypeOf } from './types';

export interface Translation {
  /** DuckDB SQL, to run on a connection prepared by `installAthenaSession`. */
  readonly sql: string;
  /** Patterns that run locally but may answer differently from Athena in edge cases. */
  readonly warnings: readonly AthenaWarning[];
}

/** Translates one Athena statement; throws {@link AthenaSqlError} for what cannot be answered as Athena would. */
export function translate(sql: string, catalog: AthenaCatalog = EMPTY_CATALOG): Translation {
  const warnings: AthenaWarning[] = [];
  const nodes = nest(tokenize(sql.replace(/;\s*$/, '')));
  const statement = translateStatement(solid(nodes), catalog, (construct, message) => warnings.push({ construct, message }));
  if (statement !== undefined) return { sql: statement, warnings };
  const rewriter = new Rewriter(catalog, warnings, containsPath(nodes));
  const translated = rewriter.rewrite(nodes);
  const unique = warnings.filter((warning, i) => warnings.findIndex((w) => w.construct === warning.construct && w.message === warning.message) === i);
  return { sql: translated, warnings: unique };
}

/** Unsupported statement starts and clauses, with what to do instead. */
const UNSUPPORTED_WORDS: Record<string, readonly [string, string | undefined]> = {
  unload: ['UNLOAD', 'use COPY (SELECT …) TO \'file.parquet\' (FORMAT parquet) in DuckDB'],
  msck: ['MSCK REPAIR TABLE', 'partitions are the folders of the local lake; nothing to repair'],
  vacuum: ['VACUUM', undefined],
  optimize: ['OPTIMIZE', undefined],
  merge: ['MERGE INTO', 'rebuild the product with `mesh dev`'],
};

/** Words after which a `name(...)` is not a function call but an alias with column names (`AS t(a, b)`). */
const ALIAS_BEFORE = new Set(['as', 'table', 'into', 'exists']);

/** Keywords that cannot be a table alias (to know whether `FROM db.t` is followed by one). */
const CLAUSE_WORDS = new Set(['select', 'where', 'group', 'order', 'limit', 'join', 'cross', 'left', 'right', 'full', 'inner', 'on', 'union', 'having', 'window', 'tablesample', 'offset', 'fetch', 'except', 'intersect', 'natural', 'using']);

interface Chunk {
  readonly text: string;
  readonly space?: boolean;
  /** The DuckDB type of this primary, when known. */
  readonly type?: string;
  /** The value of a string literal. */
  readonly literal?: string;
}

class Rewriter {
  constructor(
    private readonly catalog: AthenaCatalog,
    private readonly warnings: AthenaWarning[],
    /** Whether the statement reads "$path" anywhere, so that its catalog tables are read with it. */
    private readonly usesPath: boolean,
  ) {}

  rewrite(nodes: readonly Node[]): string {
    return this.chunks(nodes).map((chunk) => chunk.text).join('');
  }

  private warn(construct: string, message: string): void {
    this.warnings.push({ construct, message });
  }

  /** Rewrites one expression (a function argument) and tells its type when known. */
  private expression(nodes: readonly Node[]): Chunk {
    const chunks = this.chunks(nodes);
    const meaningful = chunks.filter((chunk) => !chunk.space);
    // A signed literal or name (`-2.5e0`) has the type of what is signed.
    if (meaningful.length === 2 && (meaningful[0].text === '-' || meaningful[0].text === '+')) meaningful.shift();
    return { text: chunks.map((chunk) => chunk.text).join('').trim(), type: meaningful.length === 1 ? meaningful[0].type : undefined, literal: meaningful.length === 1 ? meaningful[0].literal : undefined };
  }

  private chunks(nodes: readonly Node[]): Chunk[] {
    const out: Chunk[] = [];
    const next = (i: number) => nextIndex(nodes, i);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.kind === 'space') {
        out.push({ text: node.text.startsWith('--') ? `${node.text}\n` : node.text, space: true });
        continue;
      }
      if (node.kind === 'group') {
        out.push({ text: `${node.open}${this.rewrite(node.items)}${node.open === '(' ? ')' : ']'}` });
        continue;
      }
      if (node.kind === 'string') {
        out.push({ text: node.text, type: 'VARCHAR', literal: stringValue(node) });
        continue;
      }
      if (node.kind === 'number') {
        out.push({ text: node.text, type: /[eE]/.test(node.text) ? 'DOUBLE' : node.text.includes('.') ? decimalType(node.text) : 'INTEGER' });
        continue;
      }
      if (this.usesPath && (node.kind === 'word' || node.kind === 'quoted')) {
        const replaced = this.pathTable(nodes, i, out);
        if (replaced !== undefined) {
          i = replaced;
          continue;
        }
      }
      if (node.kind === 'quoted' || node.kind === 'op') {
        out.push({ text: node.text });
        continue;
      }
      const word = node.text.toLowerCase();
      const j = next(i);
      const after = nodes[j];
      const previous = lastSolid(out);
      if (word in UNSUPPORTED_WORDS && out.every((chunk) => chunk.space)) {
        const [construct, alternative] = UNSUPPORTED_WORDS[word];
        throw new AthenaSqlError(construct, 'the local lake is read through DuckDB views', alternative);
      }
      // Typed literals: DECIMAL '1.10' keeps its precision and scale; DATE/TIMESTAMP literals as in DuckDB.
      if ((word === 'decimal' || word === 'date' || word === 'timestamp') && after?.kind === 'string') {
        const value = stringValue(after);
        const type = word === 'decimal' ? decimalType(value) : word === 'date' ? 'DATE' : value.match(/[+-]\d\d:?\d\d$|[A-Za-z]\/|UTC$|Z$/) ? 'TIMESTAMPTZ' : 'TIMESTAMP';
        out.push({ text: `CAST(${after.text} AS ${type})`, type });
        i = j;
        continue;
      }
      if (word === 'current_date') {
        out.push({ text: 'current_date', type: 'DATE' });
        continue;
      }
      if (word === 'array' && isGroup(after, '[')) {
        out.push({ text: `[${this.rewrite(after.items)}]` });
        i = j;
        continue;
      }
      if (word === 'interval' && after?.kind === 'string') {
        i = this.interval(nodes, i, out);
        continue;
      }
      if (word === 'at' && isWord(after, 'time') && isWord(nodes[next(j)], 'zone')) {
        const zoneAt = next(next(j));
        const value = popPrimary(out);
        out.push({ text: atTimeZone(value, this.expression([nodes[zoneAt]]).text, (message) => this.warn('AT TIME ZONE', message)), type: AT_ZONE });
        i = zoneAt;
        continue;
      }
      if (word === 'tablesample') {
        i = this.tablesample(nodes, j, out);
        continue;
      }
      if (word === 'values' && after !== undefined && !isGroup(after)) {
        i = this.values(nodes, i, out);
        continue;
      }
      if (word === 'with' && isWord(after, 'ordinality')) {
        out.push({ text: 'WITH ORDINALITY' });
        i = j;
        continue;
      }
      const previousWord = previous?.text.toLowerCase() ?? '';
      // After an expression (`count(*) FILTER (…)`, `(VALUES …) t(x)`) a name with parentheses is a clause or an alias.
      const afterExpression = /[)\]]$/.test(previous?.text ?? '');
      if (isGroup(after) && !ALIAS_BEFORE.has(previousWord) && !afterExpression) {
        i = this.call(nodes, i, j, out);
        continue;
      }
      out.push({ text: node.text, type: this.columnType(nodes, i) });
    }
    return this.guardDivisions(out);
  }

  /**
   * `a / b` → `a / athena_divisor(b)`: Athena fails on an integer or decimal division by zero, DuckDB returns NULL.
   * A decimal operand warns: Athena's quotient is a decimal (scale of the operands), DuckDB's a double.
   */
  private guardDivisions(out: Chunk[]): Chunk[] {
    const guarded: Chunk[] = [];
    for (let k = 0; k < out.length; k++) {
      guarded.push(out[k]);
      if (out[k].text !== '/') continue;
      let start = k + 1;
      while (out[start]?.space) guarded.push(out[start++]);
      let end = start;
      while (out[end]?.text === '-' || out[end]?.text === '+') end++;
      while (out[end + 1]?.text === '.' && out[end + 2] !== undefined) end += 2;
      if (out[end] === undefined) continue;
      const divisor = out.slice(start, end + 1).map((chunk) => chunk.text).join('');
      if ([lastSolid(out.slice(0, k))?.type, out[end].type].some((type) => type?.startsWith('DECIMAL'))) {
        this.warn('decimal / decimal', `Athena divides decimals into a decimal with the operands' scale, DuckDB into a double: cast the quotient, e.g. CAST(… / ${divisor} AS decimal(12,2))`);
      }
      guarded.push({ text: `athena_divisor(${divisor})`, type: out[end].type });
      k = end;
    }
    return guarded;
  }

  /** A function call `name(args)` at nodes[i], its group at nodes[j]; returns the index of the last node used. */
  private call(nodes: readonly Node[], i: number, j: number, out: Chunk[]): number {
    const name = (nodes[i] as Token).text;
    const fn = name.toLowerCase();
    const group = nodes[j] as Extract<Node, { kind: 'group' }>;
    if (fn === 'cast' || fn === 'try_cast') return this.cast(fn, group.items, j, out);
    if (fn === 'extract') {
      out.push(this.extract(group.items));
      return j;
    }
    if (fn === 'unnest') return this.unnest(nodes, j, out);
    const translate = Object.hasOwn(FUNCTIONS, fn) ? FUNCTIONS[fn] : undefined;
    if (translate === undefined && fn !== 'listagg') {
      // Same name and meaning in both, or not a function at all (`FROM (…)`, `IN (…)`, `OVER (…)`): as written.
      out.push({ text: `${text(nodes.slice(i, j))}(${this.rewrite(group.items)})`, type: RESULT_TYPES[fn]?.([]) });
      return j;
    }
    const args = splitArgs(group.items).map((arg) => this.expression(arg));
    const end = j;
    // listagg(x, sep) WITHIN GROUP (ORDER BY …) → string_agg(x, sep ORDER BY …)
    if (fn === 'listagg') {
      const k = nextIndex(nodes, j);
      const l = nextIndex(nodes, k);
      const m = nextIndex(nodes, l);
      if (!isWord(nodes[k], 'within') || !isWord(nodes[l], 'group') || !isGroup(nodes[m])) {
        throw new AthenaSqlError('listagg(x, separator)', 'Athena requires WITHIN GROUP (ORDER BY …)', 'add WITHIN GROUP (ORDER BY …)');
      }
      const order = this.rewrite((nodes[m] as Extract<Node, { kind: 'group' }>).items).trim();
      out.push({ text: `string_agg(${args[0].text}, ${args[1]?.text ?? "''"} ${order})`, type: 'VARCHAR' });
      return m;
    }
    const translated = translate!({
      name: fn,
      args: args.map((arg) => arg.text),
      literal: (k) => args[k]?.literal,
      type: (k) => args[k]?.type,
      warn: (message) => this.warn(`${fn}(…)`, message),
    });
    out.push({ text: translated, type: RESULT_TYPES[fn]?.(args.map((a) => a.type)) });
    return end;
  }

  private cast(fn: string, items: readonly Node[], j: number, out: Chunk[]): number {
    const asAt = items.map((node, k) => (isWord(node, 'as') ? k : -1)).filter((k) => k >= 0).pop();
    if (asAt === undefined) throw new SyntaxError(`${fn.toUpperCase()} without AS in the SQL.`);
    const value = this.expression(items.slice(0, asAt));
    const athenaType = text(items.slice(asAt + 1)).trim();
    const type = duckdbTypeOf(athenaType);
    if (type === 'VARCHAR' && value.type === AT_ZONE) {
      throw new AthenaSqlError('CAST(… AT TIME ZONE … AS varchar)', 'Athena renders the zone name in the text and the local timestamp carries no zone', "format it with format_datetime(…, 'yyyy-MM-dd HH:mm:ss') and append the zone");
    }
    if (type === 'VARCHAR' && (value.type === 'TIMESTAMP' || value.type === 'TIMESTAMPTZ')) {
      this.warn('CAST(timestamp AS varchar)', `Athena renders a timestamp as 'YYYY-MM-DD HH:MM:SS.sss', DuckDB without the milliseconds when they are 0; comparing it with the varchar partition key dt keeps or drops a partition differently: compare dt with CAST(CAST(x AS date) AS varchar)`);
    }
    // Athena renders a timestamp(3) as text with its milliseconds; DuckDB drops a zero fraction.
    if (type === 'VARCHAR' && value.type === 'TIMESTAMP') {
      out.push({ text: `strftime(${value.text}, '%Y-%m-%d %H:%M:%S.%g')`, type });
      return j;
    }
    if (type === 'VARCHAR' && value.type === 'TIMESTAMPTZ') {
      out.push({ text: `(strftime(${value.text}, '%Y-%m-%d %H:%M:%S.%g') || ' UTC')`, type });
      return j;
    }
    // Trino rounds a double half away from zero into an integer (DoubleOperators: Math.round); DuckDB half to even.
    if (INTEGERS.has(type) && (value.type === 'DOUBLE' || value.type === 'FLOAT')) {
      out.push({ text: `${fn.toUpperCase()}(round(${value.text}) AS ${type})`, type });
      return j;
    }
    out.push({ text: `${fn.toUpperCase()}(${value.text} AS ${type})`, type });
    return j;
  }

  /** EXTRACT(field FROM x): Trino's DOW is ISO (Monday 1 … Sunday 7); DuckDB's is Sunday 0. */
  private extract(items: readonly Node[]): Chunk {
    const parts = solid(items);
    const field = (parts[0] as Token).text.toLowerCase();
    const value = this.expression(items.slice(items.indexOf(parts[1]) + 1)).text;
    const functions: Record<string, string> = { dow: 'isodow', day_of_week: 'isodow', doy: 'dayofyear', day_of_year: 'dayofyear', yow: 'isoyear', year_of_week: 'isoyear' };
    const duckdb = functions[field];
    return { text: duckdb ? `${duckdb}(${value})` : `EXTRACT(${field} FROM ${value})`, type: 'BIGINT' };
  }

  /** INTERVAL '3' DAY; after `<date> +|-` it keeps the DATE a DATE, as Trino does for day-or-longer intervals. */
  private interval(nodes: readonly Node[], i: number, out: Chunk[]): number {
    const valueAt = nextIndex(nodes, i);
    const unitAt = nextIndex(nodes, valueAt);
    const unit = (nodes[unitAt] as Token).text.toUpperCase();
    const end = unitAt;
    const toAt = nextIndex(nodes, unitAt);
    if (isWord(nodes[toAt], 'to')) {
      throw new AthenaSqlError(`INTERVAL '…' ${unit} TO …`, 'interval ranges have no local equivalent', `use INTERVAL 'n' ${unit} + INTERVAL 'm' <unit>`);
    }
    const literal = `INTERVAL ${(nodes[valueAt] as Token).text} ${unit}`;
    const op = lastSolid(out);
    if ((op?.text === '+' || op?.text === '-') && ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'].includes(unit)) {
      const head = out.slice(0, out.lastIndexOf(op));
      if (lastSolid(head)?.type === 'DATE') {
        const operand = popPrimary(head);
        out.splice(0, out.length, ...head, { text: ` CAST(${operand} ${op.text} ${literal} AS DATE)`, type: 'DATE' });
        return end;
      }
    }
    out.push({ text: literal, type: 'INTERVAL' });
    return end;
  }

  /** `VALUES 1, 2` (rows of one column without parentheses, which DuckDB does not read) → `VALUES (1), (2)`. */
  private values(nodes: readonly Node[], i: number, out: Chunk[]): number {
    let end = i + 1;
    while (end < nodes.length && !(isWord(nodes[end]) && CLAUSE_WORDS.has((nodes[end] as Token).text.toLowerCase()))) end++;
    const rows = splitArgs(nodes.slice(i + 1, end)).map((row) => {
      const expression = this.expression(row).text;
      return solid(row).length === 1 && isGroup(solid(row)[0]) ? expression : `(${expression})`;
    });
    out.push({ text: `VALUES ${rows.join(', ')} ` });
    return end - 1;
  }

  /** TABLESAMPLE BERNOULLI (p) / SYSTEM (p) → DuckDB's TABLESAMPLE p% (bernoulli|system). */
  private tablesample(nodes: readonly Node[], j: number, out: Chunk[]): number {
    const method = nodes[j];
    const k = nextIndex(nodes, j);
    const group = nodes[k];
    if (!isWord(method, 'bernoulli', 'system') || !isGroup(group)) {
      throw new AthenaSqlError('TABLESAMPLE', 'only TABLESAMPLE BERNOULLI (p) and SYSTEM (p) exist in Athena', 'write TABLESAMPLE BERNOULLI (10)');
    }
    const percent = this.expression(group.items);
    if (!/^\d+(\.\d+)?$/.test(percent.text)) {
      throw new AthenaSqlError(`TABLESAMPLE ${method.text.toUpperCase()} (${percent.text})`, 'the percentage must be a number locally', 'write the percentage as a number literal');
    }
    if (method.text.toLowerCase() === 'system') {
      this.warn('TABLESAMPLE SYSTEM', 'Athena samples whole files, DuckDB whole vectors of rows: the rows picked differ, the rate is the same');
    }
    out.push({ text: `TABLESAMPLE ${percent.text}% (${method.text.toLowerCase()})` });
    return k;
  }

  /** UNNEST(array of rows) AS t(a, b, …): Trino makes one column per field; DuckDB unnests the struct into one column. */
  private unnest(nodes: readonly Node[], j: number, out: Chunk[]): number {
    const group = nodes[j] as Extract<Node, { kind: 'group' }>;
    const expressions = splitArgs(group.items).map((arg) => this.expression(arg));
    const args = expressions.map((arg) => arg.text);
    let k = nextIndex(nodes, j);
    let ordinality = false;
    let last = j;
    if (isWord(nodes[k], 'with') && isWord(nodes[nextIndex(nodes, k)], 'ordinality')) {
      ordinality = true;
      last = nextIndex(nodes, k);
      k = nextIndex(nodes, last);
    }
    let aliasAt = k;
    if (isWord(nodes[aliasAt], 'as')) aliasAt = nextIndex(nodes, aliasAt);
    const columnsAt = nextIndex(nodes, aliasAt);
    const alias = nodes[aliasAt];
    const columns = isGroup(nodes[columnsAt]) && alias && (alias.kind === 'word' || alias.kind === 'quoted') ? splitArgs((nodes[columnsAt] as Extract<Node, { kind: 'group' }>).items) : undefined;
    const expected = args.length + (ordinality ? 1 : 0);
    const types = expressions.map((arg) => arg.type);
    if (args.length === 1 && types[0]?.startsWith('STRUCT(') && types[0].endsWith('[]') && columns?.length === expected) {
      throw new AthenaSqlError('UNNEST(array of rows) AS t(x)', `Athena unnests an array of rows into one column per field, so one name for ${types[0]} fails there`, `name one column per field: AS ${(alias as Token).text}(<field>, <field>, …)`);
    }
    if (args.length > 1 && columns !== undefined) {
      if (ordinality) throw new AthenaSqlError('UNNEST(a, b, …) WITH ORDINALITY', 'several arrays with ordinality have no local equivalent', 'unnest each array WITH ORDINALITY and join on the ordinality');
      const names = columns.map((column) => text(column).trim()).join(', ');
      // Trino zips the arrays, padding the shorter ones with NULL; so does DuckDB's unnest of several lists in one SELECT.
      out.push({ text: `LATERAL (SELECT ${args.map((arg) => `unnest(${arg})`).join(', ')}) AS ${(alias as Token).text}(${names})` });
      return columnsAt;
    }
    if (columns === undefined || columns.length <= expected || args.length !== 1) {
      out.push({ text: `UNNEST(${args.join(', ')})${ordinality ? ' WITH ORDINALITY' : ''}` });
      return last;
    }
    const names = columns.map((column) => text(column).trim()).join(', ');
    const ord = ordinality ? `, generate_subscripts(${args[0]}, 1) AS "ordinality"` : '';
    out.push({ text: `LATERAL (SELECT "row".*${ordinality ? ', "ordinality"' : ''} FROM (SELECT unnest(${args[0]}) AS "row"${ord})) AS ${(alias as Token).text}(${names})` });
    return columnsAt;
  }

  /** `db.table` of a catalog table, in a query that reads "$path": the table's relation with "$path". */
  private pathTable(nodes: readonly Node[], i: number, out: Chunk[]): number | undefined {
    const dot = nodes[i + 1];
    const second = nodes[i + 2];
    if (dot?.kind !== 'op' || dot.text !== '.' || !second || (second.kind !== 'word' && second.kind !== 'quoted')) return undefined;
    const unquote = (token: Node) => (token as Token).text.replace(/^"|"$/g, '');
    const table = findTable(this.catalog, unquote(nodes[i]), unquote(second));
    if (!table) return undefined;
    if (!table.withPath) {
      throw new AthenaSqlError('"$path"', `the local table ${table.database}.${table.table} does not record the object of each row`, 'query it through `mesh query`, whose lake defines it');
    }
    this.warn('"$path"', 'locally "$path" is the path of the Parquet file in the local lake, not an s3:// URI');
    const k = nextIndex(nodes, i + 2);
    const hasAlias = (isWord(nodes[k]) && !CLAUSE_WORDS.has((nodes[k] as Token).text.toLowerCase())) || nodes[k]?.kind === 'quoted';
    out.push({ text: `${table.withPath}${hasAlias ? '' : ` AS "${table.table}"`}` });
    return i + 2;
  }

  private columnType(nodes: readonly Node[], i: number): string | undefined {
    const before = nodes[i - 1];
    const after = nodes[i + 1];
    if (after?.kind === 'op' && after.text === '.') return undefined;
    if (before && before.kind === 'op' && before.text === '.' && nodes[i - 2]?.kind !== 'word' && nodes[i - 2]?.kind !== 'quoted') return undefined;
    return columnType(this.catalog, (nodes[i] as Token).text);
  }
}

const INTEGERS = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);

/** The type of `x AT TIME ZONE z` locally: a TIMESTAMP of the zone's wall-clock time (Athena: with its zone). */
const AT_ZONE = 'TIMESTAMP AT ZONE';

/** Result types the translator needs to know to translate what encloses a call (date_add over date(…), …). */
const RESULT_TYPES: Record<string, (args: ReadonlyArray<string | undefined>) => string | undefined> = {
  date: () => 'DATE',
  from_iso8601_date: () => 'DATE',
  date_trunc: (args) => args[1],
  round: (args) => args[0],
  date_add: (args) => args[2],
  current_date: () => 'DATE',
  last_day_of_month: () => 'DATE',
  now: () => 'TIMESTAMPTZ',
  from_iso8601_timestamp: () => 'TIMESTAMPTZ',
  date_parse: () => 'TIMESTAMP',
  map: () => 'MAP(?)',
  map_agg: () => 'MAP(?)',
  map_from_entries: () => 'MAP(?)',
};

function decimalType(value: string): string {
  const digits = value.replace(/^[+-]/, '').split('.');
  const integer = digits[0].replace(/^0+/, '');
  const scale = digits[1]?.length ?? 0;
  return `DECIMAL(${Math.max(1, integer.length + scale)},${scale})`;
}

function nextIndex(nodes: readonly Node[], i: number): number {
  let j = i + 1;
  while (nodes[j]?.kind === 'space') j++;
  return j;
}

function lastSolid(out: readonly Chunk[]): Chunk | undefined {
  for (let k = out.length - 1; k >= 0; k--) if (!out[k].space) return out[k];
  return undefined;
}

/** Removes and returns the last primary of the output: a literal, a call, a (dotted) name or a parenthesised group. */
function popPrimary(out: Chunk[]): string {
  while (out.length > 0 && out[out.length - 1].space) out.pop();
  const parts = [out.pop()?.text ?? ''];
  while (out.length >= 2 && out[out.length - 1].text === '.') parts.unshift(out.pop()!.text, out.pop()!.text);
  return parts.join('');
}

function containsPath(nodes: readonly Node[]): boolean {
  return nodes.some((node) => (node.kind === 'quoted' && node.text === '"$path"') || (node.kind === 'group' && containsPath(node.items)));
}
