import { randomUUID } from 'node:crypto';
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStreamTransformHandler as createHandler, type StreamTransformHandler } from '../../../lambdas/stream-transform/handler';
import { FaultyClient, type Fault } from '../publisher/faulty-client';
import { startKinesalite, type LocalKinesis } from '../publisher/kinesalite';
import { kinesisEvent } from './events';

// Quiet Powertools before the handler module creates its logger and metrics (hoisted above the imports).
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const TARGET = 'shop-recommendations-product_views-v1';
let kinesis: LocalKinesis;

beforeAll(async () => {
  kinesis = await startKinesalite();
  await kinesis.createStream(TARGET, 2);
});
afterAll(async () => kinesis?.close());

/** What Lambda does with a Kinesis batch and ReportBatchItemFailures: replay from the lowest reported record. */
async function invokeLikeLambda(handler: StreamTransformHandler, event: KinesisStreamEvent, maxInvocations = 5): Promise<number> {
  let records = event.Records;
  for (let invocation = 1; invocation <= maxInvocations; invocation += 1) {
    const { batchItemFailures } = await handler.handler({ Records: records });
    if (batchItemFailures.length === 0) return invocation;
    const lowest = records.findIndex((r) => r.kinesis.sequenceNumber === batchItemFailures[0].itemIdentifier);
    records = records.slice(lowest);
  }
  throw new Error('still failing');
}

describe('stream-transform handler against kinesalite', () => {
  it('publishes the outputs to the target stream and, replayed like Lambda does, delivers every output at least once', async () => {
    const run = randomUUID();
    // First invocation: the stream rejects some entries on every attempt; later invocations are healthy.
    let invocation = 0;
    const faults = (request: number): Fault => (invocation === 1 ? { kind: 'partial', pattern: ['ok', 'ok', 'InternalFailure'] } : { kind: 'ok' });
    const client = new FaultyClient(kinesis.client, faults);
    const handler = createHandler(
      { transform: (r: any) => (r.n % 4 === 0 ? null : { run, n: r.n, doubled: r.n * 2 }) },
      {
        client: { send: (command) => client.send(command) },
        env: { MESH_TARGET_STREAM: TARGET, MESH_PUBLISH_MAX_ATTEMPTS: '2', MESH_PRODUCT_ID: 'recommendations.product_views.v1' },
        publishOptions: { sleep: async () => {} },
      },
    );
    const counting: StreamTransformHandler = {
      processEvent: handler.processEvent,
      handler: async (event) => {
        invocation += 1;
        return handler.handler(event);
      },
    };
    const iterators = await kinesis.latestIterators(TARGET);
    const event = kinesisEvent(Array.from({ length: 30 }, (_, n) => ({ value: { n }, partitionKey: `s${n % 5}` })));

    const invocations = await invokeLikeLambda(counting, event);
    expect(invocations).toBe(2);

    const counts = new Map<number, number>();
    for (const record of await kinesis.readFrom(iterators)) {
      const body = JSON.parse(Buffer.from(record.Data!).toString('utf8'));
      if (body.run === run) counts.set(body.n, (counts.get(body.n) ?? 0) + 1);
    }
    const expected = Array.from({ length: 30 }, (_, n) => n).filter((n) => n % 4 !== 0);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(expected);
    // At-least-once: the first failed output's record and the ones replayed after it may appear twice, never zero times.
    expect([...counts.values()].every((c) => c >= 1 && c <= 2)).toBe(true);
  });

  it('reports the first record when the target stream does not exist, so Lambda acknowledges nothing', async () => {
    const handler = createHandler(
      { transform: (r) => r },
      { client: kinesis.client, env: { MESH_TARGET_STREAM: 'missing-stream' }, publishOptions: { sleep: async () => {} } },
    );
    const response = await handler.handler(kinesisEvent([{ value: { a: 1 } }, { value: { a: 2 } }]));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'seq-000' }]);
  });

  it('refuses to start without the target stream variable', () => {
    expect(() => createHandler({ transform: (r) => r }, { env: {} })).toThrow(
      "Environment variable MESH_TARGET_STREAM is not set; the StreamingPipeline construct sets it to the derived product's stream.",
    );
  });
});
