import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisHttp } from './kinesis-http';
import type { StreamedRecord } from './streamed-record';

export { base64Of, byteLengthOf, type StreamedRecord } from './streamed-record';

/** A record read by the raw reader: its data stays base64 until someone asks for the bytes. */
class Base64Record implements StreamedRecord {
  private bytes?: Uint8Array;
  constructor(
    public readonly shardId: string,
    public readonly sequenceNumber: string,
    public readonly partitionKey: string,
    public readonly approximateArrivalTimestamp: number,
    public readonly base64: string,
  ) {}

  public get data(): Uint8Array {
    this.bytes ??= Buffer.from(this.base64, 'base64');
    return this.bytes;
  }
}

/**
 * GetRecords through the Kinesis JSON API without the SDK's parsing: the local mode's Firehose reads the local
 * stream with it (the SDK decodes every record's base64 only for the local mode to encode it again for the
 * processor; with 100,000 records that was a tenth of a run), over the same HTTP client as the mesh's PutRecords.
 */
export function rawGetRecords(kinesis: KinesisHttp): GetRecordsPage {
  return async (shardId, iterator, limit) => {
    const answer = await kinesis.call('GetRecords', JSON.stringify({ ShardIterator: iterator, Limit: limit }));
    const page = JSON.parse(answer.body.toString('utf8')) as RawPage & { __type?: string; message?: string };
    if (answer.status !== 200) {
      throw new Error(`GetRecords on ${shardId} failed: ${page.__type ?? answer.status} ${page.message ?? ''}`.trim());
    }
    return {
      records: page.Records.map(
        (r) => new Base64Record(shardId, r.SequenceNumber, r.PartitionKey, Math.round(r.ApproximateArrivalTimestamp * 1000), r.Data),
      ),
      next: page.NextShardIterator,
      millisBehindLatest: page.MillisBehindLatest,
    };
  };
}

interface RawPage {
  readonly Records: ReadonlyArray<{ SequenceNumber: string; PartitionKey: string; ApproximateArrivalTimestamp: number; Data: string }>;
  readonly NextShardIterator?: string;
  readonly MillisBehindLatest?: number;
}

/** One GetRecords call: the page's records, the next iterator (none when the shard is closed) and how far behind. */
export type GetRecordsPage = (
  shardId: string,
  iterator: string,
  limit: number,
) => Promise<{ readonly records: StreamedRecord[]; readonly next?: string; readonly millisBehindLatest?: number }>;

function sdkGetRecords(client: KinesisClient): GetRecordsPage {
  return async (shardId, iterator, limit) => {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    const records = (page.Records ?? []).map(
      (record): StreamedRecord => ({
        shardId,
        sequenceNumber: record.SequenceNumber!,
        partitionKey: record.PartitionKey!,
        approximateArrivalTimestamp: record.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
        data: record.Data ?? new Uint8Array(),
      }),
    );
    return { records, next: page.NextShardIterator, millisBehindLatest: page.MillisBehindLatest };
  };
}

/**
 * Reads every record of a stream from TRIM_HORIZON to the tip, shard after shard (ListShards, GetShardIterator,
 * GetRecords), as a consumer that starts at the oldest record does. Yields one GetRecords page at a time, so a large
 * stream is never held in memory whole. Meant for streams nobody writes to while they are read.
 */
export async function* streamPages(
  client: KinesisClient,
  streamName: string,
  cursors: ShardCursors = new Map(),
  getRecords: GetRecordsPage = sdkGetRecords(client),
): AsyncGenerator<StreamedRecord[]> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }),
    );
    for (const shard of page.Shards ?? []) yield* shardPages(client, streamName, shard.ShardId!, cursors, getRecords);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
}

/**
 * Reads a stream while a producer is still writing to it, as Firehose reads its source: the shards in turn (one
 * GetRecords page each), from where `cursors` stopped (else the oldest record), polling at the tip until `writing`
 * settles; then on to the tip of every shard. Yields one GetRecords page at a time.
 */
export async function* followPages(
  client: KinesisClient,
  streamName: string,
  writing: Promise<unknown>,
  cursors: ShardCursors = new Map(),
  getRecords: GetRecordsPage = sdkGetRecords(client),
): AsyncGenerator<StreamedRecord[]> {
  let written = false;
  const settled = writing.then(
    () => (written = true),
    () => (written = true),
  );
  const iterators = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }));
    for (const shard of page.Shards ?? []) {
      const iterator = await shardIterator(client, streamName, shard.ShardId!, cursors);
      if (iterator !== undefined) iterators.set(shard.ShardId!, iterator);
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  while (iterators.size > 0) {
    // Read before the round: a round that starts once the writer is done and finds every shard at its tip has
    // read everything it wrote.
    const last = written;
    let read = 0;
    for (const [shardId, iterator] of [...iterators]) {
      const { records, next, millisBehindLatest } = await getRecords(shardId, iterator, 10_000);
      if (next === undefined || (last && records.length === 0 && (millisBehindLatest ?? 0) === 0)) iterators.delete(shardId);
      else iterators.set(shardId, next);
      if (records.length > 0) {
        read += records.length;
        cursors.set(shardId, records[records.length - 1].sequenceNumber);
        yield records;
      }
    }
    if (read === 0 && !last) await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 5))]);
  }
}

async function shardIterator(client: KinesisClient, streamName: string, shardId: string, cursors: ShardCursors): Promise<string | undefined> {
  const after = cursors.get(shardId);
  const answer = await client.send(
    new GetShardIteratorCommand(
      after === undefined
        ? { StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }
        : { StreamName: streamName, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after },
    ),
  );
  return answer.ShardIterator;
}

/**
 * Shard id → sequence number of the last record read. `streamPages` starts each shard after it (else at the oldest
 * record) and moves it on, so a consumer that keeps the map reads each record once over repeated calls.
 */
export type ShardCursors = Map<string, string>;

async function* shardPages(
  client: KinesisClient,
  streamName: string,
  shardId: string,
  cursors: ShardCursors,
  getRecords: GetRecordsPage,
): AsyncGenerator<StreamedRecord[]> {
  let iterator = await shardIterator(client, streamName, shardId, cursors);
  while (iterator !== undefined) {
    const { records, next, millisBehindLatest } = await getRecords(shardId, iterator, 10_000);
    // Nothing is written while the stream is read, so an empty page at the tip ends the shard.
    if (records.length === 0 && (millisBehindLatest ?? 0) === 0) return;
    if (records.length > 0) {
      cursors.set(shardId, records[records.length - 1].sequenceNumber);
      yield records;
    }
    iterator = next;
  }
}
