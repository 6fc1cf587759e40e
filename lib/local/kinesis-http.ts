import type { PutRecordsCommand, PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { base64Length, reusedBuffer, writeBase64 } from './bytes';
import type { KinesisHttp } from './kinesis-call';
import { publishRecords, type FailedRecord, type PublishRecord, type PublishResult, type PutRecordsClient } from '../../lambdas/publisher';

export { kinesisHttp, type KinesisHttp } from './kinesis-call';

/** A Kinesis error answer (`__type` and message) as the SDK throws it: the publisher reads the code from `name`. */
export class KinesisHttpError extends Error {
  constructor(
    type: string,
    message: string,
    public readonly statusCode: number,
  ) {
    super(message);
    this.name = type;
  }
}

/** Throws the Kinesis error of a non-200 answer, with the operation named. */
export function checkAnswer(operation: string, answer: { readonly status: number; readonly body: Buffer }): void {
  if (answer.status === 200) return;
  let type = `Http${answer.status}`;
  let message = answer.body.toString('utf8');
  try {
    const parsed = JSON.parse(message) as { __type?: string; message?: string };
    type = parsed.__type?.split('#').pop() ?? type;
    message = parsed.message ?? message;
  } catch {
    // not JSON: keep the text
  }
  throw new KinesisHttpError(type, `${operation} failed: ${message}`, answer.status);
}

/**
 * The shared publisher's client (`publishRecords` takes any `PutRecordsClient`) speaking PutRecords to the local
 * server: the command's input serialised as the SDK would (`Data` base64, the stream by name or ARN), its answer
 * returned as the SDK's output (per-record `SequenceNumber`/`ShardId` or `ErrorCode`/`ErrorMessage`), and an error
 * answer thrown with Kinesis' error type as its `name` so that retries and permanent failures behave as with the SDK.
 */
export function rawPutRecordsClient(http: KinesisHttp): PutRecordsClient {
  // Request bodies (~700 KB) are written into buffers reused from one request to the next, one per request in
  // flight: a new one for each was fresh memory each time (see docs/local-mode.md, "Throughput").
  const bodies: Buffer[] = [];
  return {
    send: async (command: PutRecordsCommand): Promise<PutRecordsCommandOutput> => {
      const spare = bodies.pop();
      let body: Buffer | undefined;
      let answer: Awaited<ReturnType<KinesisHttp['call']>>;
      try {
        const request = putRecordsBody(command.input, (bytes) => (body = reusedBuffer(spare, bytes)));
        answer = await http.call('PutRecords', request);
      } finally {
        // Answered or failed, the request is no longer being written.
        if (body !== undefined) bodies.push(body);
      }
      checkAnswer('PutRecords', answer);
      const output = JSON.parse(answer.body.toString('utf8')) as Omit<PutRecordsCommandOutput, '$metadata'>;
      return { ...output, $metadata: { httpStatusCode: answer.status } };
    },
  };
}

const RECORD_OPEN = Buffer.from('{"Data":"', 'latin1');
const RECORD_KEY = Buffer.from('","PartitionKey":', 'latin1');
const RECORD_HASH_KEY = Buffer.from(',"ExplicitHashKey":', 'latin1');

/**
 * The JSON body of a PutRecords request (`Data` base64, the stream by name or ARN), written into the buffer `room`
 * gives for its size: each record's data is encoded straight into it (`writeBase64`), with no string per record.
 */
export function putRecordsBody(input: PutRecordsCommand['input'], room: (bytes: number) => Buffer): Buffer {
  const { StreamName, StreamARN, Records = [] } = input;
  const head = `{${StreamARN !== undefined ? `"StreamARN":${JSON.stringify(StreamARN)}` : `"StreamName":${JSON.stringify(StreamName)}`},"Records":[`;
  const keys: string[] = new Array(Records.length);
  const hashKeys: Array<string | undefined> = new Array(Records.length);
  let size = Buffer.byteLength(head, 'utf8') + Math.max(0, Records.length - 1) + 2;
  for (let i = 0; i < Records.length; i++) {
    const { Data, PartitionKey, ExplicitHashKey } = Records[i];
    keys[i] = JSON.stringify(PartitionKey ?? '');
    size += RECORD_OPEN.length + base64Length(Data?.byteLength ?? 0) + RECORD_KEY.length + Buffer.byteLength(keys[i], 'utf8') + 1;
    if (ExplicitHashKey !== undefined) {
      hashKeys[i] = JSON.stringify(ExplicitHashKey);
      size += RECORD_HASH_KEY.length + Buffer.byteLength(hashKeys[i]!, 'utf8');
    }
  }
  const body = room(size);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = body.write(head, 0, 'utf8');
  for (let i = 0; i < Records.length; i++) {
    if (i > 0) body[at++] = 0x2c; /* , */
    at += RECORD_OPEN.copy(body, at);
    const data = Records[i].Data;
    if (data !== undefined) at = writeBase64(data, view, at);
    at += RECORD_KEY.copy(body, at);
    at += body.write(keys[i], at, 'utf8');
    const hashKey = hashKeys[i];
    if (hashKey !== undefined) {
      at += RECORD_HASH_KEY.copy(body, at);
      at += body.write(hashKey, at, 'utf8');
    }
    body[at++] = 0x7d; /* } */
  }
  body[at++] = 0x5d; /* ] */
  body[at++] = 0x7d; /* } */
  return body.subarray(0, at);
}

/** How many PutRecords requests `publishInLanes` keeps in flight. */
export const PUBLISH_LANES = 2;

/** Records a lane hands `publishRecords` at a time (5 full requests). */
const LANE_SLICE = 2_500;

/**
 * The shared publisher on `lanes` requests at once: records are split into lanes by their partition key (or
 * explicit hash key), each lane published in order with `publishRecords`, so that records of one key keep their
 * order (the order Kinesis guarantees) while the server stores one request as the next one is serialised.
 * The result is `publishRecords`' for the whole input (failed records by their index in `records`).
 */
export async function publishInLanes<R extends PublishRecord>(
  client: PutRecordsClient,
  streamName: string,
  records: readonly R[],
  lanes = PUBLISH_LANES,
): Promise<PublishResult<R>> {
  const split = Array.from({ length: Math.max(1, lanes) }, () => ({ records: [] as R[], indexes: [] as number[] }));
  records.forEach((record, index) => {
    const lane = split[laneOf(record.explicitHashKey ?? record.partitionKey, split.length)];
    lane.records.push(record);
    lane.indexes.push(index);
  });
  // Each lane in slices: `publishRecords` turns every record it is given into a Buffer first, and 100,000 ~1 KB
  // Buffers alive at once made the garbage collector run over and over.
  const results = await Promise.all(
    split.map(async (lane) => {
      const parts: Array<{ result: PublishResult<R>; offset: number }> = [];
      for (let offset = 0; offset < lane.records.length; offset += LANE_SLICE) {
        parts.push({ result: await publishRecords(client, streamName, lane.records.slice(offset, offset + LANE_SLICE)), offset });
      }
      return parts.map(({ result, offset }) => ({ lane, result, offset }));
    }),
  ).then((lanes) => lanes.flat());
  const failed: FailedRecord<R>[] = results
    .flatMap(({ lane, result, offset }) => result.failed.map((failure) => ({ ...failure, index: lane.indexes[offset + failure.index] })))
    .sort((a, b) => a.index - b.index);
  return {
    delivered: results.reduce((sum, { result }) => sum + result.delivered, 0),
    failed,
    requests: results.reduce((sum, { result }) => sum + result.requests, 0),
    rounds: results.reduce((most, { result }) => Math.max(most, result.rounds), 0),
  };
}

/** A key's lane: FNV-1a over its UTF-16 code units (any stable spread will do; this is not Kinesis' routing). */
function laneOf(key: unknown, lanes: number): number {
  if (lanes === 1 || typeof key !== 'string') return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}
