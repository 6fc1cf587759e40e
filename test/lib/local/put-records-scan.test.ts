/**
 * The local Kinesis server's reading of PutRecords bodies as bytes: the bodies the AWS SDK v3 and the mesh's own
 * client send are found whole, each record's data and key exactly where JSON.parse finds them; anything unusual is
 * left to JSON.parse (undefined).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { rawPutRecordsClient, kinesisHttp } from '../../../lib/local/kinesis-http';
import { scanPutRecords } from '../../../lib/local/put-records-scan';
import { base64ByteLength } from '../../../lib/local/streamed-record';

/** The body a client sends for PutRecords, captured by a server that answers like Kinesis. */
async function bodyOf(send: (endpoint: string) => Promise<unknown>): Promise<Buffer> {
  let body: Buffer | undefined;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      body = Buffer.concat(chunks);
      const count = (JSON.parse(body.toString('utf8')) as { Records: unknown[] }).Records.length;
      const records = Array.from({ length: count }, (_, i) => ({ SequenceNumber: String(i), ShardId: 'shardId-000000000000' }));
      const answer = JSON.stringify({ FailedRecordCount: 0, Records: records });
      response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(answer) });
      response.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
  }
  return body!;
}

/** What JSON.parse makes of the body, in the scanner's terms. */
function parsed(body: Buffer) {
  const input = JSON.parse(body.toString('utf8')) as { StreamName: string; Records: Array<{ Data: string; PartitionKey: string }> };
  return {
    streamName: input.StreamName,
    records: input.Records.map((r) => ({ data: r.Data, key: r.PartitionKey, bytes: base64ByteLength(r.Data) })),
  };
}

function scanned(body: Buffer) {
  const put = scanPutRecords(body);
  if (put === undefined) return undefined;
  return {
    streamName: put.streamName,
    records: put.records.map((r) => {
      expect(body.toString('latin1', r.keyStart, r.keyEnd)).toBe(r.key);
      return { data: body.toString('latin1', r.dataStart, r.dataEnd), key: r.key, bytes: r.bytes };
    }),
  };
}

const records = ['{"n":1}', '', 'é ünï 🚀', 'x'.repeat(1000), 'ab', 'abc'].map((data, i) => ({ data, partitionKey: `key-${i}` }));

describe('scanPutRecords', () => {
  it("finds the AWS SDK's body (records first, the stream name after them) as JSON.parse does", async () => {
    const body = await bodyOf(async (endpoint) => {
      // Over HTTP/1.1, as a producer pointed at `mesh dev --watch` talks to it (the SDK's default for Kinesis is HTTP/2).
      const client = new KinesisClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: new NodeHttpHandler() });
      await client.send(new PutRecordsCommand({ StreamName: 'orders', Records: records.map((r) => ({ Data: Buffer.from(r.data), PartitionKey: r.partitionKey })) }));
      client.destroy();
    });
    expect(body.toString('latin1', 0, 12)).toBe('{"Records":[');
    expect(scanned(body)).toEqual(parsed(body));
  });

  it("finds the mesh's own client's body (the stream name first) as JSON.parse does", async () => {
    const body = await bodyOf(async (endpoint) => {
      const http = kinesisHttp(endpoint);
      await rawPutRecordsClient(http).send(
        new PutRecordsCommand({ StreamName: 'orders', Records: records.map((r) => ({ Data: Buffer.from(r.data), PartitionKey: r.partitionKey })) }),
      );
      http.close();
    });
    expect(body.toString('latin1', 0, 15)).toBe('{"StreamName":"');
    expect(scanned(body)).toEqual(parsed(body));
  });

  it('leaves anything unusual to JSON.parse', () => {
    const plain = '{"StreamName":"s","Records":[{"Data":"YQ==","PartitionKey":"k"}]}';
    expect(scanned(Buffer.from(plain))).toEqual({ streamName: 's', records: [{ data: 'YQ==', key: 'k', bytes: 1 }] });
    for (const body of [
      plain.replace('"k"', '"k\\u0041"'), // an escape
      plain.replace('"k"', '"ké"'), // a key beyond ASCII
      plain.replace('YQ==', 'Y Q=='), // data that is not base64
      plain.replace('"k"}', '"k","ExplicitHashKey":"1"}'), // another field
      plain.replace('{"StreamName":"s",', '{ "StreamName":"s",'), // whitespace
      plain.replace('StreamName', 'StreamARN'),
      plain.slice(0, -1), // cut short
      `${plain} `, // something after it
      '{"StreamName":"s","Records":[{"Data":"YQ==","PartitionKey":"k"},]}',
    ]) {
      expect(scanPutRecords(Buffer.from(body)), body).toBeUndefined();
    }
  });
});
