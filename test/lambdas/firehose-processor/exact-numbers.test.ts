import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { col, Contract } from '../../../constructs/contract';
import { loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import { exactDecimal, mayLoseDigits, parseKeepingDigits, rawNumber } from '../../../lambdas/firehose-processor/exact-numbers';
import { processRecords } from '../../../lambdas/firehose-processor/process-records';
import { decodeOk, firehoseEvent } from './fixtures';

describe('parseKeepingDigits', () => {
  it('builds the same value as JSON.parse for any JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parseKeepingDigits(text)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps "__proto__" as an own key, the last duplicate, and survives deep nesting', () => {
    const parsed = parseKeepingDigits('{"__proto__": {"a": 1}, "k": 1, "k": 2}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'k']);
    expect(parsed.k).toBe(2);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => parseKeepingDigits(deep)).not.toThrow();
  });

  it('keeps the source text of long number tokens, by key and by index, out of sight of JSON.stringify', () => {
    const text = '{"a": 12345678901234567891, "b": [1, -0.10000000000000000001e1], "c": 1.5, "a2": 1, "a2": 12345678901234567891}';
    const parsed = parseKeepingDigits(text) as { a: number; b: number[] };
    expect(rawNumber(parsed, 'a')).toBe('12345678901234567891');
    expect(rawNumber(parsed.b, 1)).toBe('-0.10000000000000000001e1');
    expect(rawNumber(parsed.b, 0)).toBeUndefined();
    expect(rawNumber(parsed, 'c')).toBeUndefined();
    expect(rawNumber(parsed, 'a2')).toBe('12345678901234567891');
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(JSON.parse(text)));
    expect(rawNumber(parseKeepingDigits('{"k": 12345678901234567891, "k": 2}'), 'k')).toBeUndefined();
  });

  it('is only needed for texts with a run of more than 15 digits', () => {
    expect(mayLoseDigits('{"a": 123456789012345}')).toBe(false);
    expect(mayLoseDigits('{"a": 1234567890123456}')).toBe(true);
    expect(mayLoseDigits('{"a": 12345678.90123456}')).toBe(true);
    // Sixteen digits split 7 + 9 and 8 + 8 around the dot, and runs with no number of sixteen digits in them.
    expect(mayLoseDigits('{"a": 1234567.123456789}')).toBe(true);
    expect(mayLoseDigits('{"a": -0.0000000000000001e5}')).toBe(true);
    expect(mayLoseDigits('{"v": "1.2.3.4.5.6.7.8.9"}')).toBe(false);
  });

  it('finds every number token of more than 15 digits, wherever the dot and the exponent are', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    fc.assert(
      fc.property(digits(1, 20), digits(0, 20), fc.constantFrom('', 'e5', 'E-12', 'e+300'), fc.boolean(), (int, frac, exponent, negative) => {
        fc.pre(int.length + frac.length > 15);
        const token = `${negative ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}${exponent}`;
        expect(mayLoseDigits(`{"id":"o-1234567","n":${token},"t":"2026-11-21T10:00:00Z"}`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('exactDecimal', () => {
  it.each([
    ['12345678901234567891', 20, 0, '12345678901234567891'],
    ['12345678901234567891', 18, 0, undefined],
    ['-12345678901234567891.5', 22, 1, '-12345678901234567891.5'],
    ['0.1000000000000000001', 20, 19, '0.1000000000000000001'],
    ['0.1000000000000000001', 20, 18, undefined],
    ['1.0000000000000000000', 10, 2, '1.00'],
    ['1234567890123456789e-2', 20, 2, '12345678901234567.89'],
    ['1.5e2', 5, 2, '150.00'],
    ['-0.000000000000000000e5', 5, 2, '0.00'],
    ['1e400', 38, 0, undefined],
    ['1e-400', 38, 10, undefined],
  ] as const)('%s as decimal(%i,%i) is %s', (raw, p, s, expected) => {
    expect(exactDecimal(raw, p, s)).toBe(expected);
  });
});

describe('decimals sent as JSON numbers, through the processor', () => {
  const contract = Contract.of({
    name: 'ledger_entry',
    domain: 'edges',
    owner: { team: 'edges-team', contact: 'edges@example.com' },
    description: 'Exact amounts.',
    columns: {
      big: col.decimal(20, 0, { description: 'Twenty digits.' }),
      narrow: col.decimal(18, 0, { description: 'Eighteen digits.' }),
      fine: col.decimal(20, 19, { description: 'Nineteen fraction digits.' }),
      legs: col.array(col.struct({ amount: col.decimal(38, 2, { required: true, description: 'Amount.' }) }), { description: 'Legs.' }),
      by_name: col.map(col.decimal(38, 0), { description: 'By name.' }),
      ratio: col.double({ description: 'A double: rounded, as doubles are.' }),
      at: col.timestamp({ required: true, description: 'Event time.' }),
    },
    partitionBy: { column: 'at' },
  });
  const ctx = loadProcessorContext(contract.spec);
  const AT = '"at":"2026-01-01T00:00:00Z"';

  function one(text: string) {
    const result = processRecords(firehoseEvent([text]).records, ctx);
    return { result: result.records[0].result, output: decodeOk(result.records[0].data) as Record<string, unknown>, reason: result.failures[0]?.reason };
  }

  it('stores 12345678901234567891 into decimal(20,0) exactly', () => {
    const { result, output } = one(`{${AT},"big":12345678901234567891}`);
    expect(result).toBe('Ok');
    expect(output.big).toBe('12345678901234567891');
  });

  it('refuses 12345678901234567891 into decimal(18,0) with a reason echoing the digits sent', () => {
    expect(one(`{${AT},"narrow":12345678901234567891}`)).toMatchObject({
      result: 'ProcessingFailed',
      reason: '"narrow": must match decimal(18,0) (got 12345678901234567891)',
    });
  });

  it('refuses a number with more digits than the precision even when its double fits the range', () => {
    // 100000000000000000001 rounds to 1e20, which the schema range allows; its digits do not fit decimal(20,0).
    expect(one(`{${AT},"big":100000000000000000001}`)).toMatchObject({
      result: 'ProcessingFailed',
      reason: '"big": must match decimal(20,0) (got 100000000000000000001)',
    });
  });

  it('keeps fraction digits a double cannot hold, and refuses those beyond the scale', () => {
    expect(one(`{${AT},"fine":0.1000000000000000001}`).output.fine).toBe('0.1000000000000000001');
    expect(one(`{${AT},"fine":0.10000000000000000001}`)).toMatchObject({
      result: 'ProcessingFailed',
      reason: '"fine": must match decimal(20,19) (got 0.10000000000000000001)',
    });
  });

  it('reads exact digits inside arrays of structs and maps', () => {
    const { result, output } = one(
      `{${AT},"legs":[{"amount":1.5},{"amount":123456789012345678901234567890.25}],"by_name":{"x":99999999999999999999999999999999999999}}`,
    );
    expect(result).toBe('Ok');
    expect(output.legs).toEqual([{ amount: '1.50' }, { amount: '123456789012345678901234567890.25' }]);
    expect(output.by_name).toEqual({ x: '99999999999999999999999999999999999999' });
  });

  it('leaves doubles as doubles', () => {
    expect(one(`{${AT},"ratio":0.12345678901234567890}`).output.ratio).toBe(0.12345678901234568);
  });
});
