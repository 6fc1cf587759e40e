import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
} from 'aws-lambda';
import { base64Of, byteLengthOf, type StreamedRecord } from './streamed-record';

/**
 * How much Firehose hands its processor per invocation. Firehose buffers up to the processor's `BufferSizeInMBs`
 * (0.2-3 MB, 1 MB by default); the local mode uses the maximum so a run invokes the handler as few times as it can.
 */
export const PROCESSOR_BUFFER = { bytes: 3 * 1024 * 1024, records: 10_000 } as const;

export interface FirehoseBatchOptions {
  readonly deliveryStreamArn: string;
  readonly sourceKinesisStreamArn: string;
  readonly region: string;
  /** @default PROCESSOR_BUFFER.bytes */
  readonly maxBytes?: number;
  /** @default PROCESSOR_BUFFER.records */
  readonly maxRecords?: number;
  /** The invocation ids of the events. @default - ids numbered in this thread */
  readonly invocationIds?: () => string;
}

/** A Firehose processor invocation and the stream records it carries (same order). */
export interface FirehoseBatch {
  readonly event: FirehoseTransformationEvent;
  readonly sources: readonly StreamedRecord[];
}

let invocations = 0;

/**
 * Groups stream records into the events Firehose would invoke its processor with (a Kinesis source's shape), each
 * within the processor buffer.
 */
export async function* firehoseBatches(
  pages: AsyncIterable<readonly StreamedRecord[]> | Iterable<readonly StreamedRecord[]>,
  options: FirehoseBatchOptions,
): AsyncGenerator<FirehoseBatch> {
  const maxBytes = options.maxBytes ?? PROCESSOR_BUFFER.bytes;
  const maxRecords = options.maxRecords ?? PROCESSOR_BUFFER.records;
  const nextId = options.invocationIds ?? invocationId;
  let sources: StreamedRecord[] = [];
  let bytes = 0;
  const batch = (): FirehoseBatch => {
    const done = {
      event: {
        invocationId: nextId(),
        deliveryStreamArn: options.deliveryStreamArn,
        sourceKinesisStreamArn: options.sourceKinesisStreamArn,
        region: options.region,
        records: sources.map(eventRecord),
      },
      sources,
    };
    sources = [];
    bytes = 0;
    return done;
  };
  for await (const page of pages) {
    for (const record of page) {
      const size = byteLengthOf(record);
      if (sources.length === maxRecords || (sources.length > 0 && bytes + size > maxBytes)) yield batch();
      sources.push(record);
      bytes += size;
    }
  }
  if (sources.length > 0) yield batch();
}

function eventRecord(record: StreamedRecord): FirehoseTransformationEventRecord {
  return {
    // Firehose record ids of a Kinesis source are the sequence number with a suffix; unique per stream.
    recordId: `${record.sequenceNumber}000000000000`,
    approximateArrivalTimestamp: record.approximateArrivalTimestamp,
    data: base64Of(record),
    kinesisRecordMetadata: {
      shardId: record.shardId,
      partitionKey: record.partitionKey,
      approximateArrivalTimestamp: record.approximateArrivalTimestamp,
      sequenceNumber: record.sequenceNumber,
      subsequenceNumber: '0',
    },
  };
}

function invocationId(): string {
  invocations++;
  return `00000000-0000-4000-8000-${invocations.toString(16).padStart(12, '0')}`;
}

/** A processor response that Firehose would refuse as a whole (and retry, then fail the batch). */
export class InvalidProcessorResponse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidProcessorResponse';
  }
}

/** What Firehose made of one record of a processor response (before it is paired with its stream record). */
type Checked =
  | { readonly result: 'Ok'; readonly data: string; readonly dt: string }
  | { readonly result: 'Dropped' }
  | { readonly result: 'ProcessingFailed'; readonly reason: string };

/** A processor's answer to one event once checked, in the compact form a processor worker sends back. */
export interface CheckedAnswer {
  /**
   * The `Ok` records per `dt`: their JSON lines as UTF-8 bytes joined with newlines (one buffer per partition, not
   * a string per record or per partition: a worker hands the buffer to the main thread without copying it, and the
   * main thread writes it to DuckDB's input as it is), and the index in the event of each line's record.
   */
  readonly ok: ReadonlyArray<{ readonly dt: string; readonly indexes: readonly number[]; readonly lines: Uint8Array }>;
  readonly dropped: number;
  /** The `ProcessingFailed` records: index in the event, and the processor's reason. */
  readonly failed: ReadonlyArray<{ readonly index: number; readonly reason: string }>;
}

/**
 * Checks a processor response the way Firehose does — every input recordId exactly once, a known result, base64
 * data, and (dynamic partitioning) a `dt` partition key on every `Ok` record — and returns it in the compact form of
 * `CheckedAnswer` (the `Ok` records decoded to their JSON lines). Throws `InvalidProcessorResponse` naming the
 * offending ids otherwise. Runs in the processor workers, and on the main thread without them.
 */
export function checkedAnswer(
  event: FirehoseTransformationEvent,
  response: FirehoseTransformationResult,
  reasons: ReadonlyMap<string, string> = new Map(),
  buffers: LineBuffers = newLineBuffer,
): CheckedAnswer {
  const partitions = new Map<string, { indexes: number[]; data: string[] }>();
  const failed: Array<{ index: number; reason: string }> = [];
  let dropped = 0;
  check(event, response, reasons).forEach((checked, index) => {
    if (checked.result === 'Dropped') dropped++;
    else if (checked.result === 'ProcessingFailed') failed.push({ index, reason: checked.reason });
    else {
      let partition = partitions.get(checked.dt);
      if (partition === undefined) partitions.set(checked.dt, (partition = { indexes: [], data: [] }));
      partition.indexes.push(index);
      partition.data.push(checked.data);
    }
  });
  const ok = [...partitions].map(([dt, { indexes, data }]) => ({ dt, indexes, lines: jsonLines(data, buffers) }));
  return { ok, dropped, failed };
}

/** What a processor bundle exports (codegen.ts): the Lambda handler, and the same work with each failed record's reason. */
export interface ProcessorModule {
  readonly handler: (event: FirehoseTransformationEvent, context?: unknown) => Promise<FirehoseTransformationResult>;
  readonly processFirehoseEvent?: (event: FirehoseTransformationEvent) => {
    readonly response: FirehoseTransformationResult;
    readonly failures?: ReadonlyArray<{ readonly recordId: string; readonly reason: string }>;
  };
}

/**
 * Invokes a processor bundle with an event and checks its answer as Firehose does (`checkedAnswer`): with
 * `processFirehoseEvent` where the bundle has it (the reasons of failed records then reach the error documents),
 * else with the Lambda handler. Rejects with the handler's error, or an `InvalidProcessorResponse`.
 */
export async function invokeProcessor(
  processor: ProcessorModule,
  event: FirehoseTransformationEvent,
  context: unknown,
  buffers: LineBuffers = newLineBuffer,
): Promise<CheckedAnswer> {
  if (typeof processor.processFirehoseEvent === 'function') {
    const { response, failures = [] } = processor.processFirehoseEvent(event);
    return checkedAnswer(event, response, new Map(failures.map((failure) => [failure.recordId, failure.reason])), buffers);
  }
  return checkedAnswer(event, await processor.handler(event, context), new Map(), buffers);
}

/**
 * Where `jsonLines` gets the buffer a partition's lines are decoded into: at least `bytes` long, with memory of its
 * own (not a slice of Node's shared pool), as it may be transferred to another thread. A processor worker hands out
 * the buffers the main thread gave back once their lines were written (processor-pool.ts, `recycle`).
 */
export type LineBuffers = (bytes: number) => Buffer;

const newLineBuffer: LineBuffers = (bytes) => Buffer.allocUnsafeSlow(bytes);

/**
 * Line buffers a processor worker keeps for later partitions, and the pool holds for its next call (the largest):
 * 8 partitions' worth, ~25 MB at most with 3 MB processor buffers, for as long as the mesh runs.
 */
export const MAX_SPARE_LINE_BUFFERS = 8;

/** One JSON line of an Ok record's base64 data (the processor ends each with a newline; a pretty-printed one is compacted). */
export function jsonLine(base64: string): string {
  const text = Buffer.from(base64, 'base64').toString('utf8').trimEnd();
  if (!text.includes('\n')) return text;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.replace(/\r?\n/g, ' ');
  }
}

const isAsciiSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * The JSON lines of Ok records' base64 data joined with newlines (UTF-8), each as `jsonLine` makes it, decoded
 * straight into one buffer: a partition of 3,000 records is one buffer, not 3,000 decoded texts, their trimmed
 * copies and a join. A record whose line needs more than its trailing ASCII whitespace removed (a newline inside, or
 * trailing whitespace beyond ASCII) goes through `jsonLine`. The buffer comes from `buffers` (see `LineBuffers`).
 */
export function jsonLines(data: readonly string[], buffers: LineBuffers = newLineBuffer): Buffer {
  const decoded = data.map((base64) => Buffer.byteLength(base64, 'base64'));
  // Room for every record at its decoded size and a newline; `left` is what the records not yet written need.
  let left = decoded.reduce((sum, bytes) => sum + bytes + 1, 0);
  let buffer: Buffer = buffers(left);
  let offset = 0;
  data.forEach((base64, i) => {
    const start = offset;
    // Lines compacted before this one may have taken more than their records' room (`1E5` becomes `100000`).
    buffer = withRoom(buffer, start, left);
    let end = start + buffer.write(base64, start, 'base64');
    left -= decoded[i] + 1;
    while (end > start && isAsciiSpace(buffer[end - 1])) end--;
    // A newline inside the record (searched backwards from its end: the search stops at the previous record's).
    const inner = end > start ? buffer.lastIndexOf(0x0a, end - 1) : -1;
    if (inner >= start || (end > start && buffer[end - 1] >= 0x80)) {
      const line = Buffer.from(jsonLine(base64), 'utf8');
      buffer = withRoom(buffer, start, line.length + 1 + left);
      end = start + line.copy(buffer, start);
    }
    buffer[end] = 0x0a;
    offset = end + 1;
  });
  return buffer.subarray(0, Math.max(0, offset - 1));
}

/** `buffer`, or a larger copy of its first `start` bytes, with at least `needed` bytes from `start` on. */
function withRoom(buffer: Buffer, start: number, needed: number): Buffer {
  if (start + needed <= buffer.length) return buffer;
  const grown = Buffer.allocUnsafeSlow(start + needed);
  buffer.copy(grown, 0, 0, start);
  return grown;
}

function check(event: FirehoseTransformationEvent, response: FirehoseTransformationResult, reasons: ReadonlyMap<string, string>): Checked[] {
  // A response lists its records in the event's order, as processors build it: each is found at its own position.
  // Only a record that is not needs the map of every recordId.
  let inputs: Map<string, number> | undefined;
  const indexOf = (recordId: string, position: number): number | undefined => {
    if (position < event.records.length && event.records[position].recordId === recordId) return position;
    inputs ??= new Map(event.records.map((record, index) => [record.recordId, index]));
    return inputs.get(recordId);
  };
  const results: Array<Checked | undefined> = new Array(event.records.length);
  const returned = new Uint8Array(event.records.length);
  const problems: string[] = [];
  const records = response?.records ?? [];
  for (let position = 0; position < records.length; position++) {
    const record = records[position];
    const index = indexOf(record.recordId, position);
    if (index === undefined) {
      problems.push(`unknown recordId ${record.recordId}`);
      continue;
    }
    if (returned[index] === 1) {
      problems.push(`recordId ${record.recordId} returned twice`);
      continue;
    }
    returned[index] = 1;
    switch (record.result) {
      case 'Ok': {
        const dt = record.metadata?.partitionKeys?.dt;
        if (typeof dt !== 'string' || dt === '') {
          problems.push(`Ok record ${record.recordId} has no metadata.partitionKeys.dt (dynamic partitioning needs it)`);
          continue;
        }
        if (typeof record.data !== 'string') {
          problems.push(`Ok record ${record.recordId} has no data`);
          continue;
        }
        results[index] = { result: 'Ok', data: record.data, dt };
        break;
      }
      case 'Dropped':
        results[index] = { result: 'Dropped' };
        break;
      case 'ProcessingFailed':
        results[index] = {
          result: 'ProcessingFailed',
          reason: reasons.get(record.recordId) ?? 'The processor returned ProcessingFailed for the record.',
        };
        break;
      default:
        problems.push(`recordId ${record.recordId} has result ${JSON.stringify(record.result)} (Ok, Dropped or ProcessingFailed)`);
    }
  }
  event.records.forEach((record, index) => {
    if (returned[index] === 0) problems.push(`recordId ${record.recordId} missing from the response`);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    throw new InvalidProcessorResponse(
      `The processor's response to invocation ${event.invocationId} (${event.records.length} records) is invalid: ` +
        `${shown}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}. ` +
        'Firehose fails such a batch as a whole: return every input recordId exactly once.',
    );
  }
  return results as Checked[];
}
