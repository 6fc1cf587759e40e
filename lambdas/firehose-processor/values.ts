/**
 * Value normalisers for the types Firehose's OpenX JSON SerDe -> Parquet conversion is picky about.
 *
 * Each returns the normalised value, or a `Invalid` carrying why the value cannot be converted.
 * They run on the hot path, so they use character arithmetic instead of `Date` objects and regexes.
 * Inputs have already passed the contract's JSON Schema (shape checked by its patterns); what is left
 * here is what a pattern cannot say: calendar validity, time-zone shifts, decimal digits of numbers.
 */

/** Why a value was refused: what it must be, e.g. `must match decimal(12,2)`. */
export class Invalid {
  constructor(public readonly mustBe: string) {}
}

const DIGIT_0 = 48;

function digits(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = s.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil: [year, month, day]. */
function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const pad4 = (n: number) => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`);

const TIMESTAMP_EXPECTED = 'must be a valid timestamp with a zone like 2026-01-31T09:30:00Z';
const DATE_EXPECTED = 'must be a valid date like 2026-01-31';
export const INVALID_TIMESTAMP = new Invalid(TIMESTAMP_EXPECTED);
export const INVALID_DATE = new Invalid(DATE_EXPECTED);
const OUT_OF_RANGE_TIMESTAMP = new Invalid(`${TIMESTAMP_EXPECTED} between years 0001 and 9999 in UTC`);

function isValidDate(y: number, m: number, d: number): boolean {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * A date `yyyy-MM-dd`, kept as it is when it is a real calendar date.
 */
export function normaliseDate(value: string): string | Invalid {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return INVALID_DATE;
  const y = digits(value, 0, 4);
  const m = digits(value, 5, 2);
  const d = digits(value, 8, 2);
  return isValidDate(y, m, d) ? value : INVALID_DATE;
}

/**
 * A timestamp in UTC as `yyyy-MM-ddTHH:mm:ss.SSSZ` (what the OpenX SerDe parses without ambiguity).
 *
 * Accepts `yyyy-MM-dd[T ]HH:mm:ss[.fraction](Z|±HH:MM)`; shifts offsets to UTC; keeps milliseconds
 * (a longer fraction is truncated, a shorter one padded). Canonical input is returned unchanged.
 */
export function normaliseTimestamp(value: string): string | Invalid {
  const len = value.length;
  if (len < 20) return INVALID_TIMESTAMP;
  const y = digits(value, 0, 4);
  const mo = digits(value, 5, 2);
  const d = digits(value, 8, 2);
  const h = digits(value, 11, 2);
  const mi = digits(value, 14, 2);
  const sec = digits(value, 17, 2);
  if (
    value.charCodeAt(4) !== 45 || // -
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(13) !== 58 || // :
    value.charCodeAt(16) !== 58 ||
    !isValidDate(y, mo, d) ||
    h < 0 || h > 23 ||
    mi < 0 || mi > 59 ||
    sec < 0 || sec > 59
  ) {
    return INVALID_TIMESTAMP;
  }
  const sep = value.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return INVALID_TIMESTAMP; // T t space
  let i = 19;
  let ms = 0;
  let fractionDigits = 0;
  if (value.charCodeAt(i) === 46) {
    // .fraction
    i++;
    while (i < len) {
      const c = value.charCodeAt(i) - DIGIT_0;
      if (c < 0 || c > 9) break;
      if (fractionDigits < 3) ms = ms * 10 + c;
      fractionDigits++;
      i++;
    }
    if (fractionDigits === 0 || fractionDigits > 9) return INVALID_TIMESTAMP;
    for (let k = fractionDigits; k < 3; k++) ms *= 10;
  }
  const zone = value.charCodeAt(i);
  let offsetMinutes = 0;
  if (zone === 90 || zone === 122) {
    // Z z
    if (i + 1 !== len) return INVALID_TIMESTAMP;
    if (sep === 84 && fractionDigits === 3 && zone === 90) return value; // already canonical
  } else if (zone === 43 || zone === 45) {
    // + -
    if (i + 6 !== len || value.charCodeAt(i + 3) !== 58) return INVALID_TIMESTAMP;
    const oh = digits(value, i + 1, 2);
    const om = digits(value, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return INVALID_TIMESTAMP;
    offsetMinutes = (oh * 60 + om) * (zone === 45 ? -1 : 1);
  } else {
    return INVALID_TIMESTAMP;
  }
  if (offsetMinutes === 0) {
    return `${value.slice(0, 10)}T${value.slice(11, 19)}.${pad3(ms)}Z`;
  }
  const minutes = daysFromCivil(y, mo, d) * 1440 + h * 60 + mi - offsetMinutes;
  const days = Math.floor(minutes / 1440);
  const minuteOfDay = minutes - days * 1440;
  const [uy, um, ud] = civilFromDays(days);
  if (uy < 1 || uy > 9999) return OUT_OF_RANGE_TIMESTAMP;
  return `${pad4(uy)}-${pad2(um)}-${pad2(ud)}T${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}:${pad2(sec)}.${pad3(ms)}Z`;
}

/** The `dt` partition value of a normalised timestamp or date. */
export function partitionValue(normalised: string, granularity: 'day' | 'hour'): string {
  const day = normalised.length === 10 ? normalised : normalised.slice(0, 10);
  if (granularity === 'day') return day;
  return `${day}-${normalised.length === 10 ? '00' : normalised.slice(11, 13)}`;
}

/** Plain positional notation of a number's shortest round-trip form (`1e+21` -> `1000000000000000000000`). */
export function plainNumber(n: number): string {
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s.charCodeAt(0) === 45;
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const fracPart = dot < 0 ? '' : mantissa.slice(dot + 1);
  const allDigits = intPart + fracPart;
  const point = intPart.length + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${allDigits}`;
  else if (point >= allDigits.length) out = allDigits + '0'.repeat(point - allDigits.length);
  else out = `${allDigits.slice(0, point)}.${allDigits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/** Exact powers of ten as doubles (10^0 … 10^22). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Below this, `value × 10^scale` is within half a unit of the integer it should be. */
const EXACT_SCALED_LIMIT = 2 ** 51;

/** `units / 10^scale` written with exactly `scale` fraction digits, e.g. (990, 2) → `9.90`. */
function scaledDecimal(units: number, scale: number): string {
  const negative = units < 0;
  let digits = String(negative ? -units : units);
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

/**
 * A decimal(p,s) JSON number as an exact string, or `undefined` when it does not fit p and s: its shortest
 * round-trip decimal form must have at most s fraction digits (`12.345` does not fit decimal(12,2); neither
 * does `0.1 + 0.2`) and at most p − s integer digits. Decimal strings need no work: the schema pattern bounds
 * their digits, and they are kept as they are.
 *
 * Fast path (money-sized values): `value` has at most s fraction digits exactly when
 * `round(value × 10^s) / 10^s === value`, and the string is then written from that integer with exactly s
 * fraction digits (`9.9` → `"9.90"`). Larger values take the shortest round-trip form in plain notation.
 */
export function plainDecimal(value: number, precision: number, scale: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const factor = POW10[scale];
  if (factor !== undefined && Math.abs(value) * factor < EXACT_SCALED_LIMIT) {
    const units = Math.round(value * factor);
    if (units / factor !== value) return undefined;
    const limit = precision < POW10.length ? POW10[precision] : Infinity;
    return Math.abs(units) < limit ? scaledDecimal(units === 0 ? 0 : units, scale) : undefined;
  }
  const s = plainNumber(value);
  const start = s.charCodeAt(0) === 45 ? 1 : 0;
  const dot = s.indexOf('.');
  const intDigits = (dot < 0 ? s.length : dot) - start;
  const fracDigits = dot < 0 ? 0 : s.length - dot - 1;
  const maxInt = precision - scale;
  const intOk = maxInt === 0 ? intDigits === 1 && s.charCodeAt(start) === DIGIT_0 : intDigits <= maxInt;
  return intOk && fracDigits <= scale ? s : undefined;
}
