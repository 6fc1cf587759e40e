import * as http from 'node:http';

/**
 * The Kinesis JSON 1.1 API over HTTP without the AWS SDK, for the local mode's own calls to its local server
 * (kinesis-server.ts): the same operations, request and response bodies as the SDK sends, without its middleware
 * stack, its SigV4 signing (a SHA-256 of every 5 MiB body the local server never checks) and its per-record
 * serialisation. In a 100,000-record run the SDK's PutRecords cost more CPU than the server's work (see
 * docs/local-mode.md, "Throughput"). Producers of the team (`mesh dev --watch`) still use the SDK or the CLI.
 */
export interface KinesisHttp {
  /** POSTs one operation's JSON body; resolves with the status and the raw answer. */
  call(operation: string, body: string | Buffer): Promise<{ readonly status: number; readonly body: Buffer }>;
  close(): void;
}

export function kinesisHttp(endpoint: string): KinesisHttp {
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  return {
    call: (operation, body) =>
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
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
          },
        );
        request.on('error', reject);
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}
