/**
 * The versioned price table `mesh cost` computes with (data/prices/<region>.json): every figure the
 * estimate uses, with the table's version, compile date and sources, which the output repeats.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PriceTable {
  readonly version: string;
  readonly region: string;
  readonly currency: string;
  /** ISO date the figures were compiled. */
  readonly compiled: string;
  readonly note: string;
  readonly sources: Readonly<Record<string, string>>;
  readonly kinesis: {
    readonly onDemandStreamHour: number;
    readonly onDemandIngestPerGB: number;
    readonly onDemandRetrievalPerGB: number;
    /** On-demand data in is billed per record rounded up to this many bytes (1 KiB). */
    readonly ingestRecordRoundingBytes: number;
  };
  readonly firehose: {
    readonly ingestionPerGB: number;
    /** Ingestion (and format conversion) is billed per record rounded up to this many bytes (5 KiB). */
    readonly ingestionRecordRoundingBytes: number;
    readonly formatConversionPerGB: number;
    readonly dynamicPartitioningPerGB: number;
    readonly dynamicPartitioningPer1000Objects: number;
  };
  readonly lambda: { readonly requestsPerMillion: number; readonly x86GBSecond: number; readonly arm64GBSecond: number };
  readonly s3: { readonly standardGBMonth: number; readonly putPer1000: number };
  readonly athena: { readonly perTBScanned: number; readonly minimumBytesPerQuery: number };
}

/** The price table shipped with the package. */
export const DEFAULT_PRICE_TABLE = path.join(__dirname, '..', '..', 'data', 'prices', 'us-east-1.json');

const NUMBERS: Record<string, readonly string[]> = {
  kinesis: ['onDemandStreamHour', 'onDemandIngestPerGB', 'onDemandRetrievalPerGB', 'ingestRecordRoundingBytes'],
  firehose: ['ingestionPerGB', 'ingestionRecordRoundingBytes', 'formatConversionPerGB', 'dynamicPartitioningPerGB', 'dynamicPartitioningPer1000Objects'],
  lambda: ['requestsPerMillion', 'x86GBSecond', 'arm64GBSecond'],
  s3: ['standardGBMonth', 'putPer1000'],
  athena: ['perTBScanned', 'minimumBytesPerQuery'],
};

/** Reads and checks a price table; errors name the file, the field and what is wrong. */
export function loadPriceTable(file = DEFAULT_PRICE_TABLE): PriceTable {
  let table: Record<string, unknown>;
  try {
    table = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`Cannot read the price table ${file}: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  for (const key of ['version', 'region', 'currency', 'compiled', 'note']) {
    if (typeof table[key] !== 'string' || table[key] === '') problems.push(`"${key}" must be a non-empty string`);
  }
  if (typeof table.compiled === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(table.compiled)) problems.push(`"compiled" must be an ISO date (YYYY-MM-DD), got "${table.compiled}"`);
  if (typeof table.sources !== 'object' || table.sources === null || Object.keys(table.sources).length === 0) problems.push('"sources" must map services to their pricing pages');
  for (const [service, keys] of Object.entries(NUMBERS)) {
    const section = table[service] as Record<string, unknown> | undefined;
    for (const key of keys) {
      const value = section?.[key];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push(`"${service}.${key}" must be a number >= 0, got ${JSON.stringify(value)}`);
    }
  }
  if (problems.length > 0) throw new Error(`Price table ${file} is invalid: ${problems.join('; ')}.`);
  return table as unknown as PriceTable;
}
