/**
 * PutRecords bodies read as bytes, for the local Kinesis server (kinesis-server.ts): the form the mesh's own client
 * (kinesis-http.ts) and the AWS SDK v3 write — `{"StreamName":"…","Records":[{"Data":"…","PartitionKey":"…"},…]}`,
 * or the records first and the stream name after them — is found in the body without making it a string and parsing
 * it. Each record's data is then copied from the body into the stored chunk as it is: a 700 KB body was a string
 * of fresh memory, a record object and a data string per record, and fresh memory costs on this kind of machine
 * about twenty times what a copy into memory already in use does (docs/local-mode.md, "Throughput").
 *
 * Anything else — an escape anywhere in the body, whitespace between tokens, other fields (`ExplicitHashKey`, a
 * `StreamARN`), data that is not base64, a partition key beyond printable ASCII — is undefined, and the server parses
 * the body with JSON.parse as before, so every error and every unusual request is answered by the one general path.
 */

import { base64BytesAt, startsAt } from './bytes';

/** A record found in a body: where its base64 data and its partition key are, the key, and the bytes the data decodes to. */
export interface ScannedRecord {
  readonly dataStart: number;
  readonly dataEnd: number;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly key: string;
  readonly bytes: number;
}

export interface ScannedPut {
  readonly streamName: string;
  readonly records: ScannedRecord[];
}

const token = (text: string) => Buffer.from(text, 'latin1');
const NAME_FIRST = token('{"StreamName":"');
const RECORDS_AFTER_NAME = token('","Records":[');
const RECORDS_FIRST = token('{"Records":[');
const NAME_AFTER_RECORDS = token(',"StreamName":"');
const DATA = token('{"Data":"');
const KEY = token('","PartitionKey":"');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The base64 alphabet and its padding (what needs no escaping in a JSON string). */
const BASE64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') BASE64[c.charCodeAt(0)] = 1;

/** The body's stream name and records, or undefined when the body is not of the plain form (see above). */
export function scanPutRecords(body: Buffer): ScannedPut | undefined {
  if (body.indexOf(BACKSLASH) >= 0) return undefined;
  let streamName: string | undefined;
  let at: number;
  if (startsAt(body, 0, NAME_FIRST)) {
    const end = body.indexOf(QUOTE, NAME_FIRST.length);
    streamName = end < 0 ? undefined : printable(body, NAME_FIRST.length, end);
    if (streamName === undefined || !startsAt(body, end, RECORDS_AFTER_NAME)) return undefined;
    at = end + RECORDS_AFTER_NAME.length;
  } else if (startsAt(body, 0, RECORDS_FIRST)) {
    at = RECORDS_FIRST.length;
  } else {
    return undefined;
  }
  const records: ScannedRecord[] = [];
  if (body[at] !== 0x5d /* ] */) {
    for (;;) {
      if (!startsAt(body, at, DATA)) return undefined;
      const dataStart = at + DATA.length;
      const dataEnd = body.indexOf(QUOTE, dataStart);
      if (dataEnd < 0 || !isBase64(body, dataStart, dataEnd) || !startsAt(body, dataEnd, KEY)) return undefined;
      const keyStart = dataEnd + KEY.length;
      const keyEnd = body.indexOf(QUOTE, keyStart);
      if (keyEnd < 0 || body[keyEnd + 1] !== 0x7d /* } */) return undefined;
      const key = printable(body, keyStart, keyEnd);
      if (key === undefined) return undefined;
      records.push({ dataStart, dataEnd, keyStart, keyEnd, key, bytes: base64BytesAt(body, dataStart, dataEnd) });
      at = keyEnd + 2;
      if (body[at] !== 0x2c /* , */) break;
      at++;
    }
  }
  if (body[at] !== 0x5d /* ] */) return undefined;
  at++;
  if (streamName === undefined) {
    if (!startsAt(body, at, NAME_AFTER_RECORDS)) return undefined;
    const end = body.indexOf(QUOTE, at + NAME_AFTER_RECORDS.length);
    streamName = end < 0 ? undefined : printable(body, at + NAME_AFTER_RECORDS.length, end);
    if (streamName === undefined) return undefined;
    at = end + 1;
  }
  return body[at] === 0x7d /* } */ && at + 1 === body.length ? { streamName, records } : undefined;
}

function isBase64(body: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (BASE64[body[i]] === 0) return false;
  return true;
}

/** The text of `start`–`end` if every byte is printable ASCII (so the JSON string is the text itself), else undefined. */
function printable(body: Buffer, start: number, end: number): string | undefined {
  for (let i = start; i < end; i++) if (body[i] < 0x20 || body[i] > 0x7e) return undefined;
  return body.toString('latin1', start, end);
}
