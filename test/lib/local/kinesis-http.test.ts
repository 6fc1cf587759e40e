/**
 * The local mode's own Kinesis calls without the SDK (kinesis-http.ts) and the reader that follows a stream being
 * written (`readShards` with a publish in progress): the shared publisher through the raw PutRecords client puts what
 * the SDK reads back, a Kinesis error reaches the publisher with its type, and a follower reads every record of a
 * publish in progress exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRecords } from '../../../lambdas/publisher';
import { kinesisHttp, publishInLanes, putRecordsBody, rawPutRecordsClient, type KinesisHttp } from '../../../lib/local/kinesis-http';
import { LocalKinesis } from '../../../lib/local/local-kinesis';
import { rawGetRecords, readShards, shardPageOf, streamPages, type ShardCursors } from '../../../lib/local/read-stream';

let kinesis: LocalKinesis;
let http: KinesisHttp;

beforeAll(async () => {
  kinesis = await LocalKinesis.start({ shardsPerStream: 2 });
  http = kinesisHttp(kinesis.endpoint);
});

afterAll(async () => {
  http.close();
  await kinesis.close();
});

const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');

describe('the raw PutRecords client', () => {
  it('puts what the SDK reads back: data, partition keys (UTF-8 too) and explicit hash keys', async () => {
    await kinesis.createStream('raw-put');
    const records = Array.from({ length: 1_200 }, (_, i) => ({
      data: JSON.stringify({ n: i, name: i % 3 === 0 ? 'Zoë "quoted" \\ é' : 'plain' }),
      partitionKey: i % 5 === 0 ? `clé-${i}` : `key-${i}`,
      ...(i % 11 === 0 && { explicitHashKey: String((1n << 128n) - 1n) }),
    }));
    const result = await publishRecords(rawPutRecordsClient(http), 'raw-put', records);
    expect(result).toMatchObject({ delivered: 1_200, failed: [], requests: 3, rounds: 1 });

    const read: Array<{ shardId: string; partitionKey: string; data: string }> = [];
    for await (const page of streamPages(kinesis.client, 'raw-put')) {
      for (const record of page) read.push({ shardId: record.shardId, partitionKey: record.partitionKey, data: text(record.data) });
    }
    expect(read).toHaveLength(1_200);
    const byData = new Map(read.map((record) => [record.data, record]));
    for (const [i, record] of records.entries()) {
      expect(byData.get(record.data)?.partitionKey).toBe(record.partitionKey);
      // The largest hash key lands on the last shard.
      if (i % 11 === 0) expect(byData.get(record.data)?.shardId).toBe('shardId-000000000001');
    }
  });

  it("reports Kinesis' error type to the publisher, which fails a missing stream's records without retrying", async () => {
    const result = await publishRecords(rawPutRecordsClient(http), 'no-such-stream', [{ data: '{}', partitionKey: 'k' }], {
      sleep: async () => undefined,
    });
    expect(result.delivered).toBe(0);
    expect(result.failed).toEqual([
      expect.objectContaining({ index: 0, errorCode: 'ResourceNotFoundException', attempts: 1, errorMessage: expect.stringContaining('no-such-stream') }),
    ]);
  });
});

describe('putRecordsBody', () => {
  it("is the JSON the SDK sends: data in base64, keys and hash keys escaped, the stream by name or ARN", () => {
    const Records = [
      // Plain Uint8Arrays, as the SDK's input types them (a Buffer would stringify itself below).
      { Data: new TextEncoder().encode('{"a":1}'), PartitionKey: 'k-1' },
      { Data: new TextEncoder().encode('Zoë "quoted" \\ é ✓'), PartitionKey: 'clé "2"', ExplicitHashKey: '340282366920938463463374607431768211455' },
      { Data: new Uint8Array(0), PartitionKey: 'empty' },
      { Data: Uint8Array.from({ length: 1_001 }, (_, i) => (i * 37) % 256), PartitionKey: 'bytes' },
    ];
    const sdk = (input: object) =>
      JSON.stringify(input, (key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value));
    for (const target of [{ StreamName: 'orders' }, { StreamARN: 'arn:aws:kinesis:eu-west-1:000000000000:stream/orders' }]) {
      const body = putRecordsBody({ ...target, Records }, (bytes) => Buffer.alloc(bytes + 10, 0x2e));
      expect(body.toString('utf8')).toBe(sdk({ ...target, Records }));
    }
  });

  it('writes into the buffer it is given, sized exactly', () => {
    const room = Buffer.alloc(4_096);
    let asked = 0;
    const body = putRecordsBody({ StreamName: 's', Records: [{ Data: Buffer.from('x'), PartitionKey: 'k' }] }, (bytes) => {
      asked = bytes;
      return room;
    });
    expect(body.buffer).toBe(room.buffer);
    expect(body.length).toBe(asked);
    expect(JSON.parse(body.toString('utf8'))).toEqual({ StreamName: 's', Records: [{ Data: 'eA==', PartitionKey: 'k' }] });
  });
});

describe('publishInLanes', () => {
  it("keeps each partition key's records in order and reports failures by their index in the input", async () => {
    await kinesis.createStream('lanes');
    const records = Array.from({ length: 2_000 }, (_, i) => ({ data: `{"n":${i}}`, partitionKey: i === 7 ? '' : `key-${i % 10}` }));
    const result = await publishInLanes(rawPutRecordsClient(http), 'lanes', records, 3);
    expect(result.delivered).toBe(1_999);
    expect(result.failed).toEqual([expect.objectContaining({ index: 7, record: records[7], errorCode: 'InvalidPartitionKey' })]);
    const byKey = new Map<string, number[]>();
    for await (const page of streamPages(kinesis.client, 'lanes')) {
      for (const record of page) byKey.set(record.partitionKey, [...(byKey.get(record.partitionKey) ?? []), (JSON.parse(text(record.data)) as { n: number }).n]);
    }
    expect(byKey.size).toBe(10);
    for (const ns of byKey.values()) expect(ns).toEqual([...ns].sort((a, b) => a - b));
    expect([...byKey.values()].flat()).toHaveLength(1_999);
  });
});

describe('the stored records', () => {
  const call = async (operation: string, input: unknown) => {
    const answer = await http.call(operation, JSON.stringify(input));
    return { status: answer.status, body: JSON.parse(answer.body.toString('utf8')) as Record<string, unknown> };
  };

  it('answer GetRecords pages that cut across Put requests, in order, as valid JSON whatever the data text', async () => {
    await call('CreateStream', { StreamName: 'one-shard', ShardCount: 1 });
    // Base64 as SDKs send it, a non-canonical base64 and text that needs escaping come back as they were put.
    const odd = ['QR==', 'not "base64" \\ at all', 'Zm9v'];
    for (let request = 0; request < 3; request++) {
      const Records = Array.from({ length: 10 }, (_, i) => ({
        Data: i === 0 ? odd[request] : Buffer.from(`{"n":${request * 10 + i}}`).toString('base64'),
        PartitionKey: `clé-${i}`,
      }));
      expect((await call('PutRecords', { StreamName: 'one-shard', Records })).status).toBe(200);
    }
    // A request Kinesis refuses (one record without data) stores none of its records.
    const refused = await call('PutRecords', { StreamName: 'one-shard', Records: [{ Data: 'QQ==', PartitionKey: 'k' }, { PartitionKey: 'k' }] });
    expect(refused).toMatchObject({ status: 400, body: { __type: 'ValidationException' } });

    const { body } = await call('GetShardIterator', { StreamName: 'one-shard', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
    let iterator = body.ShardIterator as string;
    const data: string[] = [];
    const keys = new Set<string>();
    for (;;) {
      const page = await call('GetRecords', { ShardIterator: iterator, Limit: 7 });
      const records = page.body.Records as Array<{ Data: string; PartitionKey: string }>;
      if (records.length === 0) break;
      expect(records.length).toBeLessThanOrEqual(7);
      for (const record of records) {
        data.push(record.Data);
        keys.add(record.PartitionKey);
      }
      iterator = page.body.NextShardIterator as string;
    }
    expect(data).toHaveLength(30);
    expect([data[0], data[10], data[20]]).toEqual(odd);
    expect(data.filter((_, i) => i % 10 !== 0).map((d) => (JSON.parse(Buffer.from(d, 'base64').toString()) as { n: number }).n)).toEqual(
      Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 10 !== 0),
    );
    expect(keys.has('clé-3')).toBe(true);
  });
});

describe('readShards following a publish', () => {
  it('reads every record of a publish in progress exactly once, then stops at the tips', async () => {
    await kinesis.createStream('followed');
    const publishing = (async () => {
      for (let round = 0; round < 6; round++) {
        const records = Array.from({ length: 700 }, (_, i) => ({ data: `{"n":${round * 700 + i}}`, partitionKey: `k-${round}-${i}` }));
        const result = await publishRecords(rawPutRecordsClient(http), 'followed', records);
        expect(result.failed).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const cursors: ShardCursors = new Map();
    const seen: number[] = [];
    let pages = 0;
    const get = rawGetRecords(http);
    await readShards(
      kinesis.client,
      'followed',
      async (shardId, iterator) => {
        const page = await get(shardId, iterator, 10_000);
        if (page.records.length > 0) pages++;
        for (const record of page.records) seen.push((JSON.parse(text(record.data)) as { n: number }).n);
        return shardPageOf(page);
      },
      { cursors, writing: publishing },
    );
    await publishing;
    expect(seen).toHaveLength(4_200);
    expect(new Set(seen).size).toBe(4_200);
    // It read while the records arrived (more pages than one per shard), and left its cursors at the tips.
    expect(pages).toBeGreaterThan(2);
    expect([...cursors.keys()].sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    const again: unknown[] = [];
    for await (const page of streamPages(kinesis.client, 'followed', cursors)) again.push(...page);
    expect(again).toEqual([]);
  });
});

describe('the connections of kinesisHttp', () => {
  /** A server that answers each request with `answer` (raw HTTP), on a loopback port. */
  async function rawServer(
    answer: (request: number) => string | undefined,
    endAfterAnswer = false,
  ): Promise<{ endpoint: string; close: () => void; connections: () => number }> {
    const net = await import('node:net');
    let requests = 0;
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      socket.on('error', () => undefined);
      socket.on('data', () => {
        if (socket.writableEnded) return;
        const text = answer(requests++);
        if (text === undefined) socket.destroy();
        else if (endAfterAnswer) socket.end(text);
        else socket.write(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close(), connections: () => connections };
  }

  it('reads answers split across reads, keeps a connection for the next call, and opens another for a call meanwhile', async () => {
    const body = 'x'.repeat(300_000);
    const server = await rawServer(() => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const client = kinesisHttp(server.endpoint);
    try {
      const reuse = {};
      expect((await client.call('GetRecords', '{}', reuse)).body.toString()).toBe(body);
      expect((await client.call('GetRecords', '{}', reuse)).body.toString()).toBe(body);
      expect(server.connections()).toBe(1);
      const both = await Promise.all([client.call('PutRecords', '{}'), client.call('PutRecords', '{}')]);
      expect(both.map((answer) => answer.body.length)).toEqual([body.length, body.length]);
      expect(server.connections()).toBe(2);
    } finally {
      client.close();
      server.close();
    }
  });

  it('reads an answer whose status line and headers arrive in pieces, and the next answer on the same connection', async () => {
    const net = await import('node:net');
    const pieces = ['HTTP/1.1 200', ' OK\r\nContent-Le', 'ngth: 5\r\n\r', '\nhel', 'lo'];
    const server = net.createServer((socket) => {
      socket.on('data', async () => {
        for (const piece of pieces) {
          socket.write(piece);
          await new Promise((resolve) => setTimeout(resolve, 15));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = kinesisHttp(`http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`);
    try {
      const reuse = {};
      expect((await client.call('GetRecords', '{}', reuse)).body.toString()).toBe('hello');
      expect((await client.call('GetRecords', '{}', reuse)).body.toString()).toBe('hello');
    } finally {
      client.close();
      server.close();
    }
  });

  it('does not send a request on a connection the server ended after its answer (as its keep-alive timeout does)', async () => {
    const server = await rawServer(() => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}', true);
    const client = kinesisHttp(server.endpoint);
    try {
      for (let i = 0; i < 3; i++) expect((await client.call('PutRecords', '{}')).body.toString()).toBe('{}');
      expect(server.connections()).toBe(3);
    } finally {
      client.close();
      server.close();
    }
  });

  it('refuses an answer without a Content-Length, and a connection closed before the answer, naming the local Kinesis', async () => {
    const server = await rawServer((request) => (request === 0 ? 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' : undefined));
    const client = kinesisHttp(server.endpoint);
    try {
      await expect(client.call('GetRecords', '{}')).rejects.toThrow(/local Kinesis sent an answer without a status or a Content-Length/);
      await expect(client.call('GetRecords', '{}')).rejects.toThrow(/connection to the local Kinesis at 127\.0\.0\.1:\d+ closed/);
    } finally {
      client.close();
      server.close();
    }
  });
});
