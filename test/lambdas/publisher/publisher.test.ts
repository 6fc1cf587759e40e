import type { PutRecordsCommand, PutRecordsCommandOutput, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { publishRecords, type PutRecordsClient } from '../../../lambdas/publisher';

/** A scripted client: `respond(requestNo, payloads)` returns per-entry results or throws. */
function scripted(respond: (request: number, payloads: string[]) => PutRecordsResultEntry[] | Error) {
  const requests: string[][] = [];
  const client: PutRecordsClient = {
    async send(command: PutRecordsCommand): Promise<PutRecordsCommandOutput> {
      const payloads = (command.input.Records ?? []).map((r) => Buffer.from(r.Data!).toString('utf8'));
      requests.push(payloads);
      const out = respond(requests.length - 1, payloads);
      if (out instanceof Error) throw out;
      return { $metadata: {}, Records: out };
    },
  };
  return { client, requests };
}

const ok = (i: number): PutRecordsResultEntry => ({ SequenceNumber: String(i), ShardId: 'shardId-000000000000' });
const fail = (code: string): PutRecordsResultEntry => ({ ErrorCode: code, ErrorMessage: `${code} for test` });
const noWait = { sleep: async () => {}, random: () => 0.5 };
const records = (n: number) => Array.from({ length: n }, (_, i) => ({ data: `r${i}`, partitionKey: `k${i % 3}` }));

describe('publishRecords', () => {
  it('sends again only the entries the response marks failed, matched by position', async () => {
    const { client, requests } = scripted((request, payloads) =>
      payloads.map((p, i) => (request === 0 && (p === 'r1' || p === 'r3') ? fail('ProvisionedThroughputExceededException') : ok(i))),
    );
    const result = await publishRecords(client, 'stream', records(5), noWait);
    expect(requests).toEqual([['r0', 'r1', 'r2', 'r3', 'r4'], ['r1', 'r3']]);
    expect(result).toMatchObject({ delivered: 5, failed: [], rounds: 2, requests: 2 });
  });

  it('reports what still fails after maxAttempts with the last error code, and never sends a record more often', async () => {
    const { client, requests } = scripted((request, payloads) =>
      payloads.map((p, i) => (p === 'r2' ? fail(request < 2 ? 'ProvisionedThroughputExceededException' : 'InternalFailure') : ok(i))),
    );
    const result = await publishRecords(client, 'stream', records(4), { ...noWait, maxAttempts: 3 });
    expect(requests.flat().filter((p) => p === 'r2')).toHaveLength(3);
    expect(result.delivered).toBe(3);
    expect(result.failed).toEqual([
      expect.objectContaining({ index: 2, record: records(4)[2], errorCode: 'InternalFailure', attempts: 3 }),
    ]);
  });

  it('resends a whole request after a transient request error (throttling, network) and fails it at once on a permanent one', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    const transient = scripted((request, payloads) => (request === 0 ? throttled : payloads.map((_, i) => ok(i))));
    expect(await publishRecords(transient.client, 's', records(3), noWait)).toMatchObject({ delivered: 3, failed: [], rounds: 2 });

    const missing = Object.assign(new Error('Stream s not found'), { name: 'ResourceNotFoundException' });
    const permanent = scripted(() => missing);
    const result = await publishRecords(permanent.client, 's', records(3), noWait);
    expect(permanent.requests).toHaveLength(1);
    expect(result.delivered).toBe(0);
    expect(result.failed.map((f) => [f.index, f.errorCode, f.errorMessage, f.attempts])).toEqual([
      [0, 'ResourceNotFoundException', 'Stream s not found', 1],
      [1, 'ResourceNotFoundException', 'Stream s not found', 1],
      [2, 'ResourceNotFoundException', 'Stream s not found', 1],
    ]);
  });

  it('rejects an oversize record and an invalid partition key before sending, and delivers the rest', async () => {
    const { client, requests } = scripted((_, payloads) => payloads.map((_, i) => ok(i)));
    const input = [
      { data: 'a', partitionKey: 'k' },
      { data: new Uint8Array(1024 * 1024), partitionKey: 'k' },
      { data: 'b', partitionKey: '' },
      { data: 'c', partitionKey: 'x'.repeat(257) },
      { data: 'd', partitionKey: 'k' },
      // Characters are counted by code point: 256 astral characters (512 UTF-16 units) are a valid key, 257 are not.
      { data: 'e', partitionKey: '🚀'.repeat(256) },
      { data: 'f', partitionKey: '🚀'.repeat(257) },
    ];
    const result = await publishRecords(client, 's', input, noWait);
    expect(requests).toEqual([['a', 'd', 'e']]);
    expect(result.delivered).toBe(3);
    expect(result.failed.map((f) => [f.index, f.errorCode, f.attempts])).toEqual([
      [1, 'RecordTooLarge', 0],
      [2, 'InvalidPartitionKey', 0],
      [3, 'InvalidPartitionKey', 0],
      [6, 'InvalidPartitionKey', 0],
    ]);
    expect(result.failed[0].errorMessage).toBe('The record is 1048577 bytes (data + partition key); Kinesis accepts at most 1048576.');
  });

  it('resends every entry of a response that does not match the request one-to-one (duplicates rather than losses)', async () => {
    const { client, requests } = scripted((request, payloads) => (request === 0 ? [ok(0)] : payloads.map((_, i) => ok(i))));
    const result = await publishRecords(client, 's', records(3), noWait);
    expect(requests).toEqual([['r0', 'r1', 'r2'], ['r0', 'r1', 'r2']]);
    expect(result).toMatchObject({ delivered: 3, failed: [] });
  });

  it('waits with full jitter between rounds and tells onRetry which errors caused the retry', async () => {
    const delays: number[] = [];
    const retries: unknown[] = [];
    const { client } = scripted((request, payloads) => payloads.map((_, i) => (request < 3 ? fail('InternalFailure') : ok(i))));
    await publishRecords(client, 's', records(2), {
      baseDelayMs: 100,
      maxDelayMs: 300,
      random: () => 0.999,
      sleep: async (ms) => void delays.push(ms),
      onRetry: (info) => retries.push(info),
    });
    expect(delays).toEqual([99, 199, 299]);
    expect(retries[0]).toEqual({ attempt: 2, records: 2, delayMs: 99, errorCodes: { InternalFailure: 2 } });
  });

  it('uses StreamARN when given an ARN', async () => {
    const seen: unknown[] = [];
    const client: PutRecordsClient = {
      async send(command) {
        seen.push({ StreamName: command.input.StreamName, StreamARN: command.input.StreamARN });
        return { $metadata: {}, Records: [ok(0)] };
      },
    };
    await publishRecords(client, 'arn:aws:kinesis:eu-west-1:111111111111:stream/s', records(1), noWait);
    expect(seen).toEqual([{ StreamName: undefined, StreamARN: 'arn:aws:kinesis:eu-west-1:111111111111:stream/s' }]);
  });

  it('refuses a maxAttempts below 1', async () => {
    const { client } = scripted(() => []);
    await expect(publishRecords(client, 's', records(1), { maxAttempts: 0 })).rejects.toThrow(
      'maxAttempts must be a whole number of at least 1, got 0.',
    );
  });
});
