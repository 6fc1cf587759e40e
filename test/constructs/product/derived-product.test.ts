/**
 * Derived products through the DataProduct API (issue 8): `from` + `handler` (streaming) and `from` + `sql` +
 * `schedule` (SQL). One app holds both, with their sources in the same stack (bundling off: these tests are about
 * the templates, the manifest and the grants); the error tests build small stacks that fail before any resource.
 */
import * as path from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract, col } from '../../../constructs/contract';
import { DataConsumer } from '../../../constructs/consumer/data-consumer';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { PII_ACCESS_METADATA_TYPE } from '../../../constructs/governance/grants';

/** The reason of the customer_registered quality run, whose SQL rule may read every column. */
const QUALITY_PII_REASON = 'The scheduled quality run counts nulls, duplicates and invalid values of these columns; only counts and pass/fail leave the run.';
import { MANIFEST_METADATA_TYPE, type GrantEntry, type ManifestEntry } from '../../../constructs/manifest/manifest';
import { MeshPolicies } from '../../../constructs/policies/mesh-policies';
import { DataProduct, type DataProductProps } from '../../../constructs/product/data-product';
import { Derivation, type IDerivation } from '../../../constructs/product/derivation';
import type { IDataProduct } from '../../../constructs/product/types';
import { customerOrders, customerRegistered, orderPlaced, pageViewed, productViews } from '../../../lib/reference/contracts';
import { CUSTOMER_ORDERS_SQL } from '../../../lib/reference/marketing-stack';
import { testApp } from '../domain/test-app';
import { orderPlacedV1 } from './fixtures/contracts';

/** A transform exported as `toProductView` (not the default `handler`). */
const TRANSFORM = path.join(__dirname, '..', 'derived', 'fixtures', 'product-views.ts');
const SCHEDULE = 'cron(0 2 * * ? *)';
const PII_REASON = 'Personalised recommendations for signed-in customers who consented at sign-up.';

let stack: Stack;
let template: Template;
let pageViewedProduct: DataProduct;
let orderPlacedProduct: DataProduct;
let customerRegisteredProduct: DataProduct;
let productViewsProduct: DataProduct;
let customerOrdersProduct: DataProduct;

const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const manifestEntries = (construct: { node: { metadata: readonly { type: string; data: unknown }[] } }) =>
  construct.node.metadata.filter((m) => m.type === MANIFEST_METADATA_TYPE).map((m) => m.data as ManifestEntry);

beforeAll(() => {
  stack = new Stack(testApp(), 'mesh');
  const domain = (name: string) => new DataDomain(stack, `${name}Domain`, { domainName: name });
  const storefront = domain('storefront');
  const orders = domain('orders');
  const accounts = domain('accounts');
  pageViewedProduct = new DataProduct(stack, 'PageViewed', { domain: storefront, contract: pageViewed });
  orderPlacedProduct = new DataProduct(stack, 'OrderPlaced', { domain: orders, contract: orderPlaced });
  customerRegisteredProduct = new DataProduct(stack, 'CustomerRegistered', { domain: accounts, contract: customerRegistered });

  productViewsProduct = new DataProduct(stack, 'ProductViews', {
    domain: domain('recommendations'),
    contract: productViews,
    derivation: Derivation.streaming({
      from: [pageViewedProduct],
      handler: { entry: TRANSFORM, handler: 'toProductView' },
      pipeline: { batchSize: 50, maxRetryAttempts: 5 },
    }),
  });
  customerOrdersProduct = new DataProduct(stack, 'CustomerOrders', {
    domain: domain('marketing'),
    contract: customerOrders,
    derivation: Derivation.sql({ from: [orderPlacedProduct, customerRegisteredProduct], sql: CUSTOMER_ORDERS_SQL, schedule: SCHEDULE }),
  });
  template = Template.fromStack(stack);
});

describe('streaming derived product (from + handler)', () => {
  it('creates a StreamingPipeline inside the product, reading the source stream with the safe mapping settings', () => {
    const pipeline = productViewsProduct.streamingPipeline!;
    expect(pipeline.node.path).toBe('mesh/ProductViews/Pipeline');
    expect(productViewsProduct.sqlPipeline).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: stack.resolve(pageViewedProduct.stream.streamArn),
      FunctionName: { Ref: logicalId(pipeline.function) },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 50,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: stack.resolve(pipeline.deadLetterQueue.queueArn) } },
    });
  });

  it('writes to its own stream with the team\'s export, and the function reads the source stream and key (IAM)', () => {
    const pipeline = productViewsProduct.streamingPipeline!;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MESH_TARGET_STREAM: stack.resolve(productViewsProduct.stream.streamArn), MESH_PRODUCT_ID: 'recommendations.product_views.v1' }) },
    });
    const policy = Object.values(template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: logicalId(pipeline.role) }] },
    }))[0];
    const statements = policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
    const on = (resource: unknown) => statements.filter((s) => JSON.stringify(s.Resource).includes(JSON.stringify(resource))).flatMap((s) => s.Action);
    expect(on(stack.resolve(pageViewedProduct.stream.streamArn))).toEqual(expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator']));
    expect(on(stack.resolve(pageViewedProduct.encryptionKey.keyArn))).toContain('kms:Decrypt');
    expect(on(stack.resolve(productViewsProduct.stream.streamArn))).toEqual(expect.arrayContaining(['kinesis:PutRecords']));
  });

  it('has a dead-letter queue with exactly one alarm', () => {
    const pipeline = productViewsProduct.streamingPipeline!;
    const queueAlarms = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: stack.resolve(pipeline.deadLetterQueue.queueName) }] },
    });
    expect(Object.keys(queueAlarms)).toEqual([logicalId(pipeline.deadLetterAlarm)]);
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: stack.resolve(productViewsProduct.encryptionKey.keyArn),
    });
  });

  it('records its lineage in the manifest (handler entry relative to the app directory) and the table parameters', () => {
    expect(productViewsProduct.entry.source).toEqual({
      kind: 'stream',
      from: ['storefront.page_viewed.v1'],
      handlerEntry: path.join('test', 'constructs', 'derived', 'fixtures', 'product-views.ts'),
      handlerExport: 'toProductView',
    });
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'product_views_v1',
        Parameters: Match.objectLike({ 'mesh.derived_from': 'storefront.page_viewed.v1', 'mesh.derivation': 'stream', 'mesh.product_id': 'recommendations.product_views.v1' }),
      }),
    });
  });

  it("records the stream read as a grant entry of the pipeline's function (no PII source, so no reason)", () => {
    const grants = manifestEntries(productViewsProduct.streamingPipeline!.function);
    expect(grants).toEqual([
      {
        kind: 'grant',
        product: 'storefront.page_viewed.v1',
        consumer: 'recommendations-product_views-v1-pipeline',
        permissions: ['STREAM_READ'],
        excludedColumns: [],
        forProduct: 'recommendations.product_views.v1',
      },
    ]);
  });
});

describe('SQL derived product (from + sql + schedule)', () => {
  const roleArn = () => stack.resolve(customerOrdersProduct.sqlPipeline!.role.roleArn);

  it("records its pipeline's source reads as feeding this product (the catalog draws them as its lineage)", () => {
    expect(customerOrdersProduct.pipelineReadGrants.map((grant) => [grant.entry.product, grant.entry.forProduct])).toEqual([
      ['orders.order_placed.v1', 'marketing.customer_orders.v1'],
      ['accounts.customer_registered.v1', 'marketing.customer_orders.v1'],
    ]);
  });

  it('creates a SqlPipeline inside the product: a state machine running Athena startQueryExecution.sync on the schedule', () => {
    const pipeline = customerOrdersProduct.sqlPipeline!;
    expect(pipeline.node.path).toBe('mesh/CustomerOrders/Pipeline');
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    expect(Object.keys(machines)).toEqual([logicalId(pipeline.stateMachine)]);
    // The definition is a Fn::Join of JSON text and tokens (partition, workgroup): read it with the tokens as placeholders.
    const [, parts] = Object.values(machines)[0].Properties.DefinitionString['Fn::Join'] as [string, unknown[]];
    const definition = JSON.parse(parts.map((part) => (typeof part === 'string' ? part : '<token>')).join('')) as {
      States: Record<string, { Resource?: string; Arguments?: { QueryString: string } }>;
    };
    const insert = definition.States.InsertPartition;
    expect(insert.Resource).toBe('arn:<token>:states:::athena:startQueryExecution.sync');
    expect(insert.Arguments?.QueryString).toContain('INSERT INTO \\"marketing\\".\\"customer_orders_v1\\"');
    expect(insert.Arguments?.QueryString).toContain('JOIN accounts.customer_registered_v1 c');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: SCHEDULE,
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { Ref: logicalId(pipeline.stateMachine) } }),
    });
  });

  it("logs the results bucket's access to the domain's access-log bucket", () => {
    const pipeline = customerOrdersProduct.sqlPipeline!;
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: stack.resolve(customerOrdersProduct.domain.logBucket.bucketName),
        LogFilePrefix: Match.stringLikeRegexp('customer_orders'),
      },
    });
    expect(pipeline.resultsBucket).toBeDefined();
  });

  it('grants the pipeline role SELECT on each source through Lake Formation, PII columns excluded without a piiReason', () => {
    const select = (table: string) =>
      Object.values(
        template.findResources('AWS::LakeFormation::PrincipalPermissions', {
          Properties: { Principal: { DataLakePrincipalIdentifier: roleArn() }, Permissions: ['SELECT'], Resource: { TableWithColumns: Match.objectLike({ Name: table }) } },
        }),
      ).map((r) => r.Properties.Resource.TableWithColumns.ColumnNames);
    expect(select('order_placed_v1')).toHaveLength(1);
    expect(select('customer_registered_v1')).toEqual([['customer_id', 'country', 'registered_at', 'dt']]);
    expect(customerOrdersProduct.pipelineReadGrants.map((g) => g.node.path)).toEqual([
      'mesh/CustomerOrders/PipelineAccess/Read-orders.order_placed.v1',
      'mesh/CustomerOrders/PipelineAccess/Read-accounts.customer_registered.v1',
    ]);
  });

  it('grants the pipeline role the IAM it needs to read the sources through Lake Formation: Glue reads and GetDataAccess, no S3 or KMS', () => {
    const pipeline = customerOrdersProduct.sqlPipeline!;
    const statements = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(pipeline.role) }] } })).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const actionsOn = (fragment: string) =>
      statements.filter((s) => JSON.stringify(s.Resource).includes(fragment)).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actionsOn('table/orders/order_placed_v1')).toEqual(expect.arrayContaining(['glue:GetTable', 'glue:GetPartitions']));
    expect(actionsOn('table/accounts/customer_registered_v1')).toEqual(expect.arrayContaining(['glue:GetTable']));
    expect(actionsOn('"*"')).toContain('lakeformation:GetDataAccess');
    expect(actionsOn('/order_placed_v1/*')).toEqual([]);
    expect(actionsOn('/customer_registered_v1/*')).toEqual([]);
    expect(actionsOn(JSON.stringify(stack.resolve(orderPlacedProduct.encryptionKey.keyArn)))).toEqual([]);
  });

  it('grants the pipeline role DESCRIBE, SELECT and INSERT on its own table, after the table exists', () => {
    const writes = template.findResources('AWS::LakeFormation::PrincipalPermissions', {
      Properties: {
        Principal: { DataLakePrincipalIdentifier: roleArn() },
        Resource: { Table: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseName: 'marketing', Name: 'customer_orders_v1' } },
      },
    });
    expect(Object.values(writes).map((w) => w.Properties.Permissions)).toEqual([['DESCRIBE', 'SELECT', 'INSERT']]);
    expect(Object.values(writes)[0].DependsOn).toEqual(expect.arrayContaining([logicalId(customerOrdersProduct.table)]));
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: roleArn() },
      Resource: { Database: { CatalogId: { Ref: 'AWS::AccountId' }, Name: 'marketing' } },
      Permissions: ['DESCRIBE'],
    });
    expect(customerOrdersProduct.pipelineWriteGrant?.node.path).toBe('mesh/CustomerOrders/PipelineAccess/Write-marketing.customer_orders.v1');
    expect(customerOrdersProduct.pipelineAccess?.consumerName).toBe('marketing-customer_orders-v1-pipeline');
  });

  it("records its lineage in the manifest (the team's SQL with :dt, and the schedule) and the table parameters", () => {
    expect(customerOrdersProduct.entry.source).toEqual({
      kind: 'sql',
      from: ['orders.order_placed.v1', 'accounts.customer_registered.v1'],
      sql: CUSTOMER_ORDERS_SQL,
      schedule: SCHEDULE,
    });
    expect(CUSTOMER_ORDERS_SQL).toContain(':dt');
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'customer_orders_v1',
        Parameters: Match.objectLike({ 'mesh.derived_from': 'orders.order_placed.v1,accounts.customer_registered.v1', 'mesh.derivation': 'sql' }),
      }),
    });
  });
});

describe('grantRead on a product', () => {
  it('is grantProductRead: LF SELECT without PII, or with PII and its reason recorded', () => {
    const s = new Stack(testApp(), 'consumers');
    const d = new DataDomain(s, 'Domain', { domainName: 'accounts' });
    const product = new DataProduct(s, 'CustomerRegistered', { domain: d, contract: customerRegistered, operations: false });
    const management = new DataConsumer(s, 'Management', { consumerName: 'management' });
    const marketing = new DataConsumer(s, 'Marketing', { consumerName: 'marketing' });
    const withoutPii = product.grantRead(management);
    const withPii = product.grantRead(marketing, { pii: { columns: ['email'], reason: PII_REASON } });
    expect(withoutPii.excludedColumns).toEqual(['email']);
    expect(withPii.excludedColumns).toEqual([]);
    expect(withPii.entry).toMatchObject({ kind: 'grant', product: 'accounts.customer_registered.v1', consumer: 'marketing', piiReason: PII_REASON });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: s.resolve(management.role.roleArn) },
      Resource: { TableWithColumns: Match.objectLike({ Name: 'customer_registered_v1', ColumnNames: ['customer_id', 'country', 'registered_at', 'dt'] }) },
      Permissions: ['SELECT'],
    });
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Parameters: Match.objectLike({ 'mesh.pii_reasons': JSON.stringify({ 'accounts-customer_registered-v1-quality': QUALITY_PII_REASON, marketing: PII_REASON }) }),
      }),
    });
  });
});

describe('governance of derived products', () => {
  const personContract = Contract.of({
    name: 'customer_activity',
    domain: 'recommendations',
    version: 1,
    owner: { team: 'recommendations-team', contact: 'recommendations-team@example.com' },
    description: 'Customers with their sign-up country, in real time.',
    sla: { freshnessMinutes: 15, retentionDays: 30 },
    columns: {
      customer_id: col.string({ required: true, description: 'Customer identifier.' }),
      country: col.string({ required: true, description: 'Country of the customer.' }),
      registered_at: col.timestamp({ required: true, description: 'When the account was created (UTC).' }),
    },
    partitionBy: { column: 'registered_at' },
  });

  it('a streaming product reading a PII source records the piiReason with its grant entry and on the source', () => {
    const s = new Stack(testApp(), 'recommendations');
    const accounts = new DataDomain(s, 'Accounts', { domainName: 'accounts' });
    const source = new DataProduct(s, 'CustomerRegistered', { domain: accounts, contract: customerRegistered, operations: false });
    const derived = new DataProduct(s, 'CustomerActivity', {
      domain: new DataDomain(s, 'Domain', { domainName: 'recommendations' }),
      contract: personContract,
      derivation: Derivation.streaming({ from: [source], handler: { entry: TRANSFORM, handler: 'toProductView' }, piiReason: PII_REASON }),
      operations: false,
    });
    const [grant] = manifestEntries(derived.streamingPipeline!.function) as GrantEntry[];
    expect(grant).toEqual({
      kind: 'grant',
      product: 'accounts.customer_registered.v1',
      consumer: 'recommendations-customer_activity-v1-pipeline',
      permissions: ['STREAM_READ'],
      excludedColumns: [],
      piiReason: PII_REASON,
      forProduct: 'recommendations.customer_activity.v1',
    });
    // Besides the source's own quality run (its rules read the PII columns, with the run's reason).
    const access = source.node.metadata.filter((m) => m.type === PII_ACCESS_METADATA_TYPE).map((m) => m.data as { consumer: string });
    expect(access.filter((a) => !a.consumer.endsWith('-quality'))).toEqual([
      { consumer: 'recommendations-customer_activity-v1-pipeline', grantPath: 'recommendations/CustomerActivity/Pipeline/Function', columns: ['email'], reason: PII_REASON },
    ]);
  });

  it('a SQL product with a piiReason reads the PII columns, and the reason is on its grant', () => {
    const s = new Stack(testApp(), 'marketing');
    const accounts = new DataDomain(s, 'Accounts', { domainName: 'accounts' });
    const source = new DataProduct(s, 'CustomerRegistered', { domain: accounts, contract: customerRegistered, operations: false });
    const derived = new DataProduct(s, 'CustomerActivity', {
      domain: new DataDomain(s, 'Domain', { domainName: 'recommendations' }),
      contract: personContract,
      derivation: Derivation.sql({
        from: [source],
        sql: 'SELECT customer_id, country, registered_at FROM accounts.customer_registered_v1 WHERE dt = :dt AND email IS NOT NULL',
        schedule: 'rate(1 day)',
        piiReason: PII_REASON,
      }),
      operations: false,
    });
    const [read] = derived.pipelineReadGrants;
    expect(read.excludedColumns).toEqual([]);
    expect(read.entry.piiReason).toBe(PII_REASON);
  });

  it('reading a deprecated source raises the MESH-007 warning on the derived product', () => {
    const app = testApp();
    const s = new Stack(app, 'marketing');
    const orders = new DataDomain(s, 'Orders', { domainName: 'orders' });
    const source = new DataProduct(s, 'OrderPlacedV1', { domain: orders, contract: orderPlacedV1, operations: false });
    const daily = Contract.of({
      name: 'daily_orders',
      domain: 'marketing',
      version: 1,
      owner: { team: 'marketing-team', contact: 'marketing-team@example.com' },
      description: 'Orders per day.',
      sla: { freshnessMinutes: 1560, retentionDays: 365 },
      columns: {
        orders: col.bigint({ required: true, description: 'Orders placed that day.' }),
        order_date: col.date({ required: true, description: 'The day.' }),
      },
      partitionBy: { column: 'order_date' },
    });
    new DataProduct(s, 'DailyOrders', {
      domain: new DataDomain(s, 'Domain', { domainName: 'marketing' }),
      contract: daily,
      derivation: Derivation.sql({
        from: [source],
        sql: 'SELECT count(*) AS orders, CAST(placed_at AS date) AS order_date FROM orders.order_placed_v1 WHERE dt = :dt GROUP BY 2',
        schedule: 'rate(1 day)',
      }),
      operations: false,
    });
    const findings = MeshPolicies.of(app).findings().filter((f) => f.ruleId === 'MESH-007');
    expect(findings.map((f) => [f.path, f.severity])).toEqual([
      ['marketing/DailyOrders', 'warning'],
      ['marketing/DailyOrders/PipelineAccess/Read-orders.order_placed.v1', 'warning'],
    ]);
    expect(findings[0].message).toContain(
      'reads orders.order_placed.v1, which is deprecated (sunset 2027-03-01, successor orders.order_placed.v2): move to orders.order_placed.v2 before 2027-03-01.',
    );
  });
});

describe('derived product errors', () => {
  /** A fresh stack with a page_viewed source; `derivation` derives the product from it, `props` are the product's own. */
  function derive(
    derivation: (upstream: IDataProduct) => IDerivation,
    source: { contract?: Contract; meshName?: string } = {},
    props: Partial<DataProductProps> = {},
  ): () => DataProduct {
    const s = new Stack(testApp(), 'recommendations');
    const storefront = new DataDomain(s, 'Storefront', { domainName: 'storefront' });
    const upstream =
      source.meshName !== undefined || source.contract !== undefined
        ? DataProduct.fromName(s, 'Upstream', {
            domain: 'storefront',
            name: 'page_viewed',
            version: 1,
            ...(source.meshName !== undefined && { meshName: source.meshName }),
            ...(source.contract !== undefined && { contract: source.contract }),
          })
        : new DataProduct(s, 'PageViewed', { domain: storefront, contract: pageViewed, operations: false });
    const domain = new DataDomain(s, 'Domain', { domainName: 'recommendations' });
    return () => new DataProduct(s, 'ProductViews', { domain, contract: productViews, derivation: derivation(upstream), ...props });
  }
  const streamingFrom = (from: readonly IDataProduct[], piiReason?: string) => Derivation.streaming({ from, handler: { entry: TRANSFORM }, ...(piiReason !== undefined && { piiReason }) });
  const p = '[recommendations/ProductViews] ';

  it('refuses at compile time what cannot be one derivation (the props that were checked at synth before)', () => {
    // Never called: `npx tsc --noEmit -p .` fails if any of these lines compiles.
    const refused = (upstream: IDataProduct) => [
      // @ts-expect-error a SQL derivation needs a schedule
      Derivation.sql({ from: [upstream], sql: 'SELECT 1' }),
      // @ts-expect-error a streaming derivation has no schedule
      Derivation.streaming({ from: [upstream], handler: { entry: TRANSFORM }, schedule: 'rate(1 day)' }),
      // @ts-expect-error a derivation reads upstream products
      Derivation.streaming({ handler: { entry: TRANSFORM } }),
      // @ts-expect-error one derivation, by a transform or by a query
      Derivation.streaming({ from: [upstream], handler: { entry: TRANSFORM }, sql: 'SELECT 1' }),
      // @ts-expect-error the props of a derived product are inside its derivation
      new DataProduct(new Stack(), 'P', { domain: undefined as unknown as DataDomain, contract: productViews, from: [upstream] }),
    ];
    expect(typeof refused).toBe('function');
  });

  it('from empty', () => {
    expect(derive(() => streamingFrom([]))).toThrow(
      `${p}from is empty: list the upstream products this product is derived from (e.g. from: [pageViewed]), or leave derivation out for a source product fed by its producers.`,
    );
    expect(derive(() => Derivation.sql({ from: [], sql: 'SELECT 1', schedule: 'rate(1 day)' }))).toThrow(`${p}from is empty`);
  });

  it('a source of another mesh', () => {
    expect(derive((upstream) => streamingFrom([upstream]), { meshName: 'other', contract: pageViewed })).toThrow(
      `${p}from: storefront.page_viewed.v1 belongs to mesh "other", but this product to mesh "shop": derive only from products of mesh "shop" ` +
        `(reference it with DataProduct.fromName(this, id, { domain: 'storefront', name: 'page_viewed', version: 1, meshName: 'shop', contract }) if it is one).`,
    );
  });

  it('a source referenced without its contract', () => {
    const s = new Stack(testApp(), 'recommendations');
    const upstream = DataProduct.fromName(s, 'Upstream', { domain: 'storefront', name: 'page_viewed', version: 1 });
    const domain = new DataDomain(s, 'Domain', { domainName: 'recommendations' });
    expect(() => new DataProduct(s, 'ProductViews', { domain, contract: productViews, derivation: streamingFrom([upstream]) })).toThrow(
      `${p}from: storefront.page_viewed.v1 is referenced without its contract, so its PII columns and deprecation are unknown: pass it, e.g. ` +
        `DataProduct.fromName(this, id, { domain: 'storefront', name: 'page_viewed', version: 1, contract }).`,
    );
  });

  it('a streaming product reading a PII source without piiReason', () => {
    const piiPageViews = Contract.of({
      ...pageViewed.spec,
      columns: { ...pageViewed.spec.columns, email: col.string({ classification: 'pii', description: 'E-mail of the signed-in customer.' }) },
    });
    expect(derive((upstream) => streamingFrom([upstream]), { contract: piiPageViews })).toThrow(
      `${p}from: storefront.page_viewed.v1 has PII columns ("email") and a streaming transform reads whole records: set piiReason saying why ` +
        'recommendations.product_views.v1 needs personal data (recorded with the grant and shown in the catalog), or derive from a product without PII.',
    );
  });

  it('a piiReason without a PII source, or empty', () => {
    expect(derive((upstream) => streamingFrom([upstream], PII_REASON))).toThrow(
      `${p}piiReason is set but no product in from (storefront.page_viewed.v1) has PII columns: drop piiReason.`,
    );
    expect(derive((upstream) => streamingFrom([upstream], ' '))).toThrow(
      `${p}piiReason is empty: say why recommendations.product_views.v1 needs personal data (it is recorded with its grants and shown in the catalog), or drop piiReason.`,
    );
  });

  it('source together with a derivation', () => {
    expect(derive((upstream) => streamingFrom([upstream]), {}, { source: { kind: 'stream', from: ['storefront.page_viewed.v1'], handlerEntry: 'x.ts' } })).toThrow(
      `${p}source (stream from storefront.page_viewed.v1) and derivation are both set: the derivation creates the pipeline and records the lineage itself. Drop source.`,
    );
  });
});
