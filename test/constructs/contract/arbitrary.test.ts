import Ajv2020 from 'ajv/dist/2020';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Contract,
  invalidRecordArbitrary,
  mutationsOf,
  recordArbitrary,
  sampleLabelledRecords,
  sampleRecords,
  toJsonSchema,
  valueArbitrary,
  type ContractSpec,
} from '../../../constructs/contract';
import { ALL_FIXTURES, FLAT, MONEY_PII } from './fixtures';

/** Validates records against the contract's JSON Schema the way the docs say to: strict, formats declared but not checked. */
function validatorOf(spec: ContractSpec) {
  const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(toJsonSchema(spec));
  return (record: unknown) => validate(record);
}

describe.each(Object.entries(ALL_FIXTURES))('records of the %s contract', (_, props) => {
  const spec = Contract.of(props).spec;
  const validate = validatorOf(spec);

  it('generated records pass the JSON Schema (1,000 runs)', () => {
    fc.assert(
      fc.property(recordArbitrary(spec), (record) => {
        expect(validate(record), JSON.stringify(record)).toBe(true);
        // What producers send is JSON text: the record survives serialisation unchanged.
        expect(JSON.parse(JSON.stringify(record))).toEqual(record);
      }),
      { numRuns: 1000 },
    );
  });

  it('a record with one mutation fails the JSON Schema (1,000 runs)', () => {
    fc.assert(
      fc.property(invalidRecordArbitrary(spec), ({ record, mutation }) => {
        expect(validate(record), `${mutation}: ${JSON.stringify(record)}`).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('generators', () => {
  it('cover missing required, wrong type, bad decimal scale and precision, bad timestamp and date', () => {
    const kinds = new Set(mutationsOf(Contract.of(MONEY_PII).spec).map((m) => m.describe.split(':')[0]));
    expect([...kinds].sort()).toEqual(['bad date', 'bad decimal precision', 'bad decimal scale', 'missing required', 'wrong type']);
    const flatKinds = new Set(mutationsOf(Contract.of(FLAT).spec).map((m) => m.describe.split(':')[0]));
    expect(flatKinds).toContain('bad timestamp');
    expect(flatKinds).toContain('int out of range');
  });

  it('generate optional columns absent, null and present', () => {
    const records = fc.sample(recordArbitrary(Contract.of(FLAT).spec), { seed: 7, numRuns: 300 });
    expect(records.some((r) => !('gift' in r))).toBe(true);
    expect(records.some((r) => r.gift === null)).toBe(true);
    expect(records.some((r) => typeof r.gift === 'boolean')).toBe(true);
    expect(records.every((r) => typeof r.order_id === 'string')).toBe(true);
  });

  it('generate decimals as strings and numbers, timestamps with Z and offsets, non-ASCII strings', () => {
    const spec = Contract.of(MONEY_PII).spec;
    const amounts = fc.sample(valueArbitrary(spec.columns.amount.type), { seed: 1, numRuns: 200 });
    expect(amounts.some((a) => typeof a === 'string')).toBe(true);
    expect(amounts.some((a) => typeof a === 'number')).toBe(true);
    const wide = fc.sample(valueArbitrary(spec.columns.balance.type), { seed: 1, numRuns: 100 });
    expect(wide.every((a) => typeof a === 'string')).toBe(true); // decimal(38,10) does not fit a double
    const times = fc.sample(valueArbitrary({ kind: 'timestamp' }), { seed: 1, numRuns: 200 }) as string[];
    expect(times.some((t) => t.endsWith('Z'))).toBe(true);
    expect(times.some((t) => /[+-]\d{2}:\d{2}$/.test(t))).toBe(true);
    const strings = fc.sample(valueArbitrary({ kind: 'string' }), { seed: 1, numRuns: 200 }) as string[];
    expect(strings.some((s) => /[^\x00-\x7f]/.test(s))).toBe(true);
  });

  it('keep the partition column inside an event-time window when asked', () => {
    const spec = Contract.of(FLAT).spec;
    const from = new Date('2026-11-20T00:00:00Z');
    const to = new Date('2026-11-21T23:59:59Z');
    for (const record of fc.sample(recordArbitrary(spec, { eventTime: { from, to } }), { seed: 3, numRuns: 200 })) {
      const at = Date.parse(record.placed_at as string);
      expect(at).toBeGreaterThanOrEqual(from.getTime());
      expect(at).toBeLessThanOrEqual(to.getTime() + 999);
    }
  });
});

describe('sampleRecords', () => {
  const spec = Contract.of(MONEY_PII).spec;
  const validate = validatorOf(spec);

  it('is deterministic for a seed and differs between seeds', () => {
    expect(sampleRecords(spec, 20, { seed: 5 })).toEqual(sampleRecords(spec, 20, { seed: 5 }));
    expect(sampleRecords(spec, 20, { seed: 5 })).not.toEqual(sampleRecords(spec, 20, { seed: 6 }));
    expect(sampleRecords(spec, 3)).toEqual(sampleRecords(spec, 3, { seed: 42 }));
  });

  it('returns only valid records by default', () => {
    const records = sampleRecords(spec, 100, { seed: 9 });
    expect(records).toHaveLength(100);
    expect(records.every(validate)).toBe(true);
  });

  it('breaks invalidShare of the records, spread through the sample and labelled', () => {
    const samples = sampleLabelledRecords(spec, 100, { seed: 9, invalidShare: 0.1 });
    const invalid = samples.filter((s) => s.mutation !== undefined);
    expect(invalid).toHaveLength(10);
    expect(samples.map((s, i) => (s.mutation === undefined ? -1 : i)).filter((i) => i >= 0)).toEqual([9, 19, 29, 39, 49, 59, 69, 79, 89, 99]);
    for (const sample of samples) expect(validate(sample.record), sample.mutation).toBe(sample.mutation === undefined);
    expect(sampleRecords(spec, 4, { seed: 1, invalidShare: 1 }).some(validate)).toBe(false);
  });

  it('rejects a share outside 0-1 and a negative count', () => {
    expect(() => sampleRecords(spec, 10, { invalidShare: 1.5 })).toThrow('invalidShare 1.5 must be between 0 and 1 (e.g. 0.05 for 5% invalid records).');
    expect(() => sampleRecords(spec, -1)).toThrow('count -1 must be a whole number of records (0 or more).');
    expect(sampleRecords(spec, 0)).toEqual([]);
  });
});
