/**
 * Names that JavaScript objects inherit (`constructor`, `__proto__`, `toString`, `hasOwnProperty`, `valueOf`)
 * as column names, struct fields, map keys and extra record keys: the processor reads a record's own keys only.
 */
import { describe, expect, it } from 'vitest';
import { col, Contract } from '../../../constructs/contract';
import { loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import { processRecords } from '../../../lambdas/firehose-processor/process-records';
import { decodeOk, firehoseEvent } from './fixtures';

/** Inherited names; only `constructor` is also a legal (snake_case) column name. */
const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const contract = Contract.of({
  name: 'odd_names',
  domain: 'edges',
  owner: { team: 'edges-team', contact: 'edges@example.com' },
  description: 'Columns and fields named like Object.prototype members.',
  columns: {
    constructor: col.string({ description: 'An optional column named constructor.' }),
    at: col.timestamp({ required: true, description: 'Event time.' }),
    shape: col.struct(
      {
        constructor: col.int({ required: true, description: 'A required struct field named constructor.' }),
        amount: col.decimal(10, 2, { description: 'An amount.' }),
      },
      { description: 'A struct.' },
    ),
    labels: col.map(col.string(), { description: 'Free-form labels.' }),
    prices: col.map(col.decimal(10, 2), { description: 'Prices by name.' }),
  },
  partitionBy: { column: 'at' },
});

const ctx = loadProcessorContext(contract.spec);
const AT = '2026-01-01T00:00:00Z';

/** Each raw JSON text through the processor: its result, its reason, its output. */
function run(texts: readonly string[]) {
  const result = processRecords(firehoseEvent(texts).records, ctx);
  const reasons = new Map(result.failures.map((f) => [f.recordId, f.reason]));
  return result.records.map((r) => ({
    result: r.result,
    reason: reasons.get(r.recordId),
    output: r.result === 'Ok' ? decodeOk(r.data) : undefined,
  }));
}

describe('inherited names as column names, fields and keys', () => {
  it('accepts a record without the optional "constructor" column (not Object.prototype.constructor)', () => {
    expect(run([`{"at":"${AT}"}`])).toEqual([{ result: 'Ok', reason: undefined, output: { at: '2026-01-01T00:00:00.000Z' } }]);
  });

  it('keeps a "constructor" column and a struct field of that name when present', () => {
    const [one] = run([`{"at":"${AT}","constructor":"c","shape":{"constructor":7,"amount":1.5}}`]);
    expect(one).toEqual({
      result: 'Ok',
      reason: undefined,
      output: { constructor: 'c', at: '2026-01-01T00:00:00.000Z', shape: { constructor: 7, amount: '1.50' } },
    });
  });

  it('refuses a struct without its required "constructor" field with the real reason', () => {
    expect(run([`{"at":"${AT}","shape":{"amount":"1.00"}}`])[0]).toMatchObject({
      result: 'ProcessingFailed',
      reason: '"shape.constructor": required field missing',
    });
  });

  it('refuses a wrong "constructor" value with the real reason', () => {
    expect(run([`{"at":"${AT}","constructor":5}`])[0]).toMatchObject({
      result: 'ProcessingFailed',
      reason: '"constructor": must be a string (got 5)',
    });
  });

  for (const name of INHERITED) {
    it(`ignores an extra record key "${name}" and keeps it as a map key`, () => {
      const [extra, mapKey, decimalKey] = run([
        `{"at":"${AT}","${name}":{"a":1}}`,
        `{"at":"${AT}","labels":{"${name}":"v"}}`,
        `{"at":"${AT}","prices":{"${name}":12.3}}`,
      ]);
      if (name === 'constructor') {
        // The column exists: an object is not a string.
        expect(extra).toMatchObject({ result: 'ProcessingFailed', reason: '"constructor": must be a string (got an object)' });
      } else {
        expect(extra).toEqual({ result: 'Ok', reason: undefined, output: { at: '2026-01-01T00:00:00.000Z' } });
      }
      expect(mapKey.result).toBe('Ok');
      expect(Object.hasOwn(mapKey.output as object, 'labels')).toBe(true);
      expect(JSON.stringify((mapKey.output as { labels: unknown }).labels)).toBe(`{"${name}":"v"}`);
      expect(decimalKey.result).toBe('Ok');
      expect(JSON.stringify((decimalKey.output as { prices: unknown }).prices)).toBe(`{"${name}":"12.30"}`);
    });

    it(`refuses a bad map value under the key "${name}" with the real reason`, () => {
      expect(run([`{"at":"${AT}","labels":{"${name}":5}}`])[0]).toMatchObject({
        result: 'ProcessingFailed',
        reason: `"labels["${name}"]": must be a string (got 5)`,
      });
      expect(run([`{"at":"${AT}","prices":{"${name}":"1.234"}}`])[0]).toMatchObject({
        result: 'ProcessingFailed',
        reason: `"prices["${name}"]": must match decimal(10,2) (got "1.234")`,
      });
    });
  }

  it('never reads inherited members of a transform output', () => {
    class Output {
      public readonly at = AT;
      public get constructorColumn() {
        return 'ignored';
      }
    }
    Object.defineProperty(Output.prototype, 'labels', { value: { k: 5 }, enumerable: true });
    const withTransform = loadProcessorContext(contract.spec, { transform: () => new Output() as unknown as Record<string, unknown> });
    const result = processRecords(firehoseEvent([`{"at":"${AT}"}`]).records, withTransform);
    expect(result.failures).toEqual([]);
    expect(decodeOk(result.records[0].data)).toEqual({ at: '2026-01-01T00:00:00.000Z' });
  });
});
