import { describe, expect, it } from 'vitest';
import { runSchedule } from '../../../lib/cli/schedule';
import { referenceEntries, writeAssembly } from '../catalog/fixtures/reference-mesh';

const FROM = new Date('2026-12-03T12:28:00Z');

describe('mesh schedule', () => {
  it('prints the next runs of an expression in UTC', () => {
    expect(runSchedule('cron(0 2 * * ? *)', { assembly: 'cdk.out', from: FROM })).toBe(
      'cron(0 2 * * ? *) runs next at 2026-12-04 02:00, 2026-12-05 02:00, 2026-12-06 02:00 UTC.',
    );
    expect(runSchedule('cron(0 8 ? * MON-FRI *)', { assembly: 'cdk.out', from: FROM, count: 2 })).toBe(
      'cron(0 8 ? * MON-FRI *) runs next at 2026-12-04 08:00, 2026-12-07 08:00 UTC.',
    );
  });

  it('fails with Scheduler\'s reason for an invalid expression', () => {
    expect(() => runSchedule('cron(0 25 * * ? *)', { assembly: 'cdk.out', from: FROM })).toThrow(
      'schedule "cron(0 25 * * ? *)" has hours 25, out of range: hours must be from 0 to 23.',
    );
  });

  it('prints every SQL product of the assembly with its next runs', () => {
    const assembly = writeAssembly(referenceEntries());
    expect(runSchedule(undefined, { assembly, from: FROM })).toMatch(
      /^marketing\.customer_orders\.v1 {2}(cron|rate)\(.*\)\n {2}next runs: \d{4}-\d{2}-\d{2} \d{2}:\d{2}, .* UTC$/,
    );
  });

  it('evaluates an expression in --time-zone and prints UTC', () => {
    expect(runSchedule('cron(0 2 * * ? *)', { assembly: 'cdk.out', from: FROM, count: 2, timeZone: 'Europe/Berlin' })).toBe(
      'cron(0 2 * * ? *) in Europe/Berlin runs next at 2026-12-04 01:00, 2026-12-05 01:00 UTC.',
    );
  });

  it("evaluates a SQL product's schedule in its pipeline's time zone", () => {
    const entries = referenceEntries().map((entry) =>
      entry.kind === 'product' && entry.source?.kind === 'sql' ? { ...entry, source: { ...entry.source, schedule: 'cron(0 2 * * ? *)', timeZone: 'America/New_York' } } : entry,
    );
    expect(runSchedule(undefined, { assembly: writeAssembly(entries), from: FROM })).toBe(
      'marketing.customer_orders.v1  cron(0 2 * * ? *) in America/New_York\n  next runs: 2026-12-04 07:00, 2026-12-05 07:00, 2026-12-06 07:00 UTC',
    );
  });
});
