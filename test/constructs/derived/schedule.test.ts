import { describe, expect, it } from 'vitest';
import { scheduleProblem } from '../../../constructs/derived/schedule';

describe('scheduleProblem: EventBridge Scheduler expressions', () => {
  it.each([
    'cron(0 2 * * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0 8-18/2 ? * MON-FRI *)',
    'cron(30 2 L * ? *)',
    'cron(0 2 15W * ? 2026-2030)',
    'cron(0 2 ? * 6#3 *)',
    'cron(0 2 ? JAN,JUL 2L *)',
    'rate(1 day)',
    'rate(5 minutes)',
    'at(2027-01-01T02:00:00)',
  ])('accepts %s', (expression) => {
    expect(scheduleProblem(expression)).toBeUndefined();
  });

  it.each([
    ['cron(60 2 * * ? *)', 'has minutes 60, out of range: minutes must be from 0 to 59.'],
    ['cron(0 2 32 * ? *)', 'has day-of-month 32, out of range: day-of-month must be from 1 to 31.'],
    ['cron(0 2 ? 13 MON *)', 'has month 13, out of range: month must be from 1 to 12 (or JAN-DEC).'],
    ['cron(0 2 ? * 8 *)', 'has day-of-week 8, out of range: day-of-week must be from 1 to 7 (or SUN-SAT).'],
    ['cron(0 2 * * ? 1969)', 'has year 1969, out of range: year must be from 1970 to 2199.'],
    ['cron(0 2 ? * ? *)', 'has "?" in both day-of-month and day-of-week: exactly one of them must be "?", e.g. "cron(0 2 * * ? *)" (every day) or "cron(0 2 ? * MON *)" (Mondays).'],
    ['cron(0 x * * ? *)', 'has hours "X", which is not a valid hours field: write values from 0 to 23, ranges (a-b), lists (a,b), steps (*/n) or *.'],
    ['rate(0 minutes)', 'has no valid rate: write rate(<positive whole number> <minute(s)|hour(s)|day(s)>), e.g. "cron(0 2 * * ? *)" (02:00 every day) or "rate(1 day)".'],
    ['rate(2 hour)', 'says rate(2 hour): a value above 1 takes the plural unit, rate(2 hours).'],
    ['rate(1 week)', 'has no valid rate: write rate(<positive whole number> <minute(s)|hour(s)|day(s)>), e.g. "cron(0 2 * * ? *)" (02:00 every day) or "rate(1 day)".'],
    ['at(2027-01-01 02:00)', 'is not a one-time schedule: write at(yyyy-mm-ddThh:mm:ss), e.g. "at(2027-01-01T02:00:00)".'],
  ])('refuses %s', (expression, problem) => {
    expect(scheduleProblem(expression)).toBe(problem);
  });
});
