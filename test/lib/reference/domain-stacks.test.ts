/**
 * The domain stacks of the reference mesh (orders, accounts, storefront) as bin/app.ts composes them: their
 * contracts, their products, an offline synth, a real processor bundle, and the quick start that quotes them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_METADATA_TYPE, type ProductEntry } from '../../../constructs/manifest/manifest';
import { customerRegistered, orderPlaced, pageViewed } from '../../../lib/reference/contracts';
import { AccountsStack } from '../../../lib/reference/accounts-stack';
import { OrdersStack } from '../../../lib/reference/orders-stack';
import { StorefrontStack } from '../../../lib/reference/storefront-stack';
import { testApp } from '../../constructs/domain/test-app';

const ROOT = path.resolve(__dirname, '..', '..', '..');

let app: App;
let orders: OrdersStack;
let accounts: AccountsStack;
let storefront: StorefrontStack;

beforeAll(() => {
  app = testApp();
  orders = new OrdersStack(app, 'orders');
  accounts = new AccountsStack(app, 'accounts');
  storefront = new StorefrontStack(app, 'storefront');
});

describe('reference contracts', () => {
  it('orders.order_placed: line items as array<struct>, decimal total, currency, placed_at timestamp', () => {
    expect(orderPlaced.id).toBe('orders.order_placed.v1');
    expect(Object.fromEntries(orderPlaced.toGlueColumns().map((c) => [c.name, c.type]))).toEqual({
      order_id: 'string',
      customer_id: 'string',
      line_items: 'array<struct<sku:string,quantity:int,unit_price:decimal(10,2)>>',
      total: 'decimal(12,2)',
      currency: 'string',
      placed_at: 'timestamp',
    });
    expect(orderPlaced.spec.partitionBy).toEqual({ column: 'placed_at', granularity: 'day' });
  });

  it('accounts.customer_registered: email is PII', () => {
    expect(Object.keys(customerRegistered.spec.columns)).toEqual(['customer_id', 'email', 'country', 'registered_at']);
    expect(customerRegistered.piiColumns).toEqual(['email']);
    expect(customerRegistered.spec.classification).toBe('pii');
  });

  it('storefront.page_viewed: optional customer id and an experiment struct', () => {
    const columns = pageViewed.spec.columns;
    expect(Object.keys(columns)).toEqual(['session_id', 'customer_id', 'page', 'experiment', 'viewed_at']);
    expect(columns.customer_id.required).toBe(false);
    expect(pageViewed.toGlueColumns().find((c) => c.name === 'experiment')?.type).toBe('struct<name:string,variant:string>');
  });

  it('storefront.page_viewed: records come with the browser tracker\'s camelCase keys', () => {
    expect(Object.keys(pageViewed.toJsonSchema().properties as object).slice(0, 5)).toEqual(['sessionId', 'customerId', 'page', 'experiment', 'viewedAt']);
  });

  it('each declares owner, description, SLA, volume and one or two example queries on its own table', () => {
    for (const contract of [orderPlaced, customerRegistered, pageViewed]) {
      const spec = contract.spec;
      expect(spec.owner.contact, contract.id).toMatch(/@example\.com$/);
      expect(spec.description.length, contract.id).toBeGreaterThan(10);
      expect(spec.sla.freshnessMinutes, contract.id).toBeGreaterThan(0);
      expect(spec.sla.retentionDays, contract.id).toBeGreaterThan(0);
      expect(spec.volume?.eventsPerSecond, contract.id).toBeGreaterThan(0);
      expect(spec.exampleQueries.length, contract.id).toBeGreaterThanOrEqual(1);
      expect(spec.exampleQueries.length, contract.id).toBeLessThanOrEqual(2);
      for (const query of spec.exampleQueries) expect(query.sql, query.name).toContain(`${spec.domain}.${contract.tableName}`);
    }
  });
});

describe('reference domain stacks', () => {
  it('hold one domain and one product each, named by the convention', () => {
    expect([orders.orderPlaced.streamName, accounts.customerRegistered.streamName, storefront.pageViewed.streamName]).toEqual([
      'shop-orders-order_placed-v1',
      'shop-accounts-customer_registered-v1',
      'shop-storefront-page_viewed-v1',
    ]);
    for (const stack of [orders, accounts, storefront]) {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::Kinesis::Stream', 1);
      t.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 1);
      // orders and accounts declare quality rules: their domain also has the quality_results table.
      t.resourceCountIs('AWS::Glue::Table', stack === storefront ? 1 : 2);
      t.resourceCountIs('AWS::Glue::Database', 1);
      t.resourceCountIs('AWS::LakeFormation::Resource', 1);
    }
    Template.fromStack(orders).hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: 168 });
    Template.fromStack(storefront).hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: { BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 64 } },
    });
  });

  it('are environment-agnostic and synthesize without lookups, each recording its product in the manifest', () => {
    for (const stack of [orders, accounts, storefront]) expect(stack.environment).toBe('aws://unknown-account/unknown-region');
    const assembly = app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
    const ids = [orders, accounts, storefront].flatMap((stack) =>
      assembly.getStackArtifact(stack.artifactId).findMetadataByType(MANIFEST_METADATA_TYPE)
        .map((m) => m.data as unknown as ProductEntry)
        .filter((entry) => entry.kind === 'product')
        .map((entry) => entry.id),
    );
    expect(ids).toEqual(['orders.order_placed.v1', 'accounts.customer_registered.v1', 'storefront.page_viewed.v1']);
  });

  it('bundle the processor with the local esbuild (no Docker)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reference-bundle-'));
    const bundled = testApp({ 'aws:cdk:bundling-stacks': ['accounts'] }, { outdir });
    const stack = new AccountsStack(bundled, 'accounts');
    const assembly = bundled.synth();
    const template = assembly.getStackArtifact(stack.artifactId).template as { Resources: Record<string, { Properties: { Code: { S3Key: string } } }> };
    const processorId = stack.getLogicalId(stack.customerRegistered.processor.node.defaultChild as never);
    // The asset's key is `<hash>.zip`; its staged directory is `asset.<hash>`.
    const hash = template.Resources[processorId].Properties.Code.S3Key.replace(/\.zip$/, '');
    const bundle = fs.readFileSync(path.join(outdir, `asset.${hash}`, 'index.js'), 'utf8');
    expect(bundle).toContain('accounts.customer_registered.v1');
    expect(bundle.length).toBeGreaterThan(10_000);
  });
});

describe('the quick start', () => {
  /** The code blocks of a Markdown file. */
  const codeBlocks = (heading: string) => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf(`\n## ${heading}`);
    if (start < 0) throw new Error(`README.md has no section "## ${heading}"`);
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  };
  /** True if `block`'s lines (indentation aside) appear consecutively in `source`. */
  const quotes = (source: string, block: string) => {
    const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const haystack = lines(source);
    const needle = lines(block);
    return haystack.some((_, i) => needle.every((line, j) => haystack[i + j] === line));
  };

  it('is the real code of the orders domain and its contract', () => {
    const [stackCode, contractCode] = codeBlocks('Quick start');
    expect(quotes(fs.readFileSync(path.join(ROOT, 'lib/reference/orders-stack.ts'), 'utf8'), stackCode)).toBe(true);
    expect(quotes(fs.readFileSync(path.join(ROOT, 'lib/reference/contracts/orders.ts'), 'utf8'), contractCode)).toBe(true);
    expect(stackCode).toContain("new DataProduct(this, 'OrderPlaced'");
  });
});
