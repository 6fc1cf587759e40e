import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullJitterDelay, planBatches, PUT_RECORDS_LIMITS, recordSize } from '../../../lambdas/publisher';

describe('planBatches', () => {
  it('keeps every request within 500 records and 5 MiB, in input order, using every entry once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: PUT_RECORDS_LIMITS.maxRecordBytes }), { maxLength: 1200 }), (sizes) => {
        const batches = planBatches(sizes);
        expect(batches.flat()).toEqual(sizes.map((_, i) => i));
        for (const batch of batches) {
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(500);
          expect(batch.reduce((sum, i) => sum + sizes[i], 0)).toBeLessThanOrEqual(5 * 1024 * 1024);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('starts a new request only when the next entry would not fit (greedy, so no request is needlessly small)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 200 }), (sizes) => {
        const limits = { maxRecordsPerRequest: 7, maxRequestBytes: 300 };
        const batches = planBatches(sizes, limits);
        for (let b = 0; b < batches.length - 1; b += 1) {
          const bytes = batches[b].reduce((sum, i) => sum + sizes[i], 0);
          const nextSize = sizes[batches[b + 1][0]];
          expect(batches[b].length === 7 || bytes + nextSize > 300).toBe(true);
        }
      }),
    );
  });

  it('splits 500 one-byte entries plus one more into two requests, and six 1 MiB entries into two requests', () => {
    expect(planBatches(Array(501).fill(1)).map((b) => b.length)).toEqual([500, 1]);
    expect(planBatches(Array(6).fill(1024 * 1024)).map((b) => b.length)).toEqual([5, 1]);
  });

  it('counts the partition key in a record size', () => {
    expect(recordSize(new Uint8Array(10), 'é')).toBe(12);
  });
});

describe('fullJitterDelay', () => {
  it('stays in [0, min(max, base * 2^(retry-1))) and reaches the cap with random() close to 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
        const delay = fullJitterDelay(retry, { baseDelayMs: 100, maxDelayMs: 5000 }, () => r);
        const cap = Math.min(5000, 100 * 2 ** (retry - 1));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(cap);
      }),
    );
    expect(fullJitterDelay(3, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0.999)).toBe(399);
    expect(fullJitterDelay(20, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0.5)).toBe(2500);
  });
});
