/** Date format strings of Athena's functions, translated into DuckDB `strftime`/`strptime` specifiers. */
import { AthenaSqlError } from './errors';

/** MySQL specifiers of `date_format`/`date_parse` → strftime's (https://trino.io/docs/current/functions/datetime.html#mysql-date-functions). */
const MYSQL: Record<string, string> = {
  a: '%a', b: '%b', c: '%-m', d: '%d', e: '%-d', f: '%f', H: '%H', h: '%I', I: '%I', i: '%M', j: '%j', k: '%-H', l: '%-I',
  M: '%B', m: '%m', p: '%p', r: '%I:%M:%S %p', S: '%S', s: '%S', T: '%H:%M:%S', v: '%V', W: '%A', x: '%G', Y: '%Y', y: '%y', '%': '%%',
};

export function mysqlToStrftime(format: string, fn: string): string {
  return format.replace(/%(.)|%$/g, (whole, specifier: string | undefined) => {
    const translated = specifier === undefined ? undefined : MYSQL[specifier];
    if (translated === undefined) {
      throw new AthenaSqlError(`${fn}(…, '${format}')`, `the specifier "${whole}" has no local equivalent`, 'use %Y %m %d %H %i %s %f %p %a %b %W %M %j %T');
    }
    return translated;
  });
}

/** Joda-Time patterns of `format_datetime`/`parse_datetime` → strftime's (https://www.joda.org/joda-time/apidocs/org/joda/time/format/DateTimeFormat.html). */
const JODA: Record<string, string> = {
  yyyy: '%Y', yy: '%y', YYYY: '%Y', MMMM: '%B', MMM: '%b', MM: '%m', M: '%-m', dd: '%d', d: '%-d', HH: '%H', H: '%-H',
  hh: '%I', h: '%-I', mm: '%M', m: '%-M', ss: '%S', s: '%-S', SSS: '%g', SSSSSS: '%f', a: '%p', EEEE: '%A', EEE: '%a',
  E: '%a', DDD: '%j', Z: '%z', ZZ: '%z',
};

export function jodaToStrftime(format: string, fn: string): string {
  let out = '';
  for (let at = 0; at < format.length; ) {
    const c = format[at];
    if (c === "'") {
      const end = format.indexOf("'", at + 1);
      if (end === at + 1) out += "'";
      else out += format.slice(at + 1, end < 0 ? undefined : end).replace(/%/g, '%%');
      at = end < 0 ? format.length : end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let run = c;
      while (format[at + run.length] === c) run += c;
      const translated = JODA[run];
      if (translated === undefined) {
        throw new AthenaSqlError(`${fn}(…, '${format}')`, `the Joda pattern "${run}" has no local equivalent`, 'use yyyy MM dd HH mm ss SSS a EEE MMM');
      }
      out += translated;
      at += run.length;
      continue;
    }
    out += c === '%' ? '%%' : c;
    at++;
  }
  return out;
}

/** Java `String.format` patterns of `format` → DuckDB `printf`'s; refuses flags printf does not share. */
export function javaToPrintf(format: string): string {
  for (const match of format.matchAll(/%([-#+ 0,(<]*)(\d+\$)?(\d*)(\.\d+)?([a-zA-Z%])/g)) {
    const [whole, flags, position, , , conversion] = match;
    if (flags.includes(',') || flags.includes('(') || flags.includes('<') || position || !'sdfxXeEo%'.includes(conversion)) {
      throw new AthenaSqlError(`format('${format}', …)`, `the Java format "${whole}" has no local equivalent`, 'use %s, %d, %.2f, %x or %% (or cast and concatenate)');
    }
  }
  return format;
}

/** A Java replacement string of `regexp_replace` (`$1`, `${name}`, `\$`) → RE2's (`\1`). */
export function javaToRe2Replacement(replacement: string): string {
  return replacement.replace(/\\(.)|\$(\d)|\$\{(\w+)\}|\\/g, (whole, escaped: string | undefined, group: string | undefined, named: string | undefined) => {
    if (group !== undefined) return `\\${group}`;
    if (named !== undefined) {
      throw new AthenaSqlError(`regexp_replace(…, '${replacement}')`, `the named group reference "${whole}" has no local equivalent`, 'use a numbered group ($1)');
    }
    if (escaped === '\\') return '\\\\';
    return escaped ?? whole;
  });
}
