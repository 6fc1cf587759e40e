/**
 * Athena's own statements — SHOW TABLES/DATABASES/COLUMNS/PARTITIONS and DESCRIBE — as queries over DuckDB's catalog,
 * with Athena's result columns (https://docs.aws.amazon.com/athena/latest/ug/ddl-reference.html).
 */
import { type AthenaCatalog, findTable } from './catalog';
import { AthenaSqlError } from './errors';
import { type Node, type Token, isWord, quoteString, stringValue } from './tokens';

/** Schemas DuckDB has that are not lake databases. */
const NOT_LAKE = "('main', 'information_schema', 'pg_catalog')";

/** The DuckDB query for an Athena SHOW/DESCRIBE statement, or undefined when `nodes` is another statement. */
export function translateStatement(nodes: readonly Node[], catalog: AthenaCatalog, warn: (construct: string, message: string) => void): string | undefined {
  const [first, second] = nodes;
  if (isWord(first, 'describe', 'desc')) return describe(nodes.slice(1), catalog);
  if (!isWord(first, 'show')) return undefined;
  const what = (second as Token | undefined)?.text.toLowerCase();
  const rest = nodes.slice(2);
  if (what === 'tables') return showTables(rest, warn);
  if (what === 'databases' || what === 'schemas') {
    return `SELECT schema_name AS database_name FROM information_schema.schemata WHERE schema_name NOT IN ${NOT_LAKE} AND catalog_name = current_database() ORDER BY 1`;
  }
  if (what === 'columns') {
    const { database, table } = tableName(columnsTarget(rest), 'SHOW COLUMNS', catalog);
    return `SELECT column_name AS field FROM information_schema.columns WHERE table_schema = ${quoteString(database)} AND table_name = ${quoteString(table)} ORDER BY ordinal_position`;
  }
  if (what === 'partitions') {
    const { database, table, partitionKeys } = tableName(rest, 'SHOW PARTITIONS', catalog);
    const partition = partitionKeys.map((key) => `'${key}=' || "${key}"`).join(" || '/' || ");
    return `SELECT DISTINCT ${partition} AS partition FROM "${database}"."${table}" ORDER BY 1`;
  }
  const construct = `SHOW ${nodes.slice(1, 3).map((node) => (node as Token).text.toUpperCase()).join(' ')}`;
  throw new AthenaSqlError(construct, 'the local lake answers SHOW TABLES, SHOW DATABASES, SHOW COLUMNS, SHOW PARTITIONS and DESCRIBE only', 'read the table definition with DESCRIBE <db>.<table>');
}

function showTables(rest: readonly Node[], warn: (construct: string, message: string) => void): string {
  const conditions = ["table_name NOT LIKE '%$path'", `table_schema NOT IN ${NOT_LAKE}`];
  let at = 0;
  if (isWord(rest[0], 'in', 'from')) {
    conditions.push(`table_schema = ${quoteString(unquote(rest[1]))}`);
    at = 2;
  } else {
    warn('SHOW TABLES', 'the local lake has no current database: the tables of every database are listed');
  }
  if (isWord(rest[at], 'like')) at++;
  const pattern = rest[at];
  if (pattern?.kind === 'string') {
    // Athena's pattern: * for any characters, | between alternatives.
    const regex = stringValue(pattern).replace(/[.+?^${}()[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    conditions.push(`regexp_full_match(table_name, ${quoteString(`(?i)(${regex})`)})`);
  }
  return `SELECT table_name AS tab_name FROM information_schema.tables WHERE ${conditions.join(' AND ')} ORDER BY 1`;
}

/** SHOW COLUMNS {IN|FROM} t [{IN|FROM} db] → [db, ., t] nodes. */
function columnsTarget(rest: readonly Node[]): Node[] {
  if (!isWord(rest[0], 'in', 'from')) throw new SyntaxError('SHOW COLUMNS needs IN <table> in the SQL.');
  const table = rest.slice(1);
  if (isWord(table[table.length - 2], 'in', 'from')) return [table[table.length - 1], { kind: 'op', text: '.' }, ...table.slice(0, -2)];
  return table;
}

function describe(rest: readonly Node[], catalog: AthenaCatalog): string {
  const nodes = isWord(rest[0], 'formatted', 'extended') ? rest.slice(1) : rest;
  const { database, table } = tableName(nodes, 'DESCRIBE', catalog);
  return `SELECT column_name AS col_name, athena_type_name(column_type) AS data_type FROM (DESCRIBE "${database}"."${table}")`;
}

function tableName(nodes: readonly Node[], statement: string, catalog: AthenaCatalog): { database: string; table: string; partitionKeys: readonly string[] } {
  const names = nodes.filter((node) => !(node.kind === 'op' && node.text === '.'));
  if (names.length === 0 || names.length > 2 || names.some((node) => node.kind !== 'word' && node.kind !== 'quoted')) {
    throw new SyntaxError(`${statement} needs a table name (<database>.<table>) in the SQL.`);
  }
  const table = unquote(names[names.length - 1]);
  const database = names.length === 2 ? unquote(names[0]) : undefined;
  const found = findTable(catalog, database, table);
  if (!found) {
    throw new AthenaSqlError(`${statement} ${database ? `${database}.` : ''}${table}`, 'no table of that name is in the local lake', 'list the tables with SHOW TABLES IN <database>');
  }
  return { database: found.database, table: found.table, partitionKeys: found.partitionKeys };
}

const unquote = (node: Node | undefined): string => ((node as Token | undefined)?.text ?? '').replace(/^"|"$/g, '').replace(/""/g, '"');
