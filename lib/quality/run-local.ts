/**
 * Runs a product's quality rules against the local lake (DuckDB), each compiled to Athena SQL and run through the
 * same translation as `mesh query`, on one `dt` partition (default the latest) or on all data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { compileRule, isRunnable, meetsThreshold, qualityRules, qualityTarget, ruleSummary, type ResolvedRule } from '../../constructs/contract';
import type { LakeDatabase } from '../local/lake-database';
import type { LocalLake } from '../local/lake';

/** The outcome of one rule on one product. */
export interface RuleResult {
  /** Product id, e.g. `orders.order_placed.v1`. */
  readonly product: string;
  readonly rule: string;
  readonly column?: string;
  readonly dimension?: string;
  readonly severity: ResolvedRule['severity'];
  /** The rule in words. */
  readonly description: string;
  /** The threshold in signs, e.g. `= 0`, `> 50`. */
  readonly threshold: string;
  /** The partition checked, or `all`. */
  readonly dt: string;
  /** The measured value; undefined when the rule did not run. */
  readonly measured?: number;
  /** `pass`, `fail`, `error` (the SQL failed) or `skipped` (a text or custom rule: the mesh does not run it). */
  readonly status: 'pass' | 'fail' | 'error' | 'skipped';
  /** Why the rule did not run, or the SQL's error. */
  readonly message?: string;
  /** Set when the contract implies the rule (primary key, required). */
  readonly implied?: ResolvedRule['implied'];
}

export interface QualityRunOptions {
  /** The partition to check. @default - the product's latest partition */
  readonly dt?: string;
  /** Check all partitions together instead of one. @default false */
  readonly all?: boolean;
}

/** The latest `dt` partition of the product in the lake (undefined when the table is empty). */
export async function latestPartition(database: LakeDatabase, product: ProductEntry): Promise<string | undefined> {
  const { databaseName, tableName } = product.physical;
  // Not max(dt): DuckDB 1.x fails on min/max of a hive partition column when the lake has one partition.
  const result = await database.athenaQuery(`SELECT dt FROM "${databaseName}"."${tableName}" GROUP BY dt ORDER BY dt DESC LIMIT 1`);
  const value = result.rows[0]?.[0];
  return typeof value === 'string' ? value : undefined;
}

/** Runs every rule of the product (implied ones included) and returns one result per rule. */
export async function runProductQuality(database: LakeDatabase, product: ProductEntry, options: QualityRunOptions = {}): Promise<RuleResult[]> {
  const dt = options.all ? undefined : (options.dt ?? (await latestPartition(database, product)));
  // No partition yet: an empty one is checked (dt = ''), so that row-count floors fail as they would on AWS.
  const target = { ...qualityTarget(product.contract, product.physical.databaseName), table: product.physical.tableName, hourly: product.contract.partitionBy.granularity === 'hour', ...(!options.all && { dt: dt ?? '' }) };
  const checked = options.all ? 'all' : (dt ?? '(no data)');
  const results: RuleResult[] = [];
  for (const rule of qualityRules(product.contract)) {
    const { name, ...summary } = ruleSummary(rule);
    const base = {
      product: product.id,
      rule: name,
      ...summary,
      dt: checked,
      ...(rule.implied !== undefined && { implied: rule.implied }),
    };
    if (!isRunnable(rule)) {
      results.push({ ...base, status: 'skipped', message: `${rule.type} rules are not run by the mesh` });
      continue;
    }
    try {
      const result = await database.athenaQuery(compileRule(rule, target));
      const raw = result.rows[0]?.[0];
      const measured = raw === null || raw === undefined ? 0 : Number(raw);
      if (!Number.isFinite(measured)) throw new Error(`the query returned ${JSON.stringify(raw)}, not a number`);
      const rounded = Math.round(measured * 100) / 100;
      results.push({ ...base, measured: rounded, status: meetsThreshold(rule, measured) ? 'pass' : 'fail' });
    } catch (error) {
      results.push({ ...base, status: 'error', message: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    }
  }
  return results;
}

/** Whether the results fail the run: a rule of severity error failed or could not run. */
export function failsRun(results: readonly RuleResult[]): boolean {
  return results.some((r) => r.severity === 'error' && (r.status === 'fail' || r.status === 'error'));
}

/** Where `mesh test` leaves its latest results for `mesh catalog`: beside the lake. */
export function resultsFile(lakeRoot: string): string {
  return path.join(path.resolve(lakeRoot), 'quality-results.json');
}

/** The latest local results, per product id (empty when `mesh test` has not run). */
export function readLocalResults(lakeRoot: string): Record<string, RuleResult[]> {
  const file = resultsFile(lakeRoot);
  if (!fs.existsSync(file)) return {};
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { results?: Record<string, RuleResult[]> };
  return parsed.results ?? {};
}

/** Records results: the products checked now replace their previous results, the others keep theirs. */
export function writeLocalResults(lake: LocalLake, results: readonly RuleResult[], at: Date = new Date()): void {
  const merged = readLocalResults(lake.root);
  for (const id of new Set(results.map((r) => r.product))) merged[id] = results.filter((r) => r.product === id);
  fs.mkdirSync(lake.root, { recursive: true });
  fs.writeFileSync(resultsFile(lake.root), `${JSON.stringify({ checkedAt: at.toISOString(), results: merged }, null, 2)}\n`);
}
