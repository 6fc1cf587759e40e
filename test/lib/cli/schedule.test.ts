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
});
