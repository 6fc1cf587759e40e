import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { dataBucketName } from '../../constructs/naming/naming';
import type { TransformFailedDocument } from '../../lambdas/stream-transform/error-location';
import { quoteLiteral, readJsonColumnsArgument } from './duckdb-types';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-kinesis';

/** The local lake's default folder (relative to the working directory). */
export const DEFAULT_LAKE_DIR = path.join('.mesh', 'lake');

/** The file that marks a folder as a local lake (so `wipe` never empties anything else). */
export const LAKE_MARKER = '.mesh-lake';

/** Firehose's error output types the local mode writes. */
export const ERROR_OUTPUT_TYPES = {
  processingFailed: 'processing-failed',
  formatConversionFailed: 'format-conversion-failed',
} as const;

/** Version of a delivery stream in object names (`<stream>-<version>-<time>-<id>`); the local streams never change. */
const DELIVERY_STREAM_VERSION = 1;

/**
 * A folder laid out like the mesh's S3 buckets: `<lake>/<domain bucket>/<dataPrefix>dt=<dt>/<object>.parquet` for
 * data and `<lake>/<domain bucket>/<errorPrefix, expanded>/<object>` for Firehose's error documents.
 */
export class LocalLake {
  public readonly root: string;

  constructor(root: string = DEFAULT_LAKE_DIR) {
    this.root = path.resolve(root);
  }

  /** The domain's bucket folder, named as on AWS with the local account and region (kinesalite's). */
  public bucketDir(product: ProductEntry): string {
    return path.join(this.root, dataBucketName(product.mesh, product.contract.domain, LOCAL_ACCOUNT, LOCAL_REGION));
  }

  /** The folder of the product table's data (its Glue table location). */
  public dataDir(product: ProductEntry): string {
    return path.join(this.bucketDir(product), product.physical.dataPrefix);
  }

  /** The glob of the product's Parquet objects. */
  public dataGlob(product: ProductEntry): string {
    return path.join(this.dataDir(product), '**', '*.parquet');
  }

  /**
   * Empties the lake folder. Refuses a non-empty folder the local mode did not create (it has no
   * {@link LAKE_MARKER}), so a mistyped `--lake` cannot delete someone's files.
   */
  public wipe(): void {
    if (fs.existsSync(this.root) && fs.readdirSync(this.root).length > 0 && !fs.existsSync(path.join(this.root, LAKE_MARKER))) {
      throw new Error(
        `Refusing to wipe "${this.root}": it is not empty and is not a local lake (no ${LAKE_MARKER} file). ` +
          'Pass --lake with a new or empty folder (default .mesh/lake).',
      );
    }
    fs.rmSync(this.root, { recursive: true, force: true });
    this.ensure();
  }

  /** Creates the lake folder (with its marker) if needed. */
  public ensure(): void {
    fs.mkdirSync(this.root, { recursive: true });
    const marker = path.join(this.root, LAKE_MARKER);
    if (!fs.existsSync(marker)) fs.writeFileSync(marker, 'A local lake of cdk-data-mesh (`mesh dev`); `mesh dev` wipes it.\n');
  }

  /** The folder an error document lands in: the error prefix with its `!{…}` expressions substituted. */
  public errorDir(product: ProductEntry, errorOutputType: string, at: Date): string {
    return path.join(this.bucketDir(product), expandPrefix(product.physical.errorPrefix, { errorOutputType, at }));
  }

  /** An object name as Firehose writes them: `<delivery stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid>`. */
  public objectName(product: ProductEntry, at: Date, extension = ''): string {
    return `${product.physical.deliveryStreamName}-${DELIVERY_STREAM_VERSION}-${formatTimestamp(at, 'yyyy-MM-dd-HH-mm-ss')}-${randomUUID()}${extension}`;
  }
}

/** Substitutes Firehose's `!{firehose:error-output-type}` and `!{timestamp:<format>}` (UTC) in an S3 prefix. */
export function expandPrefix(prefix: string, values: { readonly errorOutputType?: string; readonly at: Date }): string {
  return prefix.replace(/!\{([a-zA-Z]+):([^}]*)\}/g, (expression, namespace: string, argument: string) => {
    if (namespace === 'firehose' && argument === 'error-output-type' && values.errorOutputType !== undefined) {
      return values.errorOutputType;
    }
    if (namespace === 'timestamp') return formatTimestamp(values.at, argument);
    if (namespace === 'firehose' && argument === 'random-string') return randomUUID().slice(0, 11);
    throw new Error(`The local mode cannot expand ${expression} in the S3 prefix "${prefix}".`);
  });
}

/** Formats a UTC time with the Java date-format letters Firehose prefixes use (yyyy, MM, dd, HH, mm, ss). */
export function formatTimestamp(at: Date, format: string): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const parts: Record<string, string> = {
    yyyy: String(at.getUTCFullYear()),
    MM: two(at.getUTCMonth() + 1),
    dd: two(at.getUTCDate()),
    HH: two(at.getUTCHours()),
    mm: two(at.getUTCMinutes()),
    ss: two(at.getUTCSeconds()),
  };
  return format.replace(/yyyy|MM|dd|HH|mm|ss/g, (letters) => parts[letters]);
}

/** A processing-failed document, as Firehose writes one per failed record (JSON lines). */
export interface ProcessingFailedDocument {
  readonly attemptsMade: number;
  readonly arrivalTimestamp: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attemptEndingTimestamp: number;
  /** The record as it arrived, base64. */
  readonly rawData: string;
  readonly lambdaArn: string;
}

/** A format-conversion-failed document (Firehose's shape for records the Parquet conversion refused). */
export interface FormatConversionFailedDocument {
  readonly attemptsMade: number;
  readonly arrivalTimestamp: number;
  readonly lastErrorCode: string;
  readonly lastErrorMessage: string;
  readonly attemptEndingTimestamp: number;
  readonly rawData: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly dataCatalogTable: {
    readonly catalogId: string;
    readonly databaseName: string;
    readonly tableName: string;
    readonly region: string;
  };
}

/** Writes error documents as one JSON-lines object per error folder (the folder depends on the arrival date). */
export function writeErrorDocuments(
  lake: LocalLake,
  product: ProductEntry,
  errorOutputType: string,
  documents: ReadonlyArray<ProcessingFailedDocument | FormatConversionFailedDocument | TransformFailedDocument>,
  now: Date = new Date(),
): string[] {
  const byDir = new Map<string, string[]>();
  for (const document of documents) {
    const dir = lake.errorDir(product, errorOutputType, new Date(document.arrivalTimestamp));
    const lines = byDir.get(dir) ?? [];
    lines.push(JSON.stringify(document));
    byDir.set(dir, lines);
  }
  const files: string[] = [];
  for (const [dir, lines] of byDir) {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, lake.objectName(product, now));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    files.push(file);
  }
  return files;
}

/** A line the Parquet conversion refused, and DuckDB's message. */
export interface ConversionFailure {
  readonly index: number;
  readonly message: string;
}

/**
 * Converts JSON lines (the processor's `Ok` records of one `dt` partition) to one Parquet object in the partition's
 * folder, reading them with the contract's types as Firehose's conversion reads them with the Glue table's.
 * Lines DuckDB cannot convert are isolated (by bisection) and returned, by their position among all the lines;
 * the others are written. An element of `lines` may hold several lines (joined with newlines), as text or as UTF-8
 * bytes (what the processor workers hand over: written to DuckDB's input as they are).
 */
export async function writeParquetPartition(
  connection: DuckDBConnection,
  lake: LocalLake,
  product: ProductEntry,
  dt: string,
  lines: ReadonlyArray<string | Uint8Array>,
  now: Date = new Date(),
): Promise<{ readonly file?: string; readonly written: number; readonly failures: ConversionFailure[] }> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-lake-'));
  try {
    const columns = readJsonColumnsArgument(product.contract);
    const select = (file: string) =>
      `SELECT * FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', columns = ${columns})`;
    const dir = path.join(lake.dataDir(product), `dt=${dt}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, lake.objectName(product, now, '.parquet'));
    const input = path.join(scratch, 'input.jsonl');
    // Firehose writes Snappy-compressed Parquet by default. The object appears whole (written aside, then renamed),
    // so a `mesh query` running meanwhile (`mesh dev --watch`) never reads a half-written file.
    const partial = `${file}.partial`;
    const copy = async () => {
      await connection.run(`COPY (${select(input)}) TO ${quoteLiteral(partial)} (FORMAT parquet, COMPRESSION snappy)`);
      fs.renameSync(partial, file);
    };

    writeLines(input, lines);
    try {
      await copy();
      return { file, written: lines.reduce((count, text) => count + lineCount(text), 0), failures: [] };
    } catch {
      fs.rmSync(partial, { force: true });
    }
    // Some line cannot be converted: find which, write the others.
    const each = eachLine(lines);
    const failures = await isolateFailures(connection, scratch, select, each, each.map((_, index) => index));
    const bad = new Set(failures.map((failure) => failure.index));
    const good = each.filter((_, index) => !bad.has(index));
    if (good.length === 0) {
      if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
      return { written: 0, failures };
    }
    fs.writeFileSync(input, `${good.join('\n')}\n`);
    await copy();
    return { file, written: good.length, failures };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the texts to `file`, each followed by a newline; bytes as they are, without joining them into one buffer. */
function writeLines(file: string, lines: ReadonlyArray<string | Uint8Array>): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const text of lines) {
      if (typeof text === 'string') fs.writeSync(fd, `${text}\n`);
      else {
        fs.writeSync(fd, text);
        fs.writeSync(fd, NEWLINE);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

const NEWLINE = Buffer.from('\n');

/** Every line of the texts (each may hold several, joined with newlines), in order. */
export function eachLine(texts: ReadonlyArray<string | Uint8Array>): string[] {
  return texts.flatMap((text) => (typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8')).split('\n'));
}

function lineCount(text: string | Uint8Array): number {
  let count = 1;
  if (typeof text === 'string') {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
    return count;
  }
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}

/** Reads the lines fully into a temporary table; throws DuckDB's error if one of them cannot be converted. */
async function probe(
  connection: DuckDBConnection,
  scratch: string,
  select: (file: string) => string,
  lines: readonly string[],
  indexes: readonly number[],
): Promise<void> {
  const file = path.join(scratch, 'probe.jsonl');
  fs.writeFileSync(file, `${indexes.map((index) => lines[index]).join('\n')}\n`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE conversion_probe AS ${select(file)}`);
}

/** Finds the lines that fail conversion by bisection: about 2·log2(n) probes per bad line. */
async function isolateFailures(
  connection: DuckDBConnection,
  scratch: string,
  select: (file: string) => string,
  lines: readonly string[],
  indexes: readonly number[],
): Promise<ConversionFailure[]> {
  try {
    await probe(connection, scratch, select, lines, indexes);
    return [];
  } catch (error) {
    if (indexes.length === 1) {
      return [{ index: indexes[0], message: conversionMessage(error) }];
    }
    const middle = Math.ceil(indexes.length / 2);
    return [
      ...(await isolateFailures(connection, scratch, select, lines, indexes.slice(0, middle))),
      ...(await isolateFailures(connection, scratch, select, lines, indexes.slice(middle))),
    ];
  }
}

/** DuckDB's message without its file path and its generic hint. */
function conversionMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')[0]
    .replace(/ in file "[^"]*", in line \d+/, '')
    .trim();
}
