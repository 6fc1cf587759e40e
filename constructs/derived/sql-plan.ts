/**
 * SQL products planned at synth: the product's SELECT runs (translated from Athena SQL by lib/athena/) against
 * empty DuckDB tables with exactly its sources' contract columns and types, and the output columns and types
 * are checked against the product's contract, so that a wrong column, a lossy type or a PII read fails the
 * synth instead of every scheduled run. See docs/sql-products.md.
 *
 * Synth is synchronous and DuckDB's API asynchronous: the plan runs in a worker thread the synth waits for
 * (private/sql-planner.ts), and plans are cached (private/plan-cache.ts).
 */
import { AthenaSqlError } from '../../lib/athena/errors';
import { athenaTypeName } from '../../lib/athena/types';
import { translate } from '../../lib/athena/translate';
import { duckdbColumns, duckdbType } from '../../lib/local/duckdb-types';
import { glueType } from '../contract/glue-types';
import { PARTITION_KEY, type ContractSpec } from '../contract/types';
import { cachedPlan } from './private/plan-cache';
import type { PlanTable } from './private/sql-plan-types';
import { planInWorker, plannerFingerprint } from './private/sql-planner';
import { writableWithoutLoss } from './private/writable';
import { bindPartition, SqlError } from './sql';

export { PLAN_CACHE_ENV } from './private/plan-cache';
export { stopSqlPlanner } from './private/sql-planner';

/**
 * Environment variable that skips the plan when set to `off`: for `npm run bench`, which measures what the plan
 * costs a synth (the reference mesh with and without it). Not a user switch: an unplanned SQL product fails at 02:00.
 */
export const SQL_PLAN_ENV = 'CDK_DATA_MESH_SQL_PLAN';

/** A source product as the plan sees it. */
export interface PlanSource {
  readonly productId: string;
  readonly databaseName: string;
  readonly tableName: string;
  readonly contract: ContractSpec;
  readonly piiColumns: readonly string[];
}

/** One output column of the SELECT, with its Athena type. */
export interface PlannedColumn {
  readonly name: string;
  readonly type: string;
}

/** The result of planning: the output columns, or why the SQL could not be planned here (a warning, not an error). */
export type SqlPlan = { readonly columns: readonly PlannedColumn[] } | { readonly unplanned: string };

/**
 * Plans `sql` (the product's SELECT with `:dt`) against `sources` and checks its output against `target`.
 * Throws {@link SqlError} naming the position and the fix; `piiReason` unset means PII columns are not readable.
 */
export function planSqlProduct(sql: string, sources: readonly PlanSource[], target: ContractSpec, piiReason?: string): SqlPlan {
  const start = process.cpuUsage();
  try {
    return plan(sql, sources, target, piiReason);
  } finally {
    const used = process.cpuUsage(start);
    planCpuMicros += used.user + used.system;
  }
}

/** CPU time of every plan so far, all threads (the synth waits while the planner's worker runs). */
let planCpuMicros = 0;

/**
 * CPU seconds this process has spent planning SQL products: the translation, the cache, the planner's worker. For
 * `npm run bench`, which measures what the plan adds to a synth.
 */
export function sqlPlanCpuSeconds(): number {
  return planCpuMicros / 1e6;
}

function plan(sql: string, sources: readonly PlanSource[], target: ContractSpec, piiReason: string | undefined): SqlPlan {
  const tables: PlanTable[] = sources.map((source) => ({
    database: source.databaseName,
    table: source.tableName,
    columns: [
      ...duckdbColumns(source.contract).filter((column) => piiReason !== undefined || !source.piiColumns.includes(column.name)),
      { name: PARTITION_KEY, type: 'VARCHAR' },
    ],
  }));
  let select: string;
  try {
    const catalog = { tables: tables.map((table) => ({ ...table, partitionKeys: [PARTITION_KEY] })) };
    select = translate(bindPartition(sql, '2000-01-01'), catalog).sql;
  } catch (error) {
    if (error instanceof AthenaSqlError) return { unplanned: error.message };
    throw error;
  }
  const response = cachedPlan({ tables, select }, plannerFingerprint(), planInWorker);
  if (response.error !== undefined) throw new SqlError(explainError(response.error, sql, sources, piiReason));
  const columns = response.columns.map((column) => ({ name: column.name, type: athenaTypeName(column.type), duckdb: column.type }));
  checkOutput(sql, columns, target);
  return { columns: columns.map(({ name, type }) => ({ name, type })) };
}

function checkOutput(sql: string, columns: ReadonlyArray<PlannedColumn & { duckdb: string }>, target: ContractSpec): void {
  const expected = Object.keys(target.columns);
  const names = columns.map((column) => column.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw new SqlError(`The SQL returns the column "${duplicate}" twice (${at(sql, duplicate)}): name each output column once.`);
  }
  const missing = expected.filter((name) => !names.includes(name));
  const extra = names.filter((name) => !expected.includes(name));
  if (extra.length > 0 && at(sql, extra[0]) === FROM_STAR) {
    throw new SqlError(
      `The SQL returns the columns of a * (${names.join(', ')}), not the contract's (${expected.join(', ')}): ` +
        `name the contract's columns in the SELECT instead of *${missing.length > 0 ? ` (e.g. "… AS ${missing[0]}")` : ''}.`,
    );
  }
  if (missing.length > 0 && extra.length > 0) {
    throw new SqlError(
      `The SQL returns "${extra[0]}" (${at(sql, extra[0])}) where the contract expects "${missing[0]}": ` +
        `name the output column like the contract's (e.g. "… AS ${missing[0]}"). It returns ${names.join(', ')}; the contract has ${expected.join(', ')}.`,
    );
  }
  if (missing.length > 0) {
    throw new SqlError(
      `The SQL returns no column ${missing.map((name) => `"${name}"`).join(', ')} of the contract (it returns ${names.join(', ')}): ` +
        `add ${missing.length === 1 ? 'it' : 'them'} to the SELECT, named like the contract's column (e.g. "… AS ${missing[0]}").`,
    );
  }
  if (extra.length > 0) {
    throw new SqlError(
      `The SQL returns "${extra[0]}" (${at(sql, extra[0])}), which is not a column of the contract (${expected.join(', ')}): ` +
        `leave it out of the SELECT, or add it to the contract.`,
    );
  }
  for (const column of columns) {
    const spec = target.columns[column.name];
    if (writableWithoutLoss(column.duckdb, spec.type, duckdbType(spec.type))) continue;
    const glue = glueType(spec.type);
    throw new SqlError(
      `The SQL returns "${column.name}" as ${column.type} (${at(sql, column.name)}), which cannot be written to the contract's ${glue} column without loss: ` +
        `CAST(… AS ${athenaTypeName(duckdbType(spec.type))}) in the SELECT if every value fits, or declare the column ${glueType(widerTypeFor(column.duckdb) ?? spec.type)} in the contract.`,
    );
  }
}

/** The contract type that holds a DuckDB output type, for the "or declare" part of the fix. */
function widerTypeFor(duckdb: string): ContractSpec['columns'][string]['type'] | undefined {
  const type = duckdb.toUpperCase();
  if (type === 'BIGINT' || type === 'HUGEINT') return { kind: 'bigint' };
  if (type === 'DOUBLE') return { kind: 'double' };
  if (type === 'VARCHAR') return { kind: 'string' };
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return { kind: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  return undefined;
}

/** DuckDB's binder error in the words of the product: which column, where, and the fix. */
function explainError(message: string, sql: string, sources: readonly PlanSource[], piiReason: string | undefined): string {
  const column = /Referenced column "([^"]+)" not found/.exec(message)?.[1] ?? /does not have a column named "([^"]+)"/.exec(message)?.[1];
  if (column !== undefined) {
    const owner = sources.find((source) => source.piiColumns.includes(column));
    if (owner !== undefined && piiReason === undefined) {
      return (
        `The SQL reads "${column}" (${at(sql, column)}), a PII column of ${owner.productId}, without piiReason: ` +
        `leave it out, or set piiReason on the derivation to say why this product needs it (its pipeline is then granted the PII columns).`
      );
    }
    const known = sources.map((source) => `${source.databaseName}.${source.tableName} (${Object.keys(source.contract.columns).join(', ')})`);
    return `The SQL reads a column "${column}" (${at(sql, column)}) that no source has: use a column of ${known.join('; ')}, or add it to the source's contract.`;
  }
  return `The SQL does not run against its sources' columns: ${message.split('\n')[0]}. Fix the SQL (run it with \`mesh dev\` to try it).`;
}

const FROM_STAR = 'from a * in the SELECT';

/** `line L, column C` of the first occurrence of `name` as a word (an alias `AS name` first), 1-based. */
function at(sql: string, name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`\\bAS\\s+"?(${escaped})"?(?![\\w"])`, 'i').exec(sql) ?? new RegExp(`(?<![\\w"])"?(${escaped})"?(?![\\w"])`, 'i').exec(sql);
  // Not written in the SQL: it comes from a `*` (SELECT *, t.*), or DuckDB named an unnamed expression.
  if (!match) return /(^|[\s,(.])\*\s*(,|FROM\b)/i.test(sql) ? FROM_STAR : 'position unknown';
  const offset = match.index + match[0].indexOf(match[1]);
  const before = sql.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}
