import type { AddressInfo } from 'node:net';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import kinesalite from 'kinesalite';

/** Region and account kinesalite reports in its ARNs; the local lake's bucket folders use them too. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface LocalKinesisOptions {
  /** Shards of each stream the local mode creates. @default 2 */
  readonly shardsPerStream?: number;
  /** Port on 127.0.0.1 for producers to reach (`mesh dev --watch --port`). @default - an ephemeral port */
  readonly port?: number;
}

/** A Kinesis-compatible server (kinesalite, in memory) on 127.0.0.1 and an SDK v3 client bound to it. */
export class LocalKinesis {
  /** Starts the server on a loopback port. Call `close()` when done. */
  public static async start(options: LocalKinesisOptions = {}): Promise<LocalKinesis> {
    // The SDK warns that its 2027 releases will need Node 22; the local mode talks to no AWS endpoint, so the
    // notice would only be noise in `npm start`. Users can still turn it on by setting the variable to "false".
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 10_000 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new KinesisClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      // The SDK's default handler for Kinesis speaks HTTP/2, which kinesalite does not.
      requestHandler: new NodeHttpHandler(),
    });
    return new LocalKinesis(server, client, endpoint, options.shardsPerStream ?? 2);
  }

  private constructor(
    private readonly server: import('node:http').Server,
    /** SDK client bound to the local server. */
    public readonly client: KinesisClient,
    /** `http://127.0.0.1:<port>` */
    public readonly endpoint: string,
    private readonly shardsPerStream: number,
  ) {}

  /** Creates a stream (ACTIVE at once: the server is started with `createStreamMs: 0`). */
  public async createStream(streamName: string): Promise<void> {
    await this.client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: this.shardsPerStream }));
  }

  /** The ARN kinesalite gives a stream. */
  public streamArn(streamName: string): string {
    return `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${streamName}`;
  }

  public async close(): Promise<void> {
    this.client.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}
