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
export async function* streamPages(client: KinesisClient, streamName: string): AsyncGenerator<StreamedRecord[]> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }),
    );
    for (const shard of page.Shards ?? []) yield* shardPages(client, streamName, shard.ShardId!);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
}

async function* shardPages(client: KinesisClient, streamName: string, shardId: string): AsyncGenerator<StreamedRecord[]> {
  let iterator = (
    await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
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
    if (records.length > 0) yield records;
    iterator = page.NextShardIterator;
  }
}
