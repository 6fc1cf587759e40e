/** Renders a `MeshCost` as the text `mesh cost` prints. */
import { SERVICES, type MeshCost } from './estimate';

const HEADERS = { kinesis: 'Kinesis', firehose: 'Firehose', lambda: 'Lambda', s3: 'S3', athena: 'Athena' } as const;

const money = (value: number) => value.toFixed(2);
const compact = (value: number) => (Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, ''));

function table(rows: string[][], rightAligned: (column: number) => boolean): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((row) => row.map((cell, c) => (rightAligned(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

export interface FormatOptions {
  /** Where the price table was read from, as the user should see it. */
  readonly priceFile: string;
  /** Print every priced item under its product. @default false */
  readonly details?: boolean;
}

export function formatMeshCost(cost: MeshCost, options: FormatOptions): string {
  const { prices, assumptions: a } = cost;
  // A multi-account mesh: each product's account, and a total per account.
  const accounts = cost.products.some((p) => p.account !== undefined);
  const account = (p: { account?: string }) => (accounts ? [p.account ?? '-'] : []);
  const header = ['Product', ...(accounts ? ['Account'] : []), 'Events/s', 'Bytes', ...SERVICES.map((s) => HEADERS[s]), 'Total'];
  const rows = [header];
  for (const product of cost.products) {
    rows.push([
      product.product,
      ...account(product),
      product.volume ? compact(product.volume.eventsPerSecond) : '-',
      product.volume ? compact(product.volume.meanEventBytes) : '-',
      ...SERVICES.map((s) => money(product.byService[s])),
      money(product.total),
    ]);
  }
  rows.push(['Total', ...(accounts ? [''] : []), '', '', ...SERVICES.map((s) => money(cost.byService[s])), money(cost.total)]);
  const lines = [
    `Monthly cost estimate in ${prices.currency} (${prices.region}, on-demand list prices)`,
    `Prices: ${options.priceFile}, version ${prices.version}, compiled ${prices.compiled}.`,
    '',
    table(rows, (c) => c > (accounts ? 1 : 0)),
  ];
  if (accounts) {
    const totals = new Map<string, number>();
    for (const product of cost.products) totals.set(product.account ?? '-', (totals.get(product.account ?? '-') ?? 0) + product.total);
    const byAccount = [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([id, total]) => [id, money(total), cost.products.filter((p) => (p.account ?? '-') === id).map((p) => p.product).join(', ')]);
    lines.push('', 'By account (where each product\'s stream, delivery and storage are billed; Athena where the queries run):', table([['Account', 'Total', 'Products'], ...byAccount], (c) => c === 1));
  }
  if (options.details) {
    for (const product of cost.products) {
      lines.push('', `${product.product} (volume: ${product.volumeSource})`);
      lines.push(
        table(
          [
            ['Service', 'Item', 'Quantity', 'Unit', 'Unit price', 'Cost'],
            ...product.items.map((i) => [i.service, i.item, compact(i.quantity), i.unit, String(i.unitPrice), money(i.cost)]),
          ],
          (c) => c === 2 || c >= 4,
        )
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n'),
      );
    }
  }
  const notes = cost.products.flatMap((p) => p.notes.map((n) => `  ${p.product}: ${n}`));
  if (notes.length > 0) lines.push('', 'Notes:', ...notes);
  lines.push(
    '',
    'Assumptions (see "Cost estimate" in README.md):',
    `  month = ${a.hoursPerMonth} h; GB = 2^30 bytes, TB = 2^40 bytes; Parquet = ${a.parquetToJsonRatio} × JSON size; retention from the SLA (else ${a.defaultRetentionDays} days), storage at steady state`,
    `  Firehose buffer ${a.firehoseBufferSeconds} s / ${a.firehoseBufferBytes / 2 ** 20} MiB, ${a.activePartitions} active partition; processor buffer ${a.processorBufferSeconds} s / ${a.processorBufferBytes / 2 ** 20} MiB, ${a.processorMemoryMB} MB ${a.processorArchitecture}`,
    `  Lambda duration ${a.lambdaMsPerInvocation} ms per invocation + ${a.lambdaMsPerRecord} ms per record; streaming transforms: batches of ${a.transformBatchSize}, ${a.transformMemoryMB} MB ${a.transformArchitecture}`,
    `  each example query runs ${a.exampleQueryRunsPerDay}×/day scanning ${a.exampleQueryScanDays} day(s) of data (min ${prices.athena.minimumBytesPerQuery / 2 ** 20} MB a query); cron schedules run ${a.cronRunsPerDay}×/day`,
    '  not included: KMS, CloudWatch, Glue Data Catalog, Step Functions, SQS, data transfer, free tiers, volume discounts',
    `Sources: ${Object.entries(prices.sources).map(([service, url]) => `${service} ${url}`).join(', ')}`,
    `Note from the price table: ${prices.note}`,
  );
  return lines.join('\n');
}
