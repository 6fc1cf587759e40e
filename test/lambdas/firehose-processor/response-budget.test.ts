/**
 * Lambda's 6 MB response limit: the worst-case growth the contract allows fits the processor buffer it
 * computes, and a batch that would still exceed it returns its excess as `ProcessingFailed`, record by record.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col, Contract, type ColumnSpec } from '../../../constructs/contract';
import { buildProcessorBundle, loadProcessorContext } from '../../../lambdas/firehose-processor/codegen';
import type { ProcessedEvent } from '../../../lambdas/firehose-processor/handler';
import { MAX_RECORD_BYTES, processRecords } from '../../../lambdas/firehose-processor/process-records';
import { entryBytes, entryBytesOf, maxProcessorBufferBytes, RESPONSE_LIMIT_BYTES, worstCaseGrowth } from '../../../lambdas/firehose-processor/response-budget';
import { firehoseEvent } from './fixtures';

/** The shortest timestamp the processor accepts: it gains 4 characters (milliseconds). */
const SHORT_TIMESTAMP = '2026-01-01 00:00:00Z';

function contractWith(columns: Record<string, ColumnSpec>) {
  return Contract.of({
    name: 'growth',
    domain: 'edges',
    owner: { team: 'edges-team', contact: 'edges@example.com' },
    description: 'Records that grow through the processor.',
    columns: { at: col.timestamp({ required: true, description: 'Event time.' }), ...columns },
    partitionBy: { column: 'at' },
  });
}

/** A record `{"at": …, "amounts": [0,0,…]}` of about `bytes` bytes: decimals sent as the shortest number. */
function zeros(bytes: number): string {
  const head = `{"at":"${SHORT_TIMESTAMP}","amounts":[0`;
  const count = Math.max(0, Math.floor((bytes - head.length - 2) / 2));
  return `${head}${',0'.repeat(count)}]}`;
}

const responseBytes = (response: unknown) => Buffer.byteLength(JSON.stringify(response), 'utf8');

describe('entryBytes', () => {
  it('is the serialised size of a response entry with its comma, on the fast path and off it', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const entry = fc.oneof(
      fc.record({ recordId: text, result: fc.constantFrom('Ok', 'Dropped', 'ProcessingFailed'), data: fc.base64String() }),
      fc.record({ recordId: text, result: fc.constant('Ok'), data: fc.base64String(), metadata: fc.record({ partitionKeys: fc.record({ dt: text }) }) }),
      fc.record({ recordId: text, result: fc.constant('Ok'), data: fc.base64String(), metadata: fc.record({ partitionKeys: fc.dictionary(text, text) }) }),
    );
    fc.assert(
      fc.property(entry, (record) => {
        expect(entryBytes(record as never)).toBe(Buffer.byteLength(JSON.stringify(record), 'utf8') + 1);
      }),
    );
  });

  it('is counted the same without building the entry (entryBytesOf)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    fc.assert(
      fc.property(text, fc.constantFrom('Ok', 'Dropped', 'ProcessingFailed') as fc.Arbitrary<'Ok'>, fc.base64String(), fc.option(text, { nil: undefined }), (recordId, result, data, dt) => {
        const record = dt === undefined ? { recordId, result, data } : { recordId, result, data, metadata: { partitionKeys: { dt } } };
        expect(entryBytesOf(recordId, result, data, dt)).toBe(Buffer.byteLength(JSON.stringify(record), 'utf8') + 1);
      }),
    );
    // What a malformed event may hold: counted by serialising, as entryBytes does.
    expect(entryBytesOf(7 as never, 'ProcessingFailed', 5 as never)).toBe(entryBytes({ recordId: 7, result: 'ProcessingFailed', data: 5 } as never));
  });
});

describe('worst-case growth from the contract', () => {
  it('is the growth of the scale of the widest decimal, as an array element', () => {
    const plan = loadProcessorContext(contractWith({ amounts: col.array(col.decimal(18, 6), { description: 'Amounts.' }) }).spec).plan;
    expect(worstCaseGrowth(plan)).toBe(5.5); // `0,` → `"0.000000",`
    expect(maxProcessorBufferBytes(plan)).toBe(Math.floor((RESPONSE_LIMIT_BYTES * 0.95) / ((4 / 3) * 5.5)));
  });

  it('is 1 for a contract of strings, and grows with timestamps', () => {
    const strings = loadProcessorContext(contractWith({ s: col.string({ description: 'A string.' }) }).spec).plan;
    // The partition column is a timestamp.
    expect(worstCaseGrowth(strings)).toBeCloseTo(27 / 23);
  });

  /** Column types whose worst case the property below fills the buffer with. */
  const decimalType = fc
    .integer({ min: 1, max: 38 })
    .chain((precision) => fc.integer({ min: 0, max: precision }).map((scale) => col.decimal(precision, scale, { description: 'd' })));
  const elementType: fc.Arbitrary<ColumnSpec> = fc.oneof(
    decimalType,
    fc.constant(col.timestamp({ description: 't' })),
    fc
      .array(fc.oneof(decimalType, fc.constant(col.timestamp({ description: 't' }))), { minLength: 1, maxLength: 40 })
      .map((fields) => col.struct(Object.fromEntries(fields.map((f, i) => [`f${i}`, f])), { description: 'A wide struct.' })),
    decimalType.map((d) => col.map(d, { description: 'm' })),
  );

  /** The smallest input of a type that grows most (what `worstCaseGrowth` counts). */
  function worst(spec: ColumnSpec): unknown {
    const type = spec.type;
    switch (type.kind) {
      case 'decimal':
        return 0;
      case 'timestamp':
        return SHORT_TIMESTAMP;
      case 'struct':
        return Object.fromEntries(Object.entries(type.fields).map(([name, field]) => [name, worst(field)]));
      case 'map':
        return { '': worst({ type: type.values, required: true }) };
      default:
        throw new Error(`no worst case for ${type.kind}`);
    }
  }

  it('bounds the response of a full buffer of worst-case records by 6 MB, with every record Ok', () => {
    fc.assert(
      fc.property(elementType, fc.integer({ min: 1, max: 40 }), (element, recordsPerBuffer) => {
        const contract = contractWith({ amounts: col.array(element, { required: true, description: 'Worst cases.' }) });
        const ctx = loadProcessorContext(contract.spec);
        const buffer = maxProcessorBufferBytes(ctx.plan);
        const recordBytes = Math.min(MAX_RECORD_BYTES, Math.floor(buffer / recordsPerBuffer));
        const item = JSON.stringify(worst(element));
        const head = `{"at":"${SHORT_TIMESTAMP}","amounts":[`;
        const count = Math.max(1, Math.floor((recordBytes - head.length - 2) / (item.length + 1)));
        const record = `${head}${Array(count).fill(item).join(',')}]}`;
        const texts = Array<string>(Math.max(1, Math.floor(buffer / record.length))).fill(record);
        const result = processRecords(firehoseEvent(texts).records, ctx);
        expect(result.failures).toEqual([]);
        expect(responseBytes({ records: result.records })).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
      }),
      { numRuns: 25 },
    );
  });
});

describe('the processor handler over the response budget', () => {
  const contract = contractWith({ amounts: col.array(col.decimal(18, 6), { required: true, description: 'Amounts.' }) });
  let outDir: string;
  let processFirehoseEvent: (event: FirehoseTransformationEvent) => ProcessedEvent;

  beforeAll(async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'response-budget-'));
    const bundle = await buildProcessorBundle(contract.spec, { outfile: path.join(outDir, 'bundle.js') });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    processFirehoseEvent = require(bundle).processFirehoseEvent;
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('returns one valid 1 MB record that would grow to 7.3 MB as ProcessingFailed, not a failed invocation', () => {
    const { response, failures } = processFirehoseEvent(firehoseEvent([zeros(1_000_000)]));
    expect(response.records.map((r) => [r.recordId, r.result])).toEqual([['r0', 'ProcessingFailed']]);
    expect(failures[0].reason).toMatch(/^response size limit: /);
    expect(responseBytes(response)).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
  });

  it('returns every record id of an over-budget batch, the excess ProcessingFailed with the reason', () => {
    const texts = Array.from({ length: 12 }, () => zeros(150_000));
    const { response, failures } = processFirehoseEvent(firehoseEvent(texts));
    expect(response.records.map((r) => r.recordId)).toEqual(texts.map((_, i) => `r${i}`));
    const results = response.records.map((r) => r.result);
    const ok = results.filter((r) => r === 'Ok').length;
    // Each record's output is about 1.1 MB of base64: some fit, the rest come back as they came.
    expect(ok).toBeGreaterThan(2);
    expect(results).toEqual([...Array(ok).fill('Ok'), ...Array(12 - ok).fill('ProcessingFailed')]);
    expect(failures.map((f) => f.recordId)).toEqual(texts.slice(ok).map((_, i) => `r${ok + i}`));
    for (const failure of failures) expect(failure.reason).toMatch(/^response size limit: .*6 MB.*mesh replay/);
    for (const [i, record] of response.records.entries()) {
      if (record.result === 'ProcessingFailed') expect(record.data).toBe(Buffer.from(texts[i]).toString('base64'));
    }
    expect(responseBytes(response)).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    expect(responseBytes(response)).toBeGreaterThan(RESPONSE_LIMIT_BYTES - 1_200_000);
  });

  it('still accepts a full default buffer of ordinary records', () => {
    const texts = Array.from({ length: 200 }, () => zeros(2_000));
    const { failures } = processFirehoseEvent(firehoseEvent(texts));
    expect(failures).toEqual([]);
  });
});
