import type { ProductEntry } from '../../constructs/manifest/manifest';
import { LocalMesh, type LocalMeshOptions, type ProductDelivery } from './local-mesh';
import { fileRecords, findFixture, generatedRecords } from './record-source';

/** Records generated per product when no fixture is given. */
export const DEFAULT_RECORDS = 200;
/** Share of generated records broken on purpose, so the error path shows up in every run. */
export const DEFAULT_INVALID_SHARE = 0.05;
export const DEFAULT_SEED = 42;

export interface DevOptions extends LocalMeshOptions {
  /** @default DEFAULT_RECORDS */
  readonly records?: number;
  /** @default DEFAULT_INVALID_SHARE */
  readonly invalidShare?: number;
  /** @default DEFAULT_SEED */
  readonly seed?: number;
  /** Folder of `<domain>.<product>.jsonl` files; a product with a file publishes it instead of generated records. */
  readonly fixturesDir?: string;
  /** Event times of generated records end here. @default - now */
  readonly now?: Date;
  /** Progress messages (e.g. to stderr). @default - none */
  readonly progress?: (message: string) => void;
}

export interface DevReport {
  /** Per product, in manifest order. */
  readonly deliveries: ReadonlyArray<ProductDelivery & { readonly origin: string }>;
  /** Products the local mode does not run (yet), and why. */
  readonly skipped: ReadonlyArray<{ readonly product: ProductEntry; readonly reason: string }>;
  readonly lakeDir: string;
  readonly durationMs: number;
}

/**
 * `mesh dev`'s work: wipes the lake, starts the local mesh, publishes generated (or fixture) records to every
 * product's stream, delivers them through each product's real processor into the lake, and checks that every
 * product's counts reconcile (it throws a `ReconciliationError` otherwise).
 */
export async function runDev(products: readonly ProductEntry[], options: DevOptions = {}): Promise<DevReport> {
  const started = Date.now();
  const progress = options.progress ?? (() => undefined);
  const skipped = products
    .filter((product) => product.source !== undefined)
    .map((product) => ({ product, reason: `derived (${product.source!.kind}) products are not run locally yet` }));
  const runnable = products.filter((product) => product.source === undefined);

  progress(`bundling ${runnable.length} processors`);
  const mesh = await LocalMesh.start(runnable, options);
  try {
    mesh.lake.wipe();
    const origins = new Map<string, string>();
    for (const product of runnable) {
      const fixture = options.fixturesDir !== undefined ? findFixture(options.fixturesDir, product) : undefined;
      const source =
        fixture !== undefined
          ? fileRecords(product, fixture)
          : generatedRecords(product, {
              count: options.records ?? DEFAULT_RECORDS,
              invalidShare: options.invalidShare ?? DEFAULT_INVALID_SHARE,
              seed: options.seed ?? DEFAULT_SEED,
              now: options.now,
            });
      origins.set(product.id, source.origin);
      progress(`publishing ${source.records.length} records to ${product.physical.streamName}`);
      await mesh.publish(product, source.records);
    }
    const deliveries: Array<ProductDelivery & { origin: string }> = [];
    for (const product of runnable) {
      progress(`delivering ${product.id}`);
      deliveries.push({ ...(await mesh.deliver(product)), origin: origins.get(product.id)! });
    }
    return { deliveries, skipped, lakeDir: mesh.lake.root, durationMs: Date.now() - started };
  } finally {
    await mesh.close();
  }
}
