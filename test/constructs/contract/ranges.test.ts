/**
 * `minimum` / `maximum` of numeric columns: checked at synth, enforced by the processor, carried by ODCS
 * (`logicalTypeOptions`), followed by both generators; enums (an `invalidValues` rule with `validValues`) followed
 * by the readable generator.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { col, Contract, type ContractProps } from '../../../constructs/contract';
import { mutationsOf, sampleRecords } from '../../../constructs/contract/arbitrary';
import { toJsonSchema } from '../../../constructs/contract/json-schema';
import { contractModule } from '../../../lib/contract/module';
import { loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import { processRecords } from '../../../lambdas/firehose-processor/process-records';
import { readableRecords } from '../../../lib/local/readable-records';
import { firehoseEvent } from '../../lambdas/firehose-processor/fixtures';

const BASE: ContractProps = {
  name: 'battery_read',
  domain: 'devices',
  owner: { team: 'devices-team', contact: 'devices@example.com' },
  description: 'A device reported its battery.',
  columns: {
    device_id: col.string({ required: true, description: 'Device.', examples: ['d-1'] }),
    battery_mv: col.int({ required: true, description: 'Battery voltage (mV).', minimum: 2500, maximum: 4300, examples: [3700] }),
    temperature_c: col.double({ description: 'Device temperature (°C).', minimum: -40, maximum: 85 }),
    retries: col.bigint({ description: 'Retries.', minimum: 0 }),
    level: col.string({ required: true, description: 'Battery level.', examples: ['ok'] }),
    read_at: col.timestamp({ required: true, description: 'When (UTC).' }),
  },
  partitionBy: { column: 'read_at' },
  quality: [{ column: 'level', metric: 'invalidValues', arguments: { validValues: ['ok', 'low', 'critical'] }, mustBe: 0 }],
};
const contract = Contract.of(BASE);
const eventTime = { from: new Date('2026-11-18T12:00:00Z'), to: new Date('2026-11-21T12:00:00Z') };

const withColumn = (name: string, column: ReturnType<typeof col.int>) => () => Contract.of({ ...BASE, columns: { ...BASE.columns, [name]: column } });

describe('minimum and maximum at synth', () => {
  it.each([
    [
      'minimum above maximum',
      withColumn('battery_mv', col.int({ required: true, description: 'mV.', minimum: 4300, maximum: 2500 })),
      'devices.battery_read: column "battery_mv" has minimum 4300 above maximum 2500: swap them (minimum: 2500, maximum: 4300).',
    ],
    [
      'a fraction on an int',
      withColumn('battery_mv', col.int({ required: true, description: 'mV.', minimum: 0.5 })),
      'devices.battery_read: column "battery_mv" has minimum 0.5, which is not a whole number from -2147483648 to 2147483647: give minimum as a number the int column holds, e.g. minimum: 0.',
    ],
    [
      'a bound on a string',
      withColumn('device_id', col.string({ required: true, description: 'Device.', maximum: 9 })),
      'devices.battery_read: column "device_id" is string and has minimum/maximum, which only int, bigint, float and double columns take: remove them.',
    ],
    [
      'a bound on a decimal',
      withColumn('price', col.decimal(10, 2, { description: 'Price.', minimum: 0 })),
      'devices.battery_read: column "price" is decimal(10,2) and has minimum/maximum, which only int, bigint, float and double columns take: remove them, or check the range with a quality rule (docs/quality.md).',
    ],
    [
      'an example outside the range',
      withColumn('battery_mv', col.int({ required: true, description: 'mV.', minimum: 2500, maximum: 4300, examples: [5000] })),
      'devices.battery_read: column "battery_mv" has example 5000, which is not a valid int value (above the column\'s maximum 4300): give an example the column holds, e.g. 2500, or remove it.',
    ],
  ])('refuses %s', (_, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('minimum and maximum in the processor', () => {
  const ctx = loadProcessorContext(contract.spec);
  const one = (data: unknown) => processRecords(firehoseEvent([data]).records, ctx).failures[0]?.reason;
  const valid = { device_id: 'd-1', battery_mv: 3700, level: 'ok', read_at: '2026-11-21T10:00:00Z' };

  it('are in the JSON Schema', () => {
    const properties = (toJsonSchema(contract.spec) as { properties: Record<string, any> }).properties;
    expect(properties.battery_mv).toMatchObject({ type: 'integer', minimum: 2500, maximum: 4300 });
    expect(properties.temperature_c.anyOf[1]).toEqual({ type: 'number', minimum: -40, maximum: 85 });
  });

  it('accepts the bounds themselves and refuses values beyond them, naming the bound', () => {
    expect(one(valid)).toBeUndefined();
    expect(one({ ...valid, battery_mv: 2500, temperature_c: 85, retries: 0 })).toBeUndefined();
    expect(one({ ...valid, battery_mv: 2499 })).toBe('"battery_mv": must be >= 2500 (the contract\'s minimum) (got 2499)');
    expect(one({ ...valid, temperature_c: 97.21 })).toBe('"temperature_c": must be <= 85 (the contract\'s maximum) (got 97.21)');
    expect(one({ ...valid, retries: -1 })).toBe('"retries": must be >= 0 (the contract\'s minimum) (got -1)');
    expect(one({ ...valid, battery_mv: 'x' })).toBe('"battery_mv": must be an int (a whole number from -2147483648 to 2147483647) (got "x")');
  });
});

describe('minimum and maximum in ODCS', () => {
  it('travel as logicalTypeOptions and come back (export → import → export is stable)', () => {
    const yaml = contract.toOdcs();
    expect(yaml).toContain('minimum: 2500');
    const again = Contract.fromOdcs(yaml);
    expect(again.spec.columns.battery_mv).toMatchObject({ minimum: 2500, maximum: 4300 });
    expect(again.spec.columns.temperature_c).toMatchObject({ minimum: -40, maximum: 85 });
    expect(again.spec.columns.retries.minimum).toBe(0);
    expect(again.toOdcs()).toBe(yaml);
  });

  it('are read from a document written elsewhere, and a changed bound is written back into it', () => {
    const document = contract
      .toOdcs()
      .replace('minimum: 2500', 'minimum: 2600');
    const imported = Contract.fromOdcs(document);
    expect(imported.spec.columns.battery_mv.minimum).toBe(2600);
    const changed = Contract.of({ ...imported.spec, columns: { ...imported.spec.columns, battery_mv: { ...imported.spec.columns.battery_mv, minimum: 2400 } } });
    expect(Contract.fromOdcs(changed.toOdcs()).spec.columns.battery_mv.minimum).toBe(2400);
  });
});

describe('minimum and maximum in the module `mesh contract import` writes', () => {
  it('are written as column options', () => {
    const source = contractModule(contract, { importFrom: 'cdk-data-mesh', sourceFile: 'x.odcs.yaml' });
    expect(source).toContain("minimum: 2500, maximum: 4300");
    expect(source).toContain("minimum: -40, maximum: 85");
  });
});

describe('generated values follow ranges and enums', () => {
  it('readable records: inside the range, near the example, levels from the enum with a head and a tail', () => {
    const records = readableRecords(contract.spec, 2000, { invalidShare: 0, seed: 3, eventTime }).map((s) => s.record);
    const mv = records.map((r) => r.battery_mv as number);
    expect(Math.min(...mv)).toBeGreaterThanOrEqual(3330);
    expect(Math.max(...mv)).toBeLessThanOrEqual(4070);
    const temperatures = records.map((r) => r.temperature_c).filter((v): v is number => typeof v === 'number');
    expect(temperatures.every((v) => v >= -40 && v <= 85)).toBe(true);
    // Around the middle of the range (22.5), not uniform over it: uniform would put half within ±31.25, a triangle 3/4.
    expect(temperatures.filter((v) => Math.abs(v - 22.5) <= 31.25).length / temperatures.length).toBeGreaterThan(0.7);
    // A bounded count is mostly near its minimum: retries ≥ 0 (bigint, mean 5000 above it) below 15000 in most records.
    const retries = records.map((r) => r.retries).filter((v): v is number => typeof v === 'number');
    expect(retries.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    expect(retries.filter((v) => v < 15_000).length / retries.length).toBeGreaterThan(0.9);
    const levels = new Map<string, number>();
    for (const r of records) levels.set(r.level as string, (levels.get(r.level as string) ?? 0) + 1);
    expect([...levels.keys()].sort()).toEqual(['critical', 'low', 'ok']);
    expect(levels.get('ok')!).toBeGreaterThan(levels.get('critical')!);
    const result = processRecords(firehoseEvent(records).records, loadProcessorContext(contract.spec));
    expect(result.failures).toEqual([]);
  });

  it('property-test records stay inside the range; out-of-range mutations are refused', () => {
    const ctx = loadProcessorContext(contract.spec);
    const records = sampleRecords(contract.spec, 300, { seed: 9 });
    expect(processRecords(firehoseEvent(records).records, ctx).failures).toEqual([]);
    const bounds = mutationsOf(contract.spec).filter((m) => /minimum|maximum/.test(m.describe));
    expect(bounds.map((m) => m.describe)).toEqual([
      'below minimum: battery_mv = 2499 (minimum 2500)',
      'above maximum: battery_mv = 4301 (maximum 4300)',
      'below minimum: temperature_c = -41 (minimum -40)',
      'above maximum: temperature_c = 86 (maximum 85)',
      'below minimum: retries = -1 (minimum 0)',
    ]);
    for (const mutation of bounds) {
      const record = { ...records[0], [mutation.column]: mutation.value };
      expect(processRecords(firehoseEvent([record]).records, ctx).failures).toHaveLength(1);
    }
  });
});

describe('docs/contracts.md', () => {
  it('shows the contract of these tests and their processor reason', () => {
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'contracts.md'), 'utf8');
    const section = docs.slice(docs.indexOf('#### Ranges and allowed values'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)![1];
    const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const source = lines(fs.readFileSync(__filename, 'utf8'));
    const needle = lines(block);
    expect(source.some((_, i) => needle.every((line, j) => source[i + j] === line))).toBe(true);
    expect(section).toContain('`"battery_mv": must be >= 2500 (the\n  contract\'s minimum) (got 2499)`');
  });
});
