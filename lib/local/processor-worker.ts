/**
 * What a processor worker thread runs (bundled by thread-bundle.ts; processor-pool.ts starts it): the product's
 * processor bundle (the same file the deployed Lambda runs) answers each event with `processFirehoseEvent`
 * (response and reasons) or, for a bundle without it, the Lambda `handler`; Firehose's checks of the answer
 * (`checkedAnswer`) run here too, so that the main thread gets back the JSON lines per partition and the failures,
 * not one response entry per record to decode.
 */
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { checkedAnswer, InvalidProcessorResponse, unpackEvent, type CheckedAnswer, type PackedEvent } from './firehose-batches';

/** What a worker posts back for one event. */
export type WorkerReply = { readonly answer: CheckedAnswer } | { readonly error: string; readonly invalid: boolean };

interface Processor {
  readonly handler: (event: FirehoseTransformationEvent, context: unknown) => Promise<FirehoseTransformationResult>;
  readonly processFirehoseEvent?: (event: FirehoseTransformationEvent) => {
    readonly response: FirehoseTransformationResult;
    readonly failures?: ReadonlyArray<{ readonly recordId: string; readonly reason: string }>;
  };
}

/** Loads the bundle and answers the events the pool posts, one at a time. */
export function serve(port: import('node:worker_threads').MessagePort, bundlePath: string, context: Record<string, unknown>): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const processor = require(bundlePath) as Processor;
  const lambdaContext = { ...context, getRemainingTimeInMillis: () => 300_000, done: () => undefined, fail: () => undefined, succeed: () => undefined };
  port.on('message', async (message: { event: FirehoseTransformationEvent } | { packed: PackedEvent }) => {
    let reply: WorkerReply;
    try {
      const event = 'packed' in message ? unpackEvent(message.packed) : message.event;
      let response: FirehoseTransformationResult;
      let failures: ReadonlyArray<{ readonly recordId: string; readonly reason: string }> = [];
      if (typeof processor.processFirehoseEvent === 'function') ({ response, failures = [] } = processor.processFirehoseEvent(event));
      else response = await processor.handler(event, lambdaContext);
      reply = { answer: checkedAnswer(event, response, new Map(failures.map((failure) => [failure.recordId, failure.reason]))) };
    } catch (error) {
      reply = { error: error instanceof Error ? error.message : String(error), invalid: error instanceof InvalidProcessorResponse };
    }
    port.postMessage(reply);
  });
}
