import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';

/** What one invocation of the processor answered: the response, and each failed record's reason when it tells them. */
export interface ProcessorAnswer {
  readonly response: FirehoseTransformationResult;
  readonly failures?: ReadonlyArray<{ readonly recordId: string; readonly reason: string }>;
}

/**
 * How many processor invocations the local mode runs at once, each in its own worker thread (as Firehose invokes
 * several Lambda instances): one per core beyond the one that reads the stream and writes Parquet, at least one.
 */
export function defaultProcessorConcurrency(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/**
 * The worker's code: loads the processor bundle (the same file the deployed Lambda runs) and answers each event with
 * `processFirehoseEvent` (response and reasons) or, for a bundle without it, the Lambda `handler`.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const processor = require(workerData.bundlePath);
const context = workerData.context;
context.getRemainingTimeInMillis = () => 300000;
context.done = context.fail = context.succeed = () => undefined;
parentPort.on('message', async ({ event }) => {
  try {
    if (typeof processor.processFirehoseEvent === 'function') {
      const { response, failures } = processor.processFirehoseEvent(event);
      parentPort.postMessage({ response, failures });
    } else {
      parentPort.postMessage({ response: await processor.handler(event, context) });
    }
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
`;

/**
 * A product's processor in worker threads: `invoke` hands an event to the next idle worker (or queues it) and
 * resolves with its answer; an invocation that throws rejects with the handler's message, as a failed Lambda
 * invocation reports it.
 */
export class ProcessorPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<() => void> = [];
  /** The call each busy worker is answering. */
  private readonly calls = new Map<Worker, { resolve: (answer: ProcessorAnswer) => void; reject: (error: Error) => void }>();

  constructor(bundlePath: string, size: number, context: Record<string, unknown>) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bundlePath, context } });
      // An idle worker does not keep the process alive; a busy one does (see invoke).
      worker.unref();
      worker.on('message', (message: { error?: string } & ProcessorAnswer) => {
        const call = this.calls.get(worker);
        this.calls.delete(worker);
        worker.unref();
        this.idle.push(worker);
        this.waiting.shift()?.();
        if (message.error !== undefined) call?.reject(new Error(message.error));
        else call?.resolve({ response: message.response, failures: message.failures });
      });
      // A worker that dies (its bundle failed to load, it ran out of memory…) fails its call and leaves the pool.
      worker.on('error', (error) => {
        this.calls.get(worker)?.reject(error);
        this.calls.delete(worker);
        this.workers.splice(this.workers.indexOf(worker), 1);
        if (this.idle.includes(worker)) this.idle.splice(this.idle.indexOf(worker), 1);
        this.waiting.shift()?.();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  public async invoke(event: FirehoseTransformationEvent): Promise<ProcessorAnswer> {
    while (this.idle.length === 0) {
      if (this.workers.length === 0) throw new Error('Every processor worker died: see the error above.');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const worker = this.idle.pop()!;
    return new Promise<ProcessorAnswer>((resolve, reject) => {
      this.calls.set(worker, { resolve, reject });
      worker.ref();
      worker.postMessage({ event });
    });
  }

  public async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
