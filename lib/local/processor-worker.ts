/**
 * What a processor worker thread runs (bundled by thread-bundle.ts; processor-pool.ts starts it): it reads a page of
 * a shard itself (one GetRecords call to the local Kinesis), cuts it into processor events as Firehose buffers them,
 * and has the product's processor bundle (the same file the deployed Lambda runs) answer each with
 * `processFirehoseEvent` (response and reasons) or, for a bundle without it, the Lambda `handler`. Firehose's checks
 * of the answer (`checkedAnswer`) run here too, so that the main thread gets back the JSON lines per partition and
 * the failures, and handles no record data at all: in a 100,000-record run, parsing the pages on the main thread,
 * holding their records while they waited for a worker and copying them over had cost it about a second of CPU and
 * its garbage collector as much again.
 */
import { threadId } from 'node:worker_threads';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { expectDetachedBuffers, keepLargest } from './bytes';
import {
  firehoseBatches,
  invokeProcessor,
  InvalidProcessorResponse,
  type CheckedAnswer,
  type FirehoseBatchOptions,
  MAX_SPARE_LINE_BUFFERS,
  type LineBuffers,
  type ProcessorModule,
} from './firehose-batches';
import { kinesisHttp, type AnswerBuffer, type KinesisHttp } from './kinesis-call';
import { rawGetRecords, shardPageOf, type GetRecordsPage, type RecordsPage, type ShardPage } from './raw-get-records';
import { currentThreadTid } from './thread-cpu';

/** What a worker posts back for one event. */
export type WorkerReply = { readonly answer: CheckedAnswer } | { readonly error: string; readonly invalid: boolean };

/** A page to read and process: GetRecords on `shardId` from `iterator`, cut into events with `batches`' options. */
export interface ReadRequest {
  readonly endpoint: string;
  readonly shardId: string;
  readonly iterator: string;
  readonly limit: number;
  readonly batches: Omit<FirehoseBatchOptions, 'invocationIds'>;
}

/** One processor invocation of a page, and what the delivery needs of its records (by their index in the event). */
export interface ReadBatch {
  readonly invocationId: string;
  readonly reply: WorkerReply;
  /** Each record's arrival (epoch ms), by its index in the event. */
  readonly arrivals: Float64Array;
  /**
   * The records' sequence numbers joined with newlines (digits only), by their index in the event: one string, not a
   * string per record that the main thread would make and keep (until the partition is written) for every record,
   * only to read it when the Parquet conversion refuses one.
   */
  readonly sequenceNumbers: string;
  /** The base64 data of the records an error document will hold: the failed ones, or all when the invocation failed. */
  readonly data: Array<string | undefined>;
}

/** The page read: where to go on from, and its invocations in order. A GetRecords error is `error`. */
export type ReadReply =
  | { readonly read: ShardPage & { readonly batches: ReadBatch[] } }
  | { readonly readError: string };

/**
 * Loads the bundle, tells the pool it is ready (with its thread's id, for the bench's CPU figures), then reads and
 * answers the pages the pool posts, one at a time.
 */
export function serve(port: import('node:worker_threads').MessagePort, bundlePath: string, context: Record<string, unknown>): void {
  expectDetachedBuffers();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const processor = require(bundlePath) as ProcessorModule;
  const lambdaContext = { ...context, getRemainingTimeInMillis: () => 300_000, done: () => undefined, fail: () => undefined, succeed: () => undefined };
  // Line buffers the main thread gave back (see ProcessorPool.recycle), for the next partitions' lines.
  const spares = new SpareLineBuffers();
  const answer = (event: FirehoseTransformationEvent): Promise<WorkerReply> =>
    invokeProcessor(processor, event, lambdaContext, spares.take).then(
      (checked) => ({ answer: checked }),
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error), invalid: error instanceof InvalidProcessorResponse }),
    );
  const clients = new Map<string, KinesisHttp>();
  // Pages are read one at a time and processed whole before the next is read: each is read into the same buffer.
  const answers: AnswerBuffer = {};
  let invocations = 0;
  // Unique across the pool's workers: the thread id, then this worker's count.
  const invocationIds = () => `00000000-0000-4000-${(0x8000 + (threadId & 0xfff)).toString(16)}-${(++invocations).toString(16).padStart(12, '0')}`;
  port.on('message', async (message: { read: ReadRequest; spare?: ArrayBuffer[] }) => {
    spares.give(message.spare ?? []);
    const { endpoint } = message.read;
    let client = clients.get(endpoint);
    if (client === undefined) clients.set(endpoint, (client = kinesisHttp(endpoint)));
    const reply = await readPage(rawGetRecords(client, answers), message.read, answer, invocationIds);
    port.postMessage(reply, transferables(reply));
  });
  port.postMessage({ ready: true, tid: currentThreadTid() });
}

/**
 * The line buffers a worker was given back, handed out for the next partitions' lines (`take`, a `LineBuffers`): the
 * smallest that fits, unless it is much larger than the lines (a partition of a few records would keep it from a
 * large one); else a new buffer, with a little room to spare so that it fits later partitions, whose sizes vary.
 */
export class SpareLineBuffers {
  private readonly spares: ArrayBuffer[] = [];

  constructor(private readonly most = MAX_SPARE_LINE_BUFFERS) {}

  public readonly take: LineBuffers = (bytes) => {
    let best = -1;
    this.spares.forEach((spare, i) => {
      if (spare.byteLength >= bytes && (best < 0 || spare.byteLength < this.spares[best].byteLength)) best = i;
    });
    if (best >= 0 && this.spares[best].byteLength <= 2 * bytes + SMALL_LINES) return Buffer.from(this.spares.splice(best, 1)[0]);
    return Buffer.allocUnsafeSlow(bytes < SMALL_LINES ? bytes : Math.ceil(bytes * 1.0625));
  };

  /** Keeps the buffers (at most `most`: the smallest, new ones included, are left out). */
  public give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) keepLargest(this.spares, buffer, this.most);
  }
}

/** Lines of this size or less take a buffer of their own size, and no large spare. */
const SMALL_LINES = 64 * 1024;

/**
 * The memory of the reply's JSON lines, handed to the main thread rather than copied: ~1 KB per record, which copied
 * twice (out of this thread, into the main one) was fresh memory each time, and fresh memory is what a run spent most
 * on after the processor itself (see docs/local-mode.md, "Throughput").
 */
function transferables(reply: ReadReply): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  if ('read' in reply) {
    for (const batch of reply.read.batches) {
      if ('answer' in batch.reply) for (const partition of batch.reply.answer.ok) buffers.add(partition.lines.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}

async function readPage(
  getRecords: GetRecordsPage,
  request: ReadRequest,
  answer: (event: FirehoseTransformationEvent) => Promise<WorkerReply>,
  invocationIds: () => string,
): Promise<ReadReply> {
  let page: RecordsPage;
  try {
    page = await getRecords(request.shardId, request.iterator, request.limit);
  } catch (error) {
    return { readError: error instanceof Error ? error.message : String(error) };
  }
  const batches: ReadBatch[] = [];
  // Every field named, in one order: options spread from the posted message took shapes that made V8 throw away
  // firehoseBatches' optimized code four times in a run.
  const { deliveryStreamArn, sourceKinesisStreamArn, region, maxBytes, maxRecords } = request.batches;
  const options: FirehoseBatchOptions = { deliveryStreamArn, sourceKinesisStreamArn, region, maxBytes, maxRecords, invocationIds };
  for await (const batch of firehoseBatches([page.records], options)) {
    const reply = await answer(batch.event);
    const data: Array<string | undefined> = [];
    if ('answer' in reply) for (const { index } of reply.answer.failed) data[index] = batch.event.records[index].data;
    else batch.event.records.forEach((record, index) => (data[index] = record.data));
    batches.push({
      invocationId: batch.event.invocationId,
      reply,
      arrivals: Float64Array.from(batch.sources, (source) => source.approximateArrivalTimestamp),
      sequenceNumbers: batch.sources.map((source) => source.sequenceNumber).join('\n'),
      data,
    });
  }
  return { read: { ...shardPageOf(page), batches } };
}
