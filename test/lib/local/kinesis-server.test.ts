/**
 * The local mode's Kinesis-compatible server, through the AWS SDK v3 client as producers use it: records come back
 * in order per shard with their partition keys, iterators resume after a sequence number, and PutRecords' limits
 * are refused with Kinesis' error types.
 */
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalKinesis } from '../../../lib/local/local-kinesis';
import { kinesisHttp } from '../../../lib/local/kinesis-http';
import { rawGetRecords, readShards, shardPageOf, streamPages } from '../../../lib/local/read-stream';
import { slicedPage } from '../../../lib/local/raw-get-records';

let kinesis: LocalKinesis;
const STREAM = 'orders-test';

beforeAll(async () => {
  kinesis = await LocalKinesis.start({ shardsPerStream: 2 });
  await kinesis.createStream(STREAM);
});

afterAll(async () => {
  await kinesis.close();
});

const text = (data: Uint8Array | undefined) => Buffer.from(data ?? new Uint8Array()).toString('utf8');

describe('the local Kinesis server', () => {
  it('describes the stream with its shards covering the hash key space', async () => {
    const summary = await kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }));
    expect(summary.StreamDescriptionSummary).toMatchObject({ StreamName: STREAM, StreamStatus: 'ACTIVE', OpenShardCount: 2 });
    const { Shards } = await kinesis.client.send(new ListShardsCommand({ StreamName: STREAM }));
    expect(Shards?.map((shard) => shard.HashKeyRange)).toEqual([
      { StartingHashKey: '0', EndingHashKey: String((1n << 127n) - 1n) },
      { StartingHashKey: String(1n << 127n), EndingHashKey: String((1n << 128n) - 1n) },
    ]);
  });

  it('keeps every record, in order per partition key, and reads them back with the SDK and the raw reader', async () => {
    const records = Array.from({ length: 1200 }, (_, i) => ({ Data: Buffer.from(`{"n":${i}}`), PartitionKey: `key-${i % 7}` }));
    for (let i = 0; i < records.length; i += 500) {
      const result = await kinesis.client.send(new PutRecordsCommand({ StreamName: STREAM, Records: records.slice(i, i + 500) }));
      expect(result.FailedRecordCount).toBe(0);
    }
    const viaSdk: Array<{ key: string; n: number }> = [];
    for await (const page of streamPages(kinesis.client, STREAM)) {
      for (const record of page) viaSdk.push({ key: record.partitionKey, n: (JSON.parse(text(record.data)) as { n: number }).n });
    }
    const viaRaw: Array<{ key: string; n: number }> = [];
    for await (const page of streamPages(kinesis.client, STREAM, new Map(), rawGetRecords(kinesisHttp(kinesis.endpoint)))) {
      for (const record of page) viaRaw.push({ key: record.partitionKey, n: (JSON.parse(text(record.data)) as { n: number }).n });
    }
    expect(viaSdk).toHaveLength(1200);
    expect(viaRaw).toEqual(viaSdk);
    for (const key of new Set(viaSdk.map((r) => r.key))) {
      const ns = viaSdk.filter((r) => r.key === key).map((r) => r.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
    // A key always lands on the same shard (MD5 routing), so the two shards split the keys between them.
    const { Shards } = await kinesis.client.send(new ListShardsCommand({ StreamName: STREAM }));
    expect(Shards).toHaveLength(2);
  });

  it('resumes after a sequence number', async () => {
    const first = await kinesis.client.send(new PutRecordCommand({ StreamName: STREAM, Data: Buffer.from('a'), PartitionKey: 'resume' }));
    await kinesis.client.send(new PutRecordCommand({ StreamName: STREAM, Data: Buffer.from('b'), PartitionKey: 'resume' }));
    const { ShardIterator } = await kinesis.client.send(
      new GetShardIteratorCommand({
        StreamName: STREAM,
        ShardId: first.ShardId!,
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        StartingSequenceNumber: first.SequenceNumber!,
      }),
    );
    const page = await kinesis.client.send(new GetRecordsCommand({ ShardIterator }));
    expect(page.Records?.map((record) => text(record.Data))).toEqual(['b']);
    expect(page.MillisBehindLatest).toBe(0);
  });

  it("answers each PutRecords record with the sequence number and shard GetRecords then reads it at, and an arrival time", async () => {
    await kinesis.createStream('answers');
    const put: Array<{ data: string; sequenceNumber: string; shardId: string }> = [];
    const before = Date.now();
    // Three requests (one through the SDK's general path: an ExplicitHashKey), spread over both shards.
    for (let request = 0; request < 3; request++) {
      const Records = Array.from({ length: 37 }, (_, i) => ({
        Data: Buffer.from(`{"request":${request},"i":${i}}`),
        PartitionKey: `key-${i % 5}`,
        ...(request === 1 && i === 0 && { ExplicitHashKey: '0' }),
      }));
      const result = await kinesis.client.send(new PutRecordsCommand({ StreamName: 'answers', Records }));
      expect(result.FailedRecordCount).toBe(0);
      result.Records!.forEach((record, i) => put.push({ data: text(Records[i].Data), sequenceNumber: record.SequenceNumber!, shardId: record.ShardId! }));
    }
    const read = new Map<string, { sequenceNumber: string; shardId: string; arrival: number }>();
    for await (const page of streamPages(kinesis.client, 'answers')) {
      for (const record of page) {
        read.set(text(record.data), { sequenceNumber: record.sequenceNumber, shardId: record.shardId, arrival: record.approximateArrivalTimestamp });
      }
    }
    expect(read.size).toBe(put.length);
    for (const record of put) {
      expect(read.get(record.data)).toMatchObject({ sequenceNumber: record.sequenceNumber, shardId: record.shardId });
      expect(read.get(record.data)!.arrival).toBeGreaterThanOrEqual(before - 1);
    }
    // Both shards are used, and the positions go past one digit.
    expect(new Set(put.map((record) => record.shardId)).size).toBe(2);
    expect(put.map((record) => record.sequenceNumber).some((sequenceNumber) => Number(sequenceNumber.slice(-2)) >= 10)).toBe(true);
  });

  it('refuses what Kinesis refuses, with its error types', async () => {
    const tooMany = Array.from({ length: 501 }, () => ({ Data: Buffer.from('x'), PartitionKey: 'k' }));
    await expect(kinesis.client.send(new PutRecordsCommand({ StreamName: STREAM, Records: tooMany }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const big = Array.from({ length: 6 }, () => ({ Data: Buffer.alloc(1000 * 1000), PartitionKey: 'k' }));
    await expect(kinesis.client.send(new PutRecordsCommand({ StreamName: STREAM, Records: big }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
    });
    await expect(kinesis.client.send(new PutRecordCommand({ StreamName: 'nope', Data: Buffer.from('x'), PartitionKey: 'k' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('the raw reader of GetRecords answers', () => {
  it('reads the same records as JSON.parse, from slices of the answer, and leaves anything unusual to JSON.parse', async () => {
    const stream = 'raw-reader-test';
    await kinesis.createStream(stream);
    const http = kinesisHttp(kinesis.endpoint);
    try {
      const keys = ['plain', 'quote"d', 'back\\slash', 'ünïcødé 🚀', 'x'.repeat(256)];
      const records = keys.map((key, i) => ({ Data: Buffer.from(`{"n":${i}}`).toString('base64'), PartitionKey: key }));
      expect((await http.call('PutRecords', JSON.stringify({ StreamName: stream, Records: records }))).status).toBe(200);
      // Data that is not base64 is stored as it came (Kinesis would refuse it); with a quote in it, the answer escapes it.
      await http.call('PutRecords', JSON.stringify({ StreamName: stream, Records: [{ Data: 'not base64!', PartitionKey: 'plain' }] }));
      const answers: string[] = [];
      for (const shard of ['shardId-000000000000', 'shardId-000000000001']) {
        const { ShardIterator } = await kinesis.client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
        const answer = (await http.call('GetRecords', JSON.stringify({ ShardIterator }))).body.toString('utf8');
        answers.push(answer);
        const parsed = JSON.parse(answer) as { Records: Array<{ SequenceNumber: string; ApproximateArrivalTimestamp: number; Data: string; PartitionKey: string }>; NextShardIterator: string; MillisBehindLatest: number };
        const sliced = slicedPage(Buffer.from(answer, 'utf8'), shard);
        expect(sliced).toBeDefined();
        expect(sliced!.records.map((r) => [r.sequenceNumber, r.approximateArrivalTimestamp, r.base64, r.partitionKey])).toEqual(
          parsed.Records.map((r) => [r.SequenceNumber, Math.round(r.ApproximateArrivalTimestamp * 1000), r.Data, r.PartitionKey]),
        );
        expect([sliced!.next, sliced!.millisBehindLatest]).toEqual([parsed.NextShardIterator, parsed.MillisBehindLatest]);
      }
      expect(answers.join('').match(/"SequenceNumber"/g)).toHaveLength(6);
      const sliceOf = (answer: string, shard = 'shardId-000000000000') => slicedPage(Buffer.from(answer, 'utf8'), shard);
      expect(sliceOf(answers[0].replace(/"Data":"/, '"Data":"\\"'))).toBeUndefined();
      expect(sliceOf(answers[0].replace(/"Data":"/, '"Data":"\\\\'))).toBeUndefined();
      // Data beyond ASCII would not be the same string read as bytes: JSON.parse reads it.
      expect(sliceOf(answers[0].replace(/"Data":"/, '"Data":"é'))).toBeUndefined();
      expect(sliceOf(answers[0].replace('"ApproximateArrivalTimestamp"', '"Arrival"'))).toBeUndefined();
      expect(sliceOf(answers[0].slice(0, -1))).toBeUndefined();
      expect(sliceOf('{"Records":[],"NextShardIterator":"abc","MillisBehindLatest":0}', 's')).toEqual({ records: [], next: 'abc', millisBehindLatest: 0 });
    } finally {
      http.close();
    }
  });
});

describe('readShards', () => {
  it('reads every shard from its cursor to the tip, and a shard whose read fails stops the others', async () => {
    const stream = 'read-shards-test';
    await kinesis.createStream(stream);
    const http = kinesisHttp(kinesis.endpoint);
    try {
      const put = (from: number, count: number) =>
        http.call('PutRecords', JSON.stringify({ StreamName: stream, Records: Array.from({ length: count }, (_, i) => ({ Data: Buffer.from(`{"n":${from + i}}`).toString('base64'), PartitionKey: `k${from + i}` })) }));
      await put(0, 40);
      const get = rawGetRecords(http);
      const seen: string[] = [];
      const read = async (shardId: string, iterator: string) => {
        const page = await get(shardId, iterator, 7);
        seen.push(...page.records.map((record) => Buffer.from(record.data).toString()));
        return shardPageOf(page);
      };
      const cursors = new Map<string, string>();
      await readShards(kinesis.client, stream, read, { cursors });
      expect(seen).toHaveLength(40);
      expect(cursors.size).toBe(2);
      // From the cursors on: only what arrived since.
      await put(40, 5);
      seen.length = 0;
      await readShards(kinesis.client, stream, read, { cursors });
      expect(seen.sort()).toEqual(Array.from({ length: 5 }, (_, i) => `{"n":${40 + i}}`).sort());

      // Shard 1 fails on its first page: the read rejects, and shard 0 asks for no page after that.
      const pagesAsked: string[] = [];
      let failedAt = -1;
      const failing = async (shardId: string, iterator: string) => {
        pagesAsked.push(shardId);
        if (shardId.endsWith('1')) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          failedAt = pagesAsked.length;
          throw new Error('GetRecords failed');
        }
        return { ...(await read(shardId, iterator)), count: 1, next: iterator, millisBehindLatest: 1 };
      };
      await expect(readShards(kinesis.client, stream, failing, { writing: new Promise(() => undefined) })).rejects.toThrow('GetRecords failed');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(failedAt).toBeGreaterThan(0);
      expect(pagesAsked.length).toBeLessThanOrEqual(failedAt + 1);
    } finally {
      http.close();
    }
  });
});
