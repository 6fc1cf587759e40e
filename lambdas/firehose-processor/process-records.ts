/**
 * The pure per-batch function of the Firehose processor: no I/O, no logging, no clock.
 *
 * Every input `recordId` comes back exactly once, in input order: `Ok` (normalised JSON + newline with
 * `metadata.partitionKeys.dt`), `Dropped` (the product transform returned null/undefined) or
 * `ProcessingFailed` (original data; the reason is in `failures`).
 */
import { isUtf8 } from 'node:buffer';
import type { FirehoseTransformationEventRecord, FirehoseTransformationResultRecord } from 'aws-lambda';
import { mayLoseDigits, parseKeepingDigits } from './exact-numbers';
import { createFastPath, type FastLine, type FastPath, type SchemaNode } from './fast-path';
import { Located, type Normaliser } from './normalise';
import type { ProcessorPlan, TypePlan } from './plan';
import { fieldReason, resolvePath, validationReason, type CompiledValidator } from './reasons';
import { entryBytes, entryBytesOf, RESPONSE_LIMIT_BYTES, ResponseBudget, responseLimitReason } from './response-budget';
import { partitionValue } from './values';

/** A product transform: one normalised record in, one record (validated again) or null/undefined (dropped) out. */
export type TransformFunction = (record: Record<string, unknown>) => Record<string, unknown> | null | undefined;

/** Everything the processor needs for one contract; built once at module load. */
export interface ProcessorContext {
  readonly plan: ProcessorPlan;
  readonly validate: CompiledValidator;
  readonly transform?: TransformFunction;
  /** The contract's generated normaliser (see normalise.ts). */
  readonly normalise: Normaliser;
  /** The contract has decimal columns: long number tokens are read exactly (see exact-numbers.ts). */
  readonly exactNumbers: boolean;
  /** The most bytes a response may take (see response-budget.ts). @default RESPONSE_LIMIT_BYTES */
  readonly responseLimitBytes: number;
  /** The clock future-dated events are measured against, read once per batch. @default Date.now */
  readonly now: () => number;
  /** The one-pass path for records it is sure about (see fast-path.ts); undefined: every record takes the general path. */
  readonly fast?: FastPath;
}

export interface RecordFailure {
  readonly recordId: string;
  /** Which field and why, e.g. `"total": must match decimal(12,2) (got "12.345")`. */
  readonly reason: string;
}

export interface ProcessResult {
  /** One result per input record, in input order: the Firehose response's `records`. */
  readonly records: FirehoseTransformationResultRecord[];
  /** The `ProcessingFailed` records and why, in input order. */
  readonly failures: RecordFailure[];
  readonly ok: number;
  readonly dropped: number;
}

/** Firehose's record limit is 1,000 KiB; Kinesis' is 1 MiB. Anything above cannot be a valid record. */
export const MAX_RECORD_BYTES = 1024 * 1024;

const MAX_ERROR_MESSAGE = 160;

/**
 * One buffer reused for every record's bytes (decoded input, then encoded output): the hot path allocates
 * no Buffer per record. Larger outputs (rare: a near-1-MiB record that grows when normalised) fall back.
 */
const SCRATCH = Buffer.allocUnsafeSlow(2 * MAX_RECORD_BYTES);

export function createProcessorContext(options: {
  plan: ProcessorPlan;
  validate: CompiledValidator;
  normalise: Normaliser;
  transform?: TransformFunction;
  /** The JSON Schema `validate` was compiled from: with it, the fast path is built. @default - general path only */
  schema?: SchemaNode;
  /** Build the fast path when the schema allows it. @default true */
  fastPath?: boolean;
  responseLimitBytes?: number;
  now?: () => number;
}): ProcessorContext {
  if (options.transform !== undefined && typeof options.transform !== 'function') {
    throw new TypeError(
      `The transform module of ${options.plan.id} must export a function "transform(record)"; it exports a ${typeof options.transform}.`,
    );
  }
  const { schema, fastPath, ...rest } = options;
  const fast =
    schema !== undefined && (fastPath ?? true)
      ? createFastPath(options.plan, schema, { transform: options.transform !== undefined, maxRecordBytes: MAX_RECORD_BYTES })
      : undefined;
  return {
    ...rest,
    fast,
    exactNumbers: options.plan.columns.some((column) => hasDecimal(column.type)),
    responseLimitBytes: options.responseLimitBytes ?? RESPONSE_LIMIT_BYTES,
    now: options.now ?? Date.now,
  };
}

function hasDecimal(type: TypePlan): boolean {
  switch (type.k) {
    case 'dec':
      return true;
    case 'arr':
      return hasDecimal(type.items);
    case 'map':
      return hasDecimal(type.values);
    case 'struct':
      return type.fields.some((field) => hasDecimal(field.type));
    default:
      return false;
  }
}

/** A record that cannot go on, and why. */
class Failed {
  constructor(public readonly reason: string) {}
}

function truncate(message: string): string {
  return message.length > MAX_ERROR_MESSAGE ? `${message.slice(0, MAX_ERROR_MESSAGE)}…` : message;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Decodes one record's data into `SCRATCH`: the length of its UTF-8 bytes there, or why it cannot be read. */
function decodeBytes(data: string): number | Failed {
  const size = Buffer.byteLength(data, 'base64');
  if (size === 0) return new Failed('record is empty (no data)');
  if (size > MAX_RECORD_BYTES) {
    return new Failed(`record is ${size} bytes, over the 1 MiB limit (${MAX_RECORD_BYTES} bytes)`);
  }
  const length = SCRATCH.write(data, 0, 'base64');
  if (!isUtf8(SCRATCH.subarray(0, length))) {
    return new Failed('record is not UTF-8 text (binary data?): send one JSON object per record');
  }
  return length;
}

/** Where the text of the record in `SCRATCH[0, length)` starts: a UTF-8 byte order mark is tolerated. */
function textStart(length: number): number {
  return length >= 3 && SCRATCH[0] === 0xef && SCRATCH[1] === 0xbb && SCRATCH[2] === 0xbf ? 3 : 0;
}

/**
 * Parses the record decoded into `SCRATCH[0, length)`; a plain object or why not. With `exactNumbers`, a record
 * that may hold a number `JSON.parse` rounds is parsed again keeping those tokens' digits.
 */
function parse(length: number, exactNumbers: boolean): Record<string, unknown> | Failed {
  let value: unknown;
  try {
    const text = SCRATCH.toString('utf8', textStart(length), length);
    value = JSON.parse(text);
    if (exactNumbers && mayLoseDigits(text)) value = parseKeepingDigits(text);
  } catch (error) {
    return new Failed(`record is not valid JSON: ${truncate((error as Error).message)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return new Failed(`record must be a JSON object, got ${kindOf(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Base64 of the UTF-8 bytes of `json` and a newline. */
function encodeLine(json: string): string {
  if (json.length * 3 + 1 > SCRATCH.length) return Buffer.from(`${json}\n`, 'utf8').toString('base64');
  const length = SCRATCH.write(json, 0, 'utf8');
  SCRATCH[length] = 0x0a;
  return SCRATCH.toString('base64', 0, length + 1);
}

/** Validates and normalises a record against the contract. */
function conform(record: Record<string, unknown>, ctx: ProcessorContext, origin: string): Record<string, unknown> | Failed {
  if (!ctx.validate(record)) return new Failed(origin + validationReason(ctx.plan, record, ctx.validate.errors));
  const normalised = ctx.normalise(record);
  if (normalised instanceof Located) {
    const resolved = resolvePath(ctx.plan, normalised.path);
    return new Failed(origin + fieldReason(resolved.label, normalised.invalid.mustBe, normalised.value, resolved.pii, normalised.raw));
  }
  return normalised;
}

const DROPPED = Symbol('dropped');
/** The fast path answered for the record. */
const FAST = Symbol('fast');

function applyTransform(record: Record<string, unknown>, ctx: ProcessorContext): Record<string, unknown> | Failed | typeof DROPPED {
  let output: unknown;
  try {
    output = ctx.transform!(record);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return new Failed(`transform failed: ${truncate(message)}`);
  }
  if (output === null || output === undefined) return DROPPED;
  if (typeof (output as { then?: unknown }).then === 'function') {
    return new Failed('transform returned a Promise: transforms must be synchronous (return the record, or null to drop it)');
  }
  if (typeof output !== 'object' || Array.isArray(output)) {
    return new Failed(`transform must return an object, null or undefined; it returned ${kindOf(output)}`);
  }
  return conform(output as Record<string, unknown>, ctx, 'transform output: ');
}

/** The general path for a record decoded into `SCRATCH[0, length)`. */
function processOne(length: number, ctx: ProcessorContext): Record<string, unknown> | Failed | typeof DROPPED {
  const parsed = parse(length, ctx.exactNumbers);
  if (parsed instanceof Failed) return parsed;
  const record = conform(parsed, ctx, '');
  if (record instanceof Failed || ctx.transform === undefined) return record;
  return applyTransform(record, ctx);
}

/**
 * The check of a normalised record's event time against the contract's window (`partitionBy.since` and
 * `futureToleranceHours`): outside it, no query would see the record, so it is refused with the bound named.
 * Normalised timestamps (`yyyy-MM-ddTHH:mm:ss.SSSZ`) and dates compare as strings. One per batch (the clock is read
 * once per batch); a class rather than a closure per batch, so that every batch calls the same function (a new
 * closure each batch made V8 throw away processRecords' optimized code, which had the first one inlined).
 */
class EventWindow {
  private readonly latest: string;
  private readonly latestDay: string;

  constructor(private readonly ctx: ProcessorContext) {
    this.latest = new Date(ctx.now() + ctx.plan.partition.futureToleranceHours * 3_600_000).toISOString();
    this.latestDay = this.latest.slice(0, 10);
  }

  public check(value: string): Failed | undefined {
    const { column, since, futureToleranceHours } = this.ctx.plan.partition;
    if (value.slice(0, 10) < since) {
      return new Failed(
        `"${column}": ${value} is before ${since}, the earliest event date of ${this.ctx.plan.id} (partitionBy.since): ` +
          'no query would see it; declare an earlier partitionBy.since in the contract to accept it',
      );
    }
    if (value.length === 10 ? value > this.latestDay : value > this.latest) {
      return new Failed(
        `"${column}": ${value} is more than ${futureToleranceHours} hours ahead of the processor's clock ` +
          `(later than ${this.latest}, partitionBy.futureToleranceHours of ${this.ctx.plan.id}): no query would see it yet; ` +
          'fix the producer\'s clock, or raise partitionBy.futureToleranceHours',
      );
    }
    return undefined;
  }
}

/**
 * Processes one Firehose batch. Never throws: an unexpected error fails that record only, with its message.
 * The response stays within `ctx.responseLimitBytes`: records that would take it over are `ProcessingFailed`
 * with the reason "response size limit" (see response-budget.ts).
 */
export function processRecords(records: readonly FirehoseTransformationEventRecord[], ctx: ProcessorContext): ProcessResult {
  const out: FirehoseTransformationResultRecord[] = new Array(records.length);
  const failures: RecordFailure[] = [];
  const { column, granularity } = ctx.plan.partition;
  const window = new EventWindow(ctx);
  const unprocessed = (i: number): FirehoseTransformationResultRecord => ({
    recordId: records[i].recordId,
    result: 'ProcessingFailed',
    data: records[i].data ?? '',
  });
  const fallbackBytes = new Float64Array(records.length);
  for (let i = 0; i < records.length; i++) fallbackBytes[i] = entryBytesOf(records[i].recordId, 'ProcessingFailed', records[i].data ?? '');
  const budget = new ResponseBudget(fallbackBytes, ctx.responseLimitBytes);
  let ok = 0;
  let dropped = 0;
  for (let i = 0; i < records.length; i++) {
    const { recordId, data } = records[i];
    let result: Record<string, unknown> | Failed | typeof DROPPED | typeof FAST;
    let line: FastLine | undefined;
    try {
      const length = typeof data === 'string' ? decodeBytes(data) : new Failed('record has no data field');
      line = length instanceof Failed ? undefined : ctx.fast?.(SCRATCH, textStart(length), length);
      // Outside the event window, the general path takes the record and says why.
      if (line !== undefined && window.check(line.partition) !== undefined) line = undefined;
      result = line !== undefined ? FAST : length instanceof Failed ? length : processOne(length, ctx);
    } catch (error) {
      result = new Failed(`internal error: ${truncate(error instanceof Error ? error.message : String(error))}`);
    }
    let entry: FirehoseTransformationResultRecord;
    if (result === FAST) {
      const dt = partitionValue(line!.partition, granularity);
      entry = { recordId, result: 'Ok', data: line!.data, metadata: { partitionKeys: { dt } } };
    } else if (result === DROPPED) {
      entry = { recordId, result: 'Dropped', data: data ?? '' };
    } else if (result instanceof Failed) {
      entry = unprocessed(i);
    } else if ((result = window.check(result[column] as string) ?? result) instanceof Failed) {
      entry = unprocessed(i);
    } else {
      const dt = partitionValue(result[column] as string, granularity);
      entry = { recordId, result: 'Ok', data: encodeLine(JSON.stringify(result)), metadata: { partitionKeys: { dt } } };
    }
    if (!budget.admit(i, entryBytes(entry))) {
      budget.fallBack(i);
      entry = unprocessed(i);
      result = new Failed(responseLimitReason(budget.limit));
    }
    out[i] = entry;
    if (result === DROPPED) dropped++;
    else if (result instanceof Failed) failures.push({ recordId, reason: result.reason });
    else ok++;
  }
  return { records: out, failures, ok, dropped };
}
