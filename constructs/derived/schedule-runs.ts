/**
 * When an EventBridge Scheduler expression runs: the next run times in UTC of `cron(…)`, `rate(…)` and `at(…)`,
 * so that a schedule can be checked by reading its next runs (`mesh schedule`, docs/sql-products.md) instead of
 * waiting for 02:00. Cron semantics as Scheduler documents them: six fields, `?` in one day field, names
 * (JAN-DEC, SUN-SAT, SUN = 1), lists, ranges, steps (`*\/15`, `0/15`, `10-50/20`) and the day specials `L`
 * (last day of the month; in day-of-week alone: Saturday), `LW` (last weekday of the month), `15W` (the weekday
 * nearest the 15th, within the month), `6L` (the last Friday) and `2#1` (the first Monday).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
import { scheduleProblem } from './schedule';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** Scheduler accepts years up to 2199: searching stops there. */
const LAST_YEAR = 2199;
const RATE_UNITS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: DAY };

/**
 * The next `count` run times (UTC) of `expression` strictly after `from`. A `rate(…)` schedule runs first when it is
 * created, then every period: its runs are counted from `from`, taken as the creation time. An `at(…)` schedule runs
 * once (none when that time is not after `from`). A cron expression that never matches again returns fewer runs.
 * Throws, with the reason, for an expression Scheduler refuses (see `scheduleProblem`).
 *
 * `timeZone` (IANA, e.g. `Europe/Berlin`; default UTC) is the zone Scheduler evaluates cron and `at` expressions in,
 * as Scheduler does across daylight saving time: a run at a wall-clock time the spring change skips does not
 * happen, and one at a time the autumn change repeats happens once (at the first).
 */
export function nextRuns(expression: string, count = 3, from: Date = new Date(), timeZone?: string): Date[] {
  const problem = scheduleProblem(expression);
  if (problem !== undefined) throw new Error(`schedule "${expression}" ${problem}`);
  const zone = timeZone === undefined || isUtc(timeZone) ? undefined : wallClock(timeZone);
  const [, kind, body] = /^(cron|rate|at)\((.*)\)$/s.exec(expression.trim())!;
  const start = from.getTime();
  if (kind === 'at') {
    const wall = Date.parse(`${body.trim()}Z`);
    const at = zone === undefined ? wall : (zone.instants(wall)[0] ?? zone.instants(wall + 60 * MINUTE)[0] - 60 * MINUTE);
    return at > start && count > 0 ? [new Date(at)] : [];
  }
  if (kind === 'rate') {
    const [amount, unit] = body.trim().split(/\s+/);
    const period = Number(amount) * RATE_UNITS[unit.replace(/s$/, '')];
    return Array.from({ length: count }, (_, i) => new Date(start + (i + 1) * period));
  }
  const fields = body.trim().toUpperCase().split(/\s+/);
  if (zone === undefined) return cronRuns(fields, count, start);
  // Wall-clock runs in the zone, each to its instant: none in a spring gap, the first of an autumn repeat.
  const runs: Date[] = [];
  let wallStart = zone.wall(start) - 2 * 60 * MINUTE;
  while (runs.length < count) {
    const walls = cronRuns(fields, count + 2, wallStart);
    for (const wall of walls) {
      const instant = zone.instants(wall.getTime())[0];
      if (instant !== undefined && instant > start && !runs.some((run) => run.getTime() === instant) && runs.length < count) runs.push(new Date(instant));
    }
    if (walls.length < count + 2) break;
    wallStart = walls[walls.length - 1].getTime();
  }
  return runs;
}

/** The expression's next runs, for messages and the CLI: `2026-12-04 02:00, 2026-12-05 02:00, 2026-12-06 02:00 UTC`. */
export function describeNextRuns(expression: string, count = 3, from: Date = new Date(), timeZone?: string): string {
  const runs = nextRuns(expression, count, from, timeZone);
  if (runs.length === 0) return `no run after ${from.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `${runs.map((run) => run.toISOString().slice(0, 16).replace('T', ' ')).join(', ')} UTC`;
}

interface WallClock {
  /** The wall-clock time of an instant in the zone, as milliseconds of the same reading in UTC. */
  wall(instant: number): number;
  /** The instants whose wall-clock time in the zone reads `wall`: none in a gap, two in a repeat (earliest first). */
  instants(wall: number): number[];
}

/** `UTC` or `Etc/UTC`: the zone Scheduler uses when none is given. */
export function isUtc(timeZone: string): boolean {
  return /^(Etc\/)?UTC$/i.test(timeZone);
}

/** Why Scheduler would refuse `timeZone`, or undefined: it must be an IANA time zone name. */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    wallClock(timeZone);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The wall clock of an IANA zone, from the runtime's time zone data. Throws for a zone it does not know. */
function wallClock(timeZone: string): WallClock {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new Error(`time zone "${timeZone}" is not an IANA time zone name: use one such as Europe/Berlin, America/New_York or UTC (TimeZone.EUROPE_BERLIN, …).`);
  }
  const wall = (instant: number): number => {
    const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) + (instant % 1000 + 1000) % 1000;
  };
  return {
    wall,
    instants: (reading) => {
      // The zone's offsets a day either side of the reading: where it changes, both are candidates.
      const offsets = new Set([wall(reading - DAY) - (reading - DAY), wall(reading + DAY) - (reading + DAY)]);
      return [...offsets].map((offset) => reading - offset).filter((instant) => wall(instant) === reading).sort((a, b) => a - b);
    },
  };
}

function cronRuns(fields: readonly string[], count: number, start: number): Date[] {
  const [minutesField, hoursField, domField, monthField, dowField, yearField] = fields;
  const minutes = [...values(minutesField, 0, 59)].sort((a, b) => a - b);
  const hours = [...values(hoursField, 0, 23)].sort((a, b) => a - b);
  const months = values(monthField, 1, 12, MONTHS);
  const years = values(yearField, 1970, LAST_YEAR);
  const dayMatches = domField === '?' ? dayOfWeekMatcher(dowField) : dayOfMonthMatcher(domField);
  const runs: Date[] = [];
  const first = new Date(start);
  for (let day = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate()); runs.length < count; day += DAY) {
    const date = new Date(day);
    const year = date.getUTCFullYear();
    if (year > LAST_YEAR) break;
    if (!years.has(year) || !months.has(date.getUTCMonth() + 1) || !dayMatches(date)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const time = day + hour * 60 * MINUTE + minute * MINUTE;
        if (time > start && runs.length < count) runs.push(new Date(time));
      }
    }
  }
  return runs;
}

/** The values a field (list of `*`, `a`, `a-b`, with `/step`) selects, from `min` to `max`. */
function values(field: string, min: number, max: number, names?: readonly string[]): Set<number> {
  const selected = new Set<number>();
  for (const item of field.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = max;
    if (range !== '*') {
      const bounds = range.split('-').map((bound) => valueOf(bound, names));
      from = bounds[0];
      to = bounds.length === 2 ? bounds[1] : stepText === undefined ? bounds[0] : max;
    }
    // A range that wraps (FRI-MON, 22-2) runs to the end of the field and on from its start.
    const span = to >= from ? to - from : max - from + 1 + (to - min);
    for (let offset = 0; offset <= span; offset += step) {
      const value = from + offset;
      selected.add(value > max ? value - (max - min + 1) : value);
    }
  }
  return selected;
}

function valueOf(text: string, names?: readonly string[]): number {
  return /^\d+$/.test(text) ? Number(text) : (names?.indexOf(text) ?? -1) + 1;
}

function lastDayOfMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

function isWeekday(year: number, month: number, day: number): boolean {
  const weekday = new Date(Date.UTC(year, month, day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The weekday nearest `day` in the date's month (Saturday → Friday, Sunday → Monday, never across the month). */
function nearestWeekday(date: Date, day: number): number {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const last = lastDayOfMonth(date);
  const target = Math.min(day, last);
  if (isWeekday(year, month, target)) return target;
  const weekday = new Date(Date.UTC(year, month, target)).getUTCDay();
  if (weekday === 6) return target > 1 ? target - 1 : target + 2;
  return target < last ? target + 1 : target - 2;
}

function dayOfMonthMatcher(field: string): (date: Date) => boolean {
  const plain: string[] = [];
  const specials: Array<(date: Date) => boolean> = [];
  for (const item of field.split(',')) {
    if (item === 'L') specials.push((date) => date.getUTCDate() === lastDayOfMonth(date));
    else if (item === 'LW') specials.push((date) => date.getUTCDate() === nearestWeekday(date, lastDayOfMonth(date)));
    else if (/^\d{1,2}W$/.test(item)) specials.push((date) => date.getUTCDate() === nearestWeekday(date, Number(item.slice(0, -1))));
    else plain.push(item);
  }
  const days = plain.length > 0 ? values(plain.join(','), 1, 31) : new Set<number>();
  return (date) => days.has(date.getUTCDate()) || specials.some((matches) => matches(date));
}

function dayOfWeekMatcher(field: string): (date: Date) => boolean {
  const plain: string[] = [];
  const specials: Array<(date: Date) => boolean> = [];
  const weekdayOf = (date: Date) => date.getUTCDay() + 1;
  for (const item of field.split(',')) {
    const last = /^(\d|[A-Z]{3})L$/.exec(item);
    const nth = /^(\d|[A-Z]{3})#([1-5])$/.exec(item);
    if (item === 'L') {
      specials.push((date) => weekdayOf(date) === 7);
    } else if (last) {
      const weekday = valueOf(last[1], DAYS);
      specials.push((date) => weekdayOf(date) === weekday && date.getUTCDate() + 7 > lastDayOfMonth(date));
    } else if (nth) {
      const weekday = valueOf(nth[1], DAYS);
      const week = Number(nth[2]);
      specials.push((date) => weekdayOf(date) === weekday && Math.ceil(date.getUTCDate() / 7) === week);
    } else {
      plain.push(item);
    }
  }
  const days = plain.length > 0 ? values(plain.join(','), 1, 7, DAYS) : new Set<number>();
  return (date) => days.has(weekdayOf(date)) || specials.some((matches) => matches(date));
}
