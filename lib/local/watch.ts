import * as path from 'node:path';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { DEFAULT_BUILD_DIR, LocalMesh, type LocalMeshOptions, type ProductDelivery } from './local-mesh';
import type { ShardCursors } from './read-stream';
import { runStreamPipeline } from './stream-pipeline';

/** Seconds between two deliveries of `mesh dev --watch` (Firehose buffers 60 s or more; locally, a short loop). */
export const DEFAULT_BUFFER_SECONDS = 2;

export interface WatchOptions extends LocalMeshOptions {
  /** @default DEFAULT_BUFFER_SECONDS */
  readonly bufferSeconds?: number;
  /** Called after each delivery that received records. @default - nothing */
  readonly onDelivery?: (delivery: ProductDelivery) => void;
}

/** What one product received while the mesh was watched: the sums of its deliveries. */
export interface WatchedCounts {
  readonly product: ProductEntry;
  in: number;
  ok: number;
  dropped: number;
  failed: number;
  readonly sampleReasons: string[];
}

/**
 * A local mesh that serves: the local Kinesis endpoint stays up for producers, and every `bufferSeconds` each source
 * product's new records go through its real processor into the lake (Parquet and error documents), as Firehose's
 * buffer interval would. `stop()` delivers what is still in the streams, closes the endpoint and returns the counts.
 * It follows the source products (published to by producers) and, after them, the streaming derived products that
 * read them: each one's transform takes what arrived upstream since the last interval, publishes to its own stream,
 * and that is delivered like a source's. SQL derived products are built on demand (`mesh run`).
 */
export class MeshWatch {
  public static async start(products: readonly ProductEntry[], options: WatchOptions = {}): Promise<MeshWatch> {
    const sources = products.filter((product) => product.source === undefined);
    if (sources.length === 0) throw new Error('The cloud assembly has no source products (a DataProduct without a derivation) for producers to publish to.');
    const derived = followingStreams(products, sources);
    const mesh = await LocalMesh.start([...sources, ...derived], options);
    mesh.lake.wipe();
    const watch = new MeshWatch(mesh, sources, derived, options);
    watch.schedule();
    return watch;
  }

  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private failure: unknown;
  private readonly counts: Map<string, WatchedCounts>;
  /** Where each streaming derived product's transform stopped reading its sources. */
  private readonly cursors = new Map<string, Map<string, ShardCursors>>();

  private constructor(
    private readonly mesh: LocalMesh,
    /** The source products: their streams are the ones producers put records to. */
    public readonly products: readonly ProductEntry[],
    /** The streaming derived products that follow them, in dependency order. */
    public readonly derived: readonly ProductEntry[],
    private readonly options: WatchOptions,
  ) {
    this.counts = new Map(
      [...products, ...derived].map((product) => [product.id, { product, in: 0, ok: 0, dropped: 0, failed: 0, sampleReasons: [] }]),
    );
  }

  /** `http://127.0.0.1:<port>`: the endpoint producers put records to. */
  public get endpoint(): string {
    return this.mesh.kinesis.endpoint;
  }

  public get lakeDir(): string {
    return this.mesh.lake.root;
  }

  /** Delivers what arrived since the last delivery, for every followed product. */
  public deliverNow(): Promise<void> {
    this.running = this.running.then(async () => {
      for (const product of this.products) await this.deliver(product);
      const byId = new Map([...this.products, ...this.derived].map((product) => [product.id, product]));
      for (const product of this.derived) {
        const cursors = this.cursors.get(product.id) ?? new Map<string, ShardCursors>();
        this.cursors.set(product.id, cursors);
        const upstream = (product.source?.from ?? []).map((id) => byId.get(id)!);
        const run = await runStreamPipeline(this.mesh, product, upstream, {
          appDir: path.resolve(this.options.appDir ?? process.cwd()),
          buildDir: path.resolve(this.options.buildDir ?? DEFAULT_BUILD_DIR),
          cursors,
        });
        this.note(product, run.sampleReasons);
        await this.deliver(product);
      }
    });
    return this.running;
  }

  private async deliver(product: ProductEntry): Promise<void> {
    const delivery = await this.mesh.deliverArrived(product);
    if (delivery.in === 0) return;
    const counts = this.counts.get(product.id)!;
    counts.in += delivery.in;
    counts.ok += delivery.ok;
    counts.dropped += delivery.dropped;
    counts.failed += delivery.failed;
    this.note(product, delivery.sampleReasons);
    this.options.onDelivery?.(delivery);
  }

  private note(product: ProductEntry, reasons: readonly string[]): void {
    const counts = this.counts.get(product.id)!;
    if (counts.sampleReasons.length < 3) counts.sampleReasons.push(...reasons.slice(0, 3 - counts.sampleReasons.length));
  }

  /** Stops the loop, delivers what the streams still hold, closes the endpoint; returns every product's counts. */
  public async stop(): Promise<WatchedCounts[]> {
    this.stopped = true;
    clearTimeout(this.timer);
    try {
      await this.running.catch(() => undefined);
      if (this.failure === undefined) await this.deliverNow();
    } finally {
      await this.mesh.close();
    }
    if (this.failure !== undefined) throw this.failure;
    return [...this.counts.values()];
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.deliverNow().then(
        () => this.schedule(),
        (error: unknown) => {
          // Stop delivering (counts would no longer mean anything); `stop()` reports the error.
          this.failure = error;
        },
      );
    }, (this.options.bufferSeconds ?? DEFAULT_BUFFER_SECONDS) * 1000);
  }
}

/**
 * The streaming derived products whose sources are all followed (source products, or streaming derived products
 * followed before them), in an order where every product comes after what it reads.
 */
export function followingStreams(products: readonly ProductEntry[], sources: readonly ProductEntry[]): ProductEntry[] {
  const followed = new Set(sources.map((product) => product.id));
  const pending = products.filter((product) => product.source?.kind === 'stream');
  const ordered: ProductEntry[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const product of [...pending]) {
      if (product.source!.from.every((id) => followed.has(id))) {
        ordered.push(product);
        followed.add(product.id);
        pending.splice(pending.indexOf(product), 1);
        progress = true;
      }
    }
  }
  return ordered;
}
