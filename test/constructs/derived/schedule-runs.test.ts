import { describe, expect, it } from 'vitest';
import { describeNextRuns, nextRuns } from '../../../constructs/derived/schedule-runs';

/** Thursday 3 December 2026, 12:28 UTC. */
const FROM = new Date('2026-12-03T12:28:00Z');
const runs = (expression: string, count = 3) => nextRuns(expression, count, FROM).map((run) => run.toISOString().slice(0, 16));

describe('nextRuns: the next run times (UTC) of an EventBridge Scheduler expression', () => {
  it.each([
    ['cron(0 2 * * ? *)', ['2026-12-04T02:00', '2026-12-05T02:00', '2026-12-06T02:00']],
    ['cron(0/15 * * * ? *)', ['2026-12-03T12:30', '2026-12-03T12:45', '2026-12-03T13:00']],
    ['cron(*/20 * * * ? *)', ['2026-12-03T12:40', '2026-12-03T13:00', '2026-12-03T13:20']],
    ['cron(0 8-18/4 ? * MON-FRI *)', ['2026-12-03T16:00', '2026-12-04T08:00', '2026-12-04T12:00']],
    ['cron(0 9 ? * SAT,SUN *)', ['2026-12-05T09:00', '2026-12-06T09:00', '2026-12-12T09:00']],
    ['cron(0 23-1 * * ? *)', ['2026-12-03T23:00', '2026-12-04T00:00', '2026-12-04T01:00']],
    ['cron(0 2 1 JAN,JUL ? *)', ['2027-01-01T02:00', '2027-07-01T02:00', '2028-01-01T02:00']],
    ['cron(0 2 1 1 ? 2027)', ['2027-01-01T02:00']],
  ])('%s', (expression, expected) => {
    expect(runs(expression)).toEqual(expected);
  });

  it.each([
    // L: the last day of the month (31 Dec, 31 Jan, 28 Feb 2027).
    ['cron(30 2 L * ? *)', ['2026-12-31T02:30', '2027-01-31T02:30', '2027-02-28T02:30']],
    // LW: the last weekday (31 Jan and 28 Feb 2027 are Sundays: Friday the 29th and 26th).
    ['cron(0 2 LW * ? *)', ['2026-12-31T02:00', '2027-01-29T02:00', '2027-02-26T02:00']],
    // 1W: the weekday nearest the 1st, within the month (1 May 2027 is a Saturday: Monday the 3rd, not 30 April).
    ['cron(0 2 1W 5 ? *)', ['2027-05-03T02:00', '2028-05-01T02:00', '2029-05-01T02:00']],
    // 15W: 15 May 2027 is a Saturday: Friday the 14th.
    ['cron(0 2 15W 5 ? 2027)', ['2027-05-14T02:00']],
    // 6#3: the third Friday.
    ['cron(0 2 ? * 6#3 *)', ['2026-12-18T02:00', '2027-01-15T02:00', '2027-02-19T02:00']],
    // 2L: the last Monday of January and July.
    ['cron(0 2 ? JAN,JUL 2L *)', ['2027-01-25T02:00', '2027-07-26T02:00', '2028-01-31T02:00']],
    // L in day-of-week alone: Saturday (7).
    ['cron(0 9 ? * L *)', ['2026-12-05T09:00', '2026-12-12T09:00', '2026-12-19T09:00']],
  ])('%s (day specials)', (expression, expected) => {
    expect(runs(expression)).toEqual(expected);
  });

  it('counts rate() runs from `from`, the schedule\'s creation time', () => {
    expect(runs('rate(1 day)')).toEqual(['2026-12-04T12:28', '2026-12-05T12:28', '2026-12-06T12:28']);
    expect(runs('rate(5 minutes)')).toEqual(['2026-12-03T12:33', '2026-12-03T12:38', '2026-12-03T12:43']);
    expect(runs('rate(6 hours)', 2)).toEqual(['2026-12-03T18:28', '2026-12-04T00:28']);
  });

  it('runs at() once, or never when it is past', () => {
    expect(runs('at(2027-01-01T02:00:00)')).toEqual(['2027-01-01T02:00']);
    expect(runs('at(2026-01-01T02:00:00)')).toEqual([]);
  });

  it('returns no run for a date that never comes (30 February), after searching to 2199', () => {
    expect(runs('cron(0 0 30 2 ? *)')).toEqual([]);
  });

  it('is strictly after `from`', () => {
    expect(nextRuns('cron(28 12 * * ? *)', 1, FROM)[0].toISOString()).toBe('2026-12-04T12:28:00.000Z');
  });

  it('refuses an expression Scheduler refuses, with the reason', () => {
    expect(() => nextRuns('cron(0 25 * * ? *)', 3, FROM)).toThrow('schedule "cron(0 25 * * ? *)" has hours 25, out of range: hours must be from 0 to 23.');
    expect(() => nextRuns('cron(*/0 * * * ? *)', 3, FROM)).toThrow(
      'schedule "cron(*/0 * * * ? *)" has minutes "*/0", which is not a valid minutes field: write values from 0 to 59, ranges (a-b), lists (a,b), steps (*/n) or *.',
    );
  });

  it('describes the next runs in one line', () => {
    expect(describeNextRuns('cron(0 2 * * ? *)', 3, FROM)).toBe('2026-12-04 02:00, 2026-12-05 02:00, 2026-12-06 02:00 UTC');
    expect(describeNextRuns('at(2026-01-01T02:00:00)', 3, FROM)).toBe('no run after 2026-12-03 12:28 UTC');
  });

  describe('in a time zone (the pipeline\'s timeZone), as Scheduler runs across daylight saving time', () => {
    const utc = (expression: string, count: number, from: string, zone: string) => nextRuns(expression, count, new Date(from), zone).map((run) => run.toISOString().slice(0, 16));

    it('gives the UTC instants of the wall-clock runs', () => {
      expect(utc('cron(0 2 * * ? *)', 2, '2026-12-03T12:00:00Z', 'America/New_York')).toEqual(['2026-12-04T07:00', '2026-12-05T07:00']);
      expect(utc('cron(0 2 * * ? *)', 2, '2026-07-03T12:00:00Z', 'America/New_York')).toEqual(['2026-07-04T06:00', '2026-07-05T06:00']);
      expect(utc('at(2026-12-24T18:00:00)', 1, '2026-12-03T12:00:00Z', 'Europe/Berlin')).toEqual(['2026-12-24T17:00']);
      expect(utc('cron(0 2 * * ? *)', 1, '2026-12-03T12:00:00Z', 'UTC')).toEqual(['2026-12-04T02:00']);
    });

    it('skips a run at a time the spring change skips (02:30 on 29 March 2026 in Berlin)', () => {
      expect(utc('cron(30 2 * * ? *)', 3, '2026-03-27T12:00:00Z', 'Europe/Berlin')).toEqual(['2026-03-28T01:30', '2026-03-30T00:30', '2026-03-31T00:30']);
    });

    it('runs once at a time the autumn change repeats (02:30 on 25 October 2026 in Berlin), at the first', () => {
      expect(utc('cron(30 2 * * ? *)', 3, '2026-10-23T12:00:00Z', 'Europe/Berlin')).toEqual(['2026-10-24T00:30', '2026-10-25T00:30', '2026-10-26T01:30']);
      expect(utc('cron(0/30 * * * ? *)', 4, '2026-10-25T00:10:00Z', 'Europe/Berlin')).toEqual(['2026-10-25T00:30', '2026-10-25T02:00', '2026-10-25T02:30', '2026-10-25T03:00']);
    });

    it('counts a rate from `from` whatever the zone', () => {
      expect(utc('rate(1 day)', 2, '2026-03-28T12:00:00Z', 'Europe/Berlin')).toEqual(['2026-03-29T12:00', '2026-03-30T12:00']);
    });

    it('refuses a zone that is not an IANA name', () => {
      expect(() => nextRuns('cron(0 2 * * ? *)', 1, FROM, 'Europe/Berln')).toThrow(
        'time zone "Europe/Berln" is not an IANA time zone name: use one such as Europe/Berlin, America/New_York or UTC (TimeZone.EUROPE_BERLIN, …).',
      );
    });
  });
});
