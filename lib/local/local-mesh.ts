import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import type { FailedRecord, PublishRecord, PublishResult } from '../../lambdas/publisher';
import { firehoseBatches, InvalidProcessorResponse, invokeProcessor, type CheckedAnswer, type FirehoseBatch } from './firehose-batches';
import {
  ERROR_OUTPUT_TYPES,
  eachLine,
  LocalLake,
  writeErrorDocuments,
  writeParquetPartition,
  type FormatConversionFailedDocument,
  type ProcessingFailedDocument,
} from './lake';
import { LOCAL_ACCOUNT, LOCAL_REGION, LocalKinesis } from './local-kinesis';
import { kinesisHttp, publishInLanes, rawPutRecordsClient, type KinesisHttp } from './kinesis-http';
import { loadProcessor, type LoadedProcessor } from './processor-bundle';
import { threadCpuSeconds } from './thread-cpu';
import { answerOf, defaultProcessorConcurrency, ProcessorPool } from './processor-pool';
import type { ReadBatch, WorkerReply } from './processor-worker';
import { base64Of, rawGetRecords, readShards, shardPageOf, type GetRecordsPage, type ShardCursors, type StreamedRecord } from './read-stream';

/** Where the local mode caches processor bundles between runs (kept when the lake is wiped). */
export const DEFAULT_BUILD_DIR = path.join('.mesh', 'build');

/**
 * Firehose buffers per `dt` partition before it writes an object (dynamic partitioning: at least 64 MiB). The local
 * mode writes a partition's object when its buffer reaches this size, and at the end of the run: smaller objects than
 * on AWS, so that DuckDB writes Parquet (on a thread of its own) while the next records are processed, and what is
 * left to write once the last record is processed is small. 4 MiB rather than 16: 3 % more records/s and 3 % less CPU
 * in four paired runs of the local bench (2 MiB: no better).
 */
export const PARTITION_BUFFER_BYTES = 4 * 1024 * 1024;

/** Error codes of the local mode's error documents. */
export const ERROR_CODES = {
  /** What Firehose writes for a record its processor returned as `ProcessingFailed`. */
  processingFailed: 'Lambda.ProcessingFailedStatus',
  /** The handler threw: Firehose fails the whole batch (after its retries). */
  functionError: 'Lambda.FunctionError',
  /** The handler's response broke the contract (a recordId missing, twice, or unknown…): the batch fails. */
  invalidResponse: 'Lambda.InvalidResponse',
  /** The Parquet conversion could not read the record with the table's types. */
  conversionFailed: 'DataFormatConversion.ConversionFailed',
} as const;

export interface LocalMeshOptions {
  /** @default DEFAULT_LAKE_DIR (`.mesh/lake`) */
  readonly lakeDir?: string;
  /** @default DEFAULT_BUILD_DIR (`.mesh/build`) */
  readonly buildDir?: string;
  /** The CDK app's directory, where the manifest's `transformEntry` paths start. @default process.cwd() */
  readonly appDir?: string;
  /** Shards per local stream. @default 2 */
  readonly shardsPerStream?: number;
  /** Port of the local Kinesis endpoint. @default - an ephemeral port */
  readonly port?: number;
  /**
   * Processor invocations run at once, each in a worker thread; 0 runs the processor on the main thread.
   * @default defaultProcessorConcurrency() (one per core but one, 1 to 4)
   */
  readonly processorConcurrency?: number;
}

export interface DeliverOptions {
  /**
   * A publish to the product's stream in progress (`publishTo`'s promise): delivery starts at once and reads on
   * while it runs, as Firehose reads a stream producers are writing to, so that publishing and delivering overlap
   * (on their own threads). @default - deliver what the stream holds now
   */
  readonly following?: Promise<unknown>;
}

/** What happened to one product's records in one run. */
export interface ProductDelivery {
  readonly product: ProductEntry;
  /** Records handed to the publisher. */
  readonly sent: number;
  /** Records the publisher could not put (reported, never silently lost). */
  readonly notPublished: readonly FailedRecord[];
  /** Records Firehose read from the stream and gave to the processor. */
  readonly in: number;
  readonly ok: number;
  readonly dropped: number;
  /** Records in the error output: processor failures, failed batches and Parquet conversion failures. */
  readonly failed: number;
  readonly failedBy: { readonly processing: number; readonly invocation: number; readonly conversion: number };
  /** Why whole batches failed (the handler threw, or its response was invalid). */
  readonly invocationErrors: readonly string[];
  /** `dt` partitions that received data. */
  readonly partitions: readonly string[];
  /** Objects written (Parquet and error documents). */
  readonly objects: readonly string[];
  /** The first few failure reasons, for the report. */
  readonly sampleReasons: readonly string[];
  /** Processor invocations. */
  readonly invocations: number;
}

/** The counts do not add up: something was lost or counted twice. */
export class ReconciliationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReconciliationError';
  }
}

/**
 * The mesh on one machine: a local Kinesis server (kinesis-server.ts) with each product's stream, each product's real Firehose processor
 * (bundled as for Lambda), and a writer that lays Parquet and error documents out in a local lake like the S3
 * buckets. `publish` puts records into a product's stream; `deliver` then does what Firehose does with them.
 */
export class LocalMesh {
  public static async start(products: readonly ProductEntry[], options: LocalMeshOptions = {}): Promise<LocalMesh> {
    const kinesis = await LocalKinesis.start({ shardsPerStream: options.shardsPerStream, port: options.port });
    try {
      // One thread: the JSON-to-Parquet conversion then costs about half the CPU (9 µs a ~1 KB record instead of
      // 16, measured), in no more time, on a machine whose cores the processor workers and the stream keep busy.
      const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
      const connection = await instance.connect();
      const mesh = new LocalMesh(kinesis, instance, connection, new LocalLake(options.lakeDir), options);
      // esbuild bundles in parallel: a cold start pays for the slowest processor, not for all of them in turn.
      await Promise.all(products.map((product) => mesh.add(product)));
      return mesh;
    } catch (error) {
      await kinesis.close();
      throw error;
    }
  }

  private readonly processors = new Map<string, LoadedProcessor>();
  private readonly pools = new Map<string, ProcessorPool>();
  /** Firehose's reads of the local streams (the Kinesis API, without the SDK's decoding). */
  private readonly getRecords: GetRecordsPage;
  /** The mesh's own calls to the local server (PutRecords of `publishTo`), without the SDK's per-request costs. */
  private readonly http: KinesisHttp;
  private readonly sent = new Map<string, { sent: number; notPublished: FailedRecord[] }>();

  private constructor(
    public readonly kinesis: LocalKinesis,
    private readonly duckdb: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    public readonly lake: LocalLake,
    private readonly options: LocalMeshOptions,
  ) {
    this.http = kinesisHttp(kinesis.endpoint);
    this.getRecords = rawGetRecords(this.http);
  }

  /** Creates the product's stream and loads its processor (bundling it unless cached). */
  public async add(product: ProductEntry): Promise<void> {
    if (this.processors.has(product.id)) return;
    if (product.source?.kind === 'sql') {
      throw new Error(`${product.id} is a SQL derived product: it has no stream to run; build it with runSqlProduct.`);
    }
    const processor = await loadProcessor(product, {
      buildDir: path.resolve(this.options.buildDir ?? DEFAULT_BUILD_DIR),
      appDir: path.resolve(this.options.appDir ?? process.cwd()),
    });
    await this.kinesis.createStream(product.physical.streamName);
    this.processors.set(product.id, processor);
    const concurrency = this.options.processorConcurrency ?? defaultProcessorConcurrency();
    if (concurrency > 0) {
      const { getRemainingTimeInMillis: _, done: _d, fail: _f, succeed: _s, ...context } = lambdaContext(processorArn(product));
      const pool = new ProcessorPool(processor.bundlePath, concurrency, context);
      this.pools.set(product.id, pool);
      await pool.ready();
    }
    this.sent.set(product.id, { sent: 0, notPublished: [] });
  }

  /**
   * Puts records into the product's stream with the shared publisher (batched, failed entries resent; two requests
   * at once, records of one partition key in order: see `publishInLanes`), counting what was sent and what could not
   * be published for the reconciliation of `deliver`.
   */
  public async publishTo(product: ProductEntry, records: readonly PublishRecord[]): Promise<PublishResult> {
    const tally = this.tally(product);
    const result = await publishInLanes(rawPutRecordsClient(this.http), product.physical.streamName, records);
    tally.sent += records.length;
    tally.notPublished.push(...result.failed);
    return result;
  }

  /**
   * Does Firehose's work for everything in the product's stream: processor batches, the real handler, every
   * recordId checked back exactly once, `Ok` records to Parquet per `dt`, failures to the error prefix. Checks that
   * the counts reconcile (sent = in + not published, in = ok + dropped + failed) and throws otherwise.
   */
  public async deliver(product: ProductEntry, options: DeliverOptions = {}): Promise<ProductDelivery> {
    const tally = this.tally(product);
    const result = await this.deliverFrom(product, { writing: options.following }, tally);
    reconcile(result);
    return result;
  }

  /**
   * Delivers what arrived in the product's stream since the last call (from any producer, e.g. one pointed at the
   * endpoint by `mesh dev --watch`), as one Firehose buffer interval would: Parquet and error documents for those
   * records only. Its `sent` is what the stream held (the mesh did not publish it); `in = ok + dropped + failed`
   * is checked.
   */
  public async deliverArrived(product: ProductEntry): Promise<ProductDelivery> {
    this.tally(product);
    const cursors = this.cursors.get(product.id) ?? new Map<string, string>();
    this.cursors.set(product.id, cursors);
    const delivery = await this.deliverFrom(product, { cursors }, undefined);
    const result = { ...delivery, sent: delivery.in };
    reconcile(result);
    return result;
  }

  private readonly cursors = new Map<string, ShardCursors>();

  /**
   * Reads the product's stream (from `cursors`, following `writing` while it runs; the shards in parallel) and
   * delivers it. With processor workers, each worker reads a page of a shard itself and answers its invocations
   * (processor-worker.ts, `read`), and the main thread only takes the answers; without, the main thread reads the
   * pages and invokes the processor.
   */
  private async deliverFrom(
    product: ProductEntry,
    read: { readonly cursors?: ShardCursors; readonly writing?: Promise<unknown> },
    tally: { sent: number; notPublished: FailedRecord[] } | undefined,
  ): Promise<ProductDelivery> {
    const processor = this.processors.get(product.id);
    if (processor === undefined) throw new Error(`${product.id} was not added to the local mesh.`);
    const pool = this.pools.get(product.id);
    const delivery = new Delivery(
      this.lake,
      product,
      processor,
      (dt, lines) => writeParquetPartition(this.connection, this.lake, product, dt, lines),
      (lines) => pool?.recycle(lines),
    );
    const stream = product.physical.streamName;
    const batches = {
      deliveryStreamArn: `arn:aws:firehose:${LOCAL_REGION}:${LOCAL_ACCOUNT}:deliverystream/${product.physical.deliveryStreamName}`,
      sourceKinesisStreamArn: this.kinesis.streamArn(stream),
      region: LOCAL_REGION,
    };
    await readShards(
      this.kinesis.client,
      stream,
      async (shardId, iterator) => {
        if (pool !== undefined) {
          const page = await pool.read({ endpoint: this.kinesis.endpoint, shardId, iterator, limit: 10_000, batches });
          for (const batch of page.batches) await delivery.settle(batch.invocationId, recordsOfBatch(batch), settledAnswer(batch.reply));
          return page;
        }
        const page = await this.getRecords(shardId, iterator, 10_000);
        for await (const batch of firehoseBatches([page.records], batches)) {
          await delivery.settle(batch.event.invocationId, recordsOfStream(batch.sources), delivery.invoke(batch));
        }
        return shardPageOf(page);
      },
      read,
    );
    return delivery.finish(tally?.sent ?? 0, tally?.notPublished ?? []);
  }

  /**
   * CPU seconds used so far by the mesh's threads (Linux: see thread-cpu.ts; undefined elsewhere): this (main) thread,
   * the Kinesis server's, and the processor workers' together. The process's other threads — V8's garbage collector
   * and compiler, DuckDB's and libuv's — are the rest of `process.cpuUsage()`.
   */
  public threadCpu(): { readonly main?: number; readonly server?: number; readonly processors?: number } {
    const pools = [...this.pools.values()].map((pool) => pool.cpuSeconds());
    return {
      main: threadCpuSeconds(process.pid),
      server: this.kinesis.serverCpuSeconds(),
      processors: pools.some((seconds) => seconds === undefined) ? undefined : pools.reduce<number>((sum, seconds) => sum + seconds!, 0),
    };
  }

  public async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.connection.closeSync();
    this.duckdb.closeSync();
    this.http.close();
    await this.kinesis.close();
  }

  private tally(product: ProductEntry) {
    const tally = this.sent.get(product.id);
    if (tally === undefined) throw new Error(`${product.id} was not added to the local mesh.`);
    return tally;
  }
}

/** Checks the counts of a delivery; throws a `ReconciliationError` naming the product and the numbers. */
export function reconcile(delivery: ProductDelivery): void {
  const { product, sent, notPublished, ok, dropped, failed } = delivery;
  const problems: string[] = [];
  if (sent !== delivery.in + notPublished.length) {
    problems.push(`sent ${sent} ≠ in ${delivery.in} + not published ${notPublished.length}`);
  }
  if (delivery.in !== ok + dropped + failed) {
    problems.push(`in ${delivery.in} ≠ ok ${ok} + dropped ${dropped} + failed ${failed}`);
  }
  if (problems.length > 0) {
    throw new ReconciliationError(`The counts of ${product.id} do not reconcile: ${problems.join('; ')}. Records were lost or duplicated.`);
  }
}

/**
 * The `Ok` records of one `dt` partition waiting to be written (JSON lines as UTF-8, several per buffer), and what a
 * conversion-failed document needs of the stream record each came from — not the stream records themselves, whose
 * base64 data would stay alive (and be moved by the garbage collector) until the partition is written.
 */
interface PartitionBuffer {
  readonly texts: Uint8Array[];
  /** For each text, its lines' records (line i of the text is `kept[t]`'s line i). */
  readonly kept: KeptLines[];
  bytes: number;
}

/** What a conversion-failed document needs of the records of one text of a partition buffer, by line. */
interface KeptLines {
  readonly count: number;
  arrival(line: number): number;
  sequenceNumber(line: number): string;
}

/** Line `index` of a partition buffer (counted over all its texts) as its text's kept line. */
function keptLine(kept: readonly KeptLines[], index: number): { readonly arrival: number; readonly sequenceNumber: string } {
  let line = index;
  for (const lines of kept) {
    if (line < lines.count) return { arrival: lines.arrival(line), sequenceNumber: lines.sequenceNumber(line) };
    line -= lines.count;
  }
  throw new Error(`Line ${index} is beyond the partition buffer's ${index - line} lines.`);
}

/** One product's delivery in progress: per-`dt` buffers of Ok lines, error documents, counts. */
class Delivery {
  private readonly buffers = new Map<string, PartitionBuffer>();
  private readonly processingFailed: ProcessingFailedDocument[] = [];
  private readonly conversionFailed: FormatConversionFailedDocument[] = [];
  private readonly objects: string[] = [];
  private readonly partitions = new Set<string>();
  private readonly invocationErrors: string[] = [];
  private readonly sampleReasons: string[] = [];
  private readonly lambdaArn: string;
  private counts = { in: 0, ok: 0, dropped: 0, processing: 0, invocation: 0, conversion: 0, invocations: 0 };

  /** Parquet writes run one after the other, while records go on being processed; `finish` waits for them. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly lake: LocalLake,
    private readonly product: ProductEntry,
    private readonly processor: LoadedProcessor,
    private readonly writeParquet: (dt: string, lines: readonly Uint8Array[]) => ReturnType<typeof writeParquetPartition>,
    /** Takes a partition's line buffers once they are written (ProcessorPool.recycle), or lets them go. */
    private readonly recycle: (lines: readonly Uint8Array[]) => void = () => undefined,
  ) {
    this.lambdaArn = processorArn(product);
  }

  /** Takes the answer of one invocation (started by `invoke`): Ok records to their partition, failures to the error documents. */
  public async settle(invocationId: string, records: InvocationRecords, answer: Promise<CheckedAnswer>): Promise<void> {
    this.counts.in += records.count;
    this.counts.invocations++;
    let checked: CheckedAnswer;
    try {
      checked = await answer;
    } catch (error) {
      this.failBatch(invocationId, records, error);
      return;
    }
    const attemptEnd = Date.now();
    this.counts.dropped += checked.dropped;
    for (const { index, reason } of checked.failed) {
      this.counts.processing++;
      this.noteReason(reason);
      this.processingFailed.push({
        attemptsMade: 1,
        arrivalTimestamp: records.arrival(index),
        errorCode: ERROR_CODES.processingFailed,
        errorMessage: reason,
        attemptEndingTimestamp: attemptEnd,
        rawData: records.base64(index),
        lambdaArn: this.lambdaArn,
      });
    }
    for (const partition of checked.ok) {
      this.counts.ok += partition.indexes.length;
      this.buffer(partition, records);
    }
  }

  public async finish(sent: number, notPublished: readonly FailedRecord[]): Promise<ProductDelivery> {
    for (const dt of [...this.buffers.keys()]) this.flush(dt);
    await this.writes;
    if (this.processingFailed.length > 0) {
      this.objects.push(...writeErrorDocuments(this.lake, this.product, ERROR_OUTPUT_TYPES.processingFailed, this.processingFailed));
    }
    if (this.conversionFailed.length > 0) {
      this.objects.push(
        ...writeErrorDocuments(this.lake, this.product, ERROR_OUTPUT_TYPES.formatConversionFailed, this.conversionFailed),
      );
    }
    const { processing, invocation, conversion } = this.counts;
    return {
      product: this.product,
      sent,
      notPublished,
      in: this.counts.in,
      // Records refused by the Parquet conversion were counted Ok by the processor; they end in the error output.
      ok: this.counts.ok - conversion,
      dropped: this.counts.dropped,
      failed: processing + invocation + conversion,
      failedBy: { processing, invocation, conversion },
      invocationErrors: this.invocationErrors,
      partitions: [...this.partitions].sort(),
      objects: this.objects,
      sampleReasons: this.sampleReasons,
      invocations: this.counts.invocations,
    };
  }

  /** Invokes the processor with the batch's event on this thread and checks its answer. */
  public invoke(batch: FirehoseBatch): Promise<CheckedAnswer> {
    return invokeProcessor(this.processor, batch.event, lambdaContext(this.lambdaArn));
  }

  /** An invocation Firehose could not get a valid answer for: every record goes to processing-failed. */
  private failBatch(invocationId: string, records: InvocationRecords, error: unknown): void {
    const invalid = error instanceof InvalidProcessorResponse;
    const message = error instanceof Error ? error.message : String(error);
    this.counts.invocation += records.count;
    this.invocationErrors.push(`invocation ${invocationId}: ${message}`);
    const attemptEnd = Date.now();
    for (let index = 0; index < records.count; index++) {
      this.processingFailed.push({
        attemptsMade: 1,
        arrivalTimestamp: records.arrival(index),
        errorCode: invalid ? ERROR_CODES.invalidResponse : ERROR_CODES.functionError,
        errorMessage: message,
        attemptEndingTimestamp: attemptEnd,
        rawData: records.base64(index),
        lambdaArn: this.lambdaArn,
      });
    }
  }

  private buffer(partition: CheckedAnswer['ok'][number], records: InvocationRecords): void {
    const { dt } = partition;
    const buffer = this.buffers.get(dt) ?? { texts: [], kept: [], bytes: 0 };
    buffer.texts.push(partition.lines);
    buffer.kept.push(records.keep(partition.indexes));
    buffer.bytes += partition.lines.byteLength;
    this.buffers.set(dt, buffer);
    if (buffer.bytes >= PARTITION_BUFFER_BYTES) this.flush(dt);
  }

  /** Queues the partition's buffer for writing (after the writes queued before it). */
  private flush(dt: string): void {
    const buffer = this.buffers.get(dt);
    this.buffers.delete(dt);
    if (buffer === undefined || buffer.texts.length === 0) return;
    this.writes = this.writes.then(() => this.write(dt, buffer));
    // A failed write is reported by `finish` (which awaits the chain), not as an unhandled rejection meanwhile.
    this.writes.catch(() => undefined);
  }

  private async write(dt: string, buffer: PartitionBuffer): Promise<void> {
    const { file, failures } = await this.writeParquet(dt, buffer.texts);
    const lines = failures.length === 0 ? [] : eachLine(buffer.texts);
    this.recycle(buffer.texts);
    if (file !== undefined) {
      this.objects.push(file);
      this.partitions.add(dt);
    }
    const now = Date.now();
    for (const failure of failures) {
      this.counts.conversion++;
      this.noteReason(failure.message);
      const { arrival, sequenceNumber } = keptLine(buffer.kept, failure.index);
      this.conversionFailed.push({
        attemptsMade: 1,
        arrivalTimestamp: arrival,
        lastErrorCode: ERROR_CODES.conversionFailed,
        lastErrorMessage: failure.message,
        attemptEndingTimestamp: now,
        rawData: Buffer.from(lines[failure.index]).toString('base64'),
        sequenceNumber,
        subSequenceNumber: 0,
        dataCatalogTable: {
          catalogId: LOCAL_ACCOUNT,
          databaseName: this.product.physical.databaseName,
          tableName: this.product.physical.tableName,
          region: LOCAL_REGION,
        },
      });
    }
  }

  private noteReason(reason: string): void {
    if (this.sampleReasons.length < 3) this.sampleReasons.push(reason);
  }
}

/** What a delivery needs of an invocation's records, by their index in the event. */
interface InvocationRecords {
  readonly count: number;
  arrival(index: number): number;
  /** The record's data as the processor got it, for an error document. */
  base64(index: number): string;
  /** What a partition buffer keeps of the records at `indexes` (its lines, in order). */
  keep(indexes: readonly number[]): KeptLines;
}

/**
 * The records of an invocation made on this thread. What the delivery keeps of them is copied: the raw reader's
 * strings are slices of a whole GetRecords answer (raw-get-records.ts), which one kept slice would keep alive.
 */
function recordsOfStream(sources: readonly StreamedRecord[]): InvocationRecords {
  return {
    count: sources.length,
    arrival: (index) => sources[index].approximateArrivalTimestamp,
    base64: (index) => copied(base64Of(sources[index])),
    keep: (indexes) => {
      const arrivals = Float64Array.from(indexes, (index) => sources[index].approximateArrivalTimestamp);
      const sequenceNumbers = indexes.map((index) => copied(sources[index].sequenceNumber));
      return { count: indexes.length, arrival: (line) => arrivals[line], sequenceNumber: (line) => sequenceNumbers[line] };
    },
  };
}

/** A copy of an ASCII string (digits, base64) that refers to no other string. */
function copied(ascii: string): string {
  return Buffer.from(ascii, 'latin1').toString('latin1');
}

/** The records of an invocation a processor worker made: their sequence numbers are split only when one is asked for. */
function recordsOfBatch(batch: ReadBatch): InvocationRecords {
  let sequenceNumbers: string[] | undefined;
  const sequenceNumber = (index: number) => (sequenceNumbers ??= batch.sequenceNumbers.split('\n'))[index];
  return {
    count: batch.arrivals.length,
    arrival: (index) => batch.arrivals[index],
    base64: (index) => batch.data[index] ?? '',
    keep: (indexes) => ({ count: indexes.length, arrival: (line) => batch.arrivals[indexes[line]], sequenceNumber: (line) => sequenceNumber(indexes[line]) }),
  };
}

/** A worker's answer as the promise `settle` takes (rejected as the invocation failed). */
function settledAnswer(reply: WorkerReply): Promise<CheckedAnswer> {
  return new Promise((resolve) => resolve(answerOf(reply)));
}

function processorArn(product: ProductEntry): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${product.physical.deliveryStreamName}-processor`;
}

/** The Lambda context a handler gets (only the fields a handler commonly reads). */
function lambdaContext(functionArn: string) {
  const functionName = functionArn.split(':').pop()!;
  const deadline = Date.now() + 5 * 60 * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '256',
    awsRequestId: 'local',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
