import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { GetRecordsPage, ShardPage } from './raw-get-records';
import type { StreamedRecord } from './streamed-record';

export { rawGetRecords, shardPageOf, type GetRecordsPage, type ShardPage } from './raw-get-records';

export { base64Of, byteLengthOf, type StreamedRecord } from './streamed-record';

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
 * Reads every shard of a stream with `read` (one GetRecords page at a time, shards in parallel), from where
 * `cursors` stopped (else the oldest record) to the tip, and moves the cursors on. With `writing`, it follows a
 * producer as Firehose reads its source: polling each shard at its tip until `writing` settles, then reading on to
 * the tip. Without it, nothing is written meanwhile, so an empty page at the tip ends a shard (as `streamPages`).
 */
export async function readShards(
  client: KinesisClient,
  streamName: string,
  read: (shardId: string, iterator: string) => Promise<ShardPage>,
  options: { readonly cursors?: ShardCursors; readonly writing?: Promise<unknown> } = {},
): Promise<void> {
  const cursors = options.cursors ?? new Map<string, string>();
  let written = options.writing === undefined;
  const settled = (options.writing ?? Promise.resolve()).then(
    () => (written = true),
    () => (written = true),
  );
  const shards: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }));
    for (const shard of page.Shards ?? []) shards.push(shard.ShardId!);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  // A shard whose read fails ends the whole read, and the other shards stop at their next page.
  let failed = false;
  await Promise.all(
    shards.map(async (shardId) => {
      let iterator = await shardIterator(client, streamName, shardId, cursors);
      while (iterator !== undefined && !failed) {
        // Read before the page: a page asked for once the writer is done that finds the shard at its tip has
        // read everything it wrote.
        const last = written;
        let page: ShardPage;
        try {
          page = await read(shardId, iterator);
        } catch (error) {
          failed = true;
          throw error;
        }
        const { count, next, millisBehindLatest, lastSequenceNumber } = page;
        if (count > 0 && lastSequenceNumber !== undefined) cursors.set(shardId, lastSequenceNumber);
        if (next === undefined || (last && count === 0 && (millisBehindLatest ?? 0) === 0)) return;
        iterator = next;
        if (count === 0 && !last) await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 5))]);
      }
    }),
  );
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
