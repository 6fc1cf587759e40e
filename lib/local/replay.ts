/**
 * `mesh replay`'s local work: the records in a product's error location (the local lake's `errors/<table>/…`
 * folders, laid out like the S3 bucket), sent again to the product's stream after the cause was fixed — transform
 * and delivery failures of a streaming derived product through its transform — then delivered through the
 * product's real processor into the lake.
 *
 * Each error object replayed is moved under `errors/<table>/replayed/`, so a record is sent again once per error
 * document: a second replay does not find it, and a record that fails again lands in a new error document.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import type { PublishRecord } from '../../lambdas/publisher';
import { TRANSFORM_FAILED, transformFailedDocuments } from '../../lambdas/stream-transform/error-location';
import {
  REPLAYABLE_TYPES,
  countByType,
  distinctRecords,
  errorRootPrefix,
  parseErrorObject,
  replayPartitionKey,
  type ErrorLocationRecord,
} from '../replay/error-documents';
import { replayThroughTransform, type TransformReplayResult } from '../replay/transform-replay';
import { writeErrorDocuments, type LocalLake } from './lake';
import { DEFAULT_BUILD_DIR, LocalMesh, type LocalMeshOptions, type ProductDelivery } from './local-mesh';
import { loadTransformModule } from './stream-pipeline';

export { REPLAYABLE_TYPES, type ErrorLocationRecord };

/** Where replayed error objects are moved (inside the product's error root). */
export const REPLAYED_DIR = 'replayed';

/** The product's error root in the lake: its error prefix up to the first `!{…}` expression. */
export function errorRoot(lake: LocalLake, product: ProductEntry): string {
  return path.join(lake.bucketDir(product), errorRootPrefix(product));
}

/** Every record in the product's error location, oldest object first; with `since`, only those that failed from then on. */
export function readErrorLocation(lake: LocalLake, product: ProductEntry, options: { since?: Date } = {}): ErrorLocationRecord[] {
  const root = errorRoot(lake, product);
  return REPLAYABLE_TYPES.flatMap((errorOutputType) =>
    filesUnder(path.join(root, errorOutputType))
      .sort()
      .flatMap((object) => parseErrorObject(fs.readFileSync(object, 'utf8'), errorOutputType, object, options.since)),
  );
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

export interface ReplayOptions extends LocalMeshOptions {
  /** Only records that failed at or after this time. @default - all */
  readonly since?: Date;
  /** Count what would be sent, send nothing. @default false */
  readonly dryRun?: boolean;
}

export interface ReplayReport {
  readonly product: ProductEntry;
  /** Records found in the error location, by error output type. */
  readonly found: Readonly<Record<string, number>>;
  /** Records sent again to the product's stream (0 in a dry run); transform failures are counted in `transform`. */
  readonly resent: number;
  /** The same record found in more than one error document (e.g. written twice by a retry): sent once. */
  readonly duplicatesSkipped: number;
  /** Transform failures found (distinct); with `transform`, those sent through the transform again. */
  readonly transformFailures: number;
  /** What the product's transform did with its failures sent through it again (not in a dry run). */
  readonly transform?: Pick<TransformReplayResult, 'replayed' | 'published'> & { readonly rejectedAgain: number; readonly failed: number };
  /** What the product's processor did with the records sent again. */
  readonly delivery?: ProductDelivery;
  /** Error objects moved under `replayed/`. */
  readonly moved: readonly string[];
}

/**
 * Replays a product's error location locally: reads it, sends each distinct record once to the product's stream
 * (a fresh local stream) — a transform failure through the product's transform, which publishes its outputs there —
 * delivers them through the product's processor into the lake (without wiping it), and moves the replayed error
 * objects under `replayed/`.
 */
export async function replayLocally(product: ProductEntry, options: ReplayOptions = {}): Promise<ReplayReport> {
  if (product.source?.kind === 'sql') {
    throw new Error(`${product.id} is a SQL derived product: it has no stream to replay into; rebuild it with "mesh dev".`);
  }
  const mesh = await LocalMesh.start([product], options);
  try {
    const all = readErrorLocation(mesh.lake, product, { since: options.since });
    const { distinct, duplicates } = distinctRecords(all);
    const direct = distinct.filter((record) => record.origin === undefined);
    const transformFailures = distinct.filter((record) => record.origin !== undefined);
    const records: PublishRecord[] = direct.map((record, index) => ({ data: record.data, partitionKey: replayPartitionKey(product, record.data, index) }));
    const base = { product, found: countByType(all), duplicatesSkipped: duplicates, transformFailures: transformFailures.length };
    if (options.dryRun === true || distinct.length === 0) return { ...base, resent: 0, moved: [] };
    if (records.length > 0) await mesh.publishTo(product, records);
    const transform = transformFailures.length > 0 ? await replayTransformFailures(mesh, product, transformFailures, options) : undefined;
    // The objects are moved before delivery writes new error documents, which land beside them (a transform
    // failure that fails again is already in a new document, written after the list of objects was taken).
    const moved = moveReplayed(mesh.lake, product, [...new Set(all.map((record) => record.object))]);
    const delivery = await mesh.deliver(product);
    return { ...base, resent: records.length, ...(transform !== undefined && { transform }), delivery, moved };
  } finally {
    await mesh.close();
  }
}

async function replayTransformFailures(mesh: LocalMesh, product: ProductEntry, records: ErrorLocationRecord[], options: ReplayOptions): Promise<ReplayReport['transform']> {
  if (product.source?.kind !== 'stream') {
    throw new Error(`${product.id} has ${records.length} transform-failed or delivery-failed records but is not a streaming derived product: only a StreamingPipeline's transform can replay them.`);
  }
  const module = await loadTransformModule(product, product.source, {
    appDir: path.resolve(options.appDir ?? process.cwd()),
    buildDir: path.resolve(options.buildDir ?? DEFAULT_BUILD_DIR),
  });
  const outcome = await replayThroughTransform(records, {
    module,
    publish: (outputs) => mesh.publishTo(product, outputs),
    reject: async (rejected) => {
      writeErrorDocuments(mesh.lake, product, TRANSFORM_FAILED, transformFailedDocuments(rejected, new Date()));
    },
  });
  return { replayed: outcome.replayed, published: outcome.published, rejectedAgain: outcome.rejectedAgain.length, failed: outcome.failed.length };
}


/** Moves error objects to `<error root>/replayed/<same relative path>`; returns the new paths. */
function moveReplayed(lake: LocalLake, product: ProductEntry, objects: readonly string[]): string[] {
  const root = errorRoot(lake, product);
  return objects.map((object) => {
    const target = path.join(root, REPLAYED_DIR, path.relative(root, object));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(object, target);
    return target;
  });
}
