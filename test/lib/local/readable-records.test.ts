import { describe, expect, it } from 'vitest';
import { loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import { processRecords } from '../../../lambdas/firehose-processor/process-records';
import { Contract, col } from '../../../constructs/contract';
import type { ContractSpec } from '../../../constructs/contract/types';
import { readableRecords } from '../../../lib/local/readable-records';
import { customerRegistered, orderPlaced } from './fake-assembly';

const eventTime = { from: new Date('2026-11-18T12:00:00Z'), to: new Date('2026-11-21T12:00:00Z') };

/** Runs the real processor core over records; the results in order. */
function process(spec: ContractSpec, records: readonly unknown[]) {
  const context = loadProcessorContext(spec);
  const events = records.map((record, i) => ({
    recordId: String(i),
    approximateArrivalTimestamp: 0,
    data: Buffer.from(JSON.stringify(record)).toString('base64'),
  }));
  return processRecords(events, context);
}

describe('readableRecords', () => {
  it.each([orderPlaced, customerRegistered])('makes records the processor accepts ($id), deterministic for a seed', (contract) => {
    const samples = readableRecords(contract.spec, 300, { invalidShare: 0, seed: 5, eventTime });
    expect(readableRecords(contract.spec, 300, { invalidShare: 0, seed: 5, eventTime })).toEqual(samples);
    const result = process(contract.spec, samples.map((s) => s.record));
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(300);
  });

  it('breaks exactly the invalid share, each record in a way the processor refuses', () => {
    const samples = readableRecords(orderPlaced.spec, 200, { invalidShare: 0.1, seed: 9, eventTime });
    const invalid = samples.filter((s) => s.mutation !== undefined);
    expect(invalid).toHaveLength(20);
    const result = process(orderPlaced.spec, invalid.map((s) => s.record));
    expect(result.ok).toBe(0);
    expect(result.failures).toHaveLength(20);
  });

  it('looks like the examples: unique primary keys in their style, values in the event window', () => {
    const samples = readableRecords(orderPlaced.spec, 50, { invalidShare: 0, seed: 1, eventTime }).map((s) => s.record);
    const ids = samples.map((r) => r.order_id);
    expect(ids.slice(0, 3)).toEqual(['o-1001', 'o-1002', 'o-1003']);
    expect(new Set(ids).size).toBe(50);
    for (const record of samples) {
      const placed = Date.parse(record.placed_at as string);
      expect(placed).toBeGreaterThanOrEqual(eventTime.from.getTime());
      expect(placed).toBeLessThanOrEqual(eventTime.to.getTime());
      expect(record.total).toMatch(/^\d{1,10}\.\d{2}$/);
    }
  });
});

describe('readableRecords numbers', () => {
  it('keep numeric columns within 10% of their example', () => {
    const sensor = Contract.of({
      name: 'reading',
      domain: 'sensors',
      owner: { team: 'iot-team', contact: 'iot@example.com' },
      description: 'A sensor reading.',
      columns: {
        battery_mv: col.int({ required: true, description: 'Battery voltage (mV).', examples: [3700] }),
        latitude: col.double({ required: true, classification: 'confidential', description: 'Latitude.', examples: [52.52] }),
        read_at: col.timestamp({ required: true, description: 'When.' }),
      },
      partitionBy: { column: 'read_at' },
    });
    const records = readableRecords(sensor.spec, 200, { invalidShare: 0, seed: 3, eventTime: { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') } });
    const volts = records.map(({ record }) => record.battery_mv as number);
    const latitudes = records.map(({ record }) => record.latitude as number);
    expect(Math.min(...volts)).toBeGreaterThanOrEqual(3330);
    expect(Math.max(...volts)).toBeLessThanOrEqual(4070);
    expect(volts.every(Number.isInteger)).toBe(true);
    expect(new Set(volts).size).toBeGreaterThan(50);
    expect(Math.min(...latitudes)).toBeGreaterThanOrEqual(47.26);
    expect(Math.max(...latitudes)).toBeLessThanOrEqual(57.78);
  });
});
