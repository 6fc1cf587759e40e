import type { KinesisHttp } from './kinesis-call';
import type { StreamedRecord } from './streamed-record';

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
