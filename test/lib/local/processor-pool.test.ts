/**
 * The processor workers (processor-pool.ts running processor-worker.ts): a worker reads a page of a shard of the local
 * Kinesis, cuts it into Firehose events, runs the bundle's handler and Firehose's checks of its answer on each, and
 * answers with the checked answers — or an invocation's handler error, or an `InvalidProcessorResponse` when its answer
 * breaks Firehose's rules — and what the delivery needs of the records.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidProcessorResponse } from '../../../lib/local/firehose-batches';
import { kinesisHttp, publishInLanes, rawPutRecordsClient } from '../../../lib/local/kinesis-http';
import { LocalKinesis } from '../../../lib/local/local-kinesis';
import { answerOf, ProcessorPool } from '../../../lib/local/processor-pool';
import { SpareLineBuffers } from '../../../lib/local/processor-worker';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-pool-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A bundle whose handler answers by the record's data: "ok", "fail", "drop"; "throw" throws, "skip" is left out. */
const BUNDLE = `
exports.handler = async (event, context) => {
  if (event.records.some((r) => Buffer.from(r.data, 'base64').toString() === 'throw')) throw new Error('boom in ' + context.functionName);
  const records = [];
  for (const r of event.records) {
    const text = Buffer.from(r.data, 'base64').toString();
    if (text === 'skip') continue;
    if (text === 'fail') records.push({ recordId: r.recordId, result: 'ProcessingFailed', data: r.data });
    else if (text === 'drop') records.push({ recordId: r.recordId, result: 'Dropped', data: r.data });
    else records.push({ recordId: r.recordId, result: 'Ok', data: Buffer.from('{"t":"' + text + '"}\\n').toString('base64'), metadata: { partitionKeys: { dt: '2026-11-21' } } });
  }
  return { records };
};
`;

describe('ProcessorPool', () => {
  it("reads a page and answers each invocation with the checked answer, the handler's error, or an InvalidProcessorResponse", async () => {
    const bundlePath = path.join(dir, 'bundle.js');
    fs.writeFileSync(bundlePath, BUNDLE);
    const kinesis = await LocalKinesis.start({ shardsPerStream: 1 });
    const http = kinesisHttp(kinesis.endpoint);
    const pool = new ProcessorPool(bundlePath, 2, { functionName: 'orders-processor' });
    try {
      await pool.ready();
      await kinesis.createStream('s');
      const texts = ['a', 'fail', 'drop', 'b', 'a', 'throw', 'a', 'skip'];
      await publishInLanes(rawPutRecordsClient(http), 's', texts.map((data) => ({ data, partitionKey: 'k' })), 1);
      const { ShardIterator } = await kinesis.client.send(new GetShardIteratorCommand({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
      // Invocations of four, then of two records: three invocations in one page.
      const read = (maxRecords: number) =>
        pool.read({
          endpoint: kinesis.endpoint,
          shardId: 'shardId-000000000000',
          iterator: ShardIterator!,
          limit: 10_000,
          batches: { deliveryStreamArn: 'arn:ds', sourceKinesisStreamArn: 'arn:stream', region: 'us-east-1', maxRecords },
        });
      const first = await read(4);
      expect(first).toMatchObject({ count: 8, millisBehindLatest: 0 });
      expect(first.batches).toHaveLength(2);
      expect(answerOf(first.batches[0].reply)).toEqual({
        // The lines come over as bytes (transferred, not copied).
        ok: [{ dt: '2026-11-21', indexes: [0, 3], lines: new Uint8Array(Buffer.from('{"t":"a"}\n{"t":"b"}')) }],
        dropped: 1,
        failed: [{ index: 1, reason: 'The processor returned ProcessingFailed for the record.' }],
      });
      // The delivery gets the data of the failed record only, and every record's arrival and sequence number.
      expect(first.batches[0].data.map((data) => (data === undefined ? undefined : Buffer.from(data, 'base64').toString()))).toEqual([undefined, 'fail']);
      // (Sequence numbers come joined with newlines, arrivals as a Float64Array: one value each, not one per record.)
      expect(first.batches[0].sequenceNumbers.split('\n')).toHaveLength(4);
      expect(first.batches[0].sequenceNumbers.split('\n').every((sequenceNumber) => /^\d+$/.test(sequenceNumber))).toBe(true);
      expect(first.batches[0].arrivals).toHaveLength(4);
      expect(first.lastSequenceNumber).toBe(first.batches[1].sequenceNumbers.split('\n')[3]);
      // The second invocation holds "throw": the handler's error, and the data of all its records.
      expect(() => answerOf(first.batches[1].reply)).toThrow('boom in orders-processor');
      expect(first.batches[1].data.map((data) => Buffer.from(data!, 'base64').toString())).toEqual(['a', 'throw', 'a', 'skip']);

      const second = await read(2);
      expect(second.batches).toHaveLength(4);
      expect(() => answerOf(second.batches[2].reply)).toThrow('boom in orders-processor');
      expect(() => answerOf(second.batches[2].reply)).not.toThrow(InvalidProcessorResponse);
      expect(() => answerOf(second.batches[3].reply)).toThrow(InvalidProcessorResponse);
      expect(() => answerOf(second.batches[3].reply)).toThrow(/recordId \S+ missing from the response/);
      // Invocation ids are unique across the pages a worker reads.
      const ids = [...first.batches, ...second.batches].map((batch) => batch.invocationId);
      expect(new Set(ids).size).toBe(ids.length);

      // Line buffers given back once written go to the worker with the next read (transferred: detached here),
      // which decodes the next lines into them.
      const given = first.batches[0].reply;
      const lines = answerOf(given).ok.map((partition) => partition.lines);
      pool.recycle(lines);
      const third = await read(4);
      expect(lines[0].byteLength).toBe(0);
      expect(answerOf(third.batches[0].reply).ok[0].lines).toEqual(new Uint8Array(Buffer.from('{"t":"a"}\n{"t":"b"}')));

      // A GetRecords error fails the read as a whole.
      await expect(pool.read({ ...{ endpoint: kinesis.endpoint, shardId: 'shardId-000000000000', limit: 10, batches: { deliveryStreamArn: 'a', sourceKinesisStreamArn: 'b', region: 'r' } }, iterator: 'bogus' })).rejects.toThrow(
        /GetRecords on shardId-000000000000 failed: InvalidArgumentException/,
      );
    } finally {
      await pool.close();
      http.close();
      await kinesis.close();
    }
  });
});

describe('ProcessorPool, when its worker dies', () => {
  it('fails every read, those waiting for the worker too', async () => {
    const bundlePath = path.join(dir, 'broken.js');
    fs.writeFileSync(bundlePath, "throw new Error('the bundle does not load');");
    const pool = new ProcessorPool(bundlePath, 1, {});
    const request = (shardId: string) => ({
      endpoint: 'http://127.0.0.1:9',
      shardId,
      iterator: 'x',
      limit: 10,
      batches: { deliveryStreamArn: 'a', sourceKinesisStreamArn: 'b', region: 'r' },
    });
    try {
      const reads = ['shardId-0', 'shardId-1', 'shardId-2'].map((shardId) => pool.read(request(shardId)));
      const settled = await Promise.allSettled(reads);
      expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/the bundle does not load/);
      expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/Every processor worker died/);
    } finally {
      await pool.close();
    }
  });
});

describe('SpareLineBuffers', () => {
  it('hands out the smallest buffer given back that fits, not one much larger, and keeps the largest when full', () => {
    const spares = new SpareLineBuffers(2);
    const [small, large] = [new ArrayBuffer(100_000), new ArrayBuffer(3_000_000)];
    spares.give([large, small]);
    expect(spares.take(90_000).buffer).toBe(small);
    // A few records' lines do not take the 3 MB buffer: a new one, of their size.
    const few = spares.take(2_000);
    expect(few.buffer).not.toBe(large);
    expect(few.length).toBe(2_000);
    expect(spares.take(2_900_000).buffer).toBe(large);
    // None left: a new buffer, a little larger than asked, so that it fits the next partitions too.
    expect(spares.take(2_900_000).length).toBeGreaterThan(2_900_000);
    // Full: the smallest goes, whichever order they come in.
    const [three, two] = [new ArrayBuffer(3_000_000), new ArrayBuffer(2_000_000)];
    const order = new SpareLineBuffers(2);
    order.give([three, two, new ArrayBuffer(100)]);
    expect(order.take(1_900_000).buffer).toBe(two);
    expect(order.take(2_900_000).buffer).toBe(three);
    spares.give([new ArrayBuffer(10), large, small]);
    expect(spares.take(5).buffer).not.toBe(small);
    expect(spares.take(90_000).buffer).toBe(small);
    expect(spares.take(2_000_000).buffer).toBe(large);
  });
});
