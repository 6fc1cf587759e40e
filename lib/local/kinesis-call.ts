import * as net from 'node:net';
import { reusedBuffer } from './bytes';

/**
 * The Kinesis JSON 1.1 API over HTTP without the AWS SDK, for the local mode's own calls to its local server
 * (kinesis-server.ts): the same operations, request and response bodies as the SDK sends, without its middleware
 * stack, its SigV4 signing (a SHA-256 of every 5 MiB body the local server never checks) and its per-record
 * serialisation. In a 100,000-record run the SDK's PutRecords cost more CPU than the server's work (see
 * docs/local-mode.md, "Throughput"). Nor through Node's HTTP client (see `Connection`). Producers of the team
 * (`mesh dev --watch`) still use the SDK or the CLI.
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
  const host = url.hostname;
  const port = Number(url.port);
  const idle: Connection[] = [];
  const open = new Set<Connection>();
  return {
    call: async (operation, body, reuse) => {
      for (let attempt = 1; ; attempt++) {
        let connection = idle.pop();
        const reused = connection !== undefined;
        if (connection === undefined) {
          connection = new Connection(host, port, (done) => {
            open.delete(done);
            const at = idle.indexOf(done);
            if (at >= 0) idle.splice(at, 1);
          });
          open.add(connection);
        }
        try {
          const answer = await connection.request(operation, body, reuse);
          if (connection.usable) idle.push(connection);
          return answer;
        } catch (error) {
          // An idle connection the server closed (its keep-alive timeout) just as it was taken: the request never
          // reached the server, so it is sent once more on a new connection.
          if (reused && attempt === 1 && !connection.answering) continue;
          throw error;
        }
      }
    },
    close: () => {
      for (const connection of open) connection.destroy();
      open.clear();
      idle.length = 0;
    },
  };
}

/**
 * One keep-alive HTTP/1.1 connection to the local server, one request at a time, over a plain socket: what a socket
 * reads lands in one buffer of the connection's (`onread`), and an answer's body is copied from there straight into
 * the buffer it is read into. Node's HTTP client allocated a buffer per read, copied every body chunk into another,
 * and ran its stream machinery per 64 KB: a tenth of a processor worker's time reading 10 MB pages. The local server
 * always answers with a Content-Length (kinesis-server.ts); anything else is refused as a protocol error.
 */
class Connection {
  public usable = true;
  /** Whether any byte of the answer to the current request has arrived. */
  public answering = false;
  private readonly socket: net.Socket;
  private pending?: {
    readonly resolve: (answer: { readonly status: number; readonly body: Buffer }) => void;
    readonly reject: (error: Error) => void;
    readonly reuse?: AnswerBuffer;
  };
  /** The start of an answer's status line and headers, when they arrive in pieces (copied: the read buffer is reused). */
  private partialHead?: Buffer;
  private status = 0;
  private body?: Buffer;
  private filled = 0;

  constructor(
    private readonly host: string,
    port: number,
    private readonly closed: (connection: Connection) => void,
  ) {
    const reads = Buffer.allocUnsafe(READ_BUFFER);
    this.socket = net.connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: reads,
        callback: (n) => {
          this.read(reads, n);
          return true;
        },
      },
    });
    this.socket.unref();
    this.socket.on('error', (error) => this.fail(error));
    // The server ends an idle connection after its keep-alive timeout: out of the pool at once, before 'close'.
    this.socket.on('end', () => this.fail(new Error(`The connection to the local Kinesis at ${host}:${port} closed.`)));
    this.socket.on('close', () => this.fail(new Error(`The connection to the local Kinesis at ${host}:${port} closed.`)));
  }

  public request(operation: string, body: string | Buffer, reuse?: AnswerBuffer): Promise<{ readonly status: number; readonly body: Buffer }> {
    return new Promise((resolve, reject) => {
      if (!this.usable) {
        reject(new Error('The connection to the local Kinesis is closed.'));
        return;
      }
      this.pending = { resolve, reject, reuse };
      this.answering = false;
      this.socket.ref();
      this.socket.cork();
      this.socket.write(
        `POST / HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.${operation}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
        'latin1',
      );
      this.socket.write(body);
      this.socket.uncork();
    });
  }

  public destroy(): void {
    this.usable = false;
    this.socket.destroy();
  }

  private read(buffer: Buffer, n: number): void {
    let at = 0;
    this.answering = true;
    if (this.pending === undefined) {
      this.protocolError('bytes arrived with no request waiting');
      return;
    }
    if (this.body === undefined) {
      // The status line and headers: read where they landed, at the start of a read. Only headers that arrive in
      // pieces are kept (copied, as the read buffer is reused); copying every answer's first read (up to 256 KB)
      // was fresh memory for each GetRecords page.
      const head = this.partialHead === undefined ? buffer.subarray(0, n) : Buffer.concat([this.partialHead, buffer.subarray(0, n)]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 64 * 1024) this.protocolError('an answer without the end of its headers');
        else this.partialHead = this.partialHead === undefined ? Buffer.from(head) : head;
        return;
      }
      const text = head.toString('latin1', 0, end);
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      const length = /\r\ncontent-length: *(\d+)/i.exec(text);
      if (status === null || length === null || /\r\ntransfer-encoding:/i.test(text)) {
        this.protocolError(`an answer without a status or a Content-Length: ${JSON.stringify(text.slice(0, 200))}`);
        return;
      }
      this.status = Number(status[1]);
      const size = Number(length[1]);
      const { reuse } = this.pending;
      if (reuse !== undefined) reuse.buffer = reusedBuffer(reuse.buffer, size);
      this.body = reuse?.buffer === undefined ? Buffer.allocUnsafe(size) : reuse.buffer.subarray(0, size);
      this.filled = 0;
      this.partialHead = undefined;
      // What came after the headers in this read is the body's start.
      buffer = head;
      at = end + 4;
      n = head.length;
    }
    const take = Math.min(n - at, this.body.length - this.filled);
    this.filled += buffer.copy(this.body, this.filled, at, at + take);
    if (at + take < n) {
      this.protocolError('more bytes than the answer\'s Content-Length');
      return;
    }
    if (this.filled === this.body.length) {
      const { resolve } = this.pending;
      const answer = { status: this.status, body: this.body };
      this.pending = undefined;
      this.body = undefined;
      this.socket.unref();
      resolve(answer);
    }
  }

  private protocolError(what: string): void {
    this.fail(new Error(`The local Kinesis sent ${what}.`));
    this.destroy();
  }

  private fail(error: Error): void {
    this.usable = false;
    this.closed(this);
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}

/** What one read of a connection's socket takes at most. */
const READ_BUFFER = 256 * 1024;
