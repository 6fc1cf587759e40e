import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register } from '../../../lib/cli/cost';
import { DEFAULT_ASSUMPTIONS, estimateMeshCost, runsPerDay } from '../../../lib/cost/estimate';
import { formatMeshCost } from '../../../lib/cost/format';
import { DEFAULT_PRICE_TABLE, loadPriceTable } from '../../../lib/cost/prices';
import { manifestOf } from '../../../lib/manifest/read-manifest';
import type { ContractProps } from '../../../constructs/contract';
import { orderPlaced, productEntry, referenceEntries, referenceManifest, writeAssembly } from '../catalog/fixtures/reference-mesh';

const prices = loadPriceTable();

/** The worked example: 10 events/s of 1500 bytes, kept 30 days, one example query. */
const worked: ContractProps = {
  ...orderPlaced,
  sla: { freshnessMinutes: 15, retentionDays: 30 },
  volume: { eventsPerSecond: 10, meanEventBytes: 1500 },
};

describe('mesh cost arithmetic (worked example, computed by hand)', () => {
  // A month is 730 h = 2 628 000 s, so 10 events/s = 26 280 000 events and 39 420 000 000 bytes of JSON.
  // GB = 2^30 = 1 073 741 824 bytes; TB = 2^40 bytes.
  const cost = estimateMeshCost(manifestOf([productEntry(worked)]), prices).products[0];
  const item = (prefix: string) => {
    const found = cost.items.find((i) => i.item.startsWith(prefix));
    if (found === undefined) throw new Error(`no item "${prefix}" in ${cost.items.map((i) => i.item).join(' | ')}`);
    return found;
  };

  it('Kinesis on-demand: stream-hours, data in rounded up to 1 KiB per record, data out once (Firehose)', () => {
    // 730 stream-hours × 0.04 = 29.20
    expect(item('on-demand stream-hours').cost).toBeCloseTo(29.2, 10);
    // 1500 B → 2 KiB billed: 26 280 000 × 2048 = 53 821 440 000 B = 50.1251220703125 GB × 0.08 = 4.010009765625
    expect(item('data in').quantity).toBeCloseTo(50.1251220703125, 10);
    expect(item('data in').cost).toBeCloseTo(4.010009765625, 10);
    // 39 420 000 000 B = 36.712735891342 GB × 0.04 = 1.468509435653
    expect(item('data out (1 reader').cost).toBeCloseTo(1.4685094356537, 10);
  });

  it('Firehose: ingestion and conversion rounded up to 5 KiB per record, dynamic partitioning per GB and per object', () => {
    // 1500 B → 5 KiB billed: 26 280 000 × 5120 = 134 553 600 000 B = 125.3128051757813 GB
    expect(item('ingestion').quantity).toBeCloseTo(125.31280517578125, 10);
    expect(item('ingestion').cost).toBeCloseTo(3.6340713500977, 10); // × 0.029
    expect(item('format conversion').cost).toBeCloseTo(2.2556304931641, 10); // × 0.018
    expect(item('dynamic partitioning').cost).toBeCloseTo(0.7342547178268, 10); // 36.7127 GB × 0.02
    // Objects: max(2 628 000 s ÷ 300 s, 39.42e9 B ÷ 128 MiB = 293.7) = 8760 flushes × 1 partition
    expect(item('dynamic partitioning objects').quantity).toBe(8760);
    expect(item('dynamic partitioning objects').cost).toBeCloseTo(0.0438, 10); // 8.76 × 0.005
  });

  it('Lambda: the processor invoked once per 60 s buffer, 600 records each, 50 ms at 512 MB on arm64', () => {
    // Invocations: max(2 628 000 ÷ 60 = 43 800, 39.42e9 ÷ 1 MiB = 37 594) = 43 800; 600 records each
    expect(item('processor requests').quantity).toBe(43_800);
    expect(item('processor requests').cost).toBeCloseTo(0.00876, 10); // 0.0438 M × 0.20
    // Duration 20 ms + 600 × 0.05 ms = 50 ms; 43 800 × 0.05 s × 0.5 GB = 1095 GB-s × 0.0000133334 (arm64)
    expect(item('processor compute').quantity).toBeCloseTo(1095, 10);
    expect(item('processor compute').cost).toBeCloseTo(0.014600073, 10);
  });

  it('S3: 30 days of Parquet at a quarter of the JSON size, plus the PUTs of delivered objects', () => {
    // 10 × 86 400 × 1500 × 0.25 = 324 000 000 B a day × 30 days = 9 720 000 000 B = 9.0524 GB × 0.023
    expect(item('storage, 30 days').quantity).toBeCloseTo(9.052455425262451, 10);
    expect(item('storage, 30 days').cost).toBeCloseTo(0.2082064747810, 10);
    expect(item('PUT requests').cost).toBeCloseTo(0.0438, 10); // 8760 ÷ 1000 × 0.005
  });

  it('Athena: the example query 10 times a day over one day of data', () => {
    // 10 runs × 730/24 days = 304.1667 runs; one day = 324 000 000 B, rounded up to whole MiB = 309 MiB
    // = 324 009 984 B per run; × 304.1667 = 98 553 036 800 B = 0.0896335 TB × 5 = 0.448167324
    expect(item('1 example query').cost).toBeCloseTo(0.4481673240662, 10);
  });

  it('Athena: no quality run when the contract declares no rules (the implied ones run only in mesh test)', () => {
    expect(cost.items.some((i) => i.item.startsWith('quality run'))).toBe(false);
  });

  it('Athena: the daily quality run, one query per rule over one day of data (issue 20)', () => {
    const checked = estimateMeshCost(manifestOf([productEntry({ ...worked, quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }] })]), prices).products[0];
    const quality = checked.items.find((i) => i.item.startsWith('quality run'))!;
    // Rules: the row count plus the implied ones of the fixture's primary key and required columns.
    const rules = Number(/quality run: (\d+) rules/.exec(quality.item)![1]);
    expect(rules).toBeGreaterThan(1);
    // rules × 730/24 runs a month × 309 MiB (one day, rounded up to whole MiB) = rules × 0.00896335 TB × 5 USD.
    expect(quality.cost).toBeCloseTo((rules * (730 / 24) * 324_009_984 * 5) / 2 ** 40, 10);
  });

  it('adds up per service and in total', () => {
    expect(cost.byService.kinesis).toBeCloseTo(34.678519201279, 9); // 29.2 + 4.010009765625 + 1.468509435654
    expect(cost.byService.firehose).toBeCloseTo(6.667756561089, 9);
    expect(cost.byService.lambda).toBeCloseTo(0.023360073, 9); // 0.00876 + 0.014600073
    expect(cost.byService.s3).toBeCloseTo(0.252006474781, 9);
    expect(cost.byService.athena).toBeCloseTo(0.448167324066, 9);
    expect(cost.total).toBeCloseTo(42.069809634214, 9);
    expect(cost.volumeSource).toBe('contract');
  });
});

describe('mesh cost over the reference mesh', () => {
  const cost = estimateMeshCost(referenceManifest(), prices);
  const product = (id: string) => cost.products.find((p) => p.product === id)!;

  it('counts every streaming derived product as a reader of its upstream stream', () => {
    const pageViews = product('storefront.page_viewed.v1');
    expect(pageViews.items.find((i) => i.item.startsWith('data out'))!.item).toBe('data out (2 readers: Firehose, recommendations.product_views.v1)');
    // 200 events/s × 400 B × 2 628 000 s × 2 readers = 420 480 000 000 B = 391.6 GB × 0.04
    expect(pageViews.items.find((i) => i.item.startsWith('data out'))!.cost).toBeCloseTo((420_480_000_000 / 2 ** 30) * 0.04, 10);
  });

  it('prices the transform of a streaming derived product on its upstream records', () => {
    const views = product('recommendations.product_views.v1');
    // Upstream: 200 × 2 628 000 = 525 600 000 records in batches of 100 = 5 256 000 invocations (> one a second)
    const requests = views.items.find((i) => i.item === 'transform of storefront.page_viewed.v1 requests')!;
    expect(requests.quantity).toBe(5_256_000);
    expect(requests.cost).toBeCloseTo(1.0512, 10);
    // 20 ms + 100 × 0.05 ms = 25 ms at 512 MB: 5 256 000 × 0.025 × 0.5 = 65 700 GB-s
    const compute = views.items.find((i) => i.item.startsWith('transform of storefront.page_viewed.v1 compute'))!;
    expect(compute.quantity).toBeCloseTo(65_700, 8);
    expect(compute.cost).toBeCloseTo(0.87600438, 10); // × 0.0000133334 (arm64)
  });

  it('prices a SQL product by its scheduled INSERT and idle stream, and says its volume is unknown', () => {
    const sql = product('marketing.customer_orders.v1');
    expect(sql.byService.firehose).toBe(0);
    expect(sql.byService.kinesis).toBeCloseTo(29.2, 10);
    // rate(1 day): one run a day scanning one day of orders (20 × 800 B) and accounts (2 × 300 B), as Parquet:
    // (16 000 + 600) × 86 400 × 0.25 = 358 560 000 B → 342 MiB = 358 612 992 B × 30.41667 runs
    const insert = sql.items.find((i) => i.item.startsWith('scheduled INSERT'))!;
    expect(insert.quantity).toBeCloseTo((358_612_992 * (730 / 24)) / 2 ** 40, 12);
    expect(sql.notes).toContain('No volume declared: only fixed costs. Declare contract volume or pass --events-per-second and --event-bytes.');
  });

  it('uses command-line volume instead of the declared one', () => {
    const overridden = estimateMeshCost(referenceManifest(), prices, {
      volume: { eventsPerSecond: 10, meanEventBytes: 1500 },
      products: ['orders.order_placed.v1'],
    });
    expect(overridden.products).toHaveLength(1);
    expect(overridden.products[0]).toMatchObject({ volume: { eventsPerSecond: 10, meanEventBytes: 1500 }, volumeSource: 'command line' });
    // Same volume as the worked example; only retention (365 days instead of 30) changes storage.
    expect(overridden.products[0].byService.kinesis).toBeCloseTo(34.678519201279, 9);
  });

  it('names unknown products', () => {
    expect(() => estimateMeshCost(referenceManifest(), prices, { products: ['orders.nope.v1'] })).toThrow(
      'No product "orders.nope.v1" in the mesh. Known products: accounts.customer_registered.v1, marketing.customer_orders.v1, orders.order_placed.v1, recommendations.product_views.v1, storefront.page_viewed.v1.',
    );
  });
});

describe('schedules', () => {
  it('turn rate() expressions into runs per day and assume cron', () => {
    expect(runsPerDay('rate(1 day)', DEFAULT_ASSUMPTIONS)).toEqual({ runs: 1, assumed: false });
    expect(runsPerDay('rate(6 hours)', DEFAULT_ASSUMPTIONS)).toEqual({ runs: 4, assumed: false });
    expect(runsPerDay('rate(30 minutes)', DEFAULT_ASSUMPTIONS)).toEqual({ runs: 48, assumed: false });
    expect(runsPerDay('cron(0 2 * * ? *)', DEFAULT_ASSUMPTIONS)).toEqual({ runs: 1, assumed: true });
  });
});

describe('price table', () => {
  it('is versioned, dated and sourced', () => {
    expect(prices.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(prices.compiled).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(prices.sources).sort()).toEqual(['athena', 'firehose', 'kinesis', 'lambda', 's3']);
    for (const url of Object.values(prices.sources)) expect(url).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });

  it('rejects a table with a missing or negative price, naming the file and field', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prices-')), 'bad.json');
    const table = JSON.parse(fs.readFileSync(DEFAULT_PRICE_TABLE, 'utf8'));
    delete table.firehose.formatConversionPerGB;
    table.s3.standardGBMonth = -1;
    fs.writeFileSync(file, JSON.stringify(table));
    expect(() => loadPriceTable(file)).toThrow(
      `Price table ${file} is invalid: "firehose.formatConversionPerGB" must be a number >= 0, got undefined; "s3.standardGBMonth" must be a number >= 0, got -1.`,
    );
  });
});

describe('mesh cost (CLI)', () => {
  async function run(args: string[]): Promise<string> {
    const cli = new Command('mesh').option('-a, --assembly <dir>', 'assembly', 'cdk.out').exitOverride();
    register(cli);
    const logs: string[] = [];
    const log = console.log;
    console.log = (message: string) => logs.push(message);
    try {
      await cli.parseAsync(['node', 'mesh', ...args]);
    } finally {
      console.log = log;
    }
    return logs.join('\n');
  }

  it('prints a per-product table with the total and the price table used', async () => {
    const assembly = writeAssembly(referenceEntries());
    const output = await run(['--assembly', assembly, 'cost']);
    const lines = output.split('\n');
    expect(lines[1]).toBe(`Prices: ${path.relative(process.cwd(), DEFAULT_PRICE_TABLE)}, version ${prices.version}, compiled ${prices.compiled}.`);
    expect(lines[3]).toMatch(/^Product\s+Events\/s\s+Bytes\s+Kinesis\s+Firehose\s+Lambda\s+S3\s+Athena\s+Total$/);
    for (const id of referenceManifest().products.map((p) => p.id)) expect(output).toMatch(new RegExp(`^${id.replace(/\./g, '\\.')}\\s`, 'm'));
    const total = estimateMeshCost(referenceManifest(), prices).total;
    expect(output).toMatch(new RegExp(`^Total\\s+.*\\s${total.toFixed(2)}$`, 'm'));
    expect(output).toContain('Sources: kinesis https://aws.amazon.com/kinesis/data-streams/pricing/');
  });

  it('takes volume and assumptions from the command line and prints details or JSON', async () => {
    const assembly = writeAssembly(referenceEntries());
    const details = await run(['--assembly', assembly, 'cost', '-p', 'orders.order_placed.v1', '--events-per-second', '10', '--event-bytes', '1500', '--details']);
    expect(details).toContain('orders.order_placed.v1 (volume: command line)');
    expect(details).toMatch(/processor compute \(50 ms × 512 MB, arm64\)\s+1095\s+GB-second/);
    const json = JSON.parse(await run(['--assembly', assembly, 'cost', '--query-runs-per-day', '0', '--buffer-seconds', '60', '--json']));
    expect(json.assumptions).toMatchObject({ exampleQueryRunsPerDay: 0, firehoseBufferSeconds: 60 });
    expect(json.byService.athena).toBeCloseTo(estimateMeshCost(referenceManifest(), prices).products.find((p) => p.product === 'marketing.customer_orders.v1')!.items.find((i) => i.item.startsWith('scheduled INSERT'))!.cost, 10);
  });

  it('rejects a non-positive volume', async () => {
    await expect(run(['--assembly', writeAssembly(referenceEntries()), 'cost', '--events-per-second', '0'])).rejects.toThrow(
      '--events-per-second must be a number > 0, got "0".',
    );
  });

  it('formats the same estimate the API returns', () => {
    const cost = estimateMeshCost(referenceManifest(), prices);
    expect(formatMeshCost(cost, { priceFile: 'x.json' })).toContain('Prices: x.json, version');
  });
});

describe('mesh cost of a multi-account mesh', () => {
  const ACCOUNTS: Record<string, string> = { orders: '222222222222', accounts: '333333333333', storefront: '444444444444', recommendations: '555555555555', marketing: '666666666666' };
  const manifest = referenceManifest();
  const spread = { ...manifest, products: manifest.products.map((p) => ({ ...p, account: ACCOUNTS[p.contract.domain] })) };
  const cost = estimateMeshCost(spread, prices);
  const text = formatMeshCost(cost, { priceFile: 'prices.json' });

  it("names each product's account and totals the cost per account", () => {
    expect(cost.products.find((p) => p.product === 'orders.order_placed.v1')!.account).toBe('222222222222');
    expect(text).toMatch(/^Product +Account +Events\/s/m);
    expect(text).toMatch(/^orders\.order_placed\.v1 +222222222222 +20 +\d+ +\d/m);
    const orders = cost.products.find((p) => p.product === 'orders.order_placed.v1')!;
    expect(text).toContain(`222222222222  ${orders.total.toFixed(2).padStart(6)}  orders.order_placed.v1`);
    expect(text).toContain('By account (where each product\'s stream, delivery and storage are billed; Athena where the queries run):');
  });

  it('prints no account column for a single-account mesh', () => {
    expect(formatMeshCost(estimateMeshCost(manifest, prices), { priceFile: 'prices.json' })).not.toContain('Account');
  });
});
