/**
 * A rule's `schedule` (five-field cron, as ODCS examples write it: `0 20 * * *`) as an EventBridge Scheduler
 * expression, which has six fields, wants `?` in one of day-of-month and day-of-week, and counts days of the week
 * from 1 (Sunday) instead of 0. https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export function schedulerCron(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`Quality schedule "${cron}" is not a five-field cron expression: use e.g. '0 20 * * *'.`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const weekday = dayOfWeek.replace(/\d+/g, (d) => String((Number(d) % 7) + 1));
  const anyWeekday = dayOfWeek === '*' || dayOfWeek === '?';
  return `cron(${minute} ${hour} ${anyWeekday ? dayOfMonth : '?'} ${month} ${anyWeekday ? '?' : weekday} *)`;
}
