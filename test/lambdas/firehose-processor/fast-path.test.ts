/**
 * The fast path (lambdas/firehose-processor/fast-path.ts) against the general path: for every contract of the
 * reference mesh and the test contract (maps, optional structs, dates, bigints, booleans), records written the
 * way other producers write JSON — keys in any order, whitespace anywhere, escapes, numbers in every JSON form,
 * keys given twice, nulls, extra fields, byte order marks, cut-off text — and values swapped for hostile ones
 * must get exactly the answer the general path alone gives: the same results, lines, partitions and reasons.
 */
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prng } from '../../../bench/processor/order-placed';
import { col, Contract } from '../../../constructs/contract';
import { recordArbitrary } from '../../../constructs/contract/arbitrary';
import type { ContractSpec } from '../../../constructs/contract/types';
import { decimalPattern as schemaDecimalPattern } from '../../../constructs/contract/json-schema';
import { loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import { decimalPattern, decimalStringEnd } from '../../../lambdas/firehose-processor/fast-path';
import { processRecords } from '../../../lambdas/firehose-processor/process-records';
import * as reference from '../../../lib/reference/contracts';
import { fastAndGeneralContexts, orderPlaced } from './fixtures';

const CONTRACTS: readonly (readonly [string, ContractSpec])[] = [
  ['test order_placed', orderPlaced.spec],
  ...Object.entries(reference).map(([name, contract]) => [name, contract.spec] as const),
];

/** Values a producer may put where the contract expects something else, as JSON text. */
const HOSTILE_TOKENS = [
  'null', 'true', 'false', '0', '-0', '-0.0', '0.0', '1', '1.0', '1.5', '12.5', '12.50', '12.500', '1e2', '1E+2', '1.5e-3',
  '-12.345', '99999999.99', '-99999999.99', '100000000', '9999999999.99', '9999999999999.9', '999999999999999',
  '1234567890123456', '0.000001', '1e400', '-1e400', '2147483647', '2147483648', '-2147483649', '9007199254740993',
  '""', '"x"', '"12.5"', '"12.50"', '"1e2"', '"-0.00"', '" 1"', '"2026-11-21"', '"2026-02-30"', '"2026-11-21T10:15:30Z"',
  '"2026-11-21 10:15:30.123456+05:30"', '"2026-11-21T10:15:30.1Z"', '"2019-12-31T23:59:59Z"', '"9999-12-31T23:59:59Z"',
  '"caf\\u00e9"', '"line\\nbreak"', '"tab\\t"', '"\\"quoted\\""', '"é"', '"😀"', '[]', '[1]', '["a"]', '{}', '{"a":1}',
  '{"7":"x"}', '{"b":"1","a":"2"}', '{"a":"1","a":"2"}', '{"__proto__":"x"}', '[{}]',
];

const WHITESPACE = [' ', '\n', '\t', '\r', '  '];

/** Writes a value as JSON text the way some producer might: the choices come from `random`. */
function write(value: unknown, random: () => number, depth = 0): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const space = () => (random() < 0.1 ? pick(WHITESPACE) : '');
  if (random() < 0.03) return space() + pick(HOSTILE_TOKENS) + space();
  if (typeof value === 'string') {
    // Now and then a character written as an escape.
    if (value.length > 0 && random() < 0.05) {
      const at = Math.floor(random() * value.length);
      const escaped = `\\u${value.charCodeAt(at).toString(16).padStart(4, '0')}`;
      return `${JSON.stringify(value.slice(0, at)).slice(0, -1)}${escaped}${JSON.stringify(value.slice(at + 1)).slice(1)}`;
    }
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    const forms = [String(value), value.toExponential(), `${value}`.includes('.') ? `${value}0` : `${value}.0`, `${value}E0`];
    const form = random() < 0.15 ? pick(forms) : String(value);
    return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(form) ? form : String(value);
  }
  if (Array.isArray(value)) {
    return `[${space()}${value.map((v) => write(v, random, depth + 1)).join(`${space()},${space()}`)}${space()}]`;
  }
  if (value !== null && typeof value === 'object') {
    let entries = Object.entries(value);
    if (random() < 0.3) entries = entries.sort(() => random() - 0.5);
    if (random() < 0.05 && entries.length > 0) entries.push(pick(entries));
    if (random() < 0.1) {
      const extra = pick(['extra', 'client', '__proto__', 'constructor', 'Order_ID', 'order_id2', 'totals', 'placed_at_local', 'customer']);
      entries.splice(Math.floor(random() * (entries.length + 1)), 0, [extra, JSON.parse(pick(HOSTILE_TOKENS))]);
    }
    if (random() < 0.05 && entries.length > 0) entries[0] = [entries[0][0], null];
    const body = entries.map(([k, v]) => `${space()}${JSON.stringify(k)}${space()}:${space()}${write(v, random, depth + 1)}`).join(',');
    return `{${body}${space()}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A whole record's bytes: written, and now and then with a byte order mark, trailing text or cut off. */
function recordBytes(record: Record<string, unknown>, seed: number): Buffer {
  const random = prng(seed);
  let text = write(record, random);
  const roll = random();
  if (roll < 0.03) text = `\ufeff${text}`;
  else if (roll < 0.06) text = `${text}${['\n', ' x', '}', ',', '\u0000'][Math.floor(random() * 5)]}`;
  else if (roll < 0.09) text = text.slice(0, Math.floor(random() * text.length));
  return Buffer.from(text, 'utf8');
}

/** The clock of both paths in these tests. */
const NOW = Date.parse('2026-12-01T12:00:00Z');
const contexts = (spec: ContractSpec, counter: { fast: number }) => fastAndGeneralContexts(spec, NOW, counter);

describe('the processor fast path', () => {
  it.each(CONTRACTS)('gives the general path\'s answers for records of %s written every which way', (_, spec) => {
    const counter = { fast: 0 };
    const { fast, general } = contexts(spec, counter);
    let records = 0;
    let ok = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(recordArbitrary(spec), fc.integer()), { minLength: 20, maxLength: 40 }), (items) => {
        const batch: FirehoseTransformationEventRecord[] = items.map(([record, seed], i) => ({
          recordId: `r${i}`,
          approximateArrivalTimestamp: 1_795_000_000_000 + i,
          data: recordBytes(record, seed).toString('base64'),
        }));
        const expected = processRecords(batch, general);
        expect(processRecords(batch, fast)).toEqual(expected);
        records += batch.length;
        ok += expected.ok;
      }),
      { numRuns: 60, seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31) },
    );
    // Both kinds of answer were compared, and most Ok records came from the fast path.
    expect(ok).toBeGreaterThan(records / 4);
    expect(ok).toBeLessThan(records);
    expect(counter.fast).toBeGreaterThan(ok / 2);
  });

  it('is built only where it can answer exactly: not with a transform', () => {
    expect(loadProcessorContext(orderPlaced.spec, { transform: (r) => r }).fast).toBeUndefined();
    expect(loadProcessorContext(orderPlaced.spec, { fastPath: false }).fast).toBeUndefined();
    expect(loadProcessorContext(orderPlaced.spec).fast).toBeDefined();
  });

  it('writes contract fields in contract order under their column names, and leaves out nulls and extra fields', () => {
    const { fast } = contexts(orderPlaced.spec, { fast: 0 });
    const text =
      '{"placed_at":"2026-11-21 10:15:30+01:00","gift":null,"line_items":[{"unit_price":9.9,"sku":"a","quantity":2}],' +
      '"client":{"v":[1,"\\u0041",{}]},"total":12,"currency":"EUR","customer_id":"c-1","order_id":"o-1","attributes":{"b":"1","a":"2"}}';
    const { records } = processRecords([{ recordId: 'r', approximateArrivalTimestamp: 0, data: Buffer.from(text).toString('base64') }], fast);
    expect(Buffer.from(records[0].data ?? '', 'base64').toString('utf8')).toBe(
      '{"order_id":"o-1","customer_id":"c-1","line_items":[{"sku":"a","quantity":2,"unit_price":"9.90"}],"total":"12.00",' +
        '"currency":"EUR","placed_at":"2026-11-21T09:15:30.000Z","attributes":{"b":"1","a":"2"}}\n',
    );
    expect(records[0].metadata?.partitionKeys?.dt).toBe('2026-11-21');
  });

  it('reads nothing past the record: bytes left in the buffer after it cannot complete it', () => {
    const fastPath = loadProcessorContext(orderPlaced.spec).fast!;
    const whole = '{"order_id":"o-1","customer_id":"c-1","line_items":[],"total":"1.00","currency":"EUR","placed_at":"2026-11-21T10:15:30.123Z"}';
    const bytes = Buffer.alloc(whole.length + 1);
    bytes.write(whole);
    expect(fastPath(bytes, 0, whole.length)?.partition).toBe('2026-11-21T10:15:30.123Z');
    for (const cut of [whole.length - 1, whole.length - 2, whole.indexOf('EUR') + 2, whole.indexOf('1.00')]) {
      bytes.write(whole);
      expect(fastPath(bytes, 0, cut), `cut at ${cut}`).toBeUndefined();
    }
    // Cut inside a string, with no quote anywhere after it: the sentinel ends the string.
    const open = Buffer.from(`${whole.slice(0, whole.indexOf('EUR') + 2)}${'x'.repeat(64)}`);
    expect(fastPath(open, 0, whole.indexOf('EUR') + 2)).toBeUndefined();
  });

  it('agrees with the general path on a decimal column named like an Object.prototype member, next to a long number', () => {
    // Found by review: the general path read the digits of "constructor" from Object.prototype and failed the record.
    const spec = Contract.of({
      name: 'inherited_names',
      domain: 'review',
      version: 1,
      owner: { team: 'review-team', contact: 'review@example.com' },
      description: 'Columns named like what every object inherits.',
      columns: {
        at: col.timestamp({ required: true, description: 'When.' }),
        constructor: col.decimal(10, 2, { required: true, description: 'A decimal.' }),
        value_of: col.array(col.decimal(10, 2), { description: 'Decimals.' }),
        dbl: col.double({ description: 'A double.' }),
      },
      partitionBy: { column: 'at' },
    }).spec;
    const { fast, general } = contexts(spec, { fast: 0 });
    const texts = [
      '{"at":"2026-11-21T10:15:30Z","constructor":0,"dbl":0.1000000000000001}',
      '{"at":"2026-11-21T10:15:30Z","constructor":12.5,"value_of":[1,2.5],"extra":12345678901234567}',
    ];
    const batch = texts.map((text, i) => ({ recordId: `r${i}`, approximateArrivalTimestamp: 0, data: Buffer.from(text).toString('base64') }));
    const expected = processRecords(batch, general);
    expect(expected.failures).toEqual([]);
    expect(processRecords(batch, fast)).toEqual(expected);
    expect(Buffer.from(expected.records[1].data ?? '', 'base64').toString('utf8')).toBe(
      '{"at":"2026-11-21T10:15:30.000Z","constructor":"12.50","value_of":["1.00","2.50"]}\n',
    );
  });

  it('matches decimal strings on their bytes exactly as the schema pattern does', () => {
    const precisionScale = fc.integer({ min: 1, max: 38 }).chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 0, max: p })));
    const decimalish = fc.stringMatching(/^[-+]?[0-9]{0,12}(\.[0-9]{0,6})?[0-9.e ]?$/);
    fc.assert(
      fc.property(precisionScale, decimalish, ([precision, scale], text) => {
        const pattern = decimalPattern(precision, scale);
        expect(pattern).toBe(schemaDecimalPattern({ kind: 'decimal', precision, scale }));
        const bytes = Buffer.from(`${JSON.stringify(text)}\0`);
        const end = decimalStringEnd(bytes, 0, precision - scale, scale);
        expect(end >= 0, `${text} for decimal(${precision},${scale})`).toBe(new RegExp(pattern, 'u').test(text));
        if (end >= 0) expect(end).toBe(bytes.length - 1);
      }),
      { numRuns: 3000 },
    );
  });
});

