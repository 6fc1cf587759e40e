/**
 * "Nothing lost" properties of the processor, checked on the generated bundle (the code that runs in
 * Lambda): over arbitrary batches of valid, broken, malformed, binary, empty, huge, deeply nested,
 * unicode and boundary records, and hostile ones (inherited names as keys, decimals with more digits than a
 * double holds, events outside the table's window), the output holds exactly the input's record ids; every Ok record
 * conforms to the contract's JSON Schema and to what the Glue (Parquet) types accept; every failure
 * carries a reason and the original data.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidRecordArbitrary, recordArbitrary } from '../../../constructs/contract/arbitrary';
import { decimalPattern, toJsonSchema } from '../../../constructs/contract/json-schema';
import type { ColumnSpec, ColumnType } from '../../../constructs/contract/types';
import { buildProcessorBundle } from '../../../lambdas/firehose-processor/codegen';
import type { ProcessedEvent } from '../../../lambdas/firehose-processor/handler';
import { MAX_RECORD_BYTES, processRecords } from '../../../lambdas/firehose-processor/process-records';
import { fastAndGeneralContexts, orderPlaced, validOrder } from './fixtures';

/** What the processor must do with an input: `Ok`, `ProcessingFailed`, or either (but consistently). */
type Expect = 'Ok' | 'Failed' | 'Any';

interface Input {
  readonly data: Buffer;
  readonly expect: Expect;
  readonly kind: string;
  /** An extra check of the Ok output: what is wrong with it, if anything. */
  readonly check?: (output: Record<string, unknown>) => string | undefined;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

const spec = orderPlaced.spec;

const valid = recordArbitrary(spec).map((r): Input => ({ data: json(r), expect: 'Ok', kind: 'valid' }));

const withExtraFields = fc
  .tuple(recordArbitrary(spec), fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }))
  .map(([record, extra]): Input => {
    const extras = Object.fromEntries(Object.entries(extra).filter(([key]) => !(key in spec.columns) && key !== '__proto__'));
    return { data: json({ ...extras, ...record }), expect: 'Ok', kind: 'extra fields' };
  });

const brokenOneWay = invalidRecordArbitrary(spec).map((r): Input => ({ data: json(r.record), expect: 'Failed', kind: r.mutation }));

const malformedJson = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    recordArbitrary(spec).chain((r) => {
      const text = JSON.stringify(r);
      return fc.integer({ min: 1, max: text.length - 1 }).map((cut) => text.slice(0, cut));
    }),
  )
  .map((text): Input => ({ data: Buffer.from(text, 'utf8'), expect: 'Any', kind: 'malformed JSON' }));

const binary = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes): Input => ({ data: Buffer.from(bytes), expect: 'Any', kind: 'binary' }));

const empty = fc.constant<Input>({ data: Buffer.alloc(0), expect: 'Failed', kind: 'empty' });

/** Built once: a valid record padded to exactly `size` bytes. */
function padded(size: number): Buffer {
  const base = JSON.stringify(validOrder({ attributes: { pad: '' } }));
  return json(validOrder({ attributes: { pad: 'x'.repeat(size - base.length) } }));
}
const HUGE = padded(MAX_RECORD_BYTES + 1);
const LARGEST = padded(MAX_RECORD_BYTES);
const huge = fc.oneof(
  { arbitrary: fc.constant<Input>({ data: HUGE, expect: 'Failed', kind: 'over 1 MiB' }), weight: 4 },
  { arbitrary: fc.constant<Input>({ data: LARGEST, expect: 'Ok', kind: 'exactly 1 MiB' }), weight: 1 },
);

const deeplyNested = fc
  .tuple(fc.integer({ min: 2, max: 2_000 }), fc.boolean(), recordArbitrary(spec))
  .map(([depth, inColumn, record]): Input => {
    const deep = '['.repeat(depth) + ']'.repeat(depth);
    const text = JSON.stringify(record);
    return inColumn
      ? { data: Buffer.from(`${text.slice(0, -1)},"line_items":${deep}}`), expect: 'Failed', kind: 'deep column' }
      : { data: Buffer.from(`{"nested":${deep},${text.slice(1)}`), expect: 'Ok', kind: 'deep extra field' };
  });

const unicode = fc
  .tuple(recordArbitrary(spec), fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }))
  .map(([record, anyCodePoints, graphemes]): Input => ({
    data: json({ ...record, order_id: anyCodePoints, currency: graphemes }),
    expect: 'Ok',
    kind: 'unicode',
  }));

const BOUNDARY_DECIMALS: readonly [unknown, Expect][] = [
  ['9999999999.99', 'Ok'], ['-9999999999.99', 'Ok'], ['0', 'Ok'], ['-0.01', 'Ok'], ['0.5', 'Ok'],
  [9999999999.99, 'Ok'], [-9999999999.99, 'Ok'], [0.01, 'Ok'], [1e-2, 'Ok'], [1e9, 'Ok'], [0, 'Ok'],
  ['10000000000.00', 'Failed'], ['1.001', 'Failed'], ['1e3', 'Failed'], ['+1', 'Failed'], ['.5', 'Failed'], ['', 'Failed'],
  [10000000000, 'Failed'], [0.001, 'Failed'], [0.1 + 0.2, 'Failed'], [1e21, 'Failed'], [-1e-7, 'Failed'],
];
const BOUNDARY_TIMESTAMPS: readonly [string, Expect][] = [
  ['2024-02-29T23:59:59.999Z', 'Ok'], ['2026-02-28T23:59:59Z', 'Ok'], ['2025-12-31T23:30:00-01:00', 'Ok'],
  ['2026-01-01T00:00:00+14:00', 'Ok'], ['2026-06-01 12:00:00.123456789+05:30', 'Ok'], ['2020-02-29T00:00:00z', 'Ok'],
  // The contract's event-time window: partitionBy.since (2020-01-01 by default) up to 24 hours ahead of now.
  ['2020-01-01T00:00:00Z', 'Ok'], ['2019-12-31T23:59:59.999Z', 'Failed'], ['2020-01-01T00:30:00+01:00', 'Failed'],
  ['0001-01-01T00:00:00Z', 'Failed'], ['9999-12-31T23:59:59.999Z', 'Failed'],
  ['2026-02-29T00:00:00Z', 'Failed'], ['2026-02-30T12:00:00Z', 'Failed'], ['2100-02-29T00:00:00Z', 'Failed'],
  ['2026-04-31T00:00:00Z', 'Failed'], ['2026-01-01T24:00:00Z', 'Failed'], ['2026-01-01T23:59:60Z', 'Failed'],
  ['0001-01-01T00:30:00+01:00', 'Failed'], ['9999-12-31T23:30:00-01:00', 'Failed'], ['2026-01-01T10:00:00', 'Failed'],
  ['2026-01-01T10:00:00.1234567891Z', 'Failed'], ['1700000000', 'Failed'],
];
const boundaries = fc
  .tuple(recordArbitrary(spec), fc.constantFrom(...BOUNDARY_DECIMALS), fc.constantFrom(...BOUNDARY_TIMESTAMPS))
  .map(([record, [total, totalExpect], [placedAt, placedExpect]]): Input => ({
    data: json({ ...record, total, placed_at: placedAt }),
    expect: totalExpect === 'Ok' && placedExpect === 'Ok' ? 'Ok' : 'Failed',
    kind: `boundary total=${JSON.stringify(total)} placed_at=${placedAt}`,
  }));

// --- Hostile classes: inherited names, digits JSON.parse rounds, events outside the table's window. ---

/** Names every JavaScript object inherits: as extra record keys and map keys they are data like any other. */
const INHERITED_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const inheritedNames = fc
  .tuple(recordArbitrary(spec), fc.subarray([...INHERITED_NAMES], { minLength: 1 }), fc.jsonValue({ maxDepth: 2 }))
  .map(([record, names, extra]): Input => {
    // Written as text: an object literal would turn "__proto__" into a prototype instead of a key.
    const extras = names.map((name) => `${JSON.stringify(name)}:${JSON.stringify(extra) ?? 'null'}`).join(',');
    const attributes = `{${names.map((name) => `${JSON.stringify(name)}:"v"`).join(',')}}`;
    const body = JSON.stringify({ ...record, attributes: {} }).slice(1).replace('"attributes":{}', `"attributes":${attributes}`);
    return {
      data: Buffer.from(`{${extras},${body}`, 'utf8'),
      expect: 'Ok',
      kind: `inherited names ${names.join(',')}`,
      check: (output) => {
        const kept = JSON.stringify(output.attributes);
        return kept === attributes ? undefined : `attributes ${kept}, sent ${attributes}`;
      },
    };
  });

/** Decimals as number tokens with more digits than a double holds: exact when they fit decimal(12,2), refused otherwise. */
const LONG_DECIMALS: readonly [string, string | undefined][] = [
  ['39.980000000000000000000', '39.98'], ['9999999999.990000000000', '9999999999.99'], ['-0.0100000000000000000', '-0.01'],
  ['12345678901234567891', undefined], ['0.0000000000000000001', undefined], ['9999999999.9900000000001', undefined],
  ['1.000000000000000000e3', '1000.00'],
];
const longDecimals = fc.tuple(recordArbitrary(spec), fc.constantFrom(...LONG_DECIMALS)).map(([record, [token, stored]]): Input => ({
  data: Buffer.from(JSON.stringify({ ...record, total: 0 }).replace('"total":0', `"total":${token}`), 'utf8'),
  expect: stored === undefined ? 'Failed' : 'Ok',
  kind: `long decimal ${token}`,
  check: (output) => (output.total === stored ? undefined : `total stored as ${JSON.stringify(output.total)}, expected ${stored}`),
}));

const outsideWindow = fc
  .tuple(
    recordArbitrary(spec),
    fc.oneof(
      fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2019-12-31T23:59:59.999Z'), noInvalidDate: true }),
      fc.date({ min: new Date(Date.now() + 25 * 3_600_000), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
    ),
  )
  .map(([record, time]): Input => ({
    data: json({ ...record, placed_at: time.toISOString() }),
    expect: 'Failed',
    kind: `outside the event window ${time.toISOString()}`,
  }));

/** Huge records are rare (each is 1 MiB to encode and parse); everything else is common. */
const input: fc.Arbitrary<Input> = fc.oneof(
  { arbitrary: valid, weight: 60 },
  { arbitrary: withExtraFields, weight: 20 },
  { arbitrary: brokenOneWay, weight: 40 },
  { arbitrary: malformedJson, weight: 20 },
  { arbitrary: binary, weight: 10 },
  { arbitrary: empty, weight: 5 },
  { arbitrary: deeplyNested, weight: 10 },
  { arbitrary: unicode, weight: 20 },
  { arbitrary: boundaries, weight: 30 },
  { arbitrary: inheritedNames, weight: 15 },
  { arbitrary: longDecimals, weight: 15 },
  { arbitrary: outsideWindow, weight: 10 },
  { arbitrary: huge, weight: 1 },
);

/** A batch with unique record ids in an arbitrary order. */
const batch = fc.tuple(fc.array(input, { minLength: 40, maxLength: 50 }), fc.uuid()).map(([inputs, prefix]) => ({
  inputs,
  event: {
    invocationId: prefix,
    deliveryStreamArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/orders-order-placed-v1',
    region: 'eu-west-1',
    records: inputs.map((item, i) => ({
      recordId: `${prefix}-${(i * 7919) % 100_003}`,
      approximateArrivalTimestamp: 1_795_000_000_000 + i,
      data: item.data.toString('base64'),
    })),
  } as FirehoseTransformationEvent,
}));

// --- Independent oracles: the contract's JSON Schema (full Ajv) and what each Glue type takes. ---

const schemaValidator = new Ajv2020({ validateFormats: false, strict: false }).compile(toJsonSchema(spec));
const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Problems with a value the OpenX SerDe must turn into the Glue type; empty when it fits. */
function glueProblems(type: ColumnType, value: unknown, at: string): string[] {
  const fail = (why: string) => [`${at}: ${why} (got ${JSON.stringify(value)?.slice(0, 60)})`];
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? [] : fail('string expected');
    case 'boolean':
      return typeof value === 'boolean' ? [] : fail('boolean expected');
    case 'int':
      return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 ? [] : fail('int expected');
    case 'bigint':
      return Number.isSafeInteger(value) ? [] : fail('bigint expected');
    case 'float':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? [] : fail('finite number expected');
    case 'decimal':
      return typeof value === 'string' && new RegExp(decimalPattern(type)).test(value) ? [] : fail(`exact decimal string expected`);
    case 'timestamp':
      return typeof value === 'string' && CANONICAL_TIMESTAMP.test(value) && new Date(value).toISOString() === value
        ? []
        : fail('UTC yyyy-MM-ddTHH:mm:ss.SSSZ expected');
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
        ? []
        : fail('calendar date expected');
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => glueProblems(type.items, v, `${at}[${i}]`)) : fail('array expected');
    case 'map':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) => glueProblems(type.values, v, `${at}[${JSON.stringify(k)}]`))
        : fail('object expected');
    case 'struct':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? fieldProblems(type.fields, value as Record<string, unknown>, `${at}.`) : fail('object expected');
  }
}

function fieldProblems(fields: Readonly<Record<string, ColumnSpec>>, record: Record<string, unknown>, prefix: string): string[] {
  const problems = Object.keys(record)
    .filter((key) => !(key in fields))
    .map((key) => `${prefix}${key}: not a contract column`);
  for (const [name, column] of Object.entries(fields)) {
    const value = record[name];
    if (value === undefined) {
      if (column.required) problems.push(`${prefix}${name}: required but absent`);
    } else {
      problems.push(...glueProblems(column.type, value, `${prefix}${name}`));
    }
  }
  return problems;
}

/** What is wrong with an Ok record; empty when nothing. */
function okProblems(item: Input, data: string | undefined, dt: string | undefined, reason: string | undefined): string[] {
  if (item.expect === 'Failed') return [`${item.kind}: should fail, was Ok: ${item.data.toString('utf8').slice(0, 300)}`];
  if (reason !== undefined) return [`${item.kind}: Ok with a failure reason`];
  const text = Buffer.from(data ?? '', 'base64').toString('utf8');
  if (!text.endsWith('\n')) return [`${item.kind}: Ok data does not end with a newline`];
  const value = JSON.parse(text) as Record<string, unknown>;
  const problems = fieldProblems(spec.columns, value, '').map((p) => `${item.kind}: ${p}`);
  if (!schemaValidator(value)) problems.push(`${item.kind}: breaks the JSON Schema: ${JSON.stringify(schemaValidator.errors)}`);
  if (dt !== (value.placed_at as string).slice(0, 10)) problems.push(`${item.kind}: dt ${dt} for placed_at ${value.placed_at}`);
  const checked = item.check?.(value);
  if (checked !== undefined) problems.push(`${item.kind}: ${checked}`);
  return problems;
}

describe('processor properties (nothing lost)', () => {
  let processEvent: (event: FirehoseTransformationEvent) => ProcessedEvent;
  const env = { ...process.env };
  const stats = { batches: 0, records: 0, ok: 0, failed: 0, fast: 0 };
  // The same batch through the fast path and through the general path alone, at one clock: the answers must be identical.
  const { fast: withFastPath, general: generalOnly } = fastAndGeneralContexts(spec, Date.now(), stats);

  beforeAll(async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const file = await buildProcessorBundle(spec);
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    processEvent = (require(file) as { processFirehoseEvent: typeof processEvent }).processFirehoseEvent;
  });

  afterAll(() => {
    process.env = env;
  });

  it('returns exactly the input ids; Ok records conform to the contract and Glue types; failures carry reasons', () => {
    fc.assert(
      fc.property(batch, ({ inputs, event }) => {
        const { response, failures } = processEvent(event);
        stats.batches++;
        stats.records += inputs.length;

        // Exactly the input ids, each once (in any order).
        const inputIds = event.records.map((r) => r.recordId).sort();
        expect(response.records.map((r) => r.recordId).sort()).toEqual(inputIds);

        const reasons = new Map(failures.map((f) => [f.recordId, f.reason]));
        expect(reasons.size).toBe(failures.length);
        const byId = new Map(event.records.map((r, i) => [r.recordId, { record: r, input: inputs[i] }]));
        const problems: string[] = [];
        for (const out of response.records) {
          const { record, input: item } = byId.get(out.recordId)!;
          if (out.result === 'Ok') {
            stats.ok++;
            problems.push(...okProblems(item, out.data, out.metadata?.partitionKeys?.dt, reasons.get(out.recordId)));
          } else {
            stats.failed++;
            const reason = reasons.get(out.recordId);
            if (out.result !== 'ProcessingFailed') problems.push(`${item.kind}: result ${out.result}`);
            if (item.expect === 'Ok') problems.push(`${item.kind}: should be Ok, failed with: ${reason}`);
            if (out.data !== record.data) problems.push(`${item.kind}: failed record data changed`);
            if (reason === undefined || !/\S/.test(reason)) problems.push(`${item.kind}: failed without a reason`);
          }
        }
        expect(problems).toEqual([]);

        expect(processRecords(event.records, withFastPath)).toEqual(processRecords(event.records, generalOnly));
      }),
      { numRuns: 250, seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31) },
    );
    // The promise is about volume as well: at least 10,000 generated records went through.
    expect(stats.records).toBeGreaterThanOrEqual(10_000);
    expect(stats.ok).toBeGreaterThan(1000);
    expect(stats.failed).toBeGreaterThan(1000);
    // The comparison means something only if the fast path answered for most valid records.
    expect(stats.fast).toBeGreaterThan(stats.ok / 2);
  });
});
