import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { expectDetachedBuffers, keepLargest } from './bytes';
import { InvalidProcessorResponse, MAX_SPARE_LINE_BUFFERS, type CheckedAnswer } from './firehose-batches';
import type { ReadReply, ReadRequest, WorkerReply } from './processor-worker';
import { threadCpuSeconds } from './thread-cpu';
import { threadScript } from './thread-bundle';

/**
 * How many processor invocations the local mode runs at once, each in its own worker thread (as Firehose invokes
 * several Lambda instances): one per core but one, at least one and at most 4. The processor is most of a delivery's
 * CPU (see docs/local-mode.md, "Throughput"), but not all of it: the local Kinesis server's thread, the main thread
 * (publishing, partition buffers) and DuckDB writing Parquet take about a core between them. On 2 cores a second
 * worker made runs slower, not faster: each worker thread is a V8 heap of its own, which compiles the processor's hot
 * code and collects its own garbage (6 % more CPU and fewer records/s in three paired runs of the local bench).
 */
export function defaultProcessorConcurrency(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/**
 * The young generation of a worker's heap (V8's default is 16 MB per semi-space). While a worker processes an event,
 * the processor's answer holds every Ok record's base64 (~4 MB for 3,000 records) and each collection of the young
 * generation copies it; with more room there are fewer collections. Measured in paired runs of the local bench:
 * 4-10% less CPU for the whole run (fewer pauses in the workers, less work for V8's collector threads). It is a
 * limit, not an allocation.
 */
const YOUNG_GENERATION_MB = 128;

/** Starts processor-worker.ts's `serve` in the worker. */
const WORKER_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
ProcessorWorkerModule.serve(parentPort, workerData.bundlePath, workerData.context);
`;

/**
 * A product's processor in worker threads: `read` hands a page of a shard to the next idle worker (or queues it),
 * which reads it and answers its invocations (see processor-worker.ts); each invocation's reply is its checked answer,
 * or the error it failed with (`answerOf`: the handler's message, as a failed Lambda invocation reports it, or an
 * `InvalidProcessorResponse`).
 */
export class ProcessorPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<() => void> = [];
  /** Each worker's thread id (see cpuSeconds). */
  private readonly tids = new Map<Worker, number>();
  /** Settled once each worker has loaded the bundle or died (see ready). */
  private readonly starting: Array<Promise<void>> = [];
  /** The call each busy worker is answering. */
  private readonly calls = new Map<Worker, { resolve: (reply: ReadReply) => void; reject: (error: Error) => void }>();
  /** Line buffers given back (`recycle`), handed to the next worker called. */
  private spares: ArrayBuffer[] = [];

  constructor(bundlePath: string, size: number, context: Record<string, unknown>) {
    // This thread transfers buffers back (`recycle`); see expectDetachedBuffers.
    expectDetachedBuffers();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(`${threadScript('processor-worker', 'ProcessorWorkerModule')}\n${WORKER_BOOTSTRAP}`, {
        eval: true,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        workerData: { bundlePath, context },
      });
      let started!: () => void;
      this.starting.push(new Promise<void>((resolve) => (started = resolve)));
      worker.on('message', (message: ReadReply | { ready: true; tid?: number }) => {
        // The first message of a worker: it has loaded the bundle, and its thread's id (see cpuSeconds). From then
        // on, an idle worker does not keep the process alive; a busy one does (see call).
        if ('ready' in message) {
          if (message.tid !== undefined) this.tids.set(worker, message.tid);
          worker.unref();
          started();
          return;
        }
        const call = this.calls.get(worker);
        this.release(worker);
        call?.resolve(message);
      });
      // A worker that dies (its bundle failed to load, it ran out of memory…) fails its call and leaves the pool;
      // every call waiting for a worker looks again (and fails if none is left), not just the first.
      worker.on('error', (error) => {
        started();
        this.calls.get(worker)?.reject(error);
        this.calls.delete(worker);
        this.workers.splice(this.workers.indexOf(worker), 1);
        if (this.idle.includes(worker)) this.idle.splice(this.idle.indexOf(worker), 1);
        for (const wake of this.waiting.splice(0)) wake();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Resolves once every worker has loaded the bundle (or died trying: its calls then fail with the error). */
  public async ready(): Promise<void> {
    await Promise.all(this.starting);
  }

  /**
   * Has the next idle worker read a page of the stream and process it (see processor-worker.ts, `read`): resolves
   * with the page's invocations, each with its answer; rejects when GetRecords failed.
   */
  public async read(request: ReadRequest): Promise<Extract<ReadReply, { read: unknown }>['read']> {
    const reply = await this.call({ read: request });
    if ('readError' in reply) throw new Error(reply.readError);
    return reply.read;
  }

  /**
   * Gives the buffers of JSON lines a worker sent (`CheckedAnswer.ok[].lines`) back once they are written, for the
   * next partitions' lines: a new buffer for every partition of every invocation was fresh memory each time, and fresh
   * memory costs ~45 times as much to write (see docs/local-mode.md, "Throughput"). The lines must not be read after.
   */
  public recycle(lines: readonly Uint8Array[]): void {
    for (const { buffer } of lines) {
      if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) keepLargest(this.spares, buffer, MAX_SPARE_LINE_BUFFERS);
    }
  }

  private async call(message: { read: ReadRequest }): Promise<ReadReply> {
    while (this.idle.length === 0) {
      if (this.workers.length === 0) throw new Error('Every processor worker died: see the error above.');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const worker = this.idle.pop()!;
    return new Promise((resolve, reject) => {
      this.calls.set(worker, { resolve, reject });
      worker.ref();
      const spare = this.spares;
      this.spares = [];
      try {
        worker.postMessage({ ...message, spare }, spare);
      } catch (error) {
        // Not posted (a buffer that cannot be transferred): the worker is idle still, the call fails.
        this.release(worker);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** The worker's call is over: it is idle again (and lets the process exit), and the first call waiting takes it. */
  private release(worker: Worker): void {
    this.calls.delete(worker);
    worker.unref();
    this.idle.push(worker);
    this.waiting.shift()?.();
  }

  /** CPU seconds the workers' threads have used so far, together (undefined where /proc cannot tell: see thread-cpu.ts). */
  public cpuSeconds(): number | undefined {
    let total = 0;
    for (const worker of this.workers) {
      const tid = this.tids.get(worker);
      const seconds = tid === undefined ? undefined : threadCpuSeconds(tid);
      if (seconds === undefined) return undefined;
      total += seconds;
    }
    return total;
  }

  public async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** The checked answer of a worker's reply, or the error the invocation failed with (as a failed Lambda invocation reports it). */
export function answerOf(reply: WorkerReply): CheckedAnswer {
  if ('answer' in reply) return reply.answer;
  throw reply.invalid ? new InvalidProcessorResponse(reply.error) : new Error(reply.error);
}
