import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { reusedBuffer } from './bytes';
import { joinedBytes } from './joined-bytes';
import { scanPutRecords } from './put-records-scan';
import { base64ByteLength } from './streamed-record';

/** For the server thread's start (local-kinesis.ts): its id, for the bench's CPU figures. */
export { currentThreadTid } from './thread-cpu';

/**
 * A Kinesis-compatible server in memory for the local mode: the Kinesis JSON 1.1 API (what the AWS SDKs and the
 * AWS CLI speak) over HTTP/1.1, for the operations a producer and a consumer use — CreateStream, DeleteStream,
 * ListStreams, DescribeStream(Summary), ListShards, PutRecord(s), GetShardIterator, GetRecords. Records are routed to
 * shards by the MD5 of their partition key (or their ExplicitHashKey) as on AWS, and PutRecords' limits are enforced
 * with Kinesis' error types. It replaces kinesalite in the local mode because kinesalite keeps records in a LevelDB
 * and spends most of a 100,000-record run on it (see docs/local-mode.md, "Throughput"); the bytes a record carries
 * are kept as the base64 text they arrived in and answered as is. Not modelled: throughput limits, resharding,
 * encryption, enhanced fan-out, retention (nothing expires while the server runs).
 */

/** Kinesis' request limits (the ones PutRecords and GetRecords document). */
export const KINESIS_LIMITS = {
  recordsPerPutRecords: 500,
  bytesPerPutRecords: 5 * 1024 * 1024,
  bytesPerRecord: 1024 * 1024,
  partitionKeyLength: 256,
  recordsPerGetRecords: 10_000,
  bytesPerGetRecords: 10 * 1024 * 1024,
} as const;

const HASH_MAX = (1n << 128n) - 1n;

/**
 * A shard's records. Each is kept as GetRecords answers it, serialised once when it was put: bytes `start` to `end`
 * of a chunk, the UTF-8 JSON of the records of one Put request that went to this shard (comma-separated, in order).
 * A GetRecords answer is slices of these chunks written as they are. Where each record is, its size and its arrival
 * are numbers in typed arrays: 100,000 stored records are a few hundred buffers outside the heap and a few arrays,
 * not an object and a string per record for the garbage collector to copy, promote and mark while the run goes on.
 */
class ShardRecords {
  public length = 0;
  private readonly chunks: Buffer[] = [];
  private chunkIndexes = new Uint32Array(1024);
  private starts = new Uint32Array(1024);
  private ends = new Uint32Array(1024);
  private sizes = new Uint32Array(1024);
  private arrivals = new Float64Array(1024);

  /** Keeps a chunk that records are then pushed into; returns its number. */
  public addChunk(chunk: Buffer): number {
    this.chunks.push(chunk);
    return this.chunks.length - 1;
  }

  /** Appends a record: its place in a chunk (`addChunk`'s number), the bytes its data decodes to, its arrival (ms). */
  public push(chunk: number, start: number, end: number, bytes: number, arrival: number): void {
    if (this.length === this.starts.length) this.grow();
    const i = this.length++;
    this.chunkIndexes[i] = chunk;
    this.starts[i] = start;
    this.ends[i] = end;
    this.sizes[i] = bytes;
    this.arrivals[i] = arrival;
  }

  public chunkOf(position: number): number {
    return this.chunkIndexes[position];
  }

  public chunk(index: number): Buffer {
    return this.chunks[index];
  }

  public start(position: number): number {
    return this.starts[position];
  }

  public end(position: number): number {
    return this.ends[position];
  }

  public bytes(position: number): number {
    return this.sizes[position];
  }

  public arrival(position: number): number {
    return this.arrivals[position];
  }

  /** How far behind the shard's tip a reader at `position` is, in ms: 0 at the tip, at least 1 behind it. */
  public millisBehind(position: number, now: number): number {
    // The arrival is read at the tip too (the array always has room): a load that ran only once a reader fell behind
    // made V8 throw away getRecords' optimized code the first time it did.
    const arrival = this.arrivals[Math.min(position, this.arrivals.length - 1)];
    return position < this.length ? Math.max(1, now - arrival) : 0;
  }

  private grow(): void {
    const grown = <T extends Uint32Array | Float64Array>(array: T): T => {
      const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
      bigger.set(array);
      return bigger;
    };
    this.chunkIndexes = grown(this.chunkIndexes);
    this.starts = grown(this.starts);
    this.ends = grown(this.ends);
    this.sizes = grown(this.sizes);
    this.arrivals = grown(this.arrivals);
  }
}

interface Shard {
  readonly id: string;
  readonly index: number;
  /** 32 hex digits, so that string order is numeric order. */
  readonly startHex: string;
  readonly endHex: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly records: ShardRecords;
}

interface Stream {
  readonly name: string;
  readonly arn: string;
  readonly created: number;
  readonly shards: Shard[];
}

/** An error Kinesis answers with a 400 and its `__type`. */
class KinesisError extends Error {
  constructor(
    public readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface KinesisServerOptions {
  readonly region: string;
  readonly account: string;
}

/** The server: `listen` on a port, then point any Kinesis client at `http://127.0.0.1:<port>`. */
export class KinesisServer {
  public readonly http: http.Server;
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly options: KinesisServerOptions) {
    this.http = http.createServer((request, response) => this.serve(request, response));
    this.http.keepAliveTimeout = 60_000;
  }

  private serve(request: http.IncomingMessage, response: http.ServerResponse): void {
    const body = this.bodyOf(request);
    request.on('data', body.add);
    request.on('end', () => {
      let status = 200;
      let answer: string | Buffer[];
      try {
        const target = String(request.headers['x-amz-target'] ?? '');
        const operation = target.startsWith('Kinesis_20131202.') ? target.slice('Kinesis_20131202.'.length) : '';
        const bytes = body.bytes();
        const scanned = operation === 'PutRecords' ? this.putScannedRecords(bytes) : undefined;
        if (scanned !== undefined) {
          answer = [scanned];
        } else {
          const text = bytes.toString('utf8');
          answer = this.dispatch(operation, text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));
        }
      } catch (error) {
        status = 400;
        const known = error instanceof KinesisError;
        const type = known ? error.type : error instanceof SyntaxError ? 'SerializationException' : 'InternalFailure';
        if (!known && !(error instanceof SyntaxError)) status = 500;
        answer = JSON.stringify({ __type: type, message: error instanceof Error ? error.message : String(error) });
      }
      const parts = Array.isArray(answer) ? answer : [answer];
      response.writeHead(status, {
        'Content-Type': 'application/x-amz-json-1.1',
        'Content-Length': parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0),
        'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
      });
      response.cork();
      for (const part of parts) response.write(part);
      response.end();
    });
  }

  /** Each connection's body buffer, reused from request to request (see `bodyOf`). */
  private readonly bodies = new WeakMap<object, Buffer>();

  /**
   * Collects a request's body. With a Content-Length (what every SDK and the mesh's client send), into its
   * connection's buffer, grown when a body does not fit and otherwise reused: requests on one connection come one
   * after the other, and nothing of a body is kept once its request is answered (records are copied into their
   * chunks). A new buffer per 700 KB PutRecords body was fresh memory each time (see put-records-scan.ts).
   */
  private bodyOf(request: http.IncomingMessage): { add: (chunk: Buffer) => void; bytes: () => Buffer } {
    const declared = Number(request.headers['content-length']);
    if (!Number.isSafeInteger(declared) || declared <= 0 || declared > MAX_REUSED_BODY) {
      const chunks: Buffer[] = [];
      return { add: (chunk) => chunks.push(chunk), bytes: () => (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)) };
    }
    const into = reusedBuffer(this.bodies.get(request.socket), declared, MAX_REUSED_BODY);
    this.bodies.set(request.socket, into);
    let filled = 0;
    let overflow: Buffer[] | undefined;
    return {
      add: (chunk) => {
        if (overflow === undefined && filled + chunk.length <= into.length) {
          filled += chunk.copy(into, filled);
        } else {
          overflow ??= [into.subarray(0, filled)];
          overflow.push(chunk);
        }
      },
      bytes: () => (overflow === undefined ? into.subarray(0, filled) : Buffer.concat(overflow)),
    };
  }

  /**
   * PutRecords of a body in the plain form (put-records-scan.ts) whose records Kinesis accepts, stored without
   * parsing the body: undefined for any other body, which `dispatch` then parses, checks and refuses as before.
   */
  private putScannedRecords(body: Buffer): Buffer | undefined {
    const put = scanPutRecords(body);
    const stream = put === undefined ? undefined : this.streams.get(put.streamName);
    // Sequence numbers and results of fixed width need a shard number of at most 6 digits (see sequenceOf).
    if (put === undefined || stream === undefined || stream.shards.length > 1_000_000) return undefined;
    const { records } = put;
    if (records.length === 0 || records.length > KINESIS_LIMITS.recordsPerPutRecords) return undefined;
    let total = 0;
    for (const record of records) {
      if (record.key.length < 1 || record.key.length > KINESIS_LIMITS.partitionKeyLength) return undefined;
      if (record.bytes + record.key.length > KINESIS_LIMITS.bytesPerRecord) return undefined;
      total += record.bytes + record.key.length;
    }
    if (total > KINESIS_LIMITS.bytesPerPutRecords) return undefined;
    const now = Date.now();
    const arrival = String(now / 1000);
    const shards = records.map((record) => this.route(stream, record.key, undefined));
    // Every record's result has the same length (sequence numbers and shard ids are fixed-width): record i's is at
    // its own place in the answer, written from its shard's template.
    const answer = Buffer.allocUnsafe(PUT_ANSWER_OPEN.length + records.length * (PUT_RESULT_LENGTH + 1) - 1 + PUT_ANSWER_CLOSE.length);
    PUT_ANSWER_OPEN.copy(answer, 0);
    PUT_ANSWER_CLOSE.copy(answer, answer.length - PUT_ANSWER_CLOSE.length);
    for (const shard of new Set(shards)) {
      // The shard's records as GetRecords answers them: a head (sequence number, arrival), then the record as the
      // body has it — `"Data":"…","PartitionKey":"…"}` — copied from the body.
      const first = sequenceOf(shard.index, 0);
      const head = Buffer.from(`{"SequenceNumber":"${first}","ApproximateArrivalTimestamp":${arrival},`, 'latin1');
      const result = Buffer.from(`{"SequenceNumber":"${first}","ShardId":"${shard.id}"}`, 'latin1');
      let size = -1;
      for (let i = 0; i < records.length; i++) {
        if (shards[i] === shard) size += 1 + head.length + (records[i].keyEnd + 2 - (records[i].dataStart - STORED_DATA_OPEN));
      }
      const chunk = Buffer.allocUnsafe(size);
      const chunkIndex = shard.records.addChunk(chunk);
      let offset = 0;
      for (let i = 0; i < records.length; i++) {
        if (shards[i] !== shard) continue;
        if (offset > 0) chunk[offset++] = 0x2c; /* , */
        const start = offset;
        const position = shard.records.length;
        offset += head.copy(chunk, offset);
        writeDigits(chunk, start + SEQUENCE_POSITION_AT, position, SEQUENCE_POSITION_DIGITS);
        const { dataStart, keyEnd, bytes } = records[i];
        offset += body.copy(chunk, offset, dataStart - STORED_DATA_OPEN, keyEnd + 2);
        shard.records.push(chunkIndex, start, offset, bytes, now);
        const at = PUT_ANSWER_OPEN.length + i * (PUT_RESULT_LENGTH + 1);
        result.copy(answer, at);
        writeDigits(answer, at + SEQUENCE_POSITION_AT, position, SEQUENCE_POSITION_DIGITS);
        if (i < records.length - 1) answer[at + PUT_RESULT_LENGTH] = 0x2c; /* , */
      }
    }
    return answer;
  }

  private dispatch(operation: string, input: Record<string, unknown>): string | Buffer[] {
    switch (operation) {
      case 'CreateStream':
        return this.createStream(input);
      case 'DeleteStream':
        this.stream(input).shards.length = 0;
        this.streams.delete(this.stream(input).name);
        return '{}';
      case 'ListStreams':
        return JSON.stringify({ StreamNames: [...this.streams.keys()].sort(), HasMoreStreams: false });
      case 'DescribeStream':
        return JSON.stringify({ StreamDescription: { ...this.summary(this.stream(input)), Shards: this.stream(input).shards.map(shardJson), HasMoreShards: false } });
      case 'DescribeStreamSummary':
        return JSON.stringify({ StreamDescriptionSummary: { ...this.summary(this.stream(input)), OpenShardCount: this.stream(input).shards.length, ConsumerCount: 0 } });
      case 'ListShards':
        return JSON.stringify({ Shards: this.streamOfListShards(input).shards.map(shardJson) });
      case 'PutRecord':
        return this.putRecord(input);
      case 'PutRecords':
        return this.putRecords(input);
      case 'GetShardIterator':
        return this.getShardIterator(input);
      case 'GetRecords':
        return this.getRecords(input);
      default:
        throw new KinesisError('UnknownOperationException', `The local Kinesis does not implement "${operation}".`);
    }
  }

  private createStream(input: Record<string, unknown>): string {
    const name = requireString(input, 'StreamName');
    if (this.streams.has(name)) throw new KinesisError('ResourceInUseException', `Stream ${name} under account ${this.options.account} already exists.`);
    const count = (input.ShardCount as number | undefined) ?? 4;
    if (!Number.isInteger(count) || count < 1) throw new KinesisError('ValidationException', `ShardCount must be a positive integer, got ${String(input.ShardCount)}.`);
    const width = (HASH_MAX + 1n) / BigInt(count);
    const shards = Array.from({ length: count }, (_, index): Shard => {
      const start = width * BigInt(index);
      const end = index === count - 1 ? HASH_MAX : start + width - 1n;
      return { id: `shardId-${String(index).padStart(12, '0')}`, index, start, end, startHex: hex(start), endHex: hex(end), records: new ShardRecords() };
    });
    const arn = `arn:aws:kinesis:${this.options.region}:${this.options.account}:stream/${name}`;
    this.streams.set(name, { name, arn, created: Date.now(), shards });
    return '{}';
  }

  private summary(stream: Stream) {
    return {
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: stream.created / 1000,
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      EncryptionType: 'NONE',
    };
  }

  private putRecord(input: Record<string, unknown>): string {
    const stream = this.stream(input);
    const [{ shard, sequenceNumber }] = this.append(stream, [input], Date.now(), () => 'PutRecord');
    return JSON.stringify({ ShardId: shard.id, SequenceNumber: sequenceNumber, EncryptionType: 'NONE' });
  }

  private putRecords(input: Record<string, unknown>): string {
    const stream = this.stream(input);
    const records = input.Records;
    if (!Array.isArray(records) || records.length === 0 || records.length > KINESIS_LIMITS.recordsPerPutRecords) {
      throw new KinesisError(
        'ValidationException',
        `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and ${KINESIS_LIMITS.recordsPerPutRecords}.`,
      );
    }
    let total = 0;
    for (const record of records as Array<Record<string, unknown>>) total += dataBytes(record) + String(record.PartitionKey ?? '').length;
    if (total > KINESIS_LIMITS.bytesPerPutRecords) {
      throw new KinesisError('InvalidArgumentException', `Records size exceeds 5 MB limit: ${total} bytes in one PutRecords request.`);
    }
    const stored = this.append(stream, records as Array<Record<string, unknown>>, Date.now(), (index) => `records.${index + 1}.member`);
    const results = stored.map(({ shard, sequenceNumber }) => `{"SequenceNumber":"${sequenceNumber}","ShardId":"${shard.id}"}`);
    return `{"FailedRecordCount":0,"Records":[${results.join(',')}],"EncryptionType":"NONE"}`;
  }

  /**
   * Validates a Put request's records (all before any is stored: a request Kinesis refuses stores nothing), routes
   * each to its shard and stores them, serialised as GetRecords answers them in one buffer.
   */
  private append(
    stream: Stream,
    records: ReadonlyArray<Record<string, unknown>>,
    now: number,
    where: (index: number) => string,
  ): Array<{ shard: Shard; sequenceNumber: string }> {
    const checked = records.map((record, index) => this.check(stream, record, where(index)));
    const arrival = String(now / 1000);
    const stored: Array<{ shard: Shard; sequenceNumber: string }> = new Array(checked.length);
    // One chunk per shard: the records a GetRecords answers together are one slice of it.
    for (const shard of new Set(checked.map((record) => record.shard))) {
      const parts: string[] = [];
      const sizes: number[] = [];
      checked.forEach(({ shard: to, data, key, bytes }, index) => {
        if (to !== shard) return;
        const sequenceNumber = sequenceOf(shard.index, shard.records.length + parts.length);
        sizes.push(bytes);
        parts.push(`{"SequenceNumber":"${sequenceNumber}","ApproximateArrivalTimestamp":${arrival},"Data":${quoted(data)},"PartitionKey":${JSON.stringify(key)}}`);
        stored[index] = { shard, sequenceNumber };
      });
      const { buffer: chunk, starts, ends } = joinedBytes(parts);
      const chunkIndex = shard.records.addChunk(chunk);
      for (let i = 0; i < parts.length; i++) shard.records.push(chunkIndex, starts[i], ends[i], sizes[i], now);
    }
    return stored;
  }

  /** Validates one record of a Put request and picks its shard. */
  private check(stream: Stream, record: Record<string, unknown>, where: string): { shard: Shard; data: string; key: string; bytes: number } {
    const data = record.Data;
    const key = record.PartitionKey;
    if (typeof data !== 'string') throw new KinesisError('ValidationException', `1 validation error detected: Value null at '${where}.data' failed to satisfy constraint: Member must not be null.`);
    if (typeof key !== 'string' || key.length < 1 || key.length > KINESIS_LIMITS.partitionKeyLength) {
      throw new KinesisError(
        'ValidationException',
        `1 validation error detected: Value at '${where}.partitionKey' failed to satisfy constraint: Member must have length between 1 and ${KINESIS_LIMITS.partitionKeyLength}.`,
      );
    }
    const bytes = dataBytes(record);
    if (bytes + key.length > KINESIS_LIMITS.bytesPerRecord) {
      throw new KinesisError('ValidationException', `1 validation error detected: Value at '${where}.data' failed to satisfy constraint: Member must have length less than or equal to 1048576.`);
    }
    return { shard: this.route(stream, key, record.ExplicitHashKey), data, key, bytes };
  }

  private route(stream: Stream, partitionKey: string, explicit: unknown): Shard {
    let key: string;
    if (typeof explicit === 'string') {
      if (!/^\d{1,39}$/.test(explicit) || BigInt(explicit) > HASH_MAX) {
        throw new KinesisError('InvalidArgumentException', `ExplicitHashKey ${explicit} is not a number between 0 and 2^128 - 1.`);
      }
      key = hex(BigInt(explicit));
    } else {
      key = md5Hex(partitionKey);
    }
    const shards = stream.shards;
    for (let i = 0; i < shards.length; i++) if (key <= shards[i].endHex) return shards[i];
    return shards[shards.length - 1];
  }

  private getShardIterator(input: Record<string, unknown>): string {
    const stream = this.stream(input);
    const shardId = requireString(input, 'ShardId');
    const shard = stream.shards.find((s) => s.id === shardId);
    if (shard === undefined) throw new KinesisError('ResourceNotFoundException', `Shard ${shardId} in stream ${stream.name} under account ${this.options.account} does not exist`);
    const type = requireString(input, 'ShardIteratorType');
    let position: number;
    switch (type) {
      case 'TRIM_HORIZON':
        position = 0;
        break;
      case 'LATEST':
        position = shard.records.length;
        break;
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER': {
        const at = positionOf(shard, requireString(input, 'StartingSequenceNumber'));
        position = type === 'AT_SEQUENCE_NUMBER' ? at : at + 1;
        break;
      }
      case 'AT_TIMESTAMP': {
        const at = Number(input.Timestamp) * 1000;
        position = 0;
        while (position < shard.records.length && shard.records.arrival(position) < at) position++;
        break;
      }
      default:
        throw new KinesisError('ValidationException', `ShardIteratorType ${type} is not one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP.`);
    }
    return JSON.stringify({ ShardIterator: iterator(stream.name, shard.index, position) });
  }

  private getRecords(input: Record<string, unknown>): Buffer[] {
    const raw = requireString(input, 'ShardIterator');
    const [name, index, position] = Buffer.from(raw, 'base64url').toString('utf8').split('\n');
    const stream = this.streams.get(name);
    const shard = stream?.shards[Number(index)];
    if (stream === undefined || shard === undefined || !/^\d+$/.test(position ?? '')) {
      throw new KinesisError('InvalidArgumentException', `Invalid ShardIterator: ${raw.slice(0, 40)}.`);
    }
    const limit = (input.Limit as number | undefined) ?? KINESIS_LIMITS.recordsPerGetRecords;
    if (!Number.isInteger(limit) || limit < 1 || limit > KINESIS_LIMITS.recordsPerGetRecords) {
      throw new KinesisError('ValidationException', `1 validation error detected: Value '${String(input.Limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000.`);
    }
    const from = Number(position);
    const records = shard.records;
    const parts: Buffer[] = [RECORDS_OPEN];
    let bytes = 0;
    let next = from;
    // Runs of records stored together (and consecutive in the shard) are one slice of their chunk.
    let runChunk = -1;
    let runStart = 0;
    let runEnd = 0;
    while (next < records.length && next - from < limit) {
      const size = records.bytes(next);
      if (next > from && bytes + size > KINESIS_LIMITS.bytesPerGetRecords) break;
      const chunk = records.chunkOf(next);
      const start = records.start(next);
      if (chunk === runChunk && start === runEnd + 1) {
        runEnd = records.end(next);
      } else {
        if (runChunk >= 0) parts.push(records.chunk(runChunk).subarray(runStart, runEnd), COMMA);
        runChunk = chunk;
        runStart = start;
        runEnd = records.end(next);
      }
      bytes += size;
      next++;
    }
    if (runChunk >= 0) parts.push(records.chunk(runChunk).subarray(runStart, runEnd));
    const behind = records.millisBehind(next, Date.now());
    parts.push(Buffer.from(`],"NextShardIterator":"${iterator(name, shard.index, next)}","MillisBehindLatest":${behind}}`, 'utf8'));
    return parts;
  }

  private stream(input: Record<string, unknown>): Stream {
    const name = typeof input.StreamName === 'string' ? input.StreamName : typeof input.StreamARN === 'string' ? input.StreamARN.split('/').pop()! : '';
    const stream = this.streams.get(name);
    if (stream === undefined) throw new KinesisError('ResourceNotFoundException', `Stream ${name} under account ${this.options.account} not found.`);
    return stream;
  }

  private streamOfListShards(input: Record<string, unknown>): Stream {
    if (typeof input.NextToken === 'string') return this.stream({ StreamName: input.NextToken });
    return this.stream(input);
  }
}

const BASE64_SCRATCH = Buffer.allocUnsafeSlow(KINESIS_LIMITS.bytesPerRecord);

/**
 * `data` as a JSON string. Base64 as SDKs send it needs no escaping, and checking that (decode, encode, compare:
 * about 1 µs for 1 KB) is four times cheaper than `JSON.stringify` scanning it for characters to escape; anything
 * else is stringified as it is.
 */
function quoted(data: string): string {
  if (data.length <= (BASE64_SCRATCH.length * 4) / 3) {
    const length = BASE64_SCRATCH.write(data, 0, 'base64');
    if (BASE64_SCRATCH.toString('base64', 0, length) === data) return `"${data}"`;
  }
  return JSON.stringify(data);
}

const RECORDS_OPEN = Buffer.from('{"Records":[', 'utf8');
/** A scanned record's data starts after `{"Data":"`; what is stored starts at its `"Data":"`. */
const STORED_DATA_OPEN = '"Data":"'.length;

const PUT_ANSWER_OPEN = Buffer.from('{"FailedRecordCount":0,"Records":[', 'latin1');
const PUT_ANSWER_CLOSE = Buffer.from('],"EncryptionType":"NONE"}', 'latin1');
/** `{"SequenceNumber":"…","ShardId":"shardId-…"}`: the same length for every record. */
const PUT_RESULT_LENGTH = `{"SequenceNumber":"${'0'.repeat(28)}","ShardId":"shardId-${'0'.repeat(12)}"}`.length;
/** Where a record's position (its last 20 digits) starts in `{"SequenceNumber":"…` (see sequenceOf). */
const SEQUENCE_POSITION_AT = '{"SequenceNumber":"49000000'.length;
const SEQUENCE_POSITION_DIGITS = 20;

/** Writes `value` (a whole number below 10^width) as `width` decimal digits, zero-padded, at `at`. */
function writeDigits(target: Buffer, at: number, value: number, width: number): void {
  for (let i = at + width - 1; i >= at; i--) {
    target[i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
}

/** The largest body kept in a connection's reused buffer: a PutRecords at Kinesis' 5 MiB limit, with room for its JSON. */
const MAX_REUSED_BODY = 8 * 1024 * 1024;
const COMMA = Buffer.from(',', 'utf8');

/** The MD5 of a partition key in hex (Kinesis' routing hash): the one-shot `crypto.hash` where Node has it (20.12+), twice as fast. */
const md5Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash: (algorithm: string, data: string, encoding: string) => string }).hash('md5', text, 'hex')
    : (text) => crypto.createHash('md5').update(text, 'utf8').digest('hex');

function shardJson(shard: Shard) {
  return {
    ShardId: shard.id,
    HashKeyRange: { StartingHashKey: shard.start.toString(), EndingHashKey: shard.end.toString() },
    SequenceNumberRange: { StartingSequenceNumber: sequenceOf(shard.index, 0) },
  };
}

function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new KinesisError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null.`);
  }
  return value;
}

/** Bytes of a record's data from its base64 length, without decoding it. */
function dataBytes(record: Record<string, unknown>): number {
  return base64ByteLength(typeof record.Data === 'string' ? record.Data : '');
}

function hex(value: bigint): string {
  return value.toString(16).padStart(32, '0');
}

/**
 * Sequence numbers are decimal, grow within a shard, and here encode the shard and the record's position in it
 * (fixed width, so string order is numeric order): `49` + shard (6 digits) + position (20 digits).
 */
function sequenceOf(shard: number, position: number): string {
  return `49${String(shard).padStart(6, '0')}${String(position).padStart(20, '0')}`;
}

function positionOf(shard: Shard, sequenceNumber: string): number {
  if (!/^49\d{26}$/.test(sequenceNumber) || Number(sequenceNumber.slice(2, 8)) !== shard.index) {
    throw new KinesisError('InvalidArgumentException', `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${shard.id} is invalid.`);
  }
  return Number(sequenceNumber.slice(8));
}

function iterator(stream: string, shard: number, position: number): string {
  return Buffer.from(`${stream}\n${shard}\n${position}`, 'utf8').toString('base64url');
}
