import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { manifestOf } from '../../../lib/manifest/read-manifest';
import { contactHref, cspHash, escapeHtml, html, pageFileName, raw } from '../../../lib/catalog/html';
import { lineageGraph, nodeName, renderLineageSvg } from '../../../lib/catalog/lineage';
import { catalogFromManifest } from '../../../lib/catalog/model';
import { writeCatalogSite } from '../../../lib/catalog/site';
import { register } from '../../../lib/cli/catalog';
import {
  consumerEntry,
  customerRegistered,
  grantEntry,
  orderPlaced,
  productEntry,
  referenceEntries,
  referenceManifest,
  writeAssembly,
} from './fixtures/reference-mesh';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-catalog-'));

describe('catalog model from the manifest', () => {
  const model = catalogFromManifest(referenceManifest());

  it('has every product of the reference mesh, sorted by id', () => {
    expect(model.products.map((p) => p.id)).toEqual([
      'accounts.customer_registered.v1',
      'marketing.customer_orders.v1',
      'orders.order_placed.v1',
      'recommendations.product_views.v1',
      'storefront.page_viewed.v1',
    ]);
    expect(model.mesh).toBe('shop');
  });

  it('flattens struct fields into their own rows and marks PII', () => {
    const orders = model.products.find((p) => p.id === 'orders.order_placed.v1')!;
    expect(orders.columns.map((c) => c.name)).toEqual([
      'order_id',
      'customer_id',
      'line_items',
      'line_items.sku',
      'line_items.quantity',
      'line_items.unit_price',
      'total',
      'currency',
      'placed_at',
    ]);
    expect(orders.columns.find((c) => c.name === 'line_items')!.type).toBe(
      'array<struct<sku:string,quantity:int,unit_price:decimal(10,2)>>',
    );
    const accounts = model.products.find((p) => p.id === 'accounts.customer_registered.v1')!;
    expect(accounts.columns.filter((c) => c.pii).map((c) => c.name)).toEqual(['email']);
  });

  it('knows which grants include PII', () => {
    const grant = (product: string, consumer: string) => model.grants.find((g) => g.product === product && g.consumer === consumer)!;
    expect(grant('accounts.customer_registered.v1', 'marketing')).toMatchObject({ includesPii: true, piiReason: expect.stringContaining('Newsletter') });
    expect(grant('accounts.customer_registered.v1', 'management')).toMatchObject({ includesPii: false, excludedColumns: ['email'] });
    expect(grant('orders.order_placed.v1', 'management').includesPii).toBe(false);
  });

  it('names the stream, delivery stream, table and data location by the naming convention', () => {
    const orders = model.products.find((p) => p.id === 'orders.order_placed.v1')!;
    expect(orders.names).toEqual({
      stream: 'shop-orders-order_placed-v1',
      deliveryStream: 'shop-orders-order_placed-v1',
      database: 'orders',
      table: 'order_placed_v1',
      dataLocation: 's3://shop-orders-data-<account>-<region>/order_placed_v1/',
      errorPrefix: 'errors/order_placed_v1/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/',
    });
  });
});

describe('lineage graph', () => {
  const model = catalogFromManifest(referenceManifest());
  const { graph, productNodes, consumerNodes } = lineageGraph(model);
  const edges = graph.edges!.map((e) => `${e.tail} -> ${e.head} [${e.attributes?.label}]`);

  it('links producers → products → consumers → derived products', () => {
    expect(edges).toEqual(
      expect.arrayContaining([
        'domain:orders -> product:orders.order_placed.v1 [owns]',
        'product:orders.order_placed.v1 -> consumer:marketing [reads]',
        'product:accounts.customer_registered.v1 -> consumer:marketing [reads PII]',
        'product:accounts.customer_registered.v1 -> consumer:management [reads]',
        'product:storefront.page_viewed.v1 -> consumer:recommendations [reads]',
        'product:storefront.page_viewed.v1 -> product:recommendations.product_views.v1 [stream]',
        'product:orders.order_placed.v1 -> product:marketing.customer_orders.v1 [sql rate(1 day)]',
        'product:accounts.customer_registered.v1 -> product:marketing.customer_orders.v1 [sql rate(1 day)]',
        'consumer:marketing -> product:marketing.customer_orders.v1 [produces]',
        'consumer:recommendations -> product:recommendations.product_views.v1 [produces]',
      ]),
    );
    // Derived products are produced by their consumer team, not by a separate domain node.
    expect(edges.filter((e) => e.startsWith('domain:marketing') || e.startsWith('domain:recommendations'))).toEqual([]);
    expect(productNodes).toHaveLength(5);
    expect(consumerNodes).toEqual(['consumer:management', 'consumer:marketing', 'consumer:recommendations']);
  });

  it("folds a derived product's pipeline reads into its lineage edge and labels readers without a consumer entry", () => {
    const pipelineRead = { ...grantEntry('orders.order_placed.v1', 'marketing-customer_orders-v1-pipeline', []), forProduct: 'marketing.customer_orders.v1' };
    const serviceRead = grantEntry('orders.order_placed.v1', 'fraud-job', []);
    const withReaders = catalogFromManifest(manifestOf([...referenceEntries(), pipelineRead, serviceRead]));
    const lineage = lineageGraph(withReaders);
    const names = lineage.graph.edges!.map((e) => `${e.tail} -> ${e.head}`);
    expect(names).not.toContain('product:orders.order_placed.v1 -> consumer:marketing-customer_orders-v1-pipeline');
    expect(names).toContain('product:orders.order_placed.v1 -> consumer:fraud-job');
    const nodes = lineage.graph.nodes ?? [];
    const reader = nodes.find((n) => n.name === 'consumer:fraud-job');
    expect(reader?.attributes?.label).toEqual(expect.stringContaining('fraud-job'));
    // Every edge ends at a node that exists, so Graphviz never draws an unlabelled one.
    const declared = new Set([...nodes.map((n) => n.name), ...(lineage.graph.subgraphs ?? []).flatMap((g) => (g.nodes ?? []).map((n) => n.name))]);
    for (const edge of lineage.graph.edges!) {
      expect(declared.has(String(edge.tail)), String(edge.tail)).toBe(true);
      expect(declared.has(String(edge.head)), String(edge.head)).toBe(true);
    }
  });

  it('names the account of each domain and consumer in a multi-account mesh (and none in a single-account one)', () => {
    const accountOf: Record<string, string> = { orders: '222222222222', marketing: '666666666666' };
    const spread = manifestOf(
      referenceEntries().map((entry) =>
        (entry.kind === 'product' && accountOf[entry.contract.domain]) || (entry.kind === 'consumer' && accountOf[entry.name])
          ? { ...entry, account: accountOf[entry.kind === 'product' ? entry.contract.domain : entry.name] }
          : entry,
      ),
    );
    const lineage = lineageGraph(catalogFromManifest(spread)).graph;
    const cluster = (name: string) => lineage.subgraphs!.find((g) => g.name === `cluster_${name}`)!.graphAttributes!.label;
    expect(cluster('orders')).toBe('orders domain · account 222222222222');
    expect(cluster('accounts')).toBe('accounts domain');
    expect(lineage.nodes!.find((n) => n.name === 'consumer:marketing')!.attributes!.label).toBe('marketing\nconsumer · account 666666666666');
    expect(graph.subgraphs!.find((g) => g.name === 'cluster_orders')!.graphAttributes!.label).toBe('orders domain');
  });

  it('is laid out by Graphviz into an SVG with every product and consumer, products linked to their pages', async () => {
    const svg = await renderLineageSvg(model);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const product of model.products) {
      expect(svg).toContain(`<title>${escapeHtml(nodeName.product(product.id))}</title>`);
      expect(svg).toContain(`xlink:href="products/${pageFileName(product.id)}"`);
      expect(svg).toContain(`>${product.id}</text>`);
    }
    for (const consumer of model.consumers) expect(svg).toContain(`<title>consumer:${consumer.name}</title>`);
    // A real layout: node positions differ (not all stacked at the origin).
    const xs = new Set([...svg.matchAll(/<text[^>]* x="([\d.-]+)"/g)].map((m) => m[1]));
    expect(xs.size).toBeGreaterThan(5);
  });
});

describe('html escaping', () => {
  it('escapes interpolated text and keeps nested templates', () => {
    const evil = `<img src=x onerror="alert('x')">&`;
    expect(html`<p title="${evil}">${evil}${html`<b>${'ok'}</b>`}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;<b>ok</b></p>',
    );
    expect(html`${[1, undefined, false, null, 'a<']}`.value).toBe('1a&lt;');
    expect(html`${raw('<svg/>')}`.value).toBe('<svg/>');
  });

  it('links only e-mail addresses and http(s) URLs as contacts', () => {
    expect(contactHref('team@example.com')).toBe('mailto:team@example.com');
    expect(contactHref('https://chat.example.com/orders')).toBe('https://chat.example.com/orders');
    expect(contactHref('javascript:alert(1)')).toBeUndefined();
    expect(contactHref('a@b.com"><script>')).toBeUndefined();
  });

  it('computes the CSP hash of an inline body', () => {
    // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
    expect(cspHash('alert(1)')).toBe("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
  });
});

describe('catalog site', () => {
  it('writes an index, one page per product version and the lineage SVG', async () => {
    const out = tmp();
    const model = catalogFromManifest(referenceManifest());
    const site = await writeCatalogSite(model, out);
    expect(fs.readdirSync(path.join(out, 'products')).sort()).toEqual(model.products.map((p) => pageFileName(p.id)));
    const index = fs.readFileSync(site.index, 'utf8');
    for (const product of model.products) expect(index).toContain(`href="products/${pageFileName(product.id)}"`);
    expect(index).toContain('<svg');
    expect(fs.readFileSync(site.lineageSvg, 'utf8')).toMatch(/^<\?xml[^>]*>\n<svg/);

    const page = fs.readFileSync(path.join(out, 'products', 'accounts.customer_registered.v1.html'), 'utf8');
    expect(page).toContain('<a href="mailto:accounts-team@example.com">accounts-team@example.com</a>');
    expect(page).toMatch(/<tr class="pii" data-column="email">/);
    expect(page).toContain('Reason: Newsletter campaigns need the address; consent recorded at sign-up.');
    expect(page).toContain('<code>shop-accounts-customer_registered-v1</code>');
    expect(page).toContain('SELECT country, count(*) AS sign_ups FROM accounts.customer_registered_v1 GROUP BY country');

    const deprecated = fs.readFileSync(path.join(out, 'products', 'storefront.page_viewed.v1.html'), 'utf8');
    expect(deprecated).toContain('may be removed after <strong>2027-06-30</strong>');
    expect(deprecated).toContain('<code>storefront.page_viewed.v2</code> <span class="muted">(not in this mesh)</span>');
  });

  it('loads nothing but its own inline style and script, allowed by hash', async () => {
    const out = tmp();
    await writeCatalogSite(catalogFromManifest(referenceManifest()), out);
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(index)![1].replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(index)![1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(index)![1];
    expect(csp).toContain(`script-src ${cspHash(script)}`);
    expect(csp).toContain(`style-src ${cspHash(style)}`);
    for (const file of [index, ...fs.readdirSync(path.join(out, 'products')).map((f) => fs.readFileSync(path.join(out, 'products', f), 'utf8'))]) {
      expect(file).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(file).not.toMatch(/<link /);
    }
  });

  it('cannot be injected with markup from descriptions, names, SQL, contacts or reasons', async () => {
    const payload = `<script>alert("xss")</script><img src=x onerror=alert(1)>`;
    // A manifest is JSON read from disk: the catalog must not trust that contract validation ran on it.
    const valid = productEntry(orderPlaced);
    const evilProduct = {
      ...valid,
      contract: {
        ...valid.contract,
        description: `Orders ${payload}`,
        owner: { team: `team ${payload}`, contact: 'javascript:alert(1)' },
        tags: [payload],
        columns: { ...valid.contract.columns, note: { type: { kind: 'string' }, required: false, description: payload, examples: [payload] } },
        exampleQueries: [{ name: payload, sql: `SELECT 1 -- </code></pre>${payload}` }],
      },
    } as typeof valid;
    const entries = [
      evilProduct,
      productEntry(customerRegistered),
      consumerEntry(`evil${payload}`, payload),
      grantEntry('accounts.customer_registered.v1', `evil${payload}`, [], `"><script>alert(2)</script>`),
      grantEntry('orders.order_placed.v1', `evil${payload}`, []),
    ];
    const out = tmp();
    await writeCatalogSite(catalogFromManifest(manifestOf(entries)), out);
    const files = [path.join(out, 'index.html'), path.join(out, 'lineage.svg'), ...fs.readdirSync(path.join(out, 'products')).map((f) => path.join(out, 'products', f))];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text, file).not.toContain('<script>alert');
      expect(text, file).not.toContain('<img src=x');
      expect(text, file).not.toContain('href="javascript:');
      // Only our own script element (index) and none on product pages.
      expect((text.match(/<script/g) ?? []).length, file).toBe(file.endsWith('index.html') ? 1 : 0);
    }
    const page = fs.readFileSync(path.join(out, 'products', 'orders.order_placed.v1.html'), 'utf8');
    expect(page).toContain('Orders &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    expect(page).toContain('<dd>javascript:alert(1)</dd>');
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('evil&lt;script&gt;');
  });

  it('removes pages of products no longer in the mesh, only in a directory it wrote', async () => {
    const out = tmp();
    await writeCatalogSite(catalogFromManifest(referenceManifest()), out);
    const others = referenceEntries().filter((e) => !(e.kind === 'product' && e.id === 'storefront.page_viewed.v1'));
    await writeCatalogSite(catalogFromManifest(manifestOf(others)), out);
    expect(fs.existsSync(path.join(out, 'products', 'storefront.page_viewed.v1.html'))).toBe(false);

    const foreign = tmp();
    fs.mkdirSync(path.join(foreign, 'products'));
    fs.writeFileSync(path.join(foreign, 'index.html'), '<html>someone else</html>');
    fs.writeFileSync(path.join(foreign, 'products', 'keep.html'), 'mine');
    await writeCatalogSite(catalogFromManifest(referenceManifest()), foreign);
    expect(fs.readFileSync(path.join(foreign, 'products', 'keep.html'), 'utf8')).toBe('mine');
  });
});

describe('mesh catalog (CLI)', () => {
  it('reads the cloud assembly given by the global --assembly option', async () => {
    const assembly = writeAssembly(referenceEntries());
    const out = tmp();
    const cli = new Command('mesh').option('-a, --assembly <dir>', 'assembly', 'cdk.out').exitOverride();
    register(cli);
    const logs: string[] = [];
    const log = console.log;
    console.log = (message: string) => logs.push(message);
    try {
      await cli.parseAsync(['node', 'mesh', '--assembly', assembly, 'catalog', '--out', out]);
    } finally {
      console.log = log;
    }
    expect(logs.join('\n')).toContain('Catalog of 5 products and 3 consumers written to');
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toContain(`the cloud assembly ${assembly}`);
  });

  it('says how to get a cloud assembly when there is none', async () => {
    const cli = new Command('mesh').option('-a, --assembly <dir>', 'assembly', 'cdk.out').exitOverride();
    register(cli);
    await expect(cli.parseAsync(['node', 'mesh', '--assembly', '/nonexistent/cdk.out', 'catalog', '--out', tmp()])).rejects.toThrow(
      /No cloud assembly at "\/nonexistent\/cdk.out": run `npx cdk synth --no-notices` first/,
    );
  });
});
