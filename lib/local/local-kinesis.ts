import { Worker } from 'node:worker_threads';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { threadCpuSeconds } from './thread-cpu';
import { threadScript } from './thread-bundle';

/** Region and account of the local streams' ARNs (kinesalite's, which the local mode used first); the local lake's bucket folders use them too. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface LocalKinesisOptions {
  /** Shards of each stream the local mode creates. @default 2 */
  readonly shardsPerStream?: number;
  /** Port on 127.0.0.1 for producers to reach (`mesh dev --watch --port`). @default - an ephemeral port */
  readonly port?: number;
}

/** A Kinesis-compatible server (see kinesis-server.ts, in memory) on 127.0.0.1 and an SDK v3 client bound to it. */
export class LocalKinesis {
  /** Starts the server on a loopback port. Call `close()` when done. */
  public static async start(options: LocalKinesisOptions = {}): Promise<LocalKinesis> {
    // The SDK warns that its 2027 releases will need Node 22; the local mode talks to no AWS endpoint, so the
    // notice would only be noise in `npm start`. Users can still turn it on by setting the variable to "false".
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { server, port, tid } = await startServerThread(options.port ?? 0);
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new KinesisClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      // The SDK's default handler for Kinesis speaks HTTP/2; the local server speaks HTTP/1.1.
      requestHandler: new NodeHttpHandler(),
    });
    return new LocalKinesis(server, client, endpoint, options.shardsPerStream ?? 2, tid);
  }

  private constructor(
    /** The thread the server runs in. */
    private readonly server: Worker,
    /** SDK client bound to the local server. */
    public readonly client: KinesisClient,
    /** `http://127.0.0.1:<port>` */
    public readonly endpoint: string,
    private readonly shardsPerStream: number,
    /** The server thread's Linux TID, for `serverCpuSeconds` (undefined without /proc). */
    private readonly serverTid: number | undefined,
  ) {}

  /** CPU seconds the server's thread has used so far (undefined where /proc cannot tell: see thread-cpu.ts). */
  public serverCpuSeconds(): number | undefined {
    return this.serverTid === undefined ? undefined : threadCpuSeconds(this.serverTid);
  }

  /** Creates a stream (ACTIVE at once). */
  public async createStream(streamName: string): Promise<void> {
    await this.client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: this.shardsPerStream }));
  }

  /** The ARN the local server gives a stream. */
  public streamArn(streamName: string): string {
    return `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${streamName}`;
  }

  public async close(): Promise<void> {
    this.client.destroy();
    await this.server.terminate();
  }
}

/**
 * Runs the server (kinesis-server.ts, bundled with esbuild for the thread) in a worker thread, so that it stores and
 * serves records on a core of its own while the main thread publishes and delivers. Resolves with the port once it
 * listens; rejects with the listen error (e.g. EADDRINUSE) otherwise.
 */
async function startServerThread(port: number): Promise<{ server: Worker; port: number; tid?: number }> {
  const worker = new Worker(`${threadScript('kinesis-server', 'KinesisServerModule')}\n${SERVER_BOOTSTRAP}`, {
    eval: true,
    workerData: { port, options: { region: LOCAL_REGION, account: LOCAL_ACCOUNT } },
  });
  try {
    const listening = await new Promise<{ port: number; tid?: number }>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (message: { port?: number; tid?: number; error?: string; code?: string }) => {
        if (message.port !== undefined) resolve({ port: message.port, tid: message.tid });
        else reject(Object.assign(new Error(`The local Kinesis could not listen on 127.0.0.1:${port}: ${message.error}`), { code: message.code }));
      });
    });
    return { server: worker, ...listening };
  } catch (error) {
    await worker.terminate();
    throw error;
  }
}

const SERVER_BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
const server = new KinesisServerModule.KinesisServer(workerData.options).http;
server.once('error', (error) => parentPort.postMessage({ error: error.message, code: error.code }));
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port, tid: KinesisServerModule.currentThreadTid() }));
`;
