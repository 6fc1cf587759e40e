/**
 * The processor's fast path: one pass over a record's UTF-8 bytes that validates it against the contract's
 * schema and writes its normalised JSON line straight into a buffer, without `JSON.parse`, the record's
 * objects, the normaliser's copies or `JSON.stringify`. On a ~1 KB order it does the work of those four in
 * about a third of the time, with almost no garbage.
 *
 * It gives an answer only when it is sure the general path (`JSON.parse` → Ajv validator → generated
 * normaliser → `JSON.stringify`, see process-records.ts) would give the same `Ok` line byte for byte. For
 * anything else it returns `undefined` and the general path runs, and writes every failure reason:
 *
 * - invalid JSON, a value of the wrong type, a pattern or bound not met, a missing required field;
 * - an escape in a key, a `\u` or `\/` escape in a contract field's string (`JSON.stringify` writes those
 *   characters differently), any escape in a timestamp, date or decimal string;
 * - a decimal number token of more than 15 characters (the general path reads its digits exactly, see
 *   exact-numbers.ts), another number token of more than 24;
 * - a contract field given twice (`JSON.parse` keeps the last one), a map key given twice or one like `"7"`;
 * - nesting deeper than `MAX_SKIP_DEPTH` in fields the contract does not have;
 * - an output that would outgrow its buffer.
 *
 * Fields beyond the contract are checked as JSON and skipped. Contract fields are written in contract order
 * under their column names; optional fields sent as `null` are left out, as the normaliser does.
 *
 * `createFastPath` builds the path from the processor plan and the very schema the validator was compiled
 * from. It returns `undefined` (general path only) for contracts with a transform or a schema keyword it does
 * not know (an `anyOf` left unmerged, for one): it never guesses what Ajv would do.
 *
 * A differential test (test/lambdas/firehose-processor/fast-path.test.ts) runs both paths over the reference
 * contracts' generated records and the hostile-record corpus and requires identical results.
 */
import type { FieldPlan, ProcessorPlan, TypePlan } from './plan';
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  DOT,
  FALSE,
  isDigit,
  isIndexKey,
  isIntegerToken,
  literalEnd,
  MAX_NUMBER_CHARS,
  MINUS,
  NULL,
  numberEnd,
  numberValue,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  skipValue,
  stringEnd,
  TRUE,
  ws,
} from './json-bytes';
import { normaliseDate, normaliseTimestamp, plainDecimal } from './values';

/** What the fast path needs of the processor's JSON Schema (draft 2020-12, as `processorSchema` writes it). */
export type SchemaNode = boolean | { readonly [keyword: string]: unknown };

/** A record the fast path accepted: its response line and the partition column's normalised value. */
export interface FastLine {
  /** Base64 of the normalised JSON and a newline: the `Ok` record's `data`. */
  readonly data: string;
  /** The normalised partition column (a timestamp `yyyy-MM-ddTHH:mm:ss.SSSZ` or a date). */
  readonly partition: string;
}

/**
 * Validates and normalises the record in `bytes[start, end)` (UTF-8 already checked), or `undefined` when
 * the general path must decide. Writes a sentinel byte at `bytes[end]`, which must exist.
 */
export type FastPath = (bytes: Buffer, start: number, end: number) => FastLine | undefined;

/** Longest number token for other columns (a 2^53 bigint has 16 digits and a sign). */
const MAX_OTHER_NUMBER_CHARS = 24;
/** Room kept after every variable-length write for the punctuation that follows it. */
const MARGIN = 64;

/** A parser of one value at `i`: the index after it, or -1 when the general path must decide. Writes to `out`. */
type Node = (b: Buffer, i: number) => number;

/** The output buffer and its write position, shared by the nodes of the record being processed. */
let out: Buffer = Buffer.alloc(0);
let o = 0;
/** Where a struct copies its fields to put them in contract order (never used by two structs at once). */
let reorder: Buffer = Buffer.alloc(0);
/** The partition column's normalised value, set while the record's top level is written. */
let partition = '';
/** The end of the record being read: no verbatim copy from it can be longer than what is left. */
let recordEnd = 0;

function ensureBuffers(bytes: number): void {
  if (out.length < bytes) {
    out = Buffer.allocUnsafeSlow(bytes);
    reorder = Buffer.allocUnsafeSlow(bytes);
  }
}

/** Copies `b[from, to)` to the output; false when it would not fit. */
function copy(b: Buffer, from: number, to: number): boolean {
  const dst = out;
  const n = to - from;
  let p = o;
  if (p + n + MARGIN > dst.length) return false;
  if (n < 64) {
    for (let k = from; k < to; k++) dst[p++] = b[k];
    o = p;
  } else {
    b.copy(dst, p, from, to);
    o = p + n;
  }
  return true;
}

/**
 * Copies the string at `i` to the output as it is, reading it once: the index after it, or -1. What
 * `JSON.stringify` writes of a string is its bytes when every escape in it is one `JSON.stringify` writes too
 * (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`); `\u` escapes and `\/` are left to the general path.
 */
function copyString(b: Buffer, i: number): number {
  const dst = out;
  let p = o;
  // The copy is no longer than the rest of the record.
  if (p + (recordEnd - i) + MARGIN > dst.length) return -1;
  dst[p++] = QUOTE;
  for (let j = i + 1; ; j++) {
    const c = b[j];
    dst[p++] = c;
    if (c === QUOTE) {
      o = p;
      return j + 1;
    }
    if (c < 0x20) return -1;
    if (c === BACKSLASH) {
      const e = b[++j];
      if (!(e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) return -1;
      dst[p++] = e;
    }
  }
}

/** Writes an ASCII string (numbers, normalised timestamps and decimals). */
function writeAscii(s: string, quoted: boolean): boolean {
  if (o + s.length + MARGIN > out.length) return false;
  if (quoted) out[o++] = QUOTE;
  for (let k = 0; k < s.length; k++) out[o++] = s.charCodeAt(k);
  if (quoted) out[o++] = QUOTE;
  return true;
}

/**
 * Writes the number token `b[i, end)` (at most 15 characters) as the exact decimal string `plainDecimal` makes of
 * its value (`12.5` → `"12.50"` for scale 2, `-0.0` → `"0.00"`), when it has no exponent, at most `scale`
 * fraction digits and at most `maxIntegerDigits` integer digits; false (nothing written) otherwise.
 */
function writeDecimalToken(b: Buffer, i: number, end: number, scale: number, maxIntegerDigits: number): boolean {
  const negative = b[i] === MINUS;
  const start = negative ? i + 1 : i;
  let dot = end;
  let zero = true;
  for (let j = start; j < end; j++) {
    const c = b[j];
    if (c === DOT) dot = j;
    else if (!isDigit(c)) return false;
    else if (c !== 0x30) zero = false;
  }
  const fraction = dot === end ? 0 : end - dot - 1;
  // JSON allows no leading zeros: an integer part "0" has no integer digits.
  const integerDigits = dot - start === 1 && b[start] === 0x30 ? 0 : dot - start;
  // Within 15 digits scaled, plainDecimal takes its exact branch, which pads the fraction to `scale`.
  if (fraction > scale || integerDigits > maxIntegerDigits || integerDigits + scale > MAX_NUMBER_CHARS) return false;
  if (o + (end - i) + scale + MARGIN > out.length) return false;
  const dst = out;
  let p = o;
  dst[p++] = QUOTE;
  if (negative && !zero) dst[p++] = MINUS;
  if (integerDigits === 0) dst[p++] = 0x30;
  else for (let j = start; j < dot; j++) dst[p++] = b[j];
  if (scale > 0) {
    dst[p++] = DOT;
    for (let j = dot + 1; j < end; j++) dst[p++] = b[j];
    for (let k = fraction; k < scale; k++) dst[p++] = 0x30;
  }
  dst[p++] = QUOTE;
  o = p;
  return true;
}

/** The pattern of a decimal(p,s) string, as the contract's JSON Schema writes it (`decimalPattern` in constructs/contract). */
export function decimalPattern(precision: number, scale: number): string {
  const integer = precision - scale === 0 ? '0' : `\\d{1,${precision - scale}}`;
  return `^-?${integer}${scale === 0 ? '' : `(\\.\\d{1,${scale}})?`}$`;
}

/**
 * The index after a string at `i` that matches the decimal pattern above (`-`, at most `integerDigits` digits — or
 * `0` when there are none —, then `.` and 1 to `scale` digits), or -1.
 */
export function decimalStringEnd(b: Buffer, i: number, integerDigits: number, scale: number): number {
  let j = i + 1;
  if (b[j] === MINUS) j++;
  if (integerDigits === 0) {
    if (b[j] !== 0x30) return -1;
    j++;
  } else {
    const start = j;
    while (isDigit(b[j])) j++;
    if (j === start || j - start > integerDigits) return -1;
  }
  if (scale > 0 && b[j] === DOT) {
    const start = ++j;
    while (isDigit(b[j])) j++;
    if (j === start || j - start > scale) return -1;
  }
  return b[j] === QUOTE ? j + 1 : -1;
}

/** The JSON types a value may have, as `type` says. */
interface Types {
  readonly string: boolean;
  readonly number: boolean;
  /** `integer` without `number`. */
  readonly integerOnly: boolean;
  readonly boolean: boolean;
  readonly null: boolean;
}

function typesOf(schema: Record<string, unknown>): Types | undefined {
  const list = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : undefined;
  if (list === undefined || list.some((t) => !['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'].includes(t))) {
    return undefined;
  }
  const has = (t: string) => list.includes(t);
  return {
    string: has('string'),
    number: has('number') || has('integer'),
    integerOnly: has('integer') && !has('number'),
    boolean: has('boolean'),
    null: has('null'),
  };
}

const LEAF_KEYWORDS = new Set(['type', 'pattern', 'format', 'minimum', 'maximum']);

/** A scalar: a contract column or struct field of a `v`, `ts`, `date` or `dec` plan. */
function leafNode(type: TypePlan, schema: Record<string, unknown>, capture: boolean): Node | undefined {
  if (Object.keys(schema).some((k) => !LEAF_KEYWORDS.has(k))) return undefined;
  const types = typesOf(schema);
  if (types === undefined || (Array.isArray(schema.type) ? schema.type : [schema.type]).some((t) => t === 'object' || t === 'array')) {
    return undefined;
  }
  if (schema.pattern !== undefined && typeof schema.pattern !== 'string') return undefined;
  if (schema.minimum !== undefined && typeof schema.minimum !== 'number') return undefined;
  if (schema.maximum !== undefined && typeof schema.maximum !== 'number') return undefined;
  // As Ajv compiles `pattern` (its `unicodeRegExp` default).
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern as string, 'u');
  const minimum = (schema.minimum as number | undefined) ?? -Infinity;
  const maximum = (schema.maximum as number | undefined) ?? Infinity;
  const kind = type.k;
  if (kind !== 'v' && kind !== 'ts' && kind !== 'date' && kind !== 'dec') return undefined;
  const precision = kind === 'dec' ? type.p : 0;
  const scale = kind === 'dec' ? type.s : 0;

  const verbatim = pattern === undefined && (kind === 'v' || kind === 'dec');
  const maxIntegerDigits = precision - scale;
  // The contract's own decimal pattern is matched on the bytes (the regex would need the string).
  const decimalText = kind === 'dec' && schema.pattern === decimalPattern(precision, scale);
  return (b, i) => {
    const c = b[i];
    if (c === QUOTE) {
      if (!types.string) return -1;
      if (verbatim) return copyString(b, i);
      if (decimalText) {
        const end = decimalStringEnd(b, i, maxIntegerDigits, scale);
        return end >= 0 && copy(b, i, end) ? end : -1;
      }
      const end = stringEnd(b, i);
      if (end < 0) return -1;
      const text = b.toString('utf8', i + 1, end - 1);
      if (pattern !== undefined && !pattern.test(text)) return -1;
      if (kind === 'ts' || kind === 'date') {
        const normalised = kind === 'ts' ? normaliseTimestamp(text) : normaliseDate(text);
        if (typeof normalised !== 'string') return -1;
        if (capture) partition = normalised;
        return writeAscii(normalised, true) ? end : -1;
      }
      return copy(b, i, end) ? end : -1;
    }
    if (c === MINUS || isDigit(c)) {
      if (!types.number) return -1;
      const end = numberEnd(b, i);
      if (end < 0 || end - i > (kind === 'dec' ? MAX_NUMBER_CHARS : MAX_OTHER_NUMBER_CHARS)) return -1;
      const value = numberValue(b, i, end);
      if (!Number.isFinite(value) || (types.integerOnly && !Number.isInteger(value))) return -1;
      if (value < minimum || value > maximum) return -1;
      if (kind === 'dec') {
        if (writeDecimalToken(b, i, end, scale, maxIntegerDigits)) return end;
        const text = plainDecimal(value, precision, scale);
        return text !== undefined && writeAscii(text, true) ? end : -1;
      }
      if (kind !== 'v') return -1;
      // A safe integer's token is what JSON.stringify writes of its value, but for -0.
      if (Number.isSafeInteger(value) && !Object.is(value, -0) && isIntegerToken(b, i, end)) return copy(b, i, end) ? end : -1;
      return writeAscii(String(value), false) ? end : -1;
    }
    if (c === 0x74 || c === 0x66) {
      if (!types.boolean) return -1;
      const end = literalEnd(b, i, c === 0x74 ? TRUE : FALSE);
      return end >= 0 && copy(b, i, end) ? end : -1;
    }
    return -1;
  };
}

function arrayNode(type: Extract<TypePlan, { k: 'arr' }>, schema: Record<string, unknown>): Node | undefined {
  if (Object.keys(schema).some((k) => k !== 'type' && k !== 'items') || schema.type !== 'array') return undefined;
  const item = valueNode(type.items, schema.items);
  if (item === undefined) return undefined;
  return (b, i) => {
    if (b[i] !== OPEN_BRACKET) return -1;
    if (o + MARGIN > out.length) return -1;
    out[o++] = OPEN_BRACKET;
    i = ws(b, i + 1);
    if (b[i] === CLOSE_BRACKET) {
      out[o++] = CLOSE_BRACKET;
      return i + 1;
    }
    for (;;) {
      i = item(b, i);
      if (i < 0) return -1;
      i = ws(b, i);
      const c = b[i];
      if (c === COMMA) {
        out[o++] = COMMA;
        i = ws(b, i + 1);
      } else if (c === CLOSE_BRACKET) {
        out[o++] = CLOSE_BRACKET;
        return i + 1;
      } else return -1;
    }
  };
}

interface Field {
  /** The UTF-8 bytes of the record key it is read from. */
  readonly key: Buffer;
  /** `,"<column name>":` */
  readonly prefix: Buffer;
  readonly required: boolean;
  /** Optional: `null` is allowed, and left out. */
  readonly nullable: boolean;
  readonly node: Node;
}

const STRUCT_KEYWORDS = new Set(['type', 'properties', 'required', '$schema', '$id']);

/** An object with the fields of a struct (or the record's columns), written in contract order. */
function structNode(fields: readonly FieldPlan[], schema: Record<string, unknown>, partitionColumn?: string): Node | undefined {
  if (Object.keys(schema).some((k) => !STRUCT_KEYWORDS.has(k)) || schema.type !== 'object') return undefined;
  const properties = schema.properties as Record<string, SchemaNode> | undefined;
  if (properties === undefined || typeof properties !== 'object') return undefined;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const planned: Field[] = [];
  for (const field of fields) {
    const key = field.key ?? field.name;
    // A key is matched on its bytes in the text: one JSON writes with an escape is left to the general path.
    if (/["\\\u0000-\u001f]/.test(key)) return undefined;
    const fieldSchema = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (fieldSchema === undefined || typeof fieldSchema !== 'object' || field.required !== required.has(key)) return undefined;
    const nullable = typesOf(fieldSchema)?.null ?? false;
    if (nullable && field.required) return undefined;
    // A nullable field's node sees every value but null.
    const node = valueNode(field.type, nullable ? withoutNull(fieldSchema) : fieldSchema, field.name === partitionColumn);
    if (node === undefined) return undefined;
    planned.push({ key: Buffer.from(key, 'utf8'), prefix: Buffer.from(`,${JSON.stringify(field.name)}:`, 'utf8'), required: field.required, nullable, node });
  }
  // Every property is a field, or `false` (a column name that must not be a key).
  const refused: Buffer[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (value === false) refused.push(Buffer.from(key, 'utf8'));
    else if (!planned.some((f) => f.key.equals(Buffer.from(key, 'utf8')))) return undefined;
  }
  if ([...required].some((key) => !planned.some((f) => f.required && f.key.equals(Buffer.from(key, 'utf8'))))) return undefined;

  const count = planned.length;
  const requiredCount = planned.filter((f) => f.required).length;
  // Per invocation (structs of one node never nest in each other): which fields were seen, and where each was written.
  const seen = new Int32Array(count);
  const written = new Int32Array(count);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  let stamp = 0;

  const match = (b: Buffer, from: number, to: number, hint: number): number => {
    const length = to - from;
    for (let n = 0, f = hint; n < count; n++, f = f + 1 === count ? 0 : f + 1) {
      const key = planned[f].key;
      if (key.length !== length) continue;
      let k = 0;
      while (k < length && key[k] === b[from + k]) k++;
      if (k === length) return f;
    }
    for (const key of refused) {
      if (key.length === length && key.equals(b.subarray(from, to))) return -2;
    }
    return -1;
  };

  return (b, i) => {
    if (b[i] !== OPEN_BRACE || o + MARGIN > out.length) return -1;
    // Marks stay below 2^31 (Int32Array): a warm Lambda may read billions of structs.
    if (++stamp === 0x7fffffff) {
      seen.fill(0);
      written.fill(0);
      stamp = 1;
    }
    const base = o;
    let next = 0;
    let last = -1;
    let inOrder = true;
    let requiredSeen = 0;
    i = ws(b, i + 1);
    if (b[i] !== CLOSE_BRACE) {
      for (;;) {
        if (b[i] !== QUOTE) return -1;
        // Most producers write the fields in one order: the field after the last one is tried first.
        let f = -1;
        let keyEnd = -1;
        if (count > 0) {
          const key = planned[next].key;
          const length = key.length;
          const from = i + 1;
          let k = 0;
          while (k < length && b[from + k] === key[k]) k++;
          if (k === length && b[from + length] === QUOTE) {
            f = next;
            keyEnd = from + length + 1;
          }
        }
        if (keyEnd < 0) {
          keyEnd = stringEnd(b, i);
          if (keyEnd < 0) return -1;
          f = match(b, i + 1, keyEnd - 1, next);
        }
        i = ws(b, keyEnd);
        if (b[i] !== COLON) return -1;
        i = ws(b, i + 1);
        if (f === -2) return -1;
        if (f === -1) {
          i = skipValue(b, i, 0);
          if (i < 0) return -1;
        } else {
          if (seen[f] === stamp) return -1;
          seen[f] = stamp;
          const field = planned[f];
          if (field.required) requiredSeen++;
          if (field.nullable && b[i] === 0x6e) {
            i = literalEnd(b, i, NULL);
            if (i < 0) return -1;
          } else {
            if (f < last) inOrder = false;
            last = f;
            next = f + 1 === count ? 0 : f + 1;
            starts[f] = o;
            const prefix = field.prefix;
            if (o + prefix.length + MARGIN > out.length) return -1;
            for (let k = 0; k < prefix.length; k++) out[o + k] = prefix[k];
            o += prefix.length;
            i = field.node(b, i);
            if (i < 0) return -1;
            ends[f] = o;
            written[f] = stamp;
          }
        }
        i = ws(b, i);
        const c = b[i];
        if (c === COMMA) i = ws(b, i + 1);
        else if (c === CLOSE_BRACE) break;
        else return -1;
      }
    }
    if (requiredSeen !== requiredCount) return -1;
    if (o + MARGIN > out.length) return -1;
    if (!inOrder) {
      const length = o - base;
      out.copy(reorder, 0, base, o);
      o = base;
      for (let f = 0; f < count; f++) {
        if (written[f] !== stamp) continue;
        reorder.copy(out, o, starts[f] - base, ends[f] - base);
        o += ends[f] - starts[f];
      }
      if (o - base !== length) return -1;
    }
    if (o === base) out[o++] = OPEN_BRACE;
    else out[base] = OPEN_BRACE;
    out[o++] = CLOSE_BRACE;
    return i + 1;
  };
}

/** Most entries of a map column the fast path takes (it checks keys for duplicates pairwise). */
const MAX_MAP_ENTRIES = 64;
/** Longest map key the fast path takes. */
const MAX_MAP_KEY_BYTES = 256;

/**
 * A map column: its entries in the order they came. Left to the general path: a key given twice (`JSON.parse`
 * keeps the last value at the first key's place) and an array-index key like `"7"` (objects enumerate those first).
 */
function mapNode(type: Extract<TypePlan, { k: 'map' }>, schema: Record<string, unknown>): Node | undefined {
  if (Object.keys(schema).some((k) => k !== 'type' && k !== 'additionalProperties') || schema.type !== 'object') return undefined;
  const value = valueNode(type.values, schema.additionalProperties);
  if (value === undefined) return undefined;
  const keyStarts = new Int32Array(MAX_MAP_ENTRIES);
  const keyEnds = new Int32Array(MAX_MAP_ENTRIES);
  return (b, i) => {
    if (b[i] !== OPEN_BRACE || o + MARGIN > out.length) return -1;
    out[o++] = OPEN_BRACE;
    i = ws(b, i + 1);
    if (b[i] === CLOSE_BRACE) {
      out[o++] = CLOSE_BRACE;
      return i + 1;
    }
    for (let entries = 0; ; entries++) {
      if (entries === MAX_MAP_ENTRIES || b[i] !== QUOTE) return -1;
      const keyEnd = stringEnd(b, i);
      if (keyEnd < 0 || keyEnd - i - 2 > MAX_MAP_KEY_BYTES || isIndexKey(b, i + 1, keyEnd - 1)) return -1;
      for (let e = 0; e < entries; e++) if (b.compare(b, i, keyEnd, keyStarts[e], keyEnds[e]) === 0) return -1;
      keyStarts[entries] = i;
      keyEnds[entries] = keyEnd;
      if (!copy(b, i, keyEnd)) return -1;
      i = ws(b, keyEnd);
      if (b[i] !== COLON) return -1;
      out[o++] = COLON;
      i = value(b, ws(b, i + 1));
      if (i < 0) return -1;
      i = ws(b, i);
      const c = b[i];
      if (c === COMMA) {
        out[o++] = COMMA;
        i = ws(b, i + 1);
      } else if (c === CLOSE_BRACE) {
        out[o++] = CLOSE_BRACE;
        return i + 1;
      } else return -1;
    }
  };
}

function withoutNull(schema: Record<string, unknown>): Record<string, unknown> {
  const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null') : schema.type;
  return { ...schema, type: Array.isArray(types) && types.length === 1 ? types[0] : types };
}

function valueNode(type: TypePlan, schema: unknown, capture = false): Node | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const node = schema as Record<string, unknown>;
  switch (type.k) {
    case 'struct':
      return structNode(type.fields, node);
    case 'arr':
      return arrayNode(type, node);
    case 'map':
      return mapNode(type, node);
    default:
      return leafNode(type, node, capture);
  }
}

/**
 * The fast path of a contract, or `undefined` when it cannot give the general path's answers (a transform,
 * a schema keyword it does not know).
 */
export function createFastPath(plan: ProcessorPlan, schema: SchemaNode, options: { transform: boolean; maxRecordBytes: number }): FastPath | undefined {
  if (options.transform || typeof schema !== 'object') return undefined;
  const root = structNode(plan.columns, schema, plan.partition.column);
  if (root === undefined) return undefined;
  const partitionColumn = plan.columns.find((c) => c.name === plan.partition.column);
  if (partitionColumn === undefined || !partitionColumn.required || (partitionColumn.type.k !== 'ts' && partitionColumn.type.k !== 'date')) return undefined;
  // A decimal `0` becomes `"0.000000"`: the output may be several times the input.
  ensureBuffers(4 * options.maxRecordBytes + MARGIN);

  return (bytes, start, end) => {
    // The sentinel: no token continues through a zero byte, so nothing is read past the record.
    bytes[end] = 0;
    recordEnd = end;
    o = 0;
    partition = '';
    let i = ws(bytes, start);
    i = root(bytes, i);
    if (i < 0 || ws(bytes, i) !== end || partition === '' || o + 1 > out.length) return undefined;
    out[o++] = 0x0a;
    return { data: out.toString('base64', 0, o), partition };
  };
}
