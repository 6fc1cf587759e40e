/**
 * Lambda's 6 MB limit on the processor's response, at build time and at run time.
 *
 * The processor can grow a record: a decimal sent as the JSON number `0` comes back as the string
 * `"0.000000"`, a timestamp gains milliseconds. A response over the limit fails the whole invocation, and
 * after its retries Firehose writes the whole batch, valid records included, to `processing-failed`.
 *
 * - `worstCaseGrowth` / `maxProcessorBufferBytes`: from the contract, the most a record can grow and the
 *   largest processor buffer whose worst-case response still fits (the product construct checks
 *   `processor.bufferSize` against it at synth).
 * - `ResponseBudget`: the handler measures the response as it builds it; the records that would take it over
 *   the limit are returned `ProcessingFailed` (with their original data and the reason "response size limit")
 *   instead of failing the invocation. A transform can grow a record beyond anything the contract says, so
 *   the run-time check stays even when the buffer is within the bound.
 */
import type { FirehoseTransformationResultRecord } from 'aws-lambda';
import type { ProcessorPlan, TypePlan } from './plan';

/** Lambda's limit on a synchronous response is 6 MB; counted in decimal megabytes to stay under either reading. */
export const RESPONSE_LIMIT_BYTES = 6_000_000;

/** `{"records":[` and `]}`. */
const RESPONSE_FRAMING_BYTES = '{"records":[]}'.length;

/** Base64 turns every 3 bytes of data into 4 characters, in the request and in the response. */
const BASE64_GROWTH = 4 / 3;

/**
 * The response's share of the per-record framing (record id, result, metadata) beyond the data. The request
 * Firehose builds carries more per record (record id, arrival time, Kinesis metadata), so a batch whose
 * request fits 6 MB never has more framing in its response than this allowance covers at realistic sizes.
 */
const FRAMING_ALLOWANCE = 0.05;

/** Shortest timestamp the processor accepts (`2026-01-01 00:00:00Z`, 20 characters) → 24 characters out. */
const TIMESTAMP_GROWTH = (20 + 2 + 4 + 1) / (20 + 2 + 1);

/**
 * How many times larger a value of the type can get through the processor, counted on the smallest input that
 * grows most, as an array element (`0,` → `"0.000000",`): the quotes and separators are shared.
 */
function typeGrowth(type: TypePlan): number {
  switch (type.k) {
    case 'dec':
      // The token `0` (2 bytes with its separator) becomes `"0"` or `"0.` + s zeros + `"` and a separator.
      return type.s === 0 ? (3 + 1) / 2 : (4 + type.s + 1) / 2;
    case 'ts':
      return TIMESTAMP_GROWTH;
    case 'arr':
      return typeGrowth(type.items);
    case 'map':
      return typeGrowth(type.values);
    case 'struct':
      return Math.max(1, ...type.fields.map((field) => typeGrowth(field.type)));
    default:
      return 1;
  }
}

/** The most a record's bytes can grow through the processor (without a product transform), ≥ 1. */
export function worstCaseGrowth(plan: ProcessorPlan): number {
  return Math.max(1, ...plan.columns.map((column) => typeGrowth(column.type)));
}

/** The largest processor buffer (record bytes per invocation) whose worst-case response fits the limit. */
export function maxProcessorBufferBytes(plan: ProcessorPlan, limit = RESPONSE_LIMIT_BYTES): number {
  return Math.floor((limit * (1 - FRAMING_ALLOWANCE)) / (BASE64_GROWTH * worstCaseGrowth(plan)));
}

/** The bytes one entry of the response's `records` array takes, with its separating comma. */
export function entryBytes(record: FirehoseTransformationResultRecord): number {
  const { recordId, result, data, metadata } = record;
  // The hot path: the three or four fields the processor sets, with ASCII ids and partition values, counted without
  // serialising the entry (this runs twice per record). Anything else is measured by serialising it.
  if (typeof data === 'string' && ASCII_NO_ESCAPES.test(recordId) && Object.keys(record).length === (metadata === undefined ? 3 : 4)) {
    const dt = metadata?.partitionKeys?.dt;
    if (metadata === undefined) return ENTRY_FRAMING_BYTES + recordId.length + result.length + data.length + 1;
    if (typeof dt === 'string' && ASCII_NO_ESCAPES.test(dt) && Object.keys(metadata).length === 1 && Object.keys(metadata.partitionKeys).length === 1) {
      return ENTRY_FRAMING_BYTES + METADATA_FRAMING_BYTES + recordId.length + result.length + data.length + dt.length + 1;
    }
  }
  const { data: _, ...rest } = record;
  return Buffer.byteLength(JSON.stringify({ ...rest, data: '' }), 'utf8') + (data ?? '').length + 1;
}

/**
 * `entryBytes` of `{ recordId, result, data }` (and `metadata.partitionKeys.dt` when given), without building the
 * entry: what the handler asks for every record.
 */
export function entryBytesOf(recordId: string, result: FirehoseTransformationResultRecord['result'], data: string, dt?: string): number {
  if (typeof recordId !== 'string' || typeof data !== 'string' || !ASCII_NO_ESCAPES.test(recordId) || (dt !== undefined && !ASCII_NO_ESCAPES.test(dt))) {
    return entryBytes(dt === undefined ? { recordId, result, data } : { recordId, result, data, metadata: { partitionKeys: { dt } } });
  }
  const bytes = ENTRY_FRAMING_BYTES + recordId.length + result.length + data.length + 1;
  return dt === undefined ? bytes : bytes + METADATA_FRAMING_BYTES + dt.length;
}

const ASCII_NO_ESCAPES = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
/** `{"recordId":"","result":"","data":""}` */
const ENTRY_FRAMING_BYTES = JSON.stringify({ recordId: '', result: '', data: '' }).length;
/** `,"metadata":{"partitionKeys":{"dt":""}}` */
const METADATA_FRAMING_BYTES = JSON.stringify({ metadata: { partitionKeys: { dt: '' } } }).length - 1;

const EMPTY_SIZES = new Float64Array(0);

/**
 * The running size of a response. Built with the size of every record returned as it came (the fallback for any
 * record), it admits a record's real entry only if the records after it still fit when they all come back as
 * they came: the response is within the limit whatever happens to them.
 */
export class ResponseBudget {
  // Every field starts as the kind of value it keeps: a field that starts `undefined` and then holds a number changes
  // the object's shape under V8's optimized code, which then throws that code away. The sizes are a typed array for
  // the same reason (an array of numbers can take several shapes).
  private readonly fallbackBytes: Float64Array = EMPTY_SIZES;
  public readonly limit: number = 0;
  private used = RESPONSE_FRAMING_BYTES;
  private reserved = 0;

  /** `fallbackBytes`: the size of each record's entry returned as it came, in order. */
  constructor(fallbackBytes: Float64Array, limit = RESPONSE_LIMIT_BYTES) {
    this.fallbackBytes = fallbackBytes;
    this.limit = limit;
    for (let i = 0; i < this.fallbackBytes.length; i++) this.reserved += this.fallbackBytes[i];
  }

  /** Whether record `index` can come back as `bytes`; when it can, they are counted. Call once per record, in order. */
  public admit(index: number, bytes: number): boolean {
    this.reserved -= this.fallbackBytes[index];
    if (this.used + bytes + this.reserved > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** Counts record `index` as returned as it came (after `admit` refused it). */
  public fallBack(index: number): void {
    this.used += this.fallbackBytes[index];
  }

  /** The response's size so far. */
  public get bytes(): number {
    return this.used;
  }
}

/** The reason of a record returned because the response would have exceeded the limit. */
export function responseLimitReason(limit: number): string {
  return (
    `response size limit: the processor's response for this batch would exceed ${limit} bytes ` +
    `(Lambda's 6 MB limit), so this record is returned unprocessed; replay it with "mesh replay", ` +
    'or lower processor.bufferSize'
  );
}
