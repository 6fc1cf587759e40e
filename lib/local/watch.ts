import type { ProductEntry } from '../../constructs/manifest/manifest';
import { LocalMesh, type LocalMeshOptions, type ProductDelivery } from './local-mesh';

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
 * The products it follows are the source products (published to by producers).
 */
export class MeshWatch {
  public static async start(products: readonly ProductEntry[], options: WatchOptions = {}): Promise<MeshWatch> {
    const followed = products.filter((product) => product.source === undefined);
    if (followed.length === 0) throw new Error('The cloud assembly has no source products (a DataProduct without a derivation) for producers to publish to.');
    const mesh = await LocalMesh.start(followed, options);
    mesh.lake.wipe();
    const watch = new MeshWatch(mesh, followed, options);
    watch.schedule();
    return watch;
  }

  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private failure: unknown;
  private readonly counts: Map<string, WatchedCounts>;

  private constructor(
    private readonly mesh: LocalMesh,
    /** The products whose streams are delivered. */
    public readonly products: readonly ProductEntry[],
    private readonly options: WatchOptions,
  ) {
    this.counts = new Map(products.map((product) => [product.id, { product, in: 0, ok: 0, dropped: 0, failed: 0, sampleReasons: [] }]));
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
      for (const product of this.products) {
        const delivery = await this.mesh.deliverArrived(product);
        if (delivery.in === 0) continue;
        const counts = this.counts.get(product.id)!;
        counts.in += delivery.in;
        counts.ok += delivery.ok;
        counts.dropped += delivery.dropped;
        counts.failed += delivery.failed;
        if (counts.sampleReasons.length < 3) counts.sampleReasons.push(...delivery.sampleReasons.slice(0, 3 - counts.sampleReasons.length));
        this.options.onDelivery?.(delivery);
      }
    });
    return this.running;
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
