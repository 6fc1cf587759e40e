/**
 * `mesh replay`'s local work: the records in a product's error location (the local lake's `errors/<table>/…`
 * folders, laid out like the S3 bucket), sent again to the product's stream after the cause was fixed, then
 * delivered through the product's real processor into the lake.
 *
 * Each error object replayed is moved under `errors/<table>/replayed/`, so a record is sent again once per error
 * document: a second replay does not find it, and a record that fails again lands in a new error document.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import type { PublishRecord } from '../../lambdas/publisher';
import { TRANSFORM_FAILED } from '../../lambdas/stream-transform/error-location';
import { ERROR_OUTPUT_TYPES, type LocalLake } from './lake';
import { LocalMesh, type LocalMeshOptions, type ProductDelivery } from './local-mesh';
import { partitionKeyOf } from './record-source';

/** Error output types a replay reads, in the error prefix's `!{firehose:error-output-type}` folder. */
export const REPLAYABLE_TYPES = [ERROR_OUTPUT_TYPES.processingFailed, ERROR_OUTPUT_TYPES.formatConversionFailed, TRANSFORM_FAILED] as const;

/** Where replayed error objects are moved (inside the product's error root). */
export const REPLAYED_DIR = 'replayed';

/** One record found in the error location. */
export interface ErrorLocationRecord {
  readonly errorOutputType: string;
  /** The error object it was read from. */
  readonly object: string;
  /** The record as it arrived (processing-failed, transform-failed) or as the processor wrote it (format-conversion-failed). */
  readonly data: Buffer;
  readonly arrivalTimestamp: number;
  readonly attemptEndingTimestamp: number;
  readonly reason: string;
}

/** The product's error root in the lake: its error prefix up to the first `!{…}` expression. */
export function errorRoot(lake: LocalLake, product: ProductEntry): string {
  const prefix = product.physical.errorPrefix;
  const cut = prefix.indexOf('!{');
  return path.join(lake.bucketDir(product), cut < 0 ? prefix : prefix.slice(0, cut));
}

/** Every record in the product's error location, oldest object first; with `since`, only those that failed from then on. */
export function readErrorLocation(lake: LocalLake, product: ProductEntry, options: { since?: Date } = {}): ErrorLocationRecord[] {
  const root = errorRoot(lake, product);
  const records: ErrorLocationRecord[] = [];
  for (const errorOutputType of REPLAYABLE_TYPES) {
    for (const object of filesUnder(path.join(root, errorOutputType)).sort()) {
      const lines = fs.readFileSync(object, 'utf8').split('\n').filter((line) => line.trim() !== '');
      for (const [index, line] of lines.entries()) {
        let document: Record<string, unknown>;
        try {
          document = JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new Error(`Line ${index + 1} of the error object ${object} is not JSON: the error location was edited by hand?`);
        }
        if (typeof document.rawData !== 'string') throw new Error(`Line ${index + 1} of the error object ${object} has no rawData to replay.`);
        const attemptEndingTimestamp = Number(document.attemptEndingTimestamp ?? 0);
        if (options.since !== undefined && attemptEndingTimestamp < options.since.getTime()) continue;
        records.push({
          errorOutputType,
          object,
          data: Buffer.from(document.rawData, 'base64'),
          arrivalTimestamp: Number(document.arrivalTimestamp ?? 0),
          attemptEndingTimestamp,
          reason: String(document.errorMessage ?? document.lastErrorMessage ?? ''),
        });
      }
    }
  }
  return records;
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
  /** Records sent again to the product's stream (0 in a dry run). */
  readonly resent: number;
  /** The same record found in more than one error document (e.g. written twice by a retry): sent once. */
  readonly duplicatesSkipped: number;
  /** Transform failures are replayed through the transform, which the local replay does not run yet. */
  readonly notReplayable: number;
  /** What the product's processor did with the records sent again. */
  readonly delivery?: ProductDelivery;
  /** Error objects moved under `replayed/`. */
  readonly moved: readonly string[];
}

/**
 * Replays a product's error location locally: reads it, sends each distinct record once to the product's stream
 * (a fresh local stream), delivers it through the product's processor into the lake (without wiping it), and moves
 * the replayed error objects under `replayed/`. Throws when the counts do not reconcile.
 */
export async function replayLocally(product: ProductEntry, options: ReplayOptions = {}): Promise<ReplayReport> {
  if (product.source?.kind === 'sql') {
    throw new Error(`${product.id} is a SQL derived product: it has no stream to replay into; rebuild it with "mesh dev".`);
  }
  const mesh = await LocalMesh.start([product], options);
  try {
    const all = readErrorLocation(mesh.lake, product, { since: options.since });
    const found: Record<string, number> = {};
    for (const record of all) found[record.errorOutputType] = (found[record.errorOutputType] ?? 0) + 1;
    const replayable = all.filter((record) => record.errorOutputType !== TRANSFORM_FAILED);
    const seen = new Set<string>();
    const records: PublishRecord[] = [];
    for (const record of replayable) {
      const key = `${record.arrivalTimestamp}:${record.data.toString('base64')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      records.push({ data: record.data, partitionKey: partitionKeyOf(product.contract, parsed(record.data), records.length) });
    }
    const base = {
      product,
      found,
      duplicatesSkipped: replayable.length - records.length,
      notReplayable: all.length - replayable.length,
    };
    if (options.dryRun === true || records.length === 0) return { ...base, resent: 0, moved: [] };
    await mesh.publishTo(product, records);
    // The objects are moved before delivery writes new error documents, which land beside them.
    const moved = moveReplayed(mesh.lake, product, [...new Set(replayable.map((record) => record.object))]);
    const delivery = await mesh.deliver(product);
    return { ...base, resent: records.length, delivery, moved };
  } finally {
    await mesh.close();
  }
}

function parsed(data: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(data.toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
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
