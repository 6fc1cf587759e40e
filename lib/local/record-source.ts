import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sampleLabelledRecords } from '../../constructs/contract/arbitrary';
import { recordKey } from '../../constructs/contract/fields';
import type { ContractSpec } from '../../constructs/contract/types';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import type { PublishRecord } from '../../lambdas/publisher';
import { readableRecords } from './readable-records';

/** Records to publish to one product's stream, and where they came from. */
export interface SourceRecords {
  readonly records: PublishRecord[];
  /** `generated (…)` or the fixture file's path. */
  readonly origin: string;
}

export interface GenerateOptions {
  /** Records per product. */
  readonly count: number;
  /** Share (0-1) of records broken in one way (wrong type, missing required field, bad decimal…). */
  readonly invalidShare: number;
  readonly seed: number;
  /** Event times fall in the `days` days before `now`, so a run fills a few recent `dt` partitions. */
  readonly now?: Date;
  /** @default 3 */
  readonly days?: number;
  /**
   * Use the property-test generator (unicode strings, extreme numbers, odd but valid timestamps) instead of
   * readable values: for finding what breaks rather than for showing the mesh.
   * @default false
   */
  readonly edgeCases?: boolean;
}

/** Records generated from the contract (deterministic for a seed and a `now`): readable values, or edge cases. */
export function generatedRecords(product: ProductEntry, options: GenerateOptions): SourceRecords {
  const now = options.now ?? new Date();
  const from = new Date(now.getTime() - (options.days ?? 3) * 24 * 3600 * 1000);
  const sampling = { invalidShare: options.invalidShare, seed: options.seed, eventTime: { from, to: now } };
  const samples = options.edgeCases
    ? sampleLabelledRecords(product.contract, options.count, sampling)
    : readableRecords(product.contract, options.count, sampling);
  const records = samples.map((sample, index) => ({
    data: JSON.stringify(sample.record),
    partitionKey: partitionKeyOf(product.contract, sample.record, index),
  }));
  const invalid = samples.filter((sample) => sample.mutation !== undefined).length;
  const kind = options.edgeCases ? 'edge cases' : 'generated';
  return { records, origin: `${kind}: ${options.count} (${invalid} invalid), seed ${options.seed}` };
}

/**
 * The fixture file of a product in `dir`, if there is one: `<domain>.<product>.jsonl` (e.g.
 * `orders.order_placed.jsonl`) or, for one version only, `<domain>.<product>.v<version>.jsonl`.
 */
export function findFixture(dir: string, product: ProductEntry): string | undefined {
  const { domain, name, version } = product.contract;
  return [`${domain}.${name}.v${version}.jsonl`, `${domain}.${name}.jsonl`]
    .map((file) => path.join(dir, file))
    .find((file) => fs.existsSync(file));
}

/**
 * The records of a JSON Lines file: each non-blank line is sent as it is (so a malformed line reaches the
 * processor, as a malformed event from a producer would).
 */
export function fileRecords(product: ProductEntry, file: string): SourceRecords {
  if (!fs.existsSync(file)) throw new Error(`No file "${path.resolve(file)}": pass a JSON Lines file (one event per line).`);
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const records = lines.map((line, index) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    const record = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    return { data: line, partitionKey: partitionKeyOf(product.contract, record, index) };
  });
  return { records, origin: path.relative(process.cwd(), path.resolve(file)) || file };
}

/**
 * The partition key a producer would use: the primary key's values (so one entity's events stay in order on one
 * shard), or the record's position when the contract declares no primary key or the record lacks it.
 */
export function partitionKeyOf(contract: ContractSpec, record: Record<string, unknown>, index: number): string {
  const keys = Object.entries(contract.columns)
    .filter(([, column]) => column.primaryKey === true)
    .map(([name, column]) => record[recordKey(name, column, contract.fields)]);
  const usable = keys.length > 0 && keys.every((value) => typeof value === 'string' || typeof value === 'number');
  const key = usable ? keys.map(String).join('|') : `record-${index}`;
  // Kinesis partition keys are 1-256 Unicode characters.
  return key.length >= 1 && key.length <= 256 ? key : createHash('sha256').update(key).digest('hex');
}
