import type { AddressInfo } from 'node:net';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
// kinesalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => import('node:http').Server;

/** An in-process kinesalite server and a v3 client bound to it (HTTP/1.1 handler: the default fails against it). */
export interface LocalKinesis {
  readonly client: KinesisClient;
  createStream(name: string, shards?: number): Promise<void>;
  /** Iterators positioned after the newest record of every shard: read them back with {@link readFrom}. */
  latestIterators(stream: string): Promise<string[]>;
  readFrom(iterators: readonly string[]): Promise<_Record[]>;
  close(): Promise<void>;
}

export async function startKinesalite(): Promise<LocalKinesis> {
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new KinesisClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });

  const shardIds = async (stream: string) => {
    const description = await client.send(new DescribeStreamCommand({ StreamName: stream }));
    return (description.StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!);
  };

  return {
    client,
    async createStream(name, shards = 1) {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      for (let i = 0; i < 100; i += 1) {
        const description = await client.send(new DescribeStreamCommand({ StreamName: name }));
        if (description.StreamDescription?.StreamStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`Stream ${name} did not become ACTIVE in kinesalite.`);
    },
    async latestIterators(stream) {
      const iterators: string[] = [];
      for (const shardId of await shardIds(stream)) {
        const out = await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'LATEST' }));
        iterators.push(out.ShardIterator!);
      }
      return iterators;
    },
    async readFrom(iterators) {
      const records: _Record[] = [];
      for (let iterator of iterators) {
        for (;;) {
          const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
          records.push(...(out.Records ?? []));
          if ((out.Records ?? []).length === 0 || !out.NextShardIterator) break;
          iterator = out.NextShardIterator;
        }
      }
      return records;
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
