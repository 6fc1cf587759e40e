import { describe, expect, it } from 'vitest';
import { partitionToCheck, runQuality, type QualityPorts, type QualityResultRow, type QualityRunConfig } from '../../../lambdas/quality-runner/run';
import { compiledRules } from '../../../constructs/quality';
import { orderPlaced } from '../../../lib/reference/contracts/orders';

const config: QualityRunConfig = {
  productId: 'orders.order_placed.v1',
  database: 'orders',
  table: 'order_placed_v1',
  namespace: 'DataMesh/Quality',
  rules: compiledRules({ contract: orderPlaced, databaseName: 'orders', tableName: 'order_placed_v1' }),
};

/** Fake ports: answers each statement from `answer`, records metrics and result lines. */
function fakePorts(answer: (sql: string) => string | null | Error) {
  const sent: string[] = [];
  const metrics: Array<{ name: string; dimensions: Record<string, string>; value: number }> = [];
  const written: Array<{ dt: string; lines: readonly QualityResultRow[] }> = [];
  const ports: QualityPorts = {
    async query(sql) {
      sent.push(sql);
      const value = answer(sql);
      if (value instanceof Error) throw value;
      return value;
    },
    async putMetrics(_namespace, data) {
      metrics.push(...data);
    },
    async putResults(dt, lines) {
      written.push({ dt, lines });
    },
  };
  return { ports, sent, metrics, written };
}

describe('the scheduled quality run', () => {
  it('checks the day before the scheduled time, or the dt given', () => {
    expect(partitionToCheck({ scheduledTime: '2026-12-03T01:00:00Z' })).toBe('2026-12-02');
    expect(partitionToCheck({ dt: '2026-11-30' })).toBe('2026-11-30');
    expect(() => partitionToCheck({ dt: 'yesterday' })).toThrow('dt "yesterday" is not a partition: use yyyy-MM-dd, e.g. {"dt": "2026-12-01"}.');
  });

  it('runs every rule on the partition, publishes Measured and Failed per rule and writes one result line per rule', async () => {
    const { ports, sent, metrics, written } = fakePorts((sql) => (sql.includes('count(*) AS measured FROM (SELECT') && !sql.includes('count_if') ? '42' : sql.includes('order_id') && sql.includes('HAVING') ? '2' : '0'));
    const rows = await runQuality(config, { scheduledTime: '2026-12-03T01:00:00Z', schedule: '0 1 * * *' }, ports, new Date('2026-12-03T01:00:05Z'));
    expect(sent.every((sql) => sql.includes("dt = '2026-12-02'"))).toBe(true);
    expect(rows.find((r) => r.rule === 'orders_per_day')).toMatchObject({ measured: 42, status: 'pass', dt: '2026-12-02' });
    expect(rows.find((r) => r.rule === 'order_id_duplicate_values')).toMatchObject({ measured: 2, status: 'fail', severity: 'error' });
    expect(metrics).toContainEqual({ name: 'Failed', dimensions: { Product: 'orders.order_placed.v1', Rule: 'order_id_duplicate_values' }, value: 1 });
    expect(metrics).toContainEqual({ name: 'Measured', dimensions: { Product: 'orders.order_placed.v1', Rule: 'orders_per_day' }, value: 42 });
    expect(written).toHaveLength(1);
    expect(written[0].lines).toHaveLength(config.rules.length);
  });

  it('fails the run (so its alarm fires) when a rule could not run, after recording what did', async () => {
    const { ports, written } = fakePorts((sql) => (sql.includes('UNNEST') ? new Error('Athena query q-1 FAILED: TABLE_NOT_FOUND') : '0'));
    await expect(runQuality(config, { dt: '2026-12-01' }, ports)).rejects.toThrow(
      'orders.order_placed.v1: 1 quality rule(s) could not run on dt=2026-12-01: total_matches_line_items (Athena query q-1 FAILED: TABLE_NOT_FOUND)',
    );
    expect(written[0].lines.find((l) => l.rule === 'total_matches_line_items')).toMatchObject({ status: 'error', measured: null });
  });
});
