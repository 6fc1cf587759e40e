import * as http from 'node:http';

/**
 * The Kinesis JSON 1.1 API over HTTP without the AWS SDK, for the local mode's own calls to its local server
 * (kinesis-server.ts): the same operations, request and response bodies as the SDK sends, without its middleware
 * stack, its SigV4 signing (a SHA-256 of every 5 MiB body the local server never checks) and its per-record
 * serialisation. In a 100,000-record run the SDK's PutRecords cost more CPU than the server's work (see
 * docs/local-mode.md, "Throughput"). Producers of the team (`mesh dev --watch`) still use the SDK or the CLI.
 */
export interface KinesisHttp {
  /**
   * POSTs one operation's JSON body; resolves with the status and the raw answer. With `reuse`, the answer is read
   * into that buffer (grown when an answer does not fit), so it is valid only until the next call with it.
   */
  call(operation: string, body: string | Buffer, reuse?: AnswerBuffer): Promise<{ readonly status: number; readonly body: Buffer }>;
  close(): void;
}

/**
 * A buffer a caller reads its answers into, one call after the other: a processor worker reads 10 MB pages, and a
 * new buffer for each was fresh memory each time (see docs/local-mode.md, "Throughput").
 */
export interface AnswerBuffer {
  buffer?: Buffer;
}

export function kinesisHttp(endpoint: string): KinesisHttp {
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  return {
    call: (operation, body, reuse) =>
      new Promise((resolve, reject) => {
        const request = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/',
            agent,
            headers: {
              'Content-Type': 'application/x-amz-json-1.1',
              'X-Amz-Target': `Kinesis_20131202.${operation}`,
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (response) => {
            const declared = Number(response.headers['content-length']);
            const into = reuse !== undefined && Number.isSafeInteger(declared) && declared > 0 ? bufferOf(reuse, declared) : undefined;
            const chunks: Buffer[] = [];
            let filled = 0;
            response.on('data', (chunk: Buffer) => {
              if (into !== undefined && chunks.length === 0 && filled + chunk.length <= into.length) filled += chunk.copy(into, filled);
              else {
                if (into !== undefined && chunks.length === 0) chunks.push(into.subarray(0, filled));
                chunks.push(chunk);
              }
            });
            response.on('error', reject);
            response.on('end', () => {
              const answer = into !== undefined && chunks.length === 0 ? into.subarray(0, filled) : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
              resolve({ status: response.statusCode ?? 0, body: answer });
            });
          },
        );
        request.on('error', reject);
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}

/** The reused buffer, grown (with room to spare) when `size` does not fit. */
function bufferOf(reuse: AnswerBuffer, size: number): Buffer {
  if (reuse.buffer === undefined || reuse.buffer.length < size) reuse.buffer = Buffer.allocUnsafeSlow(Math.ceil(size * 1.25));
  return reuse.buffer;
}
