/**
 * A record as read back from a stream, with the metadata Firehose passes on to its processor. (Apart from
 * read-stream.ts, so that firehose-batches.ts, bundled into the processor workers, does not pull in the SDK.)
 */
export interface StreamedRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** Epoch milliseconds. */
  readonly approximateArrivalTimestamp: number;
  readonly data: Uint8Array;
  /** The data as GetRecords answered it (base64), when the reader kept it so. */
  readonly base64?: string;
  /** The data's size in bytes, when the reader knows it without decoding or making a string of it. */
  readonly dataBytes?: number;
}

/** A record's data as base64 (as Firehose hands it to the processor), without re-encoding it when it came so. */
export function base64Of(record: StreamedRecord): string {
  return record.base64 ?? Buffer.from(record.data).toString('base64');
}

/** A record's data size in bytes, without decoding it when it came as base64. */
export function byteLengthOf(record: StreamedRecord): number {
  if (record.dataBytes !== undefined) return record.dataBytes;
  return record.base64 === undefined ? record.data.byteLength : base64ByteLength(record.base64);
}

/** The bytes base64 text decodes to, from its length and padding (without decoding it). */
export function base64ByteLength(text: string): number {
  return Math.floor((text.length * 3) / 4) - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
}

