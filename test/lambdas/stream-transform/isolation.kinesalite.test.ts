/**
 * The streaming transform under a simulated event source mapping (Kinesis, ReportBatchItemFailures, retries,
 * an on-failure destination): a poison record ends in the error location alone, and a throttled publisher
 * loses nothing and duplicates at most one batch.
 */
import { randomUUID } from 'node:crypto';
import type { KinesisStreamRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RejectedRecord } from '../../../lambdas/stream-transform';
import { transformFailedBody, type TransformFailedDocument } from '../../../lambdas/stream-transform/error-location';
import { createStreamTransformHandler, type StreamTransformHandler } from '../../../lambdas/stream-transform/handler';
import { FaultyClient, type Fault } from '../publisher/faulty-client';
import { startKinesalite, type LocalKinesis } from '../publisher/kinesalite';
import { kinesisEvent } from './events';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const TARGET = 'shop-recommendations-isolation-v1';
let kinesis: LocalKinesis;

beforeAll(async () => {
  kinesis = await startKinesalite();
  await kinesis.createStream(TARGET, 2);
});
afterAll(async () => kinesis?.close());

/**
 * Lambda's Kinesis event source mapping with ReportBatchItemFailures: invoke with a batch; on a reported failure,
 * checkpoint before it and retry from it; after `maxRetryAttempts` retries of the same record, send its position
 * to the on-failure destination (the DLQ) and go on after it.
 */
async function eventSourceMapping(records: readonly KinesisStreamRecord[], handler: StreamTransformHandler, batchSize: number, maxRetryAttempts = 3) {
  const dlq: string[] = [];
  let invocations = 0;
  let position = 0;
  let retries = 0;
  while (position < records.length) {
    const batch = records.slice(position, position + batchSize);
    invocations += 1;
    const { batchItemFailures } = await handler.handler({ Records: batch });
    if (batchItemFailures.length === 0) {
      position += batch.length;
      retries = 0;
      continue;
    }
    const failed = batch.findIndex((r) => r.kinesis.sequenceNumber === batchItemFailures[0].itemIdentifier);
    expect(failed).toBeGreaterThanOrEqual(0);
    if (failed > 0) retries = 0;
    position += failed;
    if (retries === maxRetryAttempts) {
      dlq.push(batch[failed].kinesis.sequenceNumber);
      position += 1;
      retries = 0;
    } else {
      retries += 1;
    }
  }
  return { dlq, invocations };
}

/** Outputs of this run read back from the target stream: n → how many times. */
async function outputsOf(run: string, iterators: readonly string[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const record of await kinesis.readFrom(iterators)) {
    const body = JSON.parse(Buffer.from(record.Data!).toString('utf8'));
    if (body.run === run) counts.set(body.n, (counts.get(body.n) ?? 0) + 1);
  }
  return counts;
}

describe('a streaming derived product under its event source mapping', () => {
  it('one poison record in a batch of 100: 99 outputs, 1 in the error location with payload and reason, 0 in the DLQ', async () => {
    const run = randomUUID();
    const errorObjects: string[] = [];
    const handler = createStreamTransformHandler(
      {
        transform: (r: any) => {
          if (r.n === 37) throw new TypeError("Cannot read properties of undefined (reading 'sku')");
          return { run, n: r.n };
        },
      },
      {
        client: kinesis.client,
        env: { MESH_TARGET_STREAM: TARGET, MESH_PRODUCT_ID: 'recommendations.isolation.v1' },
        reject: async (records: readonly RejectedRecord[]) => void errorObjects.push(transformFailedBody(records, new Date())),
      },
    );
    const iterators = await kinesis.latestIterators(TARGET);
    const records = kinesisEvent(Array.from({ length: 100 }, (_, n) => ({ value: { n } }))).Records;

    const { dlq, invocations } = await eventSourceMapping(records, handler, 100);

    const outputs = await outputsOf(run, iterators);
    expect(outputs.size).toBe(99);
    expect([...outputs.values()].every((c) => c === 1)).toBe(true);
    expect(outputs.has(37)).toBe(false);
    const documents = errorObjects.flatMap((body) => body.trim().split('\n').map((line) => JSON.parse(line) as TransformFailedDocument));
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      errorCode: 'TypeError',
      errorMessage: "Cannot read properties of undefined (reading 'sku')",
      sequenceNumber: 'seq-037',
      rawData: records[37].kinesis.data,
    });
    expect(JSON.parse(Buffer.from(documents[0].rawData, 'base64').toString('utf8'))).toEqual({ n: 37 });
    expect(dlq).toEqual([]);
    expect(invocations).toBe(1);
  });

  it('a throttled publisher: no record lost, duplicates at most one batch', async () => {
    const run = randomUUID();
    // One throttling episode: the first request is throttled whole, then every other entry is throttled for two
    // requests. The publisher's two attempts are not enough, so the handler reports its first undelivered record
    // and the mapping retries from there, re-publishing the later records of that batch: the duplicates.
    const faults = (request: number): Fault =>
      request < 1 ? { kind: 'throttle' } : request < 3 ? { kind: 'partial', pattern: ['ok', 'ProvisionedThroughputExceededException'] } : { kind: 'ok' };
    const client = new FaultyClient(kinesis.client, faults);
    const handler = createStreamTransformHandler(
      { transform: (r: any) => ({ run, n: r.n }) },
      {
        client: { send: (command) => client.send(command) },
        env: { MESH_TARGET_STREAM: TARGET, MESH_PUBLISH_MAX_ATTEMPTS: '2' },
        publishOptions: { sleep: async () => {} },
        reject: async () => {
          throw new Error('nothing should be rejected');
        },
      },
    );
    const iterators = await kinesis.latestIterators(TARGET);
    const batchSize = 50;
    const records = kinesisEvent(Array.from({ length: 200 }, (_, n) => ({ value: { n } }))).Records;

    const { dlq, invocations } = await eventSourceMapping(records, handler, batchSize, 10);

    const outputs = await outputsOf(run, iterators);
    expect(outputs.size).toBe(200);
    const duplicates = [...outputs.values()].reduce((sum, c) => sum + c - 1, 0);
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(batchSize);
    expect(dlq).toEqual([]);
    expect(invocations).toBeGreaterThan(200 / batchSize);
  });
});
