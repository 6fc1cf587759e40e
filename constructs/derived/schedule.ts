/**
 * EventBridge Scheduler expressions checked at synth as Scheduler checks them at deploy: `cron(…)` with six
 * fields (minutes hours day-of-month month day-of-week year), `?` in exactly one of the two day fields and each
 * field within its range; `rate(n unit)` with a positive whole n and minute(s), hour(s) or day(s);
 * `at(yyyy-mm-ddThh:mm:ss)`. See docs/sql-products.md and
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The special characters the field accepts besides `*`, `,`, `-` and `/`. */
  readonly special: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, special: /^$/ },
  { name: 'hours', min: 0, max: 23, special: /^$/ },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS, special: /^$/ },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|[1-7]L|[A-Z]{3}L|[1-7]#[1-5]|[A-Z]{3}#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199, special: /^$/ },
];

const EXAMPLE = 'e.g. "cron(0 2 * * ? *)" (02:00 every day) or "rate(1 day)"';

/** Why `expression` is not a schedule EventBridge Scheduler accepts, or undefined when it is one. */
export function scheduleProblem(expression: string): string | undefined {
  const text = expression.trim();
  const call = /^(cron|rate|at)\((.*)\)$/s.exec(text);
  if (!call) return `is not an EventBridge Scheduler expression: use ${EXAMPLE}.`;
  if (call[1] === 'rate') return rateProblem(call[2].trim());
  if (call[1] === 'at') {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(call[2].trim()) && !Number.isNaN(Date.parse(`${call[2].trim()}Z`))
      ? undefined
      : 'is not a one-time schedule: write at(yyyy-mm-ddThh:mm:ss), e.g. "at(2027-01-01T02:00:00)".';
  }
  return cronProblem(call[2].trim().split(/\s+/));
}

function rateProblem(body: string): string | undefined {
  const rate = /^(\d+)\s+(minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!rate || Number(rate[1]) < 1) {
    return `has no valid rate: write rate(<positive whole number> <minute(s)|hour(s)|day(s)>), ${EXAMPLE}.`;
  }
  const value = Number(rate[1]);
  const singular = !rate[2].endsWith('s');
  if (value === 1 && !singular) return `says rate(1 ${rate[2]}): a value of 1 takes the singular unit, rate(1 ${rate[2].slice(0, -1)}).`;
  if (value > 1 && singular) return `says rate(${value} ${rate[2]}): a value above 1 takes the plural unit, rate(${value} ${rate[2]}s).`;
  return undefined;
}

function cronProblem(fields: readonly string[]): string | undefined {
  if (fields.length !== 6) {
    return `has ${fields.length} fields, but a cron expression has 6: minutes hours day-of-month month day-of-week year, ${EXAMPLE}.`;
  }
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return (
      `${dayOfMonth === '?' ? 'has "?" in both day-of-month and day-of-week' : `sets both day-of-month ("${dayOfMonth}") and day-of-week ("${dayOfWeek}")`}: ` +
      `exactly one of them must be "?", e.g. "cron(0 2 * * ? *)" (every day) or "cron(0 2 ? * MON *)" (Mondays).`
    );
  }
  for (const [i, field] of FIELDS.entries()) {
    const problem = fieldProblem(field, fields[i].toUpperCase());
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function fieldProblem(field: CronField, value: string): string | undefined {
  for (const item of value.split(',')) {
    if (field.special.test(item)) continue;
    const [range, step, ...rest] = item.split('/');
    if (rest.length > 0 || (step !== undefined && !/^[1-9]\d*$/.test(step))) return badField(field, value);
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return badField(field, value);
    for (const bound of bounds) {
      const number = valueOf(field, bound);
      if (number === undefined) return badField(field, value);
      if (number < field.min || number > field.max) {
        return `has ${field.name} ${bound}, out of range: ${field.name} must be from ${field.min} to ${field.max}${field.names ? ` (or ${field.names[0]}-${field.names[field.names.length - 1]})` : ''}.`;
      }
    }
  }
  return undefined;
}

function valueOf(field: CronField, text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text) ?? -1;
  return index < 0 ? undefined : index + 1;
}

function badField(field: CronField, value: string): string {
  return `has ${field.name} "${value}", which is not a valid ${field.name} field: write values from ${field.min} to ${field.max}, ranges (a-b), lists (a,b), steps (*/n) or *.`;
}
