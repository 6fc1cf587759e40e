/**
 * Reading JSON text as UTF-8 bytes, for the processor's fast path (fast-path.ts): each reader takes the index of
 * a token and returns the index after it, or -1 when the text is not what it expects there.
 *
 * The buffer must hold a zero byte after the record (the sentinel): no token continues through it, so the
 * readers stop there without checking bounds. JSON's grammar (RFC 8259) is checked exactly; what is accepted
 * here is accepted by `JSON.parse`.
 */

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const MINUS = 0x2d;
export const DOT = 0x2e;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;

/** Exact powers of ten as doubles (10^0 … 10^22). */
export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Nesting the skipper follows in fields beyond the contract before it leaves the record to `JSON.parse`. */
export const MAX_SKIP_DEPTH = 64;
/**
 * Longest decimal number token taken: a longer one may hold more digits than a double, and the general path
 * reads those digits exactly (see exact-numbers.ts).
 */
export const MAX_NUMBER_CHARS = 15;
export function ws(b: Buffer, i: number): number {
  let c = b[i];
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
  return i;
}

export const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * The index after the closing quote of a string opened at `i` without escapes, or -1 (an escape, a control
 * character, or the sentinel).
 */
export function stringEnd(b: Buffer, i: number): number {
  for (let j = i + 1; ; j++) {
    const c = b[j];
    if (c === QUOTE) return j + 1;
    if (c < 0x20 || c === BACKSLASH) return -1;
  }
}

/** Like `stringEnd`, but allowing JSON's escapes (for values the contract does not have). */
export function skipString(b: Buffer, i: number): number {
  for (let j = i + 1; ; j++) {
    const c = b[j];
    if (c === QUOTE) return j + 1;
    if (c < 0x20) return -1;
    if (c === BACKSLASH) {
      const e = b[++j];
      if (e === 0x75) {
        // \uXXXX
        for (let k = 0; k < 4; k++) if (!isHex(b[++j])) return -1;
      } else if (!(e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) {
        return -1;
      }
    }
  }
}

export const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** The index after a JSON number token at `i`, or -1. */
export function numberEnd(b: Buffer, i: number): number {
  let j = i;
  if (b[j] === MINUS) j++;
  let c = b[j];
  if (c === 0x30) c = b[++j];
  else if (c >= 0x31 && c <= 0x39) {
    do c = b[++j];
    while (isDigit(c));
  } else return -1;
  if (c === DOT) {
    c = b[++j];
    if (!isDigit(c)) return -1;
    do c = b[++j];
    while (isDigit(c));
  }
  if (c === 0x65 || c === 0x45) {
    c = b[++j];
    if (c === 0x2b || c === MINUS) c = b[++j];
    if (!isDigit(c)) return -1;
    do c = b[++j];
    while (isDigit(c));
  }
  return j;
}

/** The literal `word` (its bytes) at `i`: the index after it, or -1. */
export function literalEnd(b: Buffer, i: number, word: readonly number[]): number {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}

export const TRUE = [...Buffer.from('true')];
export const FALSE = [...Buffer.from('false')];
export const NULL = [...Buffer.from('null')];

/** Checks and skips any JSON value at `i` (a field the contract does not have): the index after it, or -1. */
export function skipValue(b: Buffer, i: number, depth: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    if (depth >= MAX_SKIP_DEPTH) return -1;
    const object = c === OPEN_BRACE;
    const close = object ? CLOSE_BRACE : CLOSE_BRACKET;
    i = ws(b, i + 1);
    if (b[i] === close) return i + 1;
    for (;;) {
      if (object) {
        if (b[i] !== QUOTE) return -1;
        i = skipString(b, i);
        if (i < 0) return -1;
        i = ws(b, i);
        if (b[i] !== COLON) return -1;
        i = ws(b, i + 1);
      }
      i = skipValue(b, i, depth + 1);
      if (i < 0) return -1;
      i = ws(b, i);
      if (b[i] === COMMA) i = ws(b, i + 1);
      else if (b[i] === close) return i + 1;
      else return -1;
    }
  }
  if (c === 0x74) return literalEnd(b, i, TRUE);
  if (c === 0x66) return literalEnd(b, i, FALSE);
  if (c === 0x6e) return literalEnd(b, i, NULL);
  return numberEnd(b, i);
}

/** Whether the number token `b[i, end)` has no fraction and no exponent. */
export function isIntegerToken(b: Buffer, i: number, end: number): boolean {
  for (let j = b[i] === MINUS ? i + 1 : i; j < end; j++) if (!isDigit(b[j])) return false;
  return true;
}

/** The value of a number token `b[i, end)`, exactly as `Number(text)` (and `JSON.parse`) reads it. */
export function numberValue(b: Buffer, i: number, end: number): number {
  if (end - i > MAX_NUMBER_CHARS) return Number(b.toString('latin1', i, end));
  const negative = b[i] === MINUS;
  let mantissa = 0;
  let fraction = -1;
  for (let j = negative ? i + 1 : i; j < end; j++) {
    const c = b[j];
    if (c === DOT) fraction = 0;
    else if (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 0x30);
      if (fraction >= 0) fraction++;
    } else {
      // An exponent: leave it to the engine.
      return Number(b.toString('latin1', i, end));
    }
  }
  // At most 15 digits: the mantissa and 10^fraction are exact doubles, and one division rounds correctly.
  const value = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
  return negative ? -value : value;
}

/** Whether the key `b[from, to)` is an array index (`0`, `7`, `42`, up to 2^32 − 2), which objects list first. */
export function isIndexKey(b: Buffer, from: number, to: number): boolean {
  if (to === from || to - from > 10 || (b[from] === 0x30 && to - from > 1)) return false;
  let n = 0;
  for (let j = from; j < to; j++) {
    const c = b[j];
    if (!isDigit(c)) return false;
    n = n * 10 + (c - 0x30);
  }
  return n < 4294967295;
}

