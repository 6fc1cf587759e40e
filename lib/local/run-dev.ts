import type { ProductEntry } from '../../constructs/manifest/manifest';
import { LocalLake } from './lake';
import { LakeDatabase } from './lake-database';
import { LocalMesh, type LocalMeshOptions, type ProductDelivery, DEFAULT_BUILD_DIR } from './local-mesh';
import { fileRecords, findFixture, generatedRecords } from './record-source';
import { runSqlProduct, type SqlRun } from './sql-product';
import { runStreamPipeline, type PipelineRun } from './stream-pipeline';
import * as path from 'node:path';

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
  /** Generate edge cases (the property-test generator) instead of readable records. @default false */
  readonly edgeCases?: boolean;
  /** Event times of generated records end here. @default - now */
  readonly now?: Date;
  /** Progress messages (e.g. to stderr). @default - none */
  readonly progress?: (message: string) => void;
}

export interface DevReport {
  /** Products whose records went through a stream and the processor (source and streaming derived), in run order. */
  readonly deliveries: ReadonlyArray<ProductDelivery & { readonly origin: string }>;
  /** The transforms of streaming derived products. */
  readonly pipelines: readonly PipelineRun[];
  /** SQL derived products built over the lake. */
  readonly sqlRuns: readonly SqlRun[];
  /** Products the local mode could not run, and why. */
  readonly skipped: ReadonlyArray<{ readonly product: ProductEntry; readonly reason: string }>;
  readonly lakeDir: string;
  readonly durationMs: number;
}

/**
 * `mesh dev`'s work: wipes the lake, starts the local mesh, publishes generated (or fixture) records to every source
 * product's stream, runs the streaming derived products' transforms, delivers every stream through its product's
 * real processor into the lake, builds the SQL derived products over it (dependencies first), and checks that every
 * product's counts reconcile (it throws a `ReconciliationError` otherwise).
 */
export async function runDev(products: readonly ProductEntry[], options: DevOptions = {}): Promise<DevReport> {
  const started = Date.now();
  const progress = options.progress ?? (() => undefined);
  const { order, skipped } = runOrder(products);
  const streaming = order.filter((product) => product.source?.kind !== 'sql');
  const byId = new Map(products.map((product) => [product.id, product]));
  const dirs = {
    appDir: path.resolve(options.appDir ?? process.cwd()),
    buildDir: path.resolve(options.buildDir ?? DEFAULT_BUILD_DIR),
  };

  progress(`starting the local Kinesis, bundling ${streaming.length} processors`);
  const mesh = await LocalMesh.start(streaming, options);
  let database: LakeDatabase | undefined;
  try {
    mesh.lake.wipe();
    const origins = new Map<string, string>();
    for (const product of streaming.filter((p) => p.source === undefined)) {
      const fixture = options.fixturesDir !== undefined ? findFixture(options.fixturesDir, product) : undefined;
      const source =
        fixture !== undefined
          ? fileRecords(product, fixture)
          : generatedRecords(product, {
              count: options.records ?? DEFAULT_RECORDS,
              invalidShare: options.invalidShare ?? DEFAULT_INVALID_SHARE,
              seed: options.seed ?? DEFAULT_SEED,
              now: options.now,
              edgeCases: options.edgeCases,
            });
      origins.set(product.id, source.origin);
      progress(`publishing ${source.records.length} records to ${product.physical.streamName}`);
      await mesh.publishTo(product, source.records);
    }
    const deliveries: Array<ProductDelivery & { origin: string }> = [];
    const pipelines: PipelineRun[] = [];
    const sqlRuns: SqlRun[] = [];
    for (const product of order) {
      const inputs = (product.source?.from ?? []).map((id) => byId.get(id)!);
      if (product.source?.kind === 'sql') {
        progress(`building ${product.id} with its SQL`);
        database ??= await LakeDatabase.open(mesh.lake, products.filter((p) => !skipped.some((s) => s.product === p)));
        sqlRuns.push(await runSqlProduct(database, mesh.lake, product, inputs));
        continue;
      }
      if (product.source?.kind === 'stream') {
        progress(`running the ${product.id} transform over ${product.source.from.join(', ')}`);
        const pipeline = await runStreamPipeline(mesh, product, inputs, dirs);
        pipelines.push(pipeline);
        origins.set(product.id, `transform of ${product.source.from.join(', ')}`);
      }
      progress(`delivering ${product.id}`);
      deliveries.push({ ...(await mesh.deliver(product)), origin: origins.get(product.id)! });
    }
    return { deliveries, pipelines, sqlRuns, skipped, lakeDir: mesh.lake.root, durationMs: Date.now() - started };
  } finally {
    database?.close();
    await mesh.close();
  }
}

/**
 * Products in an order where every product comes after the products it derives from, and the products that cannot
 * run locally (a source that is not in this mesh's manifest, e.g. referenced from another app).
 */
export function runOrder(products: readonly ProductEntry[]): {
  order: ProductEntry[];
  skipped: Array<{ product: ProductEntry; reason: string }>;
} {
  const byId = new Map(products.map((product) => [product.id, product]));
  const order: ProductEntry[] = [];
  const skipped: Array<{ product: ProductEntry; reason: string }> = [];
  const state = new Map<string, 'visiting' | 'done' | 'skipped'>();
  const visit = (product: ProductEntry, trail: string[]): boolean => {
    const seen = state.get(product.id);
    if (seen === 'done') return true;
    if (seen === 'skipped') return false;
    if (seen === 'visiting') throw new Error(`The products derive from each other in a cycle: ${[...trail, product.id].join(' → ')}.`);
    state.set(product.id, 'visiting');
    for (const id of product.source?.from ?? []) {
      const input = byId.get(id);
      const reason =
        input === undefined
          ? `its source ${id} is not in this app's cloud assembly`
          : !visit(input, [...trail, product.id])
            ? `its source ${id} cannot run locally`
            : undefined;
      if (reason !== undefined) {
        state.set(product.id, 'skipped');
        skipped.push({ product, reason });
        return false;
      }
    }
    state.set(product.id, 'done');
    order.push(product);
    return true;
  };
  for (const product of products) visit(product, []);
  return { order, skipped };
}

