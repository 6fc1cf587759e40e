import { isAscii } from 'node:buffer';
import { base64BytesAt, startsAt } from './bytes';
import type { AnswerBuffer, KinesisHttp } from './kinesis-call';
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
 * A record of an answer read as bytes (`slicedPage`): its base64 is made a string from the answer's bytes each time
 * it is asked for (as the processor event of its batch is built), and not kept: a page's records live until the
 * whole page is processed, and 10,000 kept strings of ~1.4 KB were what the worker's collector copied over and over.
 */
class SlicedRecord implements StreamedRecord {
  public readonly dataBytes: number;
  constructor(
    public readonly shardId: string,
    public readonly sequenceNumber: string,
    public readonly partitionKey: string,
    public readonly approximateArrivalTimestamp: number,
    private readonly page: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.dataBytes = base64BytesAt(page, start, end);
  }

  public get base64(): string {
    return this.page.toString('latin1', this.start, this.end);
  }

  public get data(): Uint8Array {
    return Buffer.from(this.base64, 'base64');
  }
}

/**
 * GetRecords through the Kinesis JSON API without the SDK's parsing: the local mode's Firehose reads the local
 * stream with it (the SDK decodes every record's base64 only for the local mode to encode it again for the
 * processor; with 100,000 records that was a tenth of a run), over the same HTTP client as the mesh's PutRecords.
 * With `reuse`, every answer is read into that one buffer: a page's records are then valid only until the next
 * call (a processor worker reads a page, processes it whole and only then reads the next).
 */
export function rawGetRecords(kinesis: KinesisHttp, reuse?: AnswerBuffer): GetRecordsPage {
  return async (shardId, iterator, limit) => {
    const answer = await kinesis.call('GetRecords', JSON.stringify({ ShardIterator: iterator, Limit: limit }), reuse);
    if (answer.status === 200) {
      const sliced = slicedPage(answer.body, shardId);
      if (sliced !== undefined) return sliced;
    }
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

const token = (text: string) => Buffer.from(text, 'latin1');
const OPEN = token('{"Records":[');
const RECORD = token('{"SequenceNumber":"');
const ARRIVAL = token('","ApproximateArrivalTimestamp":');
const DATA = token(',"Data":"');
const KEY = token('","PartitionKey":"');
const DIGITS = /^\d{1,64}$/;
const TIMESTAMP = /^\d{1,16}(\.\d{1,9})?$/;
const TAIL = /^\],"NextShardIterator":("[^"\\]*"),"MillisBehindLatest":(\d+)\}$/;

/**
 * The records of a GetRecords answer of the local server (kinesis-server.ts writes each as
 * `{"SequenceNumber":"…","ApproximateArrivalTimestamp":…,"Data":"…","PartitionKey":…}`), read from the answer's
 * bytes: no string of the whole answer (10 MB for a page of 10,000 records, fresh memory every time), only each
 * record's small fields, and its base64 when it is asked for. Undefined when the answer is not exactly of that form
 * (a `Data` with an escape or a character beyond ASCII in it, another server): the caller parses it with JSON.parse.
 */
export function slicedPage(page: Buffer, shardId: string): RecordsPage | undefined {
  if (!startsAt(page, 0, OPEN)) return undefined;
  const ascii = isAscii(page);
  const records: StreamedRecord[] = [];
  let at = OPEN.length;
  // The next backslash at or after `at` (-1: none): data must have none, a partition key may.
  let backslash = page.indexOf(0x5c, at);
  if (page[at] !== 0x5d /* ] */) {
    for (;;) {
      if (!startsAt(page, at, RECORD)) return undefined;
      const sequenceEnd = page.indexOf(0x22, at + RECORD.length);
      if (sequenceEnd < 0 || !startsAt(page, sequenceEnd, ARRIVAL)) return undefined;
      const arrivalStart = sequenceEnd + ARRIVAL.length;
      const arrivalEnd = page.indexOf(0x2c /* , */, arrivalStart);
      if (arrivalEnd < 0 || !startsAt(page, arrivalEnd, DATA)) return undefined;
      const dataStart = arrivalEnd + DATA.length;
      const dataEnd = page.indexOf(0x22, dataStart);
      if (dataEnd < 0 || !startsAt(page, dataEnd, KEY)) return undefined;
      if (backslash >= 0 && backslash < dataStart) backslash = page.indexOf(0x5c, dataStart);
      if (backslash >= 0 && backslash < dataEnd) return undefined;
      if (!ascii && !isAscii(page.subarray(dataStart, dataEnd))) return undefined;
      // The partition key is a JSON string, then the record's `}` and a `,` or the `]` that ends the records.
      const keyStart = dataEnd + KEY.length - 1;
      let keyEnd = keyStart + 1;
      for (;;) {
        keyEnd = page.indexOf(0x22, keyEnd);
        if (keyEnd < 0) return undefined;
        let backslashes = 0;
        while (page[keyEnd - 1 - backslashes] === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        keyEnd++;
      }
      if (page[keyEnd + 1] !== 0x7d /* } */) return undefined;
      const sequenceNumber = page.toString('latin1', at + RECORD.length, sequenceEnd);
      const arrival = page.toString('latin1', arrivalStart, arrivalEnd);
      // Each part where it belongs: a search that ran into the next record finds no digits there.
      if (!DIGITS.test(sequenceNumber) || !TIMESTAMP.test(arrival)) return undefined;
      const escaped = backslash >= 0 && backslash < keyEnd;
      const partitionKey = escaped ? (JSON.parse(page.toString('utf8', keyStart, keyEnd + 1)) as string) : page.toString('utf8', keyStart + 1, keyEnd);
      records.push(new SlicedRecord(shardId, sequenceNumber, partitionKey, Math.round(Number(arrival) * 1000), page, dataStart, dataEnd));
      at = keyEnd + 2;
      if (page[at] !== 0x2c /* , */) break;
      at++;
    }
  }
  const tail = TAIL.exec(page.toString('utf8', at));
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
