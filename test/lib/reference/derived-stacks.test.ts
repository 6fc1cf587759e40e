/**
 * The derived products of the reference mesh (issue 8) as `referenceMesh` composes them for bin/app.ts:
 * `recommendations.product_views` (streaming, from storefront.page_viewed) and `marketing.customer_orders` (SQL,
 * daily, from orders and accounts, no PII). Their transform and their SQL run for real here: the transform on
 * page views, the SQL in DuckDB over a small local lake (what `mesh dev` does). Bundling is off: templates only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_METADATA_TYPE, type ManifestEntry, type ProductEntry } from '../../../constructs/manifest/manifest';
import { LakeDatabase } from '../../../lib/local/lake-database';
import { LocalLake, writeParquetPartition } from '../../../lib/local/lake';
import { runSqlProduct } from '../../../lib/local/sql-product';
import { customerOrders, productViews } from '../../../lib/reference/contracts';
import { handler as productViewsTransform, productIdOf } from '../../../lib/reference/handlers/product-views';
import { CUSTOMER_ORDERS_SCHEDULE, CUSTOMER_ORDERS_SQL } from '../../../lib/reference/marketing-stack';
import { referenceMesh, type ReferenceMesh } from '../../../lib/reference/mesh';
import { testApp } from '../../constructs/domain/test-app';

const ROOT = path.resolve(__dirname, '..', '..', '..');

let mesh: ReferenceMesh;
let products: Map<string, ProductEntry>;
const templates = new Map<string, Template>();
const template = (stack: 'recommendations' | 'marketing') => templates.get(stack)!;

beforeAll(() => {
  const app = testApp();
  mesh = referenceMesh(app);
  const assembly = app.synth();
  products = new Map();
  for (const stack of Object.values(mesh)) {
    for (const m of assembly.getStackArtifact(stack.artifactId).findMetadataByType(MANIFEST_METADATA_TYPE)) {
      const entry = m.data as unknown as ManifestEntry;
      if (entry.kind === 'product') products.set(entry.id, entry);
    }
  }
  templates.set('recommendations', Template.fromStack(mesh.recommendations));
  templates.set('marketing', Template.fromStack(mesh.marketing));
});

describe('the reference mesh', () => {
  it('holds five domains of products, two of them derived, each recorded with its lineage in the manifest', () => {
    expect([...products.keys()].sort()).toEqual([
      'accounts.customer_registered.v1',
      'marketing.customer_orders.v1',
      'orders.order_placed.v1',
      'recommendations.product_views.v1',
      'storefront.page_viewed.v1',
    ]);
    expect(products.get('recommendations.product_views.v1')!.source).toEqual({
      kind: 'stream',
      from: ['storefront.page_viewed.v1'],
      handlerEntry: 'lib/reference/handlers/product-views.ts',
    });
    expect(products.get('marketing.customer_orders.v1')!.source).toEqual({
      kind: 'sql',
      from: ['orders.order_placed.v1', 'accounts.customer_registered.v1'],
      sql: CUSTOMER_ORDERS_SQL,
      schedule: 'cron(0 2 * * ? *)',
    });
  });

  it('deploys the derived domains after their sources and the governance stack, without CloudFormation exports between domains', () => {
    const dependencies = (stack: keyof ReferenceMesh) => mesh[stack].dependencies.map((d) => d.stackName).sort();
    expect(dependencies('recommendations')).toEqual(['governance', 'storefront']);
    expect(dependencies('marketing')).toEqual(['accounts', 'governance', 'orders']);
    for (const stack of ['recommendations', 'marketing'] as const) {
      expect(JSON.stringify(template(stack).toJSON()), stack).not.toContain('Fn::ImportValue');
    }
  });

  it("the governance stack's LF-Tag domains include both derived domains", () => {
    Template.fromStack(mesh.governance).hasResourceProperties('AWS::LakeFormation::Tag', {
      TagKey: 'domain',
      TagValues: ['orders', 'accounts', 'storefront', 'marketing', 'recommendations'],
    });
  });
});

describe('recommendations.product_views (streaming)', () => {
  it('reads the storefront stream by its conventional name with the safe mapping settings, dead letters alarmed to the owner', () => {
    const t = template('recommendations');
    const [mapping] = Object.values(t.findResources('AWS::Lambda::EventSourceMapping'));
    expect(JSON.stringify(mapping.Properties.EventSourceArn)).toContain(':stream/shop-storefront-page_viewed-v1');
    expect(mapping.Properties).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
    });
    const pipeline = mesh.recommendations.productViews.streamingPipeline!;
    const alarm = t.toJSON().Resources[mesh.recommendations.getLogicalId(pipeline.deadLetterAlarm.node.defaultChild as never)];
    expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });

  it('has a contract without PII, and its source has none either (no piiReason needed)', () => {
    expect(productViews.piiColumns).toEqual([]);
    expect(Object.keys(productViews.spec.columns)).toEqual(['session_id', 'customer_id', 'product_id', 'viewed_at']);
  });
});

describe('the product_views transform', () => {
  const context = { eventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/shop-storefront-page_viewed-v1', partitionKey: 's-1', sequenceNumber: '1', approximateArrivalTimestamp: 0 };

  it('parses the product id of product pages only', () => {
    expect(productIdOf('/products/sku-123')).toBe('sku-123');
    expect(productIdOf('/products/sku-123/')).toBe('sku-123');
    expect(productIdOf('/products/sku-123?ref=home#reviews')).toBe('sku-123');
    expect(productIdOf('/products/caf%C3%A9-mug')).toBe('café-mug');
    expect(productIdOf('/products/%E0%A4%A')).toBe('%E0%A4%A');
    for (const page of ['/', '/cart', '/products', '/products/', '/products/sku-1/reviews', '/category/products/sku-1']) {
      expect(productIdOf(page), page).toBeUndefined();
    }
  });

  it('maps a product page view to a product view, keeping the customer only when signed in', () => {
    const viewedAt = '2026-11-21T10:15:00Z';
    expect(productViewsTransform({ sessionId: 's-1', customerId: 'c-42', page: '/products/sku-123', viewedAt }, context)).toEqual({
      session_id: 's-1',
      customer_id: 'c-42',
      product_id: 'sku-123',
      viewed_at: viewedAt,
    });
    expect(productViewsTransform({ sessionId: 's-2', customerId: null, page: '/products/sku-9', viewedAt }, context)).toEqual({
      session_id: 's-2',
      product_id: 'sku-9',
      viewed_at: viewedAt,
    });
    expect(productViewsTransform({ sessionId: 's-3', page: '/cart', viewedAt }, context)).toBeNull();
  });
});

describe('marketing.customer_orders (SQL)', () => {
  it('runs daily at 02:00 UTC through Athena startQueryExecution.sync', () => {
    const t = template('marketing');
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: CUSTOMER_ORDERS_SCHEDULE });
    expect(JSON.stringify(t.findResources('AWS::StepFunctions::StateMachine'))).toContain('athena:startQueryExecution.sync');
  });

  it('has no PII column, reads none, and its pipeline is granted accounts without email', () => {
    expect(customerOrders.piiColumns).toEqual([]);
    expect(CUSTOMER_ORDERS_SQL).not.toMatch(/email/i);
    const selects = Object.values(
      template('marketing').findResources('AWS::LakeFormation::PrincipalPermissions', { Properties: { Permissions: ['SELECT'] } }),
    ).map((g) => g.Properties.Resource.TableWithColumns);
    expect(selects.map((r) => [r.DatabaseName, r.Name, r.ColumnNames.includes('email')])).toEqual([
      ['orders', 'order_placed_v1', false],
      ['accounts', 'customer_registered_v1', false],
    ]);
    template('marketing').hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { Table: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseName: 'marketing', Name: 'customer_orders_v1' } },
      Permissions: ['DESCRIBE', 'SELECT', 'INSERT'],
    });
  });

  describe('its SQL, run in DuckDB over a local lake', () => {
    let root: string;
    let database: LakeDatabase;
    let rows: Record<string, unknown>[];

    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-orders-'));
      const lake = new LocalLake(root);
      const orders = products.get('orders.order_placed.v1')!;
      const accounts = products.get('accounts.customer_registered.v1')!;
      const target = products.get('marketing.customer_orders.v1')!;
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const order = (id: string, customer: string, total: string, currency: string, placedAt: string) =>
        JSON.stringify({ order_id: id, customer_id: customer, line_items: [{ sku: 'sku-1', quantity: 1, unit_price: total }], total, currency, placed_at: placedAt });
      await writeParquetPartition(connection, lake, orders, '2026-11-20', [
        order('o-1', 'c-1', '10.50', 'EUR', '2026-11-20 08:00:00'),
        order('o-2', 'c-1', '4.25', 'EUR', '2026-11-20 09:30:00'),
        order('o-3', 'c-1', '7.00', 'USD', '2026-11-20 10:00:00'),
        order('o-4', 'c-2', '99.99', 'EUR', '2026-11-20 23:59:59'),
      ]);
      await writeParquetPartition(connection, lake, orders, '2026-11-21', [order('o-5', 'c-2', '1.00', 'EUR', '2026-11-21 00:00:01')]);
      const customer = (id: string, country: string, at: string) => JSON.stringify({ customer_id: id, email: `${id}@example.com`, country, registered_at: at });
      await writeParquetPartition(connection, lake, accounts, '2026-11-01', [customer('c-1', 'DE', '2026-11-01 12:00:00')]);
      await writeParquetPartition(connection, lake, accounts, '2026-11-19', [customer('c-2', 'FR', '2026-11-19 12:00:00')]);
      connection.closeSync();
      instance.closeSync();

      database = await LakeDatabase.open(lake, [orders, accounts, target]);
      await runSqlProduct(database, lake, target, [orders, accounts]);
      rows = (await database.query('SELECT customer_id, country, currency, order_count, CAST(revenue AS VARCHAR) AS revenue, CAST(order_date AS VARCHAR) AS order_date, dt FROM marketing.customer_orders_v1 ORDER BY dt, customer_id, currency')).rows.map(
        (row) => Object.fromEntries(['customer_id', 'country', 'currency', 'order_count', 'revenue', 'order_date', 'dt'].map((name, i) => [name, row[i]])),
      );
    });

    afterAll(() => {
      database?.close();
      if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
    });

    it('yields one row per customer, currency and day, with the contract columns and types', () => {
      expect(rows).toEqual([
        { customer_id: 'c-1', country: 'DE', currency: 'EUR', order_count: '2', revenue: '14.75', order_date: '2026-11-20', dt: '2026-11-20' },
        { customer_id: 'c-1', country: 'DE', currency: 'USD', order_count: '1', revenue: '7.00', order_date: '2026-11-20', dt: '2026-11-20' },
        { customer_id: 'c-2', country: 'FR', currency: 'EUR', order_count: '1', revenue: '99.99', order_date: '2026-11-20', dt: '2026-11-20' },
        { customer_id: 'c-2', country: 'FR', currency: 'EUR', order_count: '1', revenue: '1.00', order_date: '2026-11-21', dt: '2026-11-21' },
      ]);
    });
  });
});

describe('the documentation', () => {
  /** The ts code blocks of the section `heading` of a Markdown file of the repository. */
  const codeBlocks = (file: string, heading: string) => {
    const readme = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const start = readme.indexOf(`\n## ${heading}`);
    if (start < 0) throw new Error(`${file} has no section "## ${heading}"`);
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  };
  /** True if `block`'s lines (indentation aside) appear consecutively in the file at `source`. */
  const quotes = (source: string, block: string) => {
    const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const haystack = lines(fs.readFileSync(path.join(ROOT, source), 'utf8'));
    const needle = lines(block);
    return needle.length > 0 && haystack.some((_, i) => needle.every((line, j) => haystack[i + j] === line));
  };

  it('shows the real code of the reference derived products (docs/consumers.md: Derived products)', () => {
    const [streaming, transform, sql, sqlProduct] = codeBlocks('docs/consumers.md', 'Derived products');
    expect(quotes('lib/reference/recommendations-stack.ts', streaming)).toBe(true);
    expect(streaming).toContain('from: [pageViewedV1]');
    expect(quotes('lib/reference/handlers/product-views.ts', transform)).toBe(true);
    expect(quotes('lib/reference/marketing-stack.ts', sql)).toBe(true);
    expect(quotes('lib/reference/marketing-stack.ts', sqlProduct)).toBe(true);
    expect(sqlProduct).toContain('sql: CUSTOMER_ORDERS_SQL');
  });

  it('shows the real derivation code and messages of the reference derived products (docs/derived-products.md)', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'derived-products.md'), 'utf8');
    const blocks = (lang: string) => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
    const [streaming, sql] = blocks('ts');
    expect(quotes('lib/reference/recommendations-stack.ts', streaming)).toBe(true);
    expect(streaming).toContain('derivation: Derivation.streaming({');
    expect(quotes('lib/reference/marketing-stack.ts', sql)).toBe(true);
    expect(sql).toContain('derivation: Derivation.sql({');
    // Every synth-time message shown is one a test asserts.
    const messages = blocks('text').flatMap((block) => block.split('\n')).filter((line) => line.startsWith('[recommendations/'));
    const tested = fs.readFileSync(path.join(ROOT, 'test', 'constructs', 'product', 'derived-product.test.ts'), 'utf8');
    expect(messages.length).toBe(2);
    for (const message of messages) expect(tested.replace(/\$\{p\}/g, '[recommendations/ProductViews] ')).toContain(message);
  });

  it('shows the real grants of the reference consumers (docs/platform-team.md: Governance)', () => {
    const [consumers] = codeBlocks('docs/platform-team.md', 'Governance');
    expect(quotes('lib/reference/consumers-stack.ts', consumers)).toBe(true);
    expect(consumers).toContain("customerRegistered.grantRead(this.marketing, { pii: { columns: ['email'], reason: MARKETING_PII_REASON } });");
  });
});
