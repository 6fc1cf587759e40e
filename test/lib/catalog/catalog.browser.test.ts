/**
 * The catalog in a real browser: Debian's Chromium, driven by playwright-core, opens the generated site
 * from disk (file://), finds every product, filters, follows links, checks the contract table and the
 * lineage SVG, and takes screenshots. Any request that is not a local file fails the test, as does any
 * script error or Content-Security-Policy violation.
 *
 * Runs against the reference-mesh fixture, and also against ./cdk.out (or $MESH_ASSEMBLY) when a
 * synthesised reference mesh is there (CI runs `npm start`, which synthesises, before `npm test`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogFromManifest, type CatalogModel } from '../../../lib/catalog/model';
import { writeCatalogSite } from '../../../lib/catalog/site';
import { withResults } from '../../../lib/catalog/quality';
import { readManifest } from '../../../lib/manifest/read-manifest';
import type { AccessReport } from '../../../lib/access/access';
import { FRAUD_CONSUMER, PRODUCT, READER, productStack, readerPolicy, reportOf } from '../access/fixtures';
import { referenceManifest } from './fixtures/reference-mesh';

/** Debian's Chromium, or $MESH_CHROMIUM (the pretest installs Debian's package when neither is there). */
const CHROMIUM = process.env.MESH_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Where screenshots go (kept after the run, so people can look at them). */
const SCREENSHOTS = process.env.CATALOG_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'mesh-catalog-screenshots');

function requireChromium(executable = CHROMIUM): void {
  if (!fs.existsSync(executable)) {
    throw new Error(
      `Chromium is not installed at ${executable}; the catalog browser test needs it. ` +
        '`npm test` installs Debian\'s package when it can; otherwise: `sudo apt-get update && sudo apt-get install -y chromium`.',
    );
  }
}

interface BrowserRun {
  context: BrowserContext;
  page: Page;
  /** Requests to anything but a local file (must stay empty). */
  external: string[];
  /** Console errors (CSP violations are reported there) and uncaught page errors (must stay empty). */
  errors: string[];
}

async function openBrowser(): Promise<BrowserRun> {
  requireChromium();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-chromium-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const external: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    external.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, external, errors };
}

function siteChecks(name: string, load: () => CatalogModel) {
  describe(`catalog in Chromium (${name})`, () => {
    let run: BrowserRun;
    let model: CatalogModel;
    let indexUrl: string;

    beforeAll(async () => {
      model = load();
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-catalog-site-'));
      const site = await writeCatalogSite(model, out);
      indexUrl = pathToFileURL(site.index).href;
      run = await openBrowser();
    });

    afterAll(async () => {
      await run?.context.close();
    });

    it('lists every product, and the filters narrow the list', async () => {
      const { page } = run;
      await page.goto(indexUrl);
      await expect(page.locator('h1').textContent()).resolves.toContain('Data mesh catalog');
      const rows = page.locator('#products tbody tr');
      expect(await rows.count()).toBe(model.products.length);
      for (const product of model.products) {
        const link = page.locator(`#products tbody tr[data-product="${product.id}"] a`).first();
        expect(await link.isVisible(), product.id).toBe(true);
        expect(await link.textContent()).toBe(product.id);
      }
      const count = page.locator('#filter-count');
      expect(await count.textContent()).toBe(`${model.products.length} of ${model.products.length} products shown`);

      const visible = async () => {
        const ids: string[] = [];
        for (const row of await rows.all()) if (await row.isVisible()) ids.push((await row.getAttribute('data-product'))!);
        return ids;
      };
      const byDomain = (domain: string) => model.products.filter((p) => p.domain === domain).map((p) => p.id);

      await page.selectOption('#filter-domain', 'orders');
      expect(await visible()).toEqual(byDomain('orders'));
      expect(await count.textContent()).toBe(`${byDomain('orders').length} of ${model.products.length} products shown`);
      await page.selectOption('#filter-domain', '');

      await page.selectOption('#filter-classification', 'pii');
      expect(await visible()).toEqual(model.products.filter((p) => p.classification === 'pii').map((p) => p.id));
      await page.selectOption('#filter-classification', '');

      const owner = model.products[0].owner.team;
      await page.selectOption('#filter-owner', owner);
      expect(await visible()).toEqual(model.products.filter((p) => p.owner.team === owner).map((p) => p.id));
      await page.selectOption('#filter-owner', '');

      // The search box also matches column names.
      await page.fill('#filter-text', 'email');
      expect(await visible()).toEqual(model.products.filter((p) => p.columns.some((c) => c.name.includes('email'))).map((p) => p.id));
      await page.fill('#filter-text', '');
      expect(await visible()).toHaveLength(model.products.length);

      // Domain buttons set the domain filter.
      await page.click('button[data-filter-domain="accounts"]');
      expect(await page.locator('#filter-domain').inputValue()).toBe('accounts');
      expect(await visible()).toEqual(byDomain('accounts'));

      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.selectOption('#filter-domain', '');
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-index.png`), fullPage: true });
      expect(fs.statSync(path.join(SCREENSHOTS, `${name}-index.png`)).size).toBeGreaterThan(20_000);
    });

    it('shows a lineage SVG laid out with every product and consumer', async () => {
      const { page } = run;
      await page.goto(indexUrl);
      const svg = page.locator('#lineage-graph svg');
      expect(await svg.isVisible()).toBe(true);
      const titles = await page.locator('#lineage-graph svg g.node > title').allTextContents();
      const text = (await svg.textContent()) ?? '';
      for (const product of model.products) {
        expect(titles).toContain(`product:${product.id}`);
        expect(text).toContain(product.id);
      }
      for (const consumer of model.consumers) {
        expect(titles).toContain(`consumer:${consumer.name}`);
        expect(text).toContain(consumer.name);
      }
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(100);
    });

    it('follows a product link to its page with the contract, grants and names', async () => {
      const { page } = run;
      await page.goto(indexUrl);
      // The richest page: the product with PII, when there is one.
      const product = model.products.find((p) => p.columns.some((c) => c.pii)) ?? model.products[0];
      await page.click(`#products tbody tr[data-product="${product.id}"] a >> nth=0`);
      await page.waitForURL(/\/products\/.+\.html$/);
      expect(await page.locator('h1').textContent()).toBe(product.id);

      const contractRows = page.locator('#contract tbody tr');
      expect(await contractRows.count()).toBe(product.columns.length);
      for (const column of product.columns) {
        const row = page.locator(`#contract tbody tr[data-column="${column.name}"]`);
        const cells = await row.locator('td').allTextContents();
        expect(cells[1]).toBe(column.type);
        expect(cells[2]).toBe(column.required === undefined ? 'unknown' : column.required ? 'yes' : 'no');
        if (column.description !== undefined) expect(cells[4]).toContain(column.description);
        expect(await row.locator('td:first-child .badge.pii').count(), `${column.name} PII badge`).toBe(column.pii ? 1 : 0);
      }
      const grants = model.grants.filter((g) => g.product === product.id);
      for (const grant of grants) {
        const text = await page.locator(`#grants tr[data-consumer="${grant.consumer}"]`).textContent();
        if (grant.includesPii && grant.piiReason) expect(text).toContain(`Reason: ${grant.piiReason}`);
      }
      const names = (await page.locator('#names').textContent()) ?? '';
      expect(names).toContain(`${product.names.database}.${product.names.table}`);
      if (product.names.stream) expect(names).toContain(product.names.stream);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-product.png`), fullPage: true });

      // And back, through the breadcrumb.
      await page.click('header a[href="../index.html"]');
      await page.waitForURL(/index\.html$/);
    });

    it('opens a product page from its node in the lineage graph', async () => {
      const { page } = run;
      await page.goto(indexUrl);
      const derived = model.products.find((p) => p.source !== undefined) ?? model.products[0];
      await page.locator('#lineage-graph svg g.node', { has: page.locator(`title:text-is("product:${derived.id}")`) }).locator('a').click();
      await page.waitForURL(/\/products\/.+\.html$/);
      expect(await page.locator('h1').textContent()).toBe(derived.id);
    });

    it('loaded nothing from the network and raised no script or CSP error', () => {
      expect(run.external).toEqual([]);
      expect(run.errors).toEqual([]);
    });
  });
}

siteChecks('fixture', () => catalogFromManifest(referenceManifest(), 'the reference-mesh fixture'));

// The synthesised reference mesh, when `cdk synth` has written one to ./cdk.out (CI: `npm start`), or to
// the cloud assembly named by MESH_ASSEMBLY.
const assembly = process.env.MESH_ASSEMBLY ?? 'cdk.out';
const hasReferenceMesh = fs.existsSync(path.join(assembly, 'manifest.json')) && readManifest(assembly).products.length > 0;
describe.runIf(hasReferenceMesh)(`synthesised reference mesh (${assembly})`, () => {
  siteChecks('reference', () => catalogFromManifest(readManifest(assembly), `the cloud assembly ${assembly}`));
});

describe('access page in Chromium', () => {
  let run: BrowserRun;
  let report: AccessReport;
  let accessUrl: string;

  beforeAll(async () => {
    // One product with a PII column: a consumer with a reasoned grant, and a role with an S3 side door.
    const grant = {
      Type: 'AWS::LakeFormation::PrincipalPermissions',
      Properties: { Permissions: ['SELECT'], Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': ['Reader', 'Arn'] } }, Resource: { Table: { DatabaseName: 'sales', Name: 'customer_v1' } } },
    };
    const sideDoor = readerPolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mesh-sales-data/*' });
    report = reportOf(productStack({ Grant: grant, SideDoor: sideDoor }), [
      FRAUD_CONSUMER,
      { kind: 'grant', product: PRODUCT, consumer: 'fraud', permissions: ['SELECT', 'DESCRIBE'], excludedColumns: [], piiReason: 'Fraud <investigations> (SEC-12).' },
    ]);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-catalog-access-'));
    const site = await writeCatalogSite(catalogFromManifest(referenceManifest(), 'the reference-mesh fixture'), out, report);
    accessUrl = pathToFileURL(site.accessPage!).href;
    run = await openBrowser();
    await run.page.goto(pathToFileURL(site.index).href);
    await run.page.click('#access-link');
    await run.page.waitForURL(/access\.html$/);
  });

  afterAll(async () => {
    await run?.context.close();
  });

  it('is linked from the index and shows every row, the reasons and the holes', async () => {
    const { page } = run;
    expect(page.url()).toBe(accessUrl);
    expect(await page.locator('h1').textContent()).toBe('Who can read what');
    expect(await page.locator('#access-summary').textContent()).toContain('1 path(s) reach a PII column without a reason');
    const section = page.locator(`section[data-product="${PRODUCT}"]`);
    expect(await section.locator('tbody tr').count()).toBe(report.rows.length);
    const select = section.locator(`tr[data-principal="${READER}"][data-path="lake-formation-select"]`);
    expect(await select.locator('[data-pii-column="email"]').textContent()).toBe('email: Fraud <investigations> (SEC-12).');
    const s3 = section.locator(`tr[data-principal="${READER}"][data-path="s3-object-read"]`);
    expect(await s3.getAttribute('class')).toBe('violation');
    expect(await s3.locator('.badge.hole').textContent()).toBe('no reason');
    expect(await s3.locator('.via').textContent()).toContain('s3:GetObject on arn:${AWS::Partition}:s3:::mesh-sales-data/*');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'access.png'), fullPage: true });
  });

  it('loaded nothing from the network and raised no script or CSP error', () => {
    expect(run.external).toEqual([]);
    expect(run.errors).toEqual([]);
  });
});

describe('without Chromium', () => {
  it('the browser tests fail with install instructions (never skip)', () => {
    expect(() => requireChromium('/nonexistent/chromium')).toThrow(
      "Chromium is not installed at /nonexistent/chromium; the catalog browser test needs it. `npm test` installs Debian's package when it can; otherwise: `sudo apt-get update && sudo apt-get install -y chromium`.",
    );
  });
});

describe('catalog in Chromium: a product page lists its quality rules and the latest local results (issue 20)', () => {
  let run: BrowserRun;

  beforeAll(async () => {
    run = await openBrowser();
  });

  afterAll(async () => {
    await run?.context.close();
  });

  it('shows each rule in words, the implied ones marked, with the result `mesh test` recorded', async () => {
    const model = catalogFromManifest(referenceManifest(), 'the reference-mesh fixture');
    const results = {
      'orders.order_placed.v1': [
        { product: 'orders.order_placed.v1', rule: 'order_id_duplicate_values', dt: '2026-12-01', measured: 1, status: 'fail' as const },
        { product: 'orders.order_placed.v1', rule: 'order_id_null_values', dt: '2026-12-01', measured: 0, status: 'pass' as const },
      ],
    };
    const withQuality = { ...model, products: withResults(model.products, results, 'mesh test on the local lake, 2026-12-01T12:00:00Z') };
    const site = await writeCatalogSite(withQuality, fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-catalog-quality-')));
    const { page, external, errors } = run;
    await page.goto(pathToFileURL(site.index).href);
    await page.click('#products tbody tr[data-product="orders.order_placed.v1"] a >> nth=0');
    await page.waitForURL(/\/products\/.+\.html$/);
    const product = withQuality.products.find((p) => p.id === 'orders.order_placed.v1')!;
    expect(await page.locator('#quality tbody tr').count()).toBe(product.quality!.length);
    const duplicate = await page.locator('#quality tr[data-rule="order_id_duplicate_values"] td').allTextContents();
    expect(duplicate[1]).toBe('number of duplicate values of order_id must be = 0 (implied by the primary key)');
    expect(duplicate[2]).toBe('uniqueness');
    expect(duplicate[4]).toBe('fail (measured 1) dt 2026-12-01');
    expect(await page.locator('#quality tr[data-rule="order_id_duplicate_values"] td.quality-fail').count()).toBe(1);
    expect((await page.locator('#quality tr[data-rule="order_id_null_values"] td').allTextContents())[4]).toBe('pass (measured 0) dt 2026-12-01');
    expect(await page.locator('#quality + p').textContent()).toBe('Results from mesh test on the local lake, 2026-12-01T12:00:00Z.');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'quality-product.png'), fullPage: true });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });
});
