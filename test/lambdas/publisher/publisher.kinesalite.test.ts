import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRecords } from '../../../lambdas/publisher';
import { FaultyClient, type EntryFault, type Fault } from './faulty-client';
import { startKinesalite, type LocalKinesis } from './kinesalite';

const STREAM = 'publisher-test';
let kinesis: LocalKinesis;

beforeAll(async () => {
  kinesis = await startKinesalite();
  await kinesis.createStream(STREAM, 2);
});
afterAll(async () => kinesis?.close());

const entryFault = fc.constantFrom<EntryFault>('ok', 'ok', 'ProvisionedThroughputExceededException', 'InternalFailure');
const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'ok' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'throttle' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'internal' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'ambiguous' as const }) },
  { weight: 4, arbitrary: fc.array(entryFault, { minLength: 1, maxLength: 9 }).map((pattern) => ({ kind: 'partial' as const, pattern })) },
);

async function countInStream(iterators: string[], run: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const record of await kinesis.readFrom(iterators)) {
    const payload = Buffer.from(record.Data!).toString('utf8');
    if (payload.startsWith(`${run}/`)) counts.set(payload, (counts.get(payload) ?? 0) + 1);
  }
  return counts;
}

describe('publishRecords against kinesalite with injected faults', () => {
  it('delivers every record once per accepted attempt or reports it failed: nothing is lost silently', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fault, { maxLength: 25 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        async (n, script, maxAttempts, maxRecordsPerRequest) => {
          const run = randomUUID();
          const records = Array.from({ length: n }, (_, i) => ({ data: `${run}/${i}`, partitionKey: `key-${i % 7}` }));
          const client = new FaultyClient(kinesis.client, (request) => script[request] ?? { kind: 'ok' });
          const iterators = await kinesis.latestIterators(STREAM);

          const result = await publishRecords(client, STREAM, records, {
            maxAttempts,
            maxRecordsPerRequest,
            sleep: async () => {},
          });
          const inStream = await countInStream(iterators, run);

          // Full accounting: each record is delivered or failed, never both, never neither.
          expect(result.delivered + result.failed.length).toBe(n);
          const failed = new Set(result.failed.map((f) => f.index));
          expect(failed.size).toBe(result.failed.length);
          expect(result.rounds).toBeLessThanOrEqual(maxAttempts);

          records.forEach((record, i) => {
            const payload = record.data;
            const accepted = client.accepted.get(payload) ?? 0;
            const reported = client.reportedAccepted.get(payload) ?? 0;
            // The stream holds the record exactly as many times as Kinesis accepted it.
            expect(inStream.get(payload) ?? 0).toBe(accepted);
            // Bounded attempts.
            expect(client.sent.get(payload) ?? 0).toBeLessThanOrEqual(maxAttempts);
            if (failed.has(i)) {
              // Reported failed: never confirmed, carries a reason. (It may still sit in the stream when the
              // last response was lost after the write: at-least-once, never at-most-zero.)
              expect(reported).toBe(0);
              const failure = result.failed.find((f) => f.index === i)!;
              expect(failure.errorCode).toMatch(/\S/);
              expect(failure.record).toBe(record);
            } else {
              // Delivered: confirmed exactly once, so the publisher stopped sending it.
              expect(reported).toBe(1);
              expect(accepted).toBeGreaterThanOrEqual(1);
            }
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('splits by 5 MiB per request: twelve 900 KiB records travel in at least three requests and all arrive', async () => {
    const run = randomUUID();
    const client = new FaultyClient(kinesis.client, () => ({ kind: 'ok' }));
    const records = Array.from({ length: 12 }, (_, i) => {
      const head = `${run}/${i}/`;
      return { data: head + 'x'.repeat(900 * 1024 - head.length), partitionKey: `k${i}` };
    });
    const iterators = await kinesis.latestIterators(STREAM);
    const result = await publishRecords(client, STREAM, records, { sleep: async () => {} });
    expect(result).toMatchObject({ delivered: 12, failed: [] });
    expect(result.requests).toBe(3);
    const inStream = await countInStream(iterators, run);
    expect([...inStream.values()]).toEqual(Array(12).fill(1));
  });

  it('reports a record over 1 MiB failed without sending it, and delivers its neighbours', async () => {
    const run = randomUUID();
    const client = new FaultyClient(kinesis.client, () => ({ kind: 'ok' }));
    const records = [
      { data: `${run}/small-0`, partitionKey: 'k' },
      { data: `${run}/big/${'x'.repeat(1024 * 1024)}`, partitionKey: 'k' },
      { data: `${run}/small-1`, partitionKey: 'k' },
    ];
    const iterators = await kinesis.latestIterators(STREAM);
    const result = await publishRecords(client, STREAM, records, { sleep: async () => {} });
    expect(result.delivered).toBe(2);
    expect(result.failed.map((f) => [f.index, f.errorCode, f.attempts])).toEqual([[1, 'RecordTooLarge', 0]]);
    expect([...(await countInStream(iterators, run)).keys()].sort()).toEqual([`${run}/small-0`, `${run}/small-1`]);
  });

  it('fails every record of a missing stream at once with ResourceNotFoundException', async () => {
    const result = await publishRecords(kinesis.client, 'no-such-stream', [{ data: 'x', partitionKey: 'k' }], {
      sleep: async () => {},
    });
    expect(result.rounds).toBe(1);
    expect(result.failed.map((f) => f.errorCode)).toEqual(['ResourceNotFoundException']);
  });
});
