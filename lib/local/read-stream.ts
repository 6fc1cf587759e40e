import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/** A record as read back from a stream, with the metadata Firehose passes on to its processor. */
export interface StreamedRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** Epoch milliseconds. */
  readonly approximateArrivalTimestamp: number;
  readonly data: Uint8Array;
}

/**
 * Reads every record of a stream from TRIM_HORIZON to the tip, shard after shard (ListShards, GetShardIterator,
 * GetRecords), as a consumer that starts at the oldest record does. Yields one GetRecords page at a time, so a large
 * stream is never held in memory whole. Meant for streams nobody writes to while they are read.
 */
export async function* streamPages(client: KinesisClient, streamName: string, cursors: ShardCursors = new Map()): AsyncGenerator<StreamedRecord[]> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }),
    );
    for (const shard of page.Shards ?? []) yield* shardPages(client, streamName, shard.ShardId!, cursors);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
}

/**
 * Shard id → sequence number of the last record read. `streamPages` starts each shard after it (else at the oldest
 * record) and moves it on, so a consumer that keeps the map reads each record once over repeated calls.
 */
export type ShardCursors = Map<string, string>;

async function* shardPages(client: KinesisClient, streamName: string, shardId: string, cursors: ShardCursors): AsyncGenerator<StreamedRecord[]> {
  const after = cursors.get(shardId);
  let iterator = (
    await client.send(
      new GetShardIteratorCommand(
        after === undefined
          ? { StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }
          : { StreamName: streamName, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after },
      ),
    )
  ).ShardIterator;
  while (iterator !== undefined) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
    const records = (page.Records ?? []).map(
      (record): StreamedRecord => ({
        shardId,
        sequenceNumber: record.SequenceNumber!,
        partitionKey: record.PartitionKey!,
        approximateArrivalTimestamp: record.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
        data: record.Data ?? new Uint8Array(),
      }),
    );
    // Nothing is written while the stream is read, so an empty page at the tip ends the shard.
    if (records.length === 0 && (page.MillisBehindLatest ?? 0) === 0) return;
    if (records.length > 0) {
      cursors.set(shardId, records[records.length - 1].sequenceNumber);
      yield records;
    }
    iterator = page.NextShardIterator;
  }
}
