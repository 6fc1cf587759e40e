/**
 * The scheduled quality run of one product: each rule's Athena statement on one `dt` partition, compared with its
 * threshold, published as CloudWatch metrics and written as JSON lines to the domain's `quality_results` table.
 * Pure orchestration over three ports (Athena, CloudWatch, S3), so that it is tested without AWS.
 */
import { meetsOperator } from '../../constructs/contract/quality';

/** One rule as the construct compiled it at synth. */
export interface CompiledRule {
  readonly name: string;
  readonly column?: string;
  readonly dimension?: string;
  readonly severity: 'info' | 'warning' | 'error';
  readonly description: string;
  /** e.g. `= 0`, `≥ 10`. */
  readonly threshold: string;
  readonly operator: string;
  readonly value: number | readonly [number, number];
  /** Athena SQL returning one number; `${dt}` stands for the day checked (validated `yyyy-MM-dd`). */
  readonly sql: string;
  /** The cron (five fields) the rule runs on. */
  readonly schedule: string;
}

/** What the Lambda is built with (see QualityRun). */
export interface QualityRunConfig {
  readonly productId: string;
  readonly database: string;
  readonly table: string;
  readonly rules: readonly CompiledRule[];
  /** CloudWatch namespace, e.g. `DataMesh/Quality`. */
  readonly namespace: string;
}

/** One line of `<domain>.quality_results`. */
export interface QualityResultRow {
  readonly product: string;
  readonly rule: string;
  readonly column_name: string | null;
  readonly dimension: string | null;
  readonly severity: string;
  readonly description: string;
  readonly threshold: string;
  readonly measured: number | null;
  readonly status: 'pass' | 'fail' | 'error';
  readonly message: string | null;
  readonly checked_at: string;
  readonly dt: string;
}

export interface QualityPorts {
  /** Runs one statement, returns the first column of the first row as text (null for SQL NULL). */
  query(sql: string): Promise<string | null>;
  putMetrics(namespace: string, data: ReadonlyArray<{ name: string; dimensions: Record<string, string>; value: number }>): Promise<void>;
  putResults(dt: string, lines: readonly QualityResultRow[]): Promise<void>;
}

/** The event: the scheduler's time (the day before it is checked) and which schedule fired; or a `dt` to re-check. */
export interface QualityRunEvent {
  readonly scheduledTime?: string;
  readonly schedule?: string;
  readonly dt?: string;
}

/** `yyyy-MM-dd` of the day before `time` (UTC): the last closed day partition. */
export function partitionToCheck(event: QualityRunEvent, now: Date = new Date()): string {
  if (event.dt !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}(-\d{2})?$/.test(event.dt)) throw new Error(`dt "${event.dt}" is not a partition: use yyyy-MM-dd, e.g. {"dt": "2026-12-01"}.`);
    return event.dt;
  }
  const at = event.scheduledTime !== undefined ? new Date(event.scheduledTime) : now;
  if (Number.isNaN(at.getTime())) throw new Error(`scheduledTime "${event.scheduledTime}" is not a time.`);
  return new Date(at.getTime() - 86_400_000).toISOString().slice(0, 10);
}

export function meets(rule: Pick<CompiledRule, 'operator' | 'value'>, measured: number): boolean {
  return meetsOperator(rule.operator, rule.value, measured);
}

/**
 * Runs the rules of the schedule that fired (all rules when the event names none) on the partition, publishes
 * `Measured` and `Failed` (1 or 0) per rule with dimensions `Product` and `Rule`, writes the result lines, and
 * throws when a rule could not run (the function's error alarm then fires: the run itself failed).
 */
export async function runQuality(config: QualityRunConfig, event: QualityRunEvent, ports: QualityPorts, now: Date = new Date()): Promise<QualityResultRow[]> {
  const dt = partitionToCheck(event, now);
  const rules = config.rules.filter((rule) => event.schedule === undefined || rule.schedule === event.schedule);
  const rows: QualityResultRow[] = [];
  for (const rule of rules) {
    const base = {
      product: config.productId,
      rule: rule.name,
      column_name: rule.column ?? null,
      dimension: rule.dimension ?? null,
      severity: rule.severity,
      description: rule.description,
      threshold: rule.threshold,
      checked_at: now.toISOString(),
      dt,
    };
    try {
      const text = await ports.query(rule.sql.split('${dt}').join(dt));
      const measured = text === null ? 0 : Number(text);
      if (!Number.isFinite(measured)) throw new Error(`the query returned "${text}", not a number`);
      rows.push({ ...base, measured, status: meets(rule, measured) ? 'pass' : 'fail', message: null });
    } catch (error) {
      rows.push({ ...base, measured: null, status: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }
  const metrics = rows.flatMap((row) => {
    const dimensions = { Product: config.productId, Rule: row.rule };
    return [
      ...(row.measured !== null ? [{ name: 'Measured', dimensions, value: row.measured }] : []),
      { name: 'Failed', dimensions, value: row.status === 'pass' ? 0 : 1 },
    ];
  });
  await ports.putMetrics(config.namespace, metrics);
  await ports.putResults(dt, rows);
  const broken = rows.filter((row) => row.status === 'error');
  if (broken.length > 0) {
    throw new Error(`${config.productId}: ${broken.length} quality rule(s) could not run on dt=${dt}: ${broken.map((r) => `${r.rule} (${r.message})`).join('; ')}`);
  }
  return rows;
}
