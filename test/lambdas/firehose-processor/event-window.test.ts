/**
 * The contract's event-time window (`partitionBy.since`, `partitionBy.futureToleranceHours`): an event outside it
 * would land in a partition no query reads, so it is refused with the bound named, never `Ok`.
 */
import { describe, expect, it } from 'vitest';
import { Contract } from '../../../constructs/contract';
import { loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import { createProcessorContext, processRecords, type ProcessorContext } from '../../../lambdas/firehose-processor/process-records';
import { firehoseEvent, orderPlaced, validOrder } from './fixtures';

const NOW = Date.parse('2026-12-03T10:00:00Z');

/** The context of a contract with a fixed clock. */
function at(now: number, spec = orderPlaced.spec, transform?: (r: Record<string, unknown>) => Record<string, unknown>): ProcessorContext {
  return createProcessorContext({ ...loadProcessorContext(spec, { transform }), now: () => now });
}

function one(placedAt: string, ctx: ProcessorContext) {
  const result = processRecords(firehoseEvent([validOrder({ placed_at: placedAt })]).records, ctx);
  return { result: result.records[0].result, dt: result.records[0].metadata?.partitionKeys?.dt, reason: result.failures[0]?.reason };
}

const backfill = Contract.fromSpec({ ...orderPlaced.spec, partitionBy: { ...orderPlaced.spec.partitionBy, since: '2015-01-01' } });

describe('the event-time window', () => {
  it('refuses an event dated 2019-06-01 with the default contract, naming the bound', () => {
    expect(one('2019-06-01T08:00:00Z', at(NOW))).toEqual({
      result: 'ProcessingFailed',
      dt: undefined,
      reason:
        '"placed_at": 2019-06-01T08:00:00.000Z is before 2020-01-01, the earliest event date of orders.order_placed.v1 (partitionBy.since): ' +
        'no query would see it; declare an earlier partitionBy.since in the contract to accept it',
    });
  });

  it('accepts it with since: 2015-01-01, in its dt partition', () => {
    expect(one('2019-06-01T08:00:00Z', at(NOW, backfill.spec))).toEqual({ result: 'Ok', dt: '2019-06-01', reason: undefined });
    expect(one('2014-12-31T23:59:59.999Z', at(NOW, backfill.spec)).result).toBe('ProcessingFailed');
    // The bound is on the UTC date: 00:30 at +01:00 on 2015-01-01 is still 2014.
    expect(one('2015-01-01T00:30:00+01:00', at(NOW, backfill.spec)).result).toBe('ProcessingFailed');
    expect(one('2015-01-01T00:00:00Z', at(NOW, backfill.spec)).result).toBe('Ok');
  });

  it('refuses an event more than the future tolerance ahead of the clock, naming it', () => {
    expect(one('2026-12-04T09:59:59Z', at(NOW)).result).toBe('Ok');
    expect(one('2026-12-04T10:00:00.001Z', at(NOW))).toEqual({
      result: 'ProcessingFailed',
      dt: undefined,
      reason:
        '"placed_at": 2026-12-04T10:00:00.001Z is more than 24 hours ahead of the processor\'s clock (later than 2026-12-04T10:00:00.000Z, ' +
        "partitionBy.futureToleranceHours of orders.order_placed.v1): no query would see it yet; fix the producer's clock, or raise partitionBy.futureToleranceHours",
    });
    const strict = Contract.fromSpec({ ...orderPlaced.spec, partitionBy: { ...orderPlaced.spec.partitionBy, futureToleranceHours: 0 } });
    expect(one('2026-12-03T10:00:01Z', at(NOW, strict.spec)).result).toBe('ProcessingFailed');
  });

  it('checks the event time the transform returns', () => {
    const ctx = at(NOW, orderPlaced.spec, (record) => ({ ...record, placed_at: '2010-01-01T00:00:00Z' }));
    expect(one('2026-12-01T00:00:00Z', ctx).reason).toMatch(/^"placed_at": 2010-01-01T00:00:00.000Z is before 2020-01-01/);
  });
});
