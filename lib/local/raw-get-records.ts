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
    const text = answer.body.toString('utf8');
    if (answer.status === 200) {
      const sliced = slicedPage(text, shardId);
      if (sliced !== undefined) return sliced;
    }
    const page = JSON.parse(text) as RawPage & { __type?: string; message?: string };
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

const RECORD = '{"SequenceNumber":"';
const ARRIVAL = '","ApproximateArrivalTimestamp":';
const DATA = ',"Data":"';
const KEY = '","PartitionKey":';
const DIGITS = /^\d{1,64}$/;
const TIMESTAMP = /^\d{1,16}(\.\d{1,9})?$/;
const TAIL = /^\],"NextShardIterator":("[^"\\]*"),"MillisBehindLatest":(\d+)\}$/;

/**
 * The records of a GetRecords answer of the local server (kinesis-server.ts writes each as
 * `{"SequenceNumber":"…","ApproximateArrivalTimestamp":…,"Data":"…","PartitionKey":…}`), each record's base64 a
 * slice of the answer's text: V8 keeps a slice as a reference into the text rather than a copy, so a page of 10,000
 * records is one 10 MB string, not 10,000 strings the garbage collector copies while the page is processed (in a
 * processor worker, that copying was a tenth of its time). Undefined when the text is not exactly of that form (a
 * `Data` with an escape in it, another server): the caller parses it with JSON.parse.
 */
export function slicedPage(text: string, shardId: string): RecordsPage | undefined {
  if (!text.startsWith('{"Records":[')) return undefined;
  const records: StreamedRecord[] = [];
  let at = '{"Records":['.length;
  if (text.charCodeAt(at) !== 0x5d /* ] */) {
    for (;;) {
      if (!text.startsWith(RECORD, at)) return undefined;
      const arrivalAt = text.indexOf(ARRIVAL, at + RECORD.length);
      const dataAt = text.indexOf(DATA, arrivalAt);
      const keyAt = text.indexOf(KEY, dataAt);
      if (arrivalAt < 0 || dataAt < 0 || keyAt < 0) return undefined;
      const data = text.slice(dataAt + DATA.length, keyAt);
      if (data.includes('"') || data.includes('\\')) return undefined;
      // The partition key is a JSON string, then the record's `}` and a `,` or the `]` that ends the records.
      if (text.charCodeAt(keyAt + KEY.length) !== 0x22 /* " */) return undefined;
      let keyEnd = keyAt + KEY.length + 1;
      for (;;) {
        keyEnd = text.indexOf('"', keyEnd);
        if (keyEnd < 0) return undefined;
        let backslashes = 0;
        while (text.charCodeAt(keyEnd - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        keyEnd++;
      }
      const keyToken = text.slice(keyAt + KEY.length, keyEnd + 1);
      const arrival = text.slice(arrivalAt + ARRIVAL.length, dataAt);
      const sequenceNumber = text.slice(at + RECORD.length, arrivalAt);
      // Each part where it belongs: a search that ran into the next record finds no digits there.
      if (text.charCodeAt(keyEnd + 1) !== 0x7d /* } */ || !DIGITS.test(sequenceNumber) || !TIMESTAMP.test(arrival)) return undefined;
      const partitionKey = keyToken.includes('\\') ? (JSON.parse(keyToken) as string) : keyToken.slice(1, -1);
      records.push(new Base64Record(shardId, sequenceNumber, partitionKey, Math.round(Number(arrival) * 1000), data));
      at = keyEnd + 2;
      if (text.charCodeAt(at) !== 0x2c /* , */) break;
      at++;
    }
  }
  const tail = TAIL.exec(text.slice(at));
  if (tail === null) return undefined;
  return { records, next: JSON.parse(tail[1]) as string, millisBehindLatest: Number(tail[2]) };
}

interface RawPage {
  readonly Records: ReadonlyArray<{ SequenceNumber: string; PartitionKey: string; ApproximateArrivalTimestamp: number; Data: string }>;
  readonly NextShardIterator?: string;
  readonly MillisBehindLatest?: number;
}

/** What reading one page of a shard gave: as many records, where to go on from, and how far behind the tip. */
export interface ShardPage {
  readonly count: number;
  readonly next?: string;
  readonly millisBehindLatest?: number;
  readonly lastSequenceNumber?: string;
}

/** What `readShards` (read-stream.ts) needs of a GetRecords page. */
export function shardPageOf(page: RecordsPage): ShardPage {
  const { records, next, millisBehindLatest } = page;
  return { count: records.length, next, millisBehindLatest, lastSequenceNumber: records.at(-1)?.sequenceNumber };
}

/** A GetRecords page: its records, the next iterator (none when the shard is closed) and how far behind the tip. */
export interface RecordsPage {
  readonly records: StreamedRecord[];
  readonly next?: string;
  readonly millisBehindLatest?: number;
}

/** One GetRecords call. */
export type GetRecordsPage = (shardId: string, iterator: string, limit: number) => Promise<RecordsPage>;
