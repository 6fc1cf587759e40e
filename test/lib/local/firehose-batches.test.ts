import { describe, expect, it } from 'vitest';
import type { FirehoseTransformationResultRecord } from 'aws-lambda';
import { checkedAnswer, firehoseBatches, InvalidProcessorResponse, jsonLine, jsonLines, type FirehoseBatch } from '../../../lib/local/firehose-batches';
import type { StreamedRecord } from '../../../lib/local/read-stream';

const options = { deliveryStreamArn: 'arn:ds', sourceKinesisStreamArn: 'arn:stream', region: 'us-east-1' };

function streamed(count: number, bytes = 10): StreamedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    shardId: 'shardId-000000000000',
    sequenceNumber: String(1000 + i),
    partitionKey: `k${i}`,
    approximateArrivalTimestamp: 1_700_000_000_000 + i,
    data: Buffer.alloc(bytes, 'a'),
  }));
}

async function collect(pages: StreamedRecord[][], limits: { maxBytes?: number; maxRecords?: number } = {}): Promise<FirehoseBatch[]> {
  const batches: FirehoseBatch[] = [];
  for await (const batch of firehoseBatches(pages, { ...options, ...limits })) batches.push(batch);
  return batches;
}

describe('firehoseBatches', () => {
  it('builds Kinesis-source Firehose events with base64 data and the record metadata', async () => {
    const [batch] = await collect([streamed(2)]);
    expect(batch.event).toMatchObject({ deliveryStreamArn: 'arn:ds', sourceKinesisStreamArn: 'arn:stream', region: 'us-east-1' });
    expect(batch.event.records[0]).toEqual({
      recordId: '1000000000000000',
      approximateArrivalTimestamp: 1_700_000_000_000,
      data: Buffer.alloc(10, 'a').toString('base64'),
      kinesisRecordMetadata: {
        shardId: 'shardId-000000000000',
        partitionKey: 'k0',
        approximateArrivalTimestamp: 1_700_000_000_000,
        sequenceNumber: '1000',
        subsequenceNumber: '0',
      },
    });
  });

  it('cuts batches at the byte and record limits, across pages, keeping every record once in order', async () => {
    const records = streamed(25, 100);
    const byBytes = await collect([records.slice(0, 7), records.slice(7)], { maxBytes: 1000 });
    expect(byBytes.map((b) => b.sources.length)).toEqual([10, 10, 5]);
    const byCount = await collect([records], { maxRecords: 4 });
    expect(byCount.map((b) => b.sources.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    expect(byCount.flatMap((b) => b.sources)).toEqual(records);
  });

  it('gives a record larger than the byte limit a batch of its own', async () => {
    const batches = await collect([[...streamed(1, 50), ...streamed(1, 5000), ...streamed(1, 50)]], { maxBytes: 1000 });
    expect(batches.map((b) => b.sources.length)).toEqual([1, 1, 1]);
  });
});

describe('jsonLines', () => {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

  it('decodes records into the same lines as jsonLine one by one, whatever their whitespace or newlines', () => {
    const texts = [
      '{"a":1}\n',
      '{"b":"é ünï 🚀"}\n',
      '{"c":2}   \r\n\t',
      '{\n  "d": 1E5,\n  "e": [1,\n 2]\n}\n',
      '{"f":3}',
      '',
      'not json\nat all\r\n',
      '{"g":"x"}\u00a0\n',
      '{"h":"\\n"}\n',
    ];
    const data = texts.map(b64);
    const text = (lines: Buffer) => lines.toString('utf8');
    expect(text(jsonLines(data))).toBe(data.map(jsonLine).join('\n'));
    expect(text(jsonLines(data)).split('\n')).toContain('{"d":100000,"e":[1,2]}');
    // Each on its own too, and a record whose compacted line is longer than its text first and last.
    for (const one of data) expect(text(jsonLines([one]))).toBe(jsonLine(one));
    const grows = b64('{\n"n":1E20}');
    expect(text(jsonLines([grows, b64('{"z":1}\n')]))).toBe('{"n":100000000000000000000}\n{"z":1}');
    expect(text(jsonLines([]))).toBe('');
  });

  it('makes room when compacted lines together outgrow their records, wherever they are', () => {
    // Each `1E9` becomes `1000000000`: the compacted line is more than twice as long as the record.
    const grows = b64(`[${'1E9,'.repeat(50)}\n1]\n`);
    for (const data of [[grows, grows], [b64('{"n":1}\n'), grows, grows, grows], [grows, b64('{"n":1}\n'), grows]]) {
      expect(jsonLines(data).toString('utf8')).toBe(data.map(jsonLine).join('\n'));
    }
  });

  it('decodes into the buffer it is given, whatever that buffer held before', () => {
    const data = ['{"a":1}\n', '{\n "b": 1E3}\n', '{"c":"é"}\n'].map(b64);
    const dirty = Buffer.alloc(4096, 0x7a);
    const given: number[] = [];
    const lines = jsonLines(data, (bytes) => {
      given.push(bytes);
      return dirty;
    });
    expect(given).toHaveLength(1);
    expect(lines.buffer).toBe(dirty.buffer);
    expect(lines.toString('utf8')).toBe('{"a":1}\n{"b":1000}\n{"c":"é"}');
  });

  it('returns lines with memory of their own, which a worker can transfer without detaching anything else', () => {
    const small = jsonLines([b64('{"a":1}\n')]);
    // Not a slice of Node's 8 KB pool: transferring the pool would detach every other small Buffer.
    expect(small.buffer.byteLength).toBeLessThan(Buffer.poolSize);
    const other = Buffer.from('unrelated');
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(small, [small.buffer as ArrayBuffer]);
    port1.close();
    port2.close();
    expect(other.toString()).toBe('unrelated');
  });
});

describe('checkedAnswer', () => {
  async function batchOf(count: number): Promise<FirehoseBatch> {
    return (await collect([streamed(count)]))[0];
  }
  const ok = (recordId: string): FirehoseTransformationResultRecord => ({
    recordId,
    result: 'Ok',
    data: Buffer.from('{"a":1}\n').toString('base64'),
    metadata: { partitionKeys: { dt: '2026-11-21' } },
  });

  it('pairs each input record with its result, whatever the response order', async () => {
    const batch = await batchOf(3);
    const [a, b, c] = batch.event.records.map((r) => r.recordId);
    const answer = checkedAnswer(
      batch.event,
      { records: [{ recordId: c, result: 'Dropped' }, ok(a), { recordId: b, result: 'ProcessingFailed', data: '' }] },
      new Map([[b, '"x": required field missing']]),
    );
    expect(answer).toEqual({
      ok: [{ dt: '2026-11-21', indexes: [0], lines: Buffer.from('{"a":1}') }],
      dropped: 1,
      failed: [{ index: 1, reason: '"x": required field missing' }],
    });
  });

  it('refuses a response with a missing, a duplicated and an unknown recordId, naming them', async () => {
    const batch = await batchOf(3);
    const [a, b, c] = batch.event.records.map((r) => r.recordId);
    const call = () => checkedAnswer(batch.event, { records: [ok(a), ok(a), ok('nope')] });
    expect(call).toThrow(InvalidProcessorResponse);
    expect(call).toThrow(`recordId ${a} returned twice; unknown recordId nope; recordId ${b} missing from the response; recordId ${c} missing from the response`);
    // A record out of its place, then the same record in its own place (found by position, not by the map).
    expect(() => checkedAnswer(batch.event, { records: [ok(b), ok(b), ok(c)] })).toThrow(
      `recordId ${b} returned twice; recordId ${a} missing from the response`,
    );
  });

  it('refuses an Ok record without the dt partition key and an unknown result', async () => {
    const batch = await batchOf(2);
    const [a, b] = batch.event.records.map((r) => r.recordId);
    const call = () =>
      checkedAnswer(batch.event, {
        records: [{ ...ok(a), metadata: undefined }, { recordId: b, result: 'Maybe' as 'Ok' }],
      });
    expect(call).toThrow(`Ok record ${a} has no metadata.partitionKeys.dt (dynamic partitioning needs it)`);
    expect(call).toThrow(`recordId ${b} has result "Maybe" (Ok, Dropped or ProcessingFailed)`);
  });
});

describe('checkedAnswer, per dt', () => {
  const line = (json: string, dt: string, recordId: string): FirehoseTransformationResultRecord => ({
    recordId,
    result: 'Ok',
    data: Buffer.from(`${json}\n`).toString('base64'),
    metadata: { partitionKeys: { dt } },
  });

  it("joins the Ok records' JSON lines per dt with their indexes, counts drops and keeps the failures' reasons", async () => {
    const [batch] = await collect([streamed(5)]);
    const [a, b, c, d, e] = batch.event.records.map((r) => r.recordId);
    const answer = checkedAnswer(
      batch.event,
      {
        records: [
          line('{"n":1}', '2026-11-21', a),
          { recordId: b, result: 'ProcessingFailed', data: '' },
          line('{\n  "n": 3\n}', '2026-11-22', c),
          { recordId: d, result: 'Dropped' },
          line('{"n":5}', '2026-11-21', e),
        ],
      },
      new Map([[b, '"x": required field missing']]),
    );
    expect(answer).toEqual({
      ok: [
        { dt: '2026-11-21', indexes: [0, 4], lines: Buffer.from('{"n":1}\n{"n":5}') },
        // A pretty-printed record is compacted to one line.
        { dt: '2026-11-22', indexes: [2], lines: Buffer.from('{"n":3}') },
      ],
      dropped: 1,
      failed: [{ index: 1, reason: '"x": required field missing' }],
    });
  });

  it('refuses an answer that leaves a record out', async () => {
    const [batch] = await collect([streamed(2)]);
    const [a] = batch.event.records.map((r) => r.recordId);
    expect(() => checkedAnswer(batch.event, { records: [line('{}', '2026-11-21', a)] })).toThrow(InvalidProcessorResponse);
  });
});
