/**
 * `mesh cost`: a monthly cost estimate per data product and in total, from each product's declared volume
 * (contract `volume`: events per second and mean event size) or command-line overrides, priced with a
 * versioned price table (data/prices/<region>.json).
 *
 * Per product (GB = 2^30 bytes, TB = 2^40 bytes, a month = 730 hours):
 *
 * - Kinesis on-demand: stream-hours × price; data in = events × (size rounded up to 1 KiB); data out =
 *   events × size × readers (Firehose, plus every streaming derived product reading the stream).
 * - Firehose: ingestion = events × (size rounded up to 5 KiB); format conversion on the same billed
 *   bytes; dynamic partitioning per GB (of the bytes entering, conservatively) plus per 1000 objects
 *   delivered (one object per buffer flush per active partition: max(month ÷ buffer interval, bytes ÷ buffer size)).
 * - Lambda: the Firehose processor (one invocation per processor buffer: max(month ÷ 60 s, bytes ÷ 1 MiB),
 *   never more than one per record) and, for streaming derived products, their transform (one invocation
 *   per batch of 100 upstream records, or per second when batches are not full); requests plus GB-seconds
 *   of a duration of (per-invocation ms + records × per-record ms), billed to the millisecond.
 * - S3: steady-state storage of the Parquet table (JSON bytes × Parquet ratio × retention days), plus PUTs
 *   of the delivered objects.
 * - Athena: each example query run N times a day, scanning D days of Parquet data (at least 10 MB a query);
 *   SQL derived products also pay their scheduled INSERT, which scans one day of each source, and products whose
 *   contract declares quality rules their daily quality run, one query per rule on one day of data.
 *
 * Not included: KMS, CloudWatch (dashboards, alarms, logs), Glue Data Catalog, Step Functions, SQS,
 * data transfer, and free tiers.
 */
import type { MeshManifest, ProductEntry } from '../../constructs/manifest/manifest';
import type { PriceTable } from './prices';
import { isRunnable, qualityRules } from '../../constructs/contract/quality';

export const GB = 2 ** 30;
export const TB = 2 ** 40;
const MIB = 2 ** 20;

/** Everything the estimate assumes beyond declared volume and prices; `mesh cost` prints them. */
export interface CostAssumptions {
  /** Hours in a month, as AWS pricing counts them. */
  readonly hoursPerMonth: number;
  /** Size of the Parquet (Snappy) data relative to the JSON events. */
  readonly parquetToJsonRatio: number;
  /** Days of data kept when the SLA declares no retention. */
  readonly defaultRetentionDays: number;
  /** Firehose S3 buffering (DataProduct defaults). */
  readonly firehoseBufferSeconds: number;
  readonly firehoseBufferBytes: number;
  /** Partitions (`dt` values) receiving data at the same time. */
  readonly activePartitions: number;
  /** Firehose processor buffering and function (DataProduct defaults). */
  readonly processorBufferSeconds: number;
  readonly processorBufferBytes: number;
  readonly processorMemoryMB: number;
  readonly processorArchitecture: 'x86_64' | 'arm64';
  /** Streaming transform of derived products (StreamingPipeline defaults). */
  readonly transformBatchSize: number;
  readonly transformMemoryMB: number;
  readonly transformArchitecture: 'x86_64' | 'arm64';
  /** Lambda duration model: fixed ms per invocation plus ms per record. */
  readonly lambdaMsPerInvocation: number;
  readonly lambdaMsPerRecord: number;
  /** Runs per day of each example query. */
  readonly exampleQueryRunsPerDay: number;
  /** Days of data each example query run scans (queries filter on `dt`). */
  readonly exampleQueryScanDays: number;
  /** Runs per day of a SQL product whose schedule is a cron expression. */
  readonly cronRunsPerDay: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  hoursPerMonth: 730,
  parquetToJsonRatio: 0.25,
  defaultRetentionDays: 365,
  firehoseBufferSeconds: 300,
  firehoseBufferBytes: 128 * MIB,
  activePartitions: 1,
  processorBufferSeconds: 60,
  processorBufferBytes: 1 * MIB,
  processorMemoryMB: 512,
  processorArchitecture: 'arm64',
  transformBatchSize: 100,
  transformMemoryMB: 512,
  transformArchitecture: 'arm64',
  lambdaMsPerInvocation: 20,
  lambdaMsPerRecord: 0.05,
  exampleQueryRunsPerDay: 10,
  exampleQueryScanDays: 1,
  cronRunsPerDay: 1,
};

export interface Volume {
  readonly eventsPerSecond: number;
  readonly meanEventBytes: number;
}

export type Service = 'kinesis' | 'firehose' | 'lambda' | 's3' | 'athena';
export const SERVICES: readonly Service[] = ['kinesis', 'firehose', 'lambda', 's3', 'athena'];

/** One priced quantity, e.g. 50.1 GB of Kinesis data in at 0.08 USD. */
export interface CostItem {
  readonly service: Service;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  readonly cost: number;
}

export interface ProductCost {
  readonly product: string;
  /** The account its stack deploys to, in a multi-account mesh: where its stream, delivery and storage are billed. */
  readonly account?: string;
  readonly volume?: Volume;
  readonly volumeSource: 'contract' | 'command line' | 'none';
  readonly items: readonly CostItem[];
  readonly byService: Readonly<Record<Service, number>>;
  readonly total: number;
  readonly notes: readonly string[];
}

export interface MeshCost {
  readonly products: readonly ProductCost[];
  readonly byService: Readonly<Record<Service, number>>;
  readonly total: number;
  readonly prices: PriceTable;
  readonly assumptions: CostAssumptions;
}

export interface CostOptions {
  /** Overrides the declared volume of every estimated product. */
  readonly volume?: Partial<Volume>;
  /** Only these product ids. @default - every product */
  readonly products?: readonly string[];
  readonly assumptions?: Partial<CostAssumptions>;
}

/** Runs per day of a schedule expression: `rate(1 day)` → 1, `rate(6 hours)` → 4, `cron(…)` → the assumption. */
export function runsPerDay(schedule: string | undefined, assumptions: CostAssumptions): { runs: number; assumed: boolean } {
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(schedule?.trim() ?? '');
  if (rate === null) return { runs: assumptions.cronRunsPerDay, assumed: true };
  const n = Number(rate[1]);
  const perDay = rate[2].startsWith('minute') ? 1440 : rate[2].startsWith('hour') ? 24 : 1;
  return { runs: perDay / n, assumed: false };
}

const roundUp = (bytes: number, unit: number) => Math.ceil(bytes / unit) * unit;

/** Estimates the monthly cost of the mesh's products. */
export function estimateMeshCost(manifest: MeshManifest, prices: PriceTable, options: CostOptions = {}): MeshCost {
  const assumptions = { ...DEFAULT_ASSUMPTIONS, ...options.assumptions };
  const unknown = (options.products ?? []).filter((id) => !manifest.products.some((p) => p.id === id));
  if (unknown.length > 0) {
    throw new Error(`No product ${unknown.map((id) => `"${id}"`).join(', ')} in the mesh. Known products: ${manifest.products.map((p) => p.id).join(', ') || '(none)'}.`);
  }
  const volumes = new Map(manifest.products.map((p) => [p.id, volumeOf(p, options.volume)]));
  const selected = manifest.products.filter((p) => options.products === undefined || options.products.includes(p.id));
  const products = selected.map((product) => estimateProduct(product, manifest, volumes, prices, assumptions));
  const byService = sumByService(products.flatMap((p) => p.items));
  return { products, byService, total: sum(Object.values(byService)), prices, assumptions };
}

function volumeOf(product: ProductEntry, override: Partial<Volume> | undefined): { volume?: Volume; source: ProductCost['volumeSource'] } {
  const declared = product.contract.volume;
  const eventsPerSecond = override?.eventsPerSecond ?? declared?.eventsPerSecond;
  const meanEventBytes = override?.meanEventBytes ?? declared?.meanEventBytes;
  if (eventsPerSecond === undefined || meanEventBytes === undefined) return { source: 'none' };
  const fromCli = override?.eventsPerSecond !== undefined || override?.meanEventBytes !== undefined;
  return { volume: { eventsPerSecond, meanEventBytes }, source: fromCli ? 'command line' : 'contract' };
}

function estimateProduct(
  product: ProductEntry,
  manifest: MeshManifest,
  volumes: ReadonlyMap<string, { volume?: Volume; source: ProductCost['volumeSource'] }>,
  prices: PriceTable,
  a: CostAssumptions,
): ProductCost {
  const items: CostItem[] = [];
  const notes: string[] = [];
  const add = (service: Service, item: string, quantity: number, unit: string, unitPrice: number, per = 1) =>
    items.push({ service, item, quantity, unit, unitPrice, cost: (quantity / per) * unitPrice });
  const { volume, source: volumeSource } = volumes.get(product.id)!;
  const secondsPerMonth = a.hoursPerMonth * 3600;
  const daysPerMonth = a.hoursPerMonth / 24;
  const sqlSource = product.source?.kind === 'sql' ? product.source : undefined;
  const parquetBytesPerDay = (v: Volume | undefined) => (v === undefined ? 0 : v.eventsPerSecond * 86_400 * v.meanEventBytes * a.parquetToJsonRatio);

  // The stream exists for every product (a SQL product's stays idle): stream-hours always.
  add('kinesis', 'on-demand stream-hours', a.hoursPerMonth, 'stream-hour', prices.kinesis.onDemandStreamHour);
  if (volume === undefined) {
    notes.push('No volume declared: only fixed costs. Declare contract volume or pass --events-per-second and --event-bytes.');
  }
  const events = volume === undefined ? 0 : volume.eventsPerSecond * secondsPerMonth;
  const jsonBytes = volume === undefined ? 0 : events * volume.meanEventBytes;

  if (sqlSource !== undefined) {
    notes.push('SQL product: data arrives by the scheduled INSERT, not through its stream and delivery stream.');
  } else if (volume !== undefined && events > 0) {
    // Kinesis data in (per record, rounded up to 1 KiB) and out (each reader reads every byte).
    const kinesisBilled = events * roundUp(volume.meanEventBytes, prices.kinesis.ingestRecordRoundingBytes);
    add('kinesis', 'data in (records rounded up to 1 KiB)', kinesisBilled / GB, 'GB', prices.kinesis.onDemandIngestPerGB);
    const streamingReaders = manifest.products.filter((p) => p.source?.kind === 'stream' && p.source.from.includes(product.id));
    const readers = 1 + streamingReaders.length;
    add('kinesis', `data out (${readers} reader${readers === 1 ? '' : 's'}: Firehose${streamingReaders.map((p) => `, ${p.id}`).join('')})`, (jsonBytes * readers) / GB, 'GB', prices.kinesis.onDemandRetrievalPerGB);

    // Firehose: ingestion and format conversion billed per record rounded up to 5 KiB.
    const firehoseBilled = events * roundUp(volume.meanEventBytes, prices.firehose.ingestionRecordRoundingBytes);
    add('firehose', 'ingestion (records rounded up to 5 KiB)', firehoseBilled / GB, 'GB', prices.firehose.ingestionPerGB);
    add('firehose', 'format conversion to Parquet', firehoseBilled / GB, 'GB', prices.firehose.formatConversionPerGB);
    add('firehose', 'dynamic partitioning', jsonBytes / GB, 'GB', prices.firehose.dynamicPartitioningPerGB);
    const objects = a.activePartitions * Math.max(secondsPerMonth / a.firehoseBufferSeconds, jsonBytes / a.firehoseBufferBytes);
    add('firehose', 'dynamic partitioning objects delivered', objects, 'object', prices.firehose.dynamicPartitioningPer1000Objects, 1000);
    add('s3', 'PUT requests (objects delivered)', objects, 'request', prices.s3.putPer1000, 1000);

    // The Firehose processor.
    const invocations = Math.min(events, Math.max(secondsPerMonth / a.processorBufferSeconds, jsonBytes / a.processorBufferBytes));
    addLambda(add, prices, 'processor', invocations, events / invocations, a.processorMemoryMB, a.processorArchitecture, a);
  }

  // The streaming transform of a derived product runs on its upstream's records.
  if (product.source?.kind === 'stream') {
    for (const upstream of product.source.from) {
      const upstreamVolume = volumes.get(upstream)?.volume;
      if (upstreamVolume === undefined) {
        notes.push(`Transform cost unknown: upstream ${upstream} declares no volume (or is outside this mesh).`);
        continue;
      }
      const upstreamEvents = upstreamVolume.eventsPerSecond * secondsPerMonth;
      // One batch per second per poll unless batches fill up; never more invocations than records.
      const invocations = Math.min(upstreamEvents, Math.max(upstreamEvents / a.transformBatchSize, secondsPerMonth));
      addLambda(add, prices, `transform of ${upstream}`, invocations, upstreamEvents / invocations, a.transformMemoryMB, a.transformArchitecture, a);
    }
  }

  // S3: the table's Parquet data at steady state (retention reached).
  const retentionDays = product.contract.sla.retentionDays ?? a.defaultRetentionDays;
  if (product.contract.sla.retentionDays === undefined) notes.push(`No retention in the SLA: ${a.defaultRetentionDays} days of data assumed.`);
  const storedGB = (parquetBytesPerDay(volume) * retentionDays) / GB;
  add('s3', `storage, ${retentionDays} days of Parquet (steady state)`, storedGB, 'GB-month', prices.s3.standardGBMonth);

  // Athena: the example queries, and a SQL product's scheduled INSERT.
  const minBytes = prices.athena.minimumBytesPerQuery;
  const scanned = (bytes: number) => Math.max(minBytes, roundUp(bytes, MIB));
  const exampleRuns = product.contract.exampleQueries.length * a.exampleQueryRunsPerDay * daysPerMonth;
  if (exampleRuns > 0) {
    const perRun = scanned(parquetBytesPerDay(volume) * a.exampleQueryScanDays);
    add('athena', `${product.contract.exampleQueries.length} example quer${product.contract.exampleQueries.length === 1 ? 'y' : 'ies'} × ${a.exampleQueryRunsPerDay}/day`, (exampleRuns * perRun) / TB, 'TB', prices.athena.perTBScanned);
  }
  // The scheduled quality run on AWS (when the contract declares rules): one query per rule, each on one day of data
  // (an upper bound: Parquet is columnar and a rule reads one or a few columns), at least the per-query minimum.
  const qualityRules_ = (product.contract.quality ?? []).some(isRunnable) ? qualityRules(product.contract).filter(isRunnable) : [];
  if (qualityRules_.length > 0) {
    add('athena', `quality run: ${qualityRules_.length} rules × 1/day, one day each`, (qualityRules_.length * daysPerMonth * scanned(parquetBytesPerDay(volume))) / TB, 'TB', prices.athena.perTBScanned);
  }
  if (sqlSource !== undefined) {
    const { runs, assumed } = runsPerDay(sqlSource.schedule, a);
    if (assumed) notes.push(`Schedule "${sqlSource.schedule}" is not a rate(): ${a.cronRunsPerDay} run(s) a day assumed.`);
    const missing = sqlSource.from.filter((id) => volumes.get(id)?.volume === undefined);
    if (missing.length > 0) notes.push(`INSERT scan partly unknown: ${missing.join(', ')} declare no volume.`);
    const perRun = scanned(sum(sqlSource.from.map((id) => parquetBytesPerDay(volumes.get(id)?.volume))));
    add('athena', `scheduled INSERT (${sqlSource.schedule}), one day of each source`, (runs * daysPerMonth * perRun) / TB, 'TB', prices.athena.perTBScanned);
    add('s3', 'PUT requests (INSERT output files)', runs * daysPerMonth, 'request', prices.s3.putPer1000, 1000);
  }

  const byService = sumByService(items);
  return { product: product.id, ...(product.account !== undefined && { account: product.account }), ...(volume !== undefined && { volume }), volumeSource, items, byService, total: sum(Object.values(byService)), notes };
}

function addLambda(
  add: (service: Service, item: string, quantity: number, unit: string, unitPrice: number, per?: number) => void,
  prices: PriceTable,
  name: string,
  invocations: number,
  recordsPerInvocation: number,
  memoryMB: number,
  architecture: 'x86_64' | 'arm64',
  a: CostAssumptions,
): void {
  const billedMs = Math.ceil(a.lambdaMsPerInvocation + recordsPerInvocation * a.lambdaMsPerRecord);
  add('lambda', `${name} requests`, invocations, 'request', prices.lambda.requestsPerMillion, 1_000_000);
  add('lambda', `${name} compute (${billedMs} ms × ${memoryMB} MB, ${architecture})`, invocations * (billedMs / 1000) * (memoryMB / 1024), 'GB-second',
    architecture === 'arm64' ? prices.lambda.arm64GBSecond : prices.lambda.x86GBSecond);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function sumByService(items: readonly CostItem[]): Record<Service, number> {
  const totals = Object.fromEntries(SERVICES.map((s) => [s, 0])) as Record<Service, number>;
  for (const item of items) totals[item.service] += item.cost;
  return totals;
}
