/**
 * The error catalogue: invalid configurations across the constructs, each with the exact message its
 * user reads. Every message names
 *   1. where: the construct path (`[orders/OrderPlaced] …`), or for a contract, which is plain data,
 *      the product `domain.product` and the column (`orders.order_placed: column "Order-Id" …`);
 *   2. the bad value;
 *   3. the fix.
 * A construct that accepts a bad configuration silently, or explains it vaguely, fails here.
 *
 * Each case builds its own app (asset bundling off: every error below is thrown in a constructor or by a
 * synth-time validation, before any bundling would run).
 */
import * as path from 'node:path';
import { App, Duration, Lazy, RemovalPolicy, Size, Stack, TimeZone, type Environment } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { describe, expect, it } from 'vitest';
import {
  Contract,
  DataConsumer,
  DataDomain,
  DataProduct,
  Derivation,
  LONGEST_REGION,
  MeshConsumer,
  LakeFormationBaseline,
  MeshGovernance,
  MeshPolicies,
  ProductOperations,
  SqlPipeline,
  StreamingPipeline,
  col,
  grantProductRead,
  type ContractProps,
  type DataDomainProps,
  type DataProductProps,
  type SqlPipelineProps,
  type StreamingPipelineProps,
} from '../../constructs';

const MESH = 'shop';
const ENV: Environment = { account: '111111111111', region: 'eu-west-1' };
const TRANSFORM = path.join(__dirname, 'fixtures', 'identity-transform.ts');

// --- Contracts -----------------------------------------------------------------------------------------

const owner = (team: string) => ({ team: `${team}-team`, contact: `${team}-team@example.com` });

const ORDER_PLACED: ContractProps = {
  name: 'order_placed',
  domain: 'orders',
  owner: owner('orders'),
  description: 'An order a customer placed in the web shop.',
  sla: { freshnessMinutes: 15, retentionDays: 365 },
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order identifier.' }),
    customer_id: col.string({ required: true, description: 'The customer who placed the order.' }),
    total: col.decimal(12, 2, { required: true, description: 'Order total.' }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed (UTC).' }),
  },
  partitionBy: { column: 'placed_at' },
};

const CUSTOMER_REGISTERED: ContractProps = {
  name: 'customer_registered',
  domain: 'accounts',
  owner: owner('accounts'),
  description: 'A customer created an account.',
  sla: { retentionDays: 730 },
  columns: {
    customer_id: col.string({ required: true, primaryKey: true, description: 'Customer identifier.' }),
    email: col.string({ required: true, classification: 'pii', description: 'E-mail address given at sign-up.' }),
    country: col.string({ required: true, description: 'ISO 3166-1 alpha-2 country code.' }),
    registered_at: col.timestamp({ required: true, description: 'When the account was created (UTC).' }),
  },
  partitionBy: { column: 'registered_at' },
};

const PAGE_VIEWED: ContractProps = {
  name: 'page_viewed',
  domain: 'storefront',
  owner: owner('storefront'),
  description: 'A visitor viewed a page of the shop.',
  sla: { retentionDays: 90 },
  columns: {
    session_id: col.string({ required: true, description: 'Browser session.' }),
    page: col.string({ required: true, description: 'Path of the page.' }),
    viewed_at: col.timestamp({ required: true, description: 'When (UTC).' }),
  },
  partitionBy: { column: 'viewed_at' },
};

const PRODUCT_VIEWS: ContractProps = { ...PAGE_VIEWED, name: 'product_views', domain: 'recommendations', owner: owner('recommendations') };

const CUSTOMER_ORDERS: ContractProps = {
  name: 'customer_orders',
  domain: 'marketing',
  owner: owner('marketing'),
  description: 'Orders with the country of the customer, one partition per day.',
  sla: { retentionDays: 365 },
  columns: {
    order_id: col.string({ required: true, description: 'Order identifier.' }),
    country: col.string({ description: 'Country of the customer.' }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed (UTC).' }),
  },
  partitionBy: { column: 'placed_at' },
};

const SQL = `
  SELECT o.order_id, c.country, o.placed_at
  FROM orders.order_placed_v1 o
  JOIN accounts.customer_registered_v1 c ON c.customer_id = o.customer_id
  WHERE o.dt = :dt`;

/** `orders.order_placed` with some of its props replaced. */
const orderPlaced = (overrides: Partial<ContractProps> = {}) => Contract.of({ ...ORDER_PLACED, ...overrides });

// --- Apps, stacks, domains and products ----------------------------------------------------------------

/** An app of mesh "shop" (context), with asset bundling off. */
function newApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { 'cdk-data-mesh:meshName': MESH, 'aws:cdk:bundling-stacks': [], ...context } });
}

/** A stack in `app` (default: a new app), in ENV unless `env` says otherwise (`null`: environment-agnostic). */
function newStack(id: string, options: { app?: App; env?: Environment | null } = {}): Stack {
  const env = options.env === null ? undefined : (options.env ?? ENV);
  return new Stack(options.app ?? newApp(), id, { env });
}

/** The stack's `Domain` (created on first use) for `domainName`. */
function domainIn(stack: Stack, domainName: string, props: Partial<DataDomainProps> = {}): DataDomain {
  return (stack.node.tryFindChild('Domain') as DataDomain | undefined) ?? new DataDomain(stack, 'Domain', { domainName, ...props });
}

/** A DataProduct of `contract` in the stack's domain (Lake Formation off: not what these cases are about). */
function productIn(stack: Stack, id: string, contract: Contract, props: Partial<DataProductProps> = {}): DataProduct {
  return new DataProduct(stack, id, { domain: domainIn(stack, contract.domain), contract, lakeFormation: false, ...props });
}

/** `orders.order_placed` as `orders/OrderPlaced`, configured with `props`. */
const orderPlacedProduct = (props: Partial<DataProductProps> = {}) => productIn(newStack('orders'), 'OrderPlaced', orderPlaced(), props);

/** storefront.page_viewed → recommendations.product_views, each in its domain's stack. */
function streaming(props: (s: { pageViewed: DataProduct; productViews: DataProduct; app: App }) => Partial<StreamingPipelineProps> = () => ({})) {
  const app = newApp();
  const pageViewed = productIn(newStack('storefront', { app }), 'PageViewed', Contract.of(PAGE_VIEWED));
  const recommendations = newStack('recommendations', { app });
  const productViews = productIn(recommendations, 'ProductViews', Contract.of(PRODUCT_VIEWS));
  return new StreamingPipeline(recommendations, 'Pipeline', {
    sources: [pageViewed],
    target: productViews,
    handler: { entry: TRANSFORM },
    ...props({ pageViewed, productViews, app }),
  });
}

/** orders.order_placed + accounts.customer_registered → marketing.customer_orders (daily SQL). */
function sqlPipeline(props: Partial<SqlPipelineProps> = {}, target: ContractProps = CUSTOMER_ORDERS) {
  const app = newApp();
  const orders = productIn(newStack('orders', { app }), 'OrderPlaced', Contract.of(ORDER_PLACED));
  const customers = productIn(newStack('accounts', { app }), 'CustomerRegistered', Contract.of(CUSTOMER_REGISTERED));
  const marketing = newStack('marketing', { app });
  const customerOrders = productIn(marketing, 'CustomerOrders', Contract.of(target));
  return new SqlPipeline(marketing, 'Pipeline', {
    sources: [orders, customers],
    target: customerOrders,
    sql: SQL,
    schedule: 'cron(0 2 * * ? *)',
    ...props,
  });
}

/** A platform stack with the mesh governance (domains orders and accounts) and a consumers stack. */
function governed() {
  const app = newApp();
  const governance = new MeshGovernance(newStack('platform', { app }), 'Governance', { domains: ['orders', 'accounts'] });
  const consumers = newStack('consumers', { app });
  const customers = DataProduct.fromName(consumers, 'Customers', {
    domain: 'accounts',
    name: 'customer_registered',
    version: 1,
    contract: Contract.of(CUSTOMER_REGISTERED),
  });
  return { app, governance, consumers, customers };
}

/** The message `build` throws; fails the test when it throws nothing (the configuration was accepted). */
function messageOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('No error: the invalid configuration was accepted.');
}

interface ErrorCase {
  /** What is wrong. */
  readonly name: string;
  /** Builds the invalid configuration; synthesises when the error is a synth-time validation. */
  readonly build: () => unknown;
  /** The exact message. */
  readonly message: string;
}

const SYNTH_FAILED = 'Validation failed with the following errors:\n  ';

// --- The catalogue -------------------------------------------------------------------------------------

const contractCases: ErrorCase[] = [
  {
    name: 'column name that is not snake_case',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, 'Order-Id': col.string({ description: 'Order identifier.' }) } }),
    message:
      'orders.order_placed: column "Order-Id" must be lower-case snake_case (a-z, 0-9 and single underscores, starting with a letter): rename it, e.g. "order_id".',
  },
  {
    name: 'product name that is not snake_case',
    build: () => orderPlaced({ name: 'OrderPlaced' }),
    message: 'orders.OrderPlaced: product name "OrderPlaced" must be lower-case snake_case (a-z, 0-9 and single underscores, starting with a letter): use e.g. "order_placed".',
  },
  {
    name: 'column name longer than Glue allows (255 bytes)',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, [`note${'_x'.repeat(130)}`]: col.string({ description: 'A note.' }) } }),
    message: 'orders.order_placed: column "note_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x_x…" is 264 bytes long: Glue column names are at most 255 bytes; shorten it.',
  },
  {
    name: 'product name that makes a table name over 255 bytes',
    build: () => orderPlaced({ name: `order${'_placed'.repeat(42)}` }),
    message: 'orders.order_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed_placed: product name "order_placed_placed_placed_placed_placed…" makes a 302-byte table name: Glue names are at most 255 bytes; shorten it.',
  },
  {
    name: 'partition column that is not a column',
    build: () => orderPlaced({ partitionBy: { column: 'created_at' } }),
    message: 'orders.order_placed: partition column "created_at" is not a column: partition by one of: placed_at.',
  },
  {
    name: 'partition column that is not a date or timestamp',
    build: () => orderPlaced({ partitionBy: { column: 'order_id' } }),
    message: 'orders.order_placed: partition column "order_id" is a string: partition by one of: placed_at.',
  },
  {
    name: 'optional partition column',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, placed_at: col.timestamp({ description: 'When the order was placed (UTC).' }) } }),
    message: 'orders.order_placed: partition column "placed_at" is optional: mark it required: true (every record needs it to land in a "dt" partition).',
  },
  {
    name: 'hourly partitions of a date column',
    build: () =>
      orderPlaced({
        columns: { ...ORDER_PLACED.columns, placed_on: col.date({ required: true, description: 'Day of the order.' }) },
        partitionBy: { column: 'placed_on', granularity: 'hour' },
      }),
    message: 'orders.order_placed: partition column "placed_on" is a date, which has no hour: use granularity \'day\' or partition by a timestamp column.',
  },
  {
    name: 'decimal precision above 38',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, total: col.decimal(40, 2, { required: true, description: 'Order total.' }) } }),
    message: 'orders.order_placed: column "total" has decimal precision 40: use an integer from 1 to 38 (the Glue/Athena maximum), e.g. col.decimal(18, 2).',
  },
  {
    name: 'decimal scale larger than its precision',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, total: col.decimal(5, 7, { required: true, description: 'Order total.' }) } }),
    message: 'orders.order_placed: column "total" has decimal scale 7 for precision 5: use an integer from 0 to 5, e.g. col.decimal(5, 2).',
  },
  {
    name: 'personal data (PII) without a classification',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, customer_email: col.string({ description: 'Where the receipt goes.' }) } }),
    message:
      'orders.order_placed: column "customer_email" looks like personal data ("email") but has no classification: add classification: \'pii\' (or \'confidential\', \'internal\' or \'public\' if it is not personal data).',
  },
  {
    name: 'personal data nested in a struct without a classification',
    build: () =>
      orderPlaced({
        columns: {
          ...ORDER_PLACED.columns,
          shipping: col.struct({ street: col.string({ description: 'Street and number.' }) }, { description: 'Where the parcel goes.' }),
        },
      }),
    message:
      'orders.order_placed: column "shipping.street" looks like personal data ("street") but has no classification: add classification: \'pii\' (or \'confidential\', \'internal\' or \'public\' if it is not personal data).',
  },
  {
    name: 'classification outside the mesh ontology',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, customer_id: col.string({ required: true, classification: 'secret' as never, description: 'The customer.' }) } }),
    message: 'orders.order_placed: column "customer_id" has classification "secret": use one of public, internal, confidential, pii.',
  },
  {
    name: 'column named like an SQL reserved word',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, order: col.string({ description: 'Position in the basket.' }) } }),
    message: 'orders.order_placed: column "order" is an SQL reserved word in Athena ("order"): rename it, e.g. "event_order".',
  },
  {
    name: 'column that collides with the dt partition key',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, dt: col.date({ description: 'Day.' }) } }),
    message: 'orders.order_placed: column "dt" collides with the "dt" partition key every product table has: rename it, e.g. "event_date".',
  },
  {
    name: 'owner contact that is not an e-mail address',
    build: () => orderPlaced({ owner: { team: 'orders-team', contact: '#orders-oncall' } }),
    message:
      'orders.order_placed: owner.contact "#orders-oncall" is not an e-mail address: give the address that reaches the owning team (alarms go there), e.g. contact: \'orders@example.com\'.',
  },
  {
    name: 'deprecated version that names itself as successor',
    build: () => orderPlaced({ deprecated: { sunset: '2027-03-01', successor: 'orders.order_placed.v1' } }),
    message: 'orders.order_placed: deprecated.successor "orders.order_placed.v1" is this very version: name the version that replaces it, e.g. \'orders.order_placed.v2\'.',
  },
  {
    name: 'several broken rules at once, each listed',
    build: () => orderPlaced({ version: 0, sla: { retentionDays: -1 } }),
    message:
      'orders.order_placed breaks 2 contract rules:\n' +
      '- orders.order_placed: version 0 is not valid: use a positive integer major version, e.g. version: 1.\n' +
      '- orders.order_placed: sla.retentionDays -1 is not valid: use a positive number of days, e.g. sla: { retentionDays: 365 }.',
  },
  // Quality rules (issue 20).
  {
    name: 'quality rule on a column the contract does not have',
    build: () => orderPlaced({ quality: [{ column: 'order_nr', metric: 'nullValues', mustBe: 0 }] }),
    message: 'orders.order_placed: quality rule "order_nr_null_values": column "order_nr" is not a column of the contract: use one of order_id, customer_id, total, placed_at.',
  },
  {
    name: 'quality SQL that reads another product',
    build: () => orderPlaced({ quality: [{ name: 'known_customers', type: 'sql', query: 'SELECT count(*) FROM ${table} o LEFT JOIN accounts.customer_registered_v1 c ON o.customer_id = c.customer_id WHERE c.customer_id IS NULL', mustBe: 0 }] }),
    message:
      'orders.order_placed: quality rule "known_customers": the query reads "accounts.customer_registered_v1", and a quality rule may read only its own product (its scheduled run is granted nothing else): read ${table} (orders.order_placed_v1).',
  },
  {
    name: 'quality threshold that can never hold',
    build: () => orderPlaced({ quality: [{ column: 'total', metric: 'nullValues', unit: 'percent', mustBeGreaterThan: 100 }] }),
    message: 'orders.order_placed: quality rule "total_null_values": mustBeGreaterThan: 100 can never hold for nullValues, which is a percentage (0 to 100): fix the threshold.',
  },
  {
    name: 'quality range with the larger number first',
    build: () => orderPlaced({ quality: [{ metric: 'rowCount', mustBeBetween: [500, 10] }] }),
    message: 'orders.order_placed: quality rule "row_count": mustBeBetween [500, 10] is impossible: give the smaller number first and two different numbers, e.g. [10, 500].',
  },
];

const domainCases: ErrorCase[] = [
  {
    name: 'domain name that is not snake_case',
    build: () => domainIn(newStack('orders'), 'Order-Management'),
    message:
      '[orders/Domain] The domain name "Order-Management" must be lower-case snake_case: a letter, then letters, digits and single underscores (e.g. "order_management").',
  },
  {
    name: 'mesh name with capitals and underscores',
    build: () => domainIn(newStack('orders'), 'orders', { meshName: 'Shop_1' }),
    message:
      '[orders/Domain] Mesh name "Shop_1" must be 1-20 lower-case letters, digits and hyphens, starting with a letter (e.g. "shop"): set the meshName prop or the "cdk-data-mesh:meshName" context in cdk.json.',
  },
  {
    name: 'mesh name over 20 characters (it prefixes every physical name)',
    build: () => domainIn(newStack('orders'), 'orders', { meshName: 'enterprise-data-mesh-x' }),
    message:
      '[orders/Domain] Mesh name "enterprise-data-mesh-x" must be 1-20 lower-case letters, digits and hyphens, starting with a letter (e.g. "shop"): set the meshName prop or the "cdk-data-mesh:meshName" context in cdk.json.',
  },
  {
    name: 'database prefix with a hyphen',
    build: () => domainIn(newStack('orders'), 'orders', { databasePrefix: 'dev-' }),
    message:
      '[orders/Domain] databasePrefix "dev-" must be lower-case letters, digits and _ starting with a letter (e.g. "dev_"): Glue and Athena names allow nothing else.',
  },
  {
    name: 'data bucket name over 63 characters (literal account and region)',
    build: () => domainIn(newStack('crm'), 'customer_relationship_management', { meshName: 'enterprise-mesh' }),
    message:
      '[crm/Domain] The data bucket name "enterprise-mesh-customer-relationship-management-data-111111111111-eu-west-1" is 76 characters; AWS allows at most 63. ' +
      'Shorten the mesh name ("enterprise-mesh") or the domain name ("customer_relationship_management").',
  },
  {
    name: 'data bucket name that can exceed 63 characters once account and region are known',
    build: () => domainIn(newStack('crm', { env: null }), 'customer_relationship', { meshName: 'enterprise-mesh' }),
    message:
      '[crm/Domain] The data bucket name can reach 71 characters ("enterprise-mesh-customer-relationship-data-<account>-<region>" with a 12-digit account and a 15-character region); ' +
      'AWS allows at most 63. Shorten the mesh name ("enterprise-mesh") or the domain name ("customer_relationship").',
  },
  {
    name: 'unsupported region value: a typo',
    build: () => domainIn(newStack('orders', { env: { account: '111111111111', region: 'eu-westt-1' } }), 'orders'),
    message:
      '[orders/Domain] Region "eu-westt-1" of stack "orders" is not an AWS region: set the stack\'s env to a real region, e.g. env: { region: \'eu-west-1\' } ' +
      "(or leave it unset to deploy to the CLI's region); if it is a region launched after this aws-cdk-lib, upgrade aws-cdk-lib.",
  },
  {
    name: "unsupported region value: another cloud's region name",
    build: () => domainIn(newStack('orders', { env: { account: '111111111111', region: 'europe-west1' } }), 'orders'),
    message:
      '[orders/Domain] Region "europe-west1" of stack "orders" is not an AWS region: set the stack\'s env to a real region, e.g. env: { region: \'eu-west-1\' } ' +
      "(or leave it unset to deploy to the CLI's region); if it is a region launched after this aws-cdk-lib, upgrade aws-cdk-lib.",
  },
  {
    name: 'removal policy SNAPSHOT (streams, tables and keys have none)',
    build: () => domainIn(newStack('orders'), 'orders', { removalPolicy: RemovalPolicy.SNAPSHOT }),
    message:
      '[orders/Domain] removalPolicy "snapshot" is not supported here (streams, tables and keys have no snapshots): use RemovalPolicy.RETAIN (the default) or RemovalPolicy.DESTROY.',
  },
  {
    name: 'error retention that is not whole days',
    build: () => domainIn(newStack('orders'), 'orders', { errorRetention: Duration.hours(12) }),
    message:
      '[orders/Domain] errorRetention is 12 hours, but S3 lifecycle rules expire objects after a whole number of days (at least 1): use e.g. errorRetention: Duration.days(30).',
  },
];

const productCases: ErrorCase[] = [
  {
    name: 'contract of another domain',
    build: () => productIn(newStack('orders'), 'CustomerRegistered', Contract.of(CUSTOMER_REGISTERED), { domain: domainIn(newStack('orders'), 'orders') }),
    message:
      '[orders/CustomerRegistered] Contract "accounts.customer_registered.v1" belongs to domain "accounts", but this DataProduct is in domain "orders" (orders/Domain): ' +
      'add it to the "accounts" DataDomain, or set the contract\'s domain to "orders".',
  },
  {
    name: 'duplicate product: the same version defined twice in one app',
    build: () => {
      const app = newApp();
      const { domain } = productIn(newStack('orders', { app }), 'OrderPlaced', orderPlaced());
      new DataProduct(newStack('orders-again', { app }), 'OrderPlacedAgain', { domain, contract: orderPlaced(), lakeFormation: false });
    },
    message:
      '[orders-again/OrderPlacedAgain] Data product orders.order_placed.v1 (mesh "shop") is already defined at "orders/OrderPlaced": define each product version once per app, ' +
      "and reference it elsewhere with DataProduct.fromName(this, id, { domain: 'orders', name: 'order_placed', version: 1 }).",
  },
  {
    name: 'stream retention longer than the contract allows (issue 15)',
    build: () => productIn(newStack('orders'), 'OrderPlaced', orderPlaced({ sla: { freshnessMinutes: 15, retentionDays: 3 } }), { retention: Duration.days(7) }),
    message:
      '[orders/OrderPlaced] retention 7 days keeps records in the stream of orders.order_placed.v1 longer than its contract allows (sla.retentionDays 3): ' +
      'set retention to at most Duration.days(3), or raise sla.retentionDays in the contract.',
  },
  {
    name: 'Firehose delivery stream name over 64 characters',
    build: () => productIn(newStack('orders'), 'OrderPlaced', orderPlaced({ name: 'order_placed_through_the_partner_marketplace_gateway' })),
    message:
      '[orders/OrderPlaced] The Firehose delivery stream name "shop-orders-order_placed_through_the_partner_marketplace_gateway-v1" is 67 characters; AWS allows at most 64. ' +
      'Shorten the mesh name ("shop"), the domain name ("orders") or the product name ("order_placed_through_the_partner_marketplace_gateway").',
  },
  {
    name: 'conflicting buffering: interval below the 60 s Parquet conversion and dynamic partitioning need',
    build: () => orderPlacedProduct({ buffering: { interval: Duration.seconds(30) } }),
    message:
      '[orders/OrderPlaced] buffering.interval (seconds) is 30; it must be between 60 and 900 (Firehose needs at least 60 s with Parquet conversion and dynamic partitioning, e.g. Duration.seconds(60)).',
  },
  {
    name: 'conflicting buffering: size below the 64 MiB Parquet conversion and dynamic partitioning need',
    build: () => orderPlacedProduct({ buffering: { size: Size.mebibytes(32) } }),
    message:
      '[orders/OrderPlaced] buffering.size (MiB) is 32; it must be between 64 and 128 (Firehose needs at least 64 MiB with Parquet conversion and dynamic partitioning, e.g. Size.mebibytes(64)).',
  },
  {
    name: 'processor buffer above 3 MB',
    build: () => orderPlacedProduct({ processor: { bufferSize: Size.mebibytes(4) } }),
    message:
      '[orders/OrderPlaced] processor.bufferSize (MB) is 4; it must be between 0.2 and 3 (Firehose accepts 0.2-3 MB for a Lambda processor, e.g. Size.mebibytes(1)).',
  },
  {
    name: 'processor timeout above the 5 minutes Firehose waits',
    build: () => orderPlacedProduct({ processor: { timeout: Duration.minutes(10) } }),
    message:
      '[orders/OrderPlaced] processor.timeout (seconds) is 600; it must be between 1 and 300 (Firehose waits at most 5 minutes for a processor, e.g. Duration.minutes(1)).',
  },
  {
    name: 'processor memory below the Lambda minimum',
    build: () => orderPlacedProduct({ processor: { memorySize: 64 } }),
    message: '[orders/OrderPlaced] processor.memorySize (MB) is 64; it must be an integer between 128 and 10240 (e.g. 512).',
  },
  {
    name: 'shard count on an on-demand stream',
    build: () => orderPlacedProduct({ shardCount: 2 }),
    message:
      '[orders/OrderPlaced] shardCount 2 is set but streamMode is ON_DEMAND: set streamMode: StreamMode.PROVISIONED to size the stream in shards, or drop shardCount.',
  },
  {
    name: 'provisioned stream with no shard',
    build: () => orderPlacedProduct({ streamMode: kinesis.StreamMode.PROVISIONED, shardCount: 0 }),
    message: '[orders/OrderPlaced] shardCount is 0; it must be an integer between 1 and 10000 (e.g. 2).',
  },
  {
    name: 'stream retention below 24 hours',
    build: () => orderPlacedProduct({ retention: Duration.hours(12) }),
    message: '[orders/OrderPlaced] retention (hours) is 12; it must be between 24 and 8760 (e.g. Duration.days(7)).',
  },
  {
    name: 'transform entry that does not exist',
    build: () => orderPlacedProduct({ transform: { entry: 'src/no-such-transform.ts' } }),
    message:
      `[orders/OrderPlaced] transform.entry "src/no-such-transform.ts" does not exist (resolved to ${path.resolve('src/no-such-transform.ts')}): ` +
      `pass the path, absolute or relative to ${process.cwd()}, of a module exporting transform(record).`,
  },
  {
    name: 'fromName: product name that is not snake_case',
    build: () => DataProduct.fromName(newStack('consumers'), 'Orders', { domain: 'orders', name: 'OrderPlaced', version: 1 }),
    message:
      '[consumers/Orders] The product name "OrderPlaced" must be lower-case snake_case: a letter, then letters, digits and single underscores (e.g. "order_placed").',
  },
  {
    name: 'fromName: version that is not a positive integer',
    build: () => DataProduct.fromName(newStack('consumers'), 'Orders', { domain: 'orders', name: 'order_placed', version: 0 }),
    message: "[consumers/Orders] version 0 must be a positive integer, the product's major version (e.g. 1).",
  },
  {
    name: 'fromName: contract of another product version',
    build: () =>
      DataProduct.fromName(newStack('consumers'), 'Orders', { domain: 'orders', name: 'order_placed', version: 2, contract: orderPlaced() }),
    message:
      '[consumers/Orders] The contract passed is "orders.order_placed.v1", but the product referenced is "orders.order_placed.v2": pass the contract of that product version, or none.',
  },
  {
    name: 'fromName: a name no DataProduct can have (delivery stream name over 64 characters)',
    build: () =>
      DataProduct.fromName(newStack('consumers'), 'Orders', { domain: 'orders', name: 'order_placed_through_the_partner_marketplace_gateway', version: 1 }),
    message:
      '[consumers/Orders] The Firehose delivery stream name "shop-orders-order_placed_through_the_partner_marketplace_gateway-v1" is 67 characters; AWS allows at most 64. ' +
      'No DataProduct can have it: check the mesh ("shop"), domain ("orders") and product ("order_placed_through_the_partner_marketplace_gateway") names.',
  },
  {
    name: 'fromName: database prefix with a hyphen',
    build: () => DataProduct.fromName(newStack('consumers'), 'Orders', { domain: 'orders', name: 'order_placed', version: 1, databasePrefix: 'dev-' }),
    message:
      '[consumers/Orders] databasePrefix "dev-" must be lower-case letters, digits and _ starting with a letter (e.g. "dev_"), as on the product\'s DataDomain.',
  },
];

const governanceCases: ErrorCase[] = [
  {
    name: 'grant to a product of another mesh',
    build: () => {
      const { consumers } = governed();
      const labCustomers = DataProduct.fromName(consumers, 'LabCustomers', {
        meshName: 'lab',
        domain: 'accounts',
        name: 'customer_registered',
        version: 1,
        contract: Contract.of(CUSTOMER_REGISTERED),
      });
      grantProductRead(labCustomers, new DataConsumer(consumers, 'Marketing', { consumerName: 'marketing' }));
    },
    message:
      '[consumers/Marketing/Read-accounts.customer_registered.v1] Product accounts.customer_registered.v1 belongs to mesh "lab" but consumer "marketing" to mesh "shop": ' +
      "grant only products of the consumer's own mesh (or share across meshes outside the mesh constructs).",
  },
  {
    name: 'PII grant with an empty reason',
    build: () => {
      const { consumers, customers } = governed();
      grantProductRead(customers, new DataConsumer(consumers, 'Marketing', { consumerName: 'marketing' }), { pii: { columns: ['email'], reason: ' ' } });
    },
    message:
      '[consumers/Marketing/Read-accounts.customer_registered.v1] PII grant of accounts.customer_registered.v1 to "marketing" has an empty reason: say why this consumer needs personal data, ' +
      "e.g. { pii: { columns: ['email'], reason: 'Newsletter campaigns to customers who opted in.' } }, or drop the pii option to leave the PII columns out.",
  },
  {
    name: 'PII grant naming a column that is not PII (issue 15: allow-lists)',
    build: () => {
      const { consumers, customers } = governed();
      grantProductRead(customers, new DataConsumer(consumers, 'Marketing', { consumerName: 'marketing' }), { pii: { columns: ['country'], reason: 'Newsletter.' } });
    },
    message:
      '[consumers/Marketing/Read-accounts.customer_registered.v1] PII grant of accounts.customer_registered.v1 to "marketing" names "country", not a PII column of the contract: ' +
      'list in pii.columns the PII columns this consumer needs, among "email".',
  },
  {
    name: 'stream read of a product with PII columns without a reason (issue 15)',
    build: () => {
      const { consumers, customers } = governed();
      customers.grantReadStream(new iam.Role(consumers, 'Mailer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    },
    message:
      '[consumers/Mailer] grantReadStream: accounts.customer_registered.v1 has PII columns ("email") and its stream gives "consumers/Mailer" whole records, PII included. ' +
      "Either say why it needs them: grantReadStream(grantee, { pii: { columns: ['email'], reason: '…' } }) (recorded in the manifest, the table parameters and the catalog); " +
      'or read a streaming derived product that projects the PII columns away (Derivation.streaming with a transform that drops them) instead.',
  },
  {
    name: 'stream read whose PII grant does not name every PII column (issue 15)',
    build: () => {
      const { consumers, customers } = governed();
      const mailer = new iam.Role(consumers, 'Mailer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      customers.grantReadStream(mailer, { pii: { columns: ['country'], reason: 'Welcome e-mail.' }, consumerName: 'mailer' });
    },
    message:
      '[consumers/Mailer] grantReadStream: the PII grant of accounts.customer_registered.v1 to "mailer" names "country", but a stream record carries exactly the PII columns "email": ' +
      "set pii.columns to ['email'] with a reason that covers them all, or read a streaming derived product that projects the other PII columns away.",
  },
  {
    name: 'the same product granted twice to one consumer',
    build: () => {
      const { consumers, customers } = governed();
      const management = new DataConsumer(consumers, 'Management', { consumerName: 'management' });
      grantProductRead(customers, management);
      grantProductRead(customers, management);
    },
    message:
      '[consumers/Management] Consumer "management" is already granted accounts.customer_registered.v1 (at "consumers/Management/Read-accounts.customer_registered.v1"): ' +
      'grant each product once per consumer (pass { pii: { columns, reason } } in that one grant if PII is needed).',
  },
  {
    name: 'column grant on a product referenced without its contract',
    build: () => {
      const { consumers } = governed();
      const orders = DataProduct.fromName(consumers, 'Orders', { domain: 'orders', name: 'order_placed', version: 1 });
      grantProductRead(orders, new DataConsumer(consumers, 'Management', { consumerName: 'management' }));
    },
    message:
      '[consumers/Management/Read-orders.order_placed.v1] Product orders.order_placed.v1 has no contract here (referenced by name), so its PII columns are unknown: ' +
      "pass its contract when referencing it, or grant by LF-Tags with governance.grantByTags(consumer, { domain: ['orders'], classification: [...] }).",
  },
  {
    name: 'tag grant on a domain the governance does not know',
    build: () => {
      const { governance, consumers } = governed();
      governance.grantByTags(new DataConsumer(consumers, 'Analysts', { consumerName: 'analysts' }), { domain: ['billing'], classification: ['internal'] });
    },
    message: '[consumers/Analysts] grantByTags domain "billing" is not registered in MeshGovernance "platform/Governance": use one of orders, accounts.',
  },
  {
    name: 'tag grant on a classification outside the ontology',
    build: () => {
      const { governance, consumers } = governed();
      governance.grantByTags(new DataConsumer(consumers, 'Analysts', { consumerName: 'analysts' }), { domain: ['orders'], classification: ['secret'] });
    },
    message:
      '[consumers/Analysts] grantByTags classification "secret" is not registered in MeshGovernance "platform/Governance": use one of public, internal, confidential, pii.',
  },
  {
    name: 'tag grant to a consumer of another mesh',
    build: () => {
      const { governance, consumers } = governed();
      governance.grantByTags(new DataConsumer(consumers, 'Lab', { consumerName: 'lab-analysts', meshName: 'lab' }), {
        domain: ['orders'],
        classification: ['internal'],
      });
    },
    message:
      '[consumers/Lab] Consumer "lab-analysts" belongs to mesh "lab" but this governance ("platform/Governance") to mesh "shop": grant with the governance of the consumer\'s mesh.',
  },
  {
    name: 'tag grant including pii without a reason stops synth (MESH-006)',
    build: () => {
      const { app, governance, consumers } = governed();
      governance.grantByTags(new DataConsumer(consumers, 'Fraud', { consumerName: 'fraud' }), { domain: ['accounts'], classification: ['internal', 'pii'] });
      app.synth();
    },
    message:
      SYNTH_FAILED +
      '[consumers/Fraud/ReadByTags-accounts-internal_pii] [MESH-006 pii-grant-reason] Tag grant to consumer "fraud" (domain accounts, classification internal|pii) ' +
      'at "consumers/Fraud/ReadByTags-accounts-internal_pii" gives access to columns classified pii without a reason: ' +
      "pass { pii: { reason: '…' } } to grantByTags saying why this consumer needs personal data, or leave 'pii' out of classification. " +
      "To accept it, MeshPolicies.acknowledge(<the consumer>, 'MESH-006', '<reason>').",
  },
  {
    name: 'a second governance for the same mesh',
    build: () => new MeshGovernance(Stack.of(governed().governance), 'Again', { domains: ['orders'] }),
    message:
      '[platform/Again] Mesh "shop" already has a MeshGovernance at "platform/Governance": a mesh is governed once (one LF-Tag ontology per account): ' +
      "use that one (MeshGovernance.tryFind(this, 'shop')), or give this one another meshName.",
  },
  {
    name: 'domain tag value that is not snake_case',
    build: () => new MeshGovernance(newStack('platform'), 'Governance', { domains: ['orders', 'Accounts'] }),
    message:
      "[platform/Governance] domains value \"Accounts\" is not a valid LF-Tag value: use lower-case snake_case names such as 'orders', at most 50 characters.",
  },
  {
    name: 'no domains at all',
    build: () => new MeshGovernance(newStack('platform'), 'Governance', { domains: [] }),
    message: "[platform/Governance] domains has 0 values, but an LF-Tag takes 1 to 50: list at least one, e.g. domains: ['orders'].",
  },
  {
    name: 'Lake Formation admin that is not a principal ARN',
    build: () => new MeshGovernance(newStack('platform'), 'Governance', { domains: ['orders'], admins: ['data-platform-admins'] }),
    message:
      '[platform/Governance] admins entry "data-platform-admins" is not an IAM role, user or SAML principal ARN (all Lake Formation accepts as an admin): ' +
      "pass the principal's ARN, e.g. 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1'.",
  },
];

const policyCases: ErrorCase[] = [
  {
    name: 'personal-data column classified internal stops synth (MESH-004)',
    build: () => {
      const stack = newStack('accounts');
      productIn(stack, 'CustomerRegistered', Contract.of({ ...CUSTOMER_REGISTERED, columns: { ...CUSTOMER_REGISTERED.columns, email: col.string({ required: true, classification: 'internal', description: 'E-mail address.' }) } }));
      MeshPolicies.of(stack);
      (stack.node.root as App).synth();
    },
    message:
      SYNTH_FAILED +
      '[accounts/CustomerRegistered] [MESH-004 personal-data-classified] Product accounts.customer_registered.v1 at "accounts/CustomerRegistered" ' +
      'has personal-data columns that are not classified confidential or pii ("email"): set classification: \'pii\' on each in its contract. ' +
      "To accept it, MeshPolicies.acknowledge(<the product>, 'MESH-004', '<reason>').",
  },
  {
    name: 'product without a declared retention stops synth (MESH-005)',
    build: () => {
      const stack = newStack('orders');
      productIn(stack, 'OrderPlaced', orderPlaced({ sla: { freshnessMinutes: 15 } }));
      MeshPolicies.of(stack);
      (stack.node.root as App).synth();
    },
    message:
      SYNTH_FAILED +
      '[orders/OrderPlaced] [MESH-005 retention-declared] Product orders.order_placed.v1 at "orders/OrderPlaced" declares no retention: ' +
      "add sla: { retentionDays: 365 } (the days its data is kept) to its contract. To accept it, MeshPolicies.acknowledge(<the product>, 'MESH-005', '<reason>').",
  },
  {
    name: 'platform rule with a reserved id',
    build: () =>
      new MeshGovernance(newStack('platform'), 'Governance', {
        domains: ['orders'],
        policies: { rules: [{ id: 'MESH-100', description: 'Tags declared.', severity: 'error', check: () => undefined }] },
      }),
    message:
      '[platform/Governance] Rule id "MESH-100" is not valid: use your own prefix and a number, e.g. "SHOP-001" ("MESH-" is reserved for built-in rules).',
  },
  {
    name: 'rule severity that is neither error nor warning',
    build: () => new MeshGovernance(newStack('platform'), 'Governance', { domains: ['orders'], policies: { severities: { 'MESH-007': 'fatal' as never } } }),
    message: "[platform/Governance] Severity \"fatal\" of rule MESH-007 is not valid: use 'error' (stops synth) or 'warning'.",
  },
  {
    name: 'acknowledgement without a reason',
    build: () => MeshPolicies.acknowledge(orderPlacedProduct(), 'MESH-005', ' '),
    message:
      "[orders/OrderPlaced] Acknowledging MESH-005 needs a reason a reviewer would accept, e.g. MeshPolicies.acknowledge(product, 'MESH-005', 'Retention is set by the upstream system (ticket DATA-42).').",
  },
  {
    name: 'acknowledgement on a whole stack',
    build: () => MeshPolicies.acknowledge(newStack('orders'), 'MESH-005', 'Retention is set upstream.'),
    message: '[orders] Acknowledge MESH-005 on the product, consumer or grant it is about, not on a whole stack.',
  },
];

const consumerCases: ErrorCase[] = [
  {
    name: 'bytes-scanned cutoff below 10,000,000',
    build: () => new DataConsumer(newStack('consumers'), 'Marketing', { consumerName: 'marketing', bytesScannedCutoffPerQuery: 9_999_999 }),
    message:
      "[consumers/Marketing] bytesScannedCutoffPerQuery 9999999 is below Athena's minimum: use an integer of at least 10000000 bytes (e.g. 10 * 1024 ** 3 for 10 GiB).",
  },
  {
    name: 'consumer name with spaces and capitals',
    build: () => new DataConsumer(newStack('consumers'), 'Marketing', { consumerName: 'Marketing Team' }),
    message:
      '[consumers/Marketing] Consumer name "Marketing Team" must be 1-64 lower-case letters, digits, "_" or "-", starting with a letter (e.g. "marketing").',
  },
  {
    name: 'mesh name over 20 characters',
    build: () => new DataConsumer(newStack('consumers'), 'Marketing', { consumerName: 'marketing', meshName: 'enterprise-data-mesh-x' }),
    message:
      '[consumers/Marketing] Mesh name "enterprise-data-mesh-x" must be 1-20 lower-case letters, digits and hyphens, starting with a letter (e.g. "shop"): set the meshName prop or the "cdk-data-mesh:meshName" context in cdk.json.',
  },
  {
    name: 'role and assumedBy together (assumedBy would be ignored)',
    build: () => {
      const stack = newStack('consumers');
      const role = new iam.Role(stack, 'AnalystRole', { assumedBy: new iam.AccountRootPrincipal() });
      return new DataConsumer(stack, 'Marketing', { consumerName: 'marketing', role, assumedBy: new iam.ServicePrincipal('quicksight.amazonaws.com') });
    },
    message:
      '[consumers/Marketing] Consumer "marketing" sets both role (consumers/AnalystRole) and assumedBy, but assumedBy only applies to the role the consumer creates: ' +
      "drop assumedBy and let the given role's trust policy decide, or drop role.",
  },
  {
    name: 'results retention that is not whole days',
    build: () => new DataConsumer(newStack('consumers'), 'Marketing', { consumerName: 'marketing', resultsRetention: Duration.hours(36) }),
    message:
      '[consumers/Marketing] resultsRetention is 1 day 12 hours, but S3 lifecycle rules expire query results after a whole number of days (at least 1): use e.g. resultsRetention: Duration.days(30).',
  },
  {
    name: 'service consumer (MeshConsumer.fromRole) with a bad name',
    build: () => {
      const stack = newStack('recommendations');
      MeshConsumer.fromRole(stack, 'Reader', { consumerName: 'Product Views', role: new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }) });
    },
    message:
      '[recommendations/Reader] Consumer name "Product Views" must be 1-64 lower-case letters, digits, "_" or "-", starting with a letter (e.g. "product_views-pipeline").',
  },
];

const derivedCases: ErrorCase[] = [
  {
    name: 'streaming pipeline without sources',
    build: () => streaming(() => ({ sources: [] })),
    message:
      '[recommendations/Pipeline] A streaming pipeline needs at least one source product: set sources (e.g. [pageViewed]) for recommendations.product_views.v1.',
  },
  {
    name: 'streaming pipeline reading its own stream',
    build: () => streaming(({ productViews }) => ({ sources: [productViews] })),
    message:
      '[recommendations/Pipeline] recommendations.product_views.v1 reads its own stream: a product cannot be its own source (that is an endless loop).',
  },
  {
    name: 'streaming pipeline listing a source twice',
    build: () => streaming(({ pageViewed }) => ({ sources: [pageViewed, pageViewed] })),
    message: '[recommendations/Pipeline] Source storefront.page_viewed.v1 is listed twice: list each upstream product once.',
  },
  {
    name: 'streaming pipeline on a source with PII columns without piiReason (issue 15)',
    build: () =>
      streaming(({ app }) => ({ sources: [productIn(newStack('accounts', { app }), 'CustomerRegistered', Contract.of(CUSTOMER_REGISTERED))] })),
    message:
      '[recommendations/Pipeline] Source accounts.customer_registered.v1 has PII columns ("email") and the transform of recommendations.product_views.v1 reads whole records: ' +
      'set piiReason saying why it needs personal data (recorded with the grant and shown in the catalog), or read a streaming derived product that projects the PII columns away.',
  },
  {
    name: 'streaming pipeline from a product of another mesh',
    build: () =>
      streaming(({ app }) => ({
        sources: [DataProduct.fromName(newStack('lab', { app }), 'LabViews', { meshName: 'lab', domain: 'storefront', name: 'page_viewed', version: 1 })],
      })),
    message:
      '[recommendations/Pipeline] Source storefront.page_viewed.v1 belongs to mesh "lab" but recommendations.product_views.v1 to mesh "shop": derive only from products of the same mesh.',
  },
  {
    name: 'unbounded retries (a poison record would block its shard)',
    build: () => streaming(() => ({ maxRetryAttempts: -1 })),
    message:
      '[recommendations/Pipeline] maxRetryAttempts must be a whole number from 0 to 10000 (unbounded retries would let one poison record block its shard), got -1.',
  },
  {
    name: 'maximum record age below 60 s',
    build: () => streaming(() => ({ maxRecordAge: Duration.seconds(30) })),
    message: '[recommendations/Pipeline] maxRecordAge (seconds) must be a whole number from 60 to 604800, got 30.',
  },
  {
    name: 'dead-letter retention above the 14 days SQS keeps',
    build: () => streaming(() => ({ deadLetterRetention: Duration.days(20) })),
    message: '[recommendations/Pipeline] deadLetterRetention (seconds) must be a whole number from 60 to 1209600, got 1728000.',
  },
  {
    name: 'transform timeout above the 15 minutes Lambda allows',
    build: () => streaming(() => ({ timeout: Duration.minutes(20) })),
    message: '[recommendations/Pipeline] timeout (seconds) must be a whole number from 1 to 900, got 1200.',
  },
  {
    name: 'streaming transform entry that does not exist',
    build: () => streaming(() => ({ handler: { entry: 'src/product-views.ts' } })),
    message:
      `[recommendations/Pipeline] handler.entry "src/product-views.ts" does not exist (looked for ${path.resolve('src/product-views.ts')}): ` +
      "give the path of the transform module relative to the CDK app's directory.",
  },
  {
    name: 'streaming transform entry that is not TypeScript or JavaScript',
    build: () => streaming(() => ({ handler: { entry: 'src/product_views.py' } })),
    message:
      '[recommendations/Pipeline] handler.entry "src/product_views.py" must be a TypeScript or JavaScript file (.ts, .mts, .cts, .tsx, .js, .mjs, .cjs).',
  },
  {
    name: 'streaming transform export name that is not an identifier',
    build: () => streaming(() => ({ handler: { entry: TRANSFORM, handler: 'product-views' } })),
    message:
      '[recommendations/Pipeline] handler.handler "product-views" is not a JavaScript export name: use the name of the exported transform function (e.g. "handler").',
  },
  {
    name: 'SQL reading a table that is not a declared source',
    build: () => sqlPipeline({ sql: `${SQL} AND o.order_id NOT IN (SELECT order_id FROM orders.order_cancelled_v1)` }),
    message:
      '[marketing/Pipeline] The SQL reads orders.order_cancelled_v1, which is not a declared source (sources: orders.order_placed_v1, accounts.customer_registered_v1): ' +
      'add the product that owns it to sources (it needs a read grant), or remove it from the SQL.',
  },
  {
    name: 'declared source the SQL never reads',
    build: () => sqlPipeline({ sql: 'SELECT order_id, customer_id AS country, placed_at FROM orders.order_placed_v1 WHERE dt = :dt' }),
    message:
      '[marketing/Pipeline] Source accounts.customer_registered.v1 is declared but the SQL never reads accounts.customer_registered_v1: remove it from sources, so lineage and grants stay exact.',
  },
  {
    name: 'SQL holding two statements',
    build: () => sqlPipeline({ sql: `${SQL}; DROP TABLE orders.order_placed_v1` }),
    message: '[marketing/Pipeline] The SQL holds more than one statement (a ";" at offset 166): write a single SELECT.',
  },
  {
    name: 'schedule that is not a Scheduler expression',
    build: () => sqlPipeline({ schedule: 'daily' }),
    message:
      '[marketing/Pipeline] schedule "daily" is not an EventBridge Scheduler expression: use e.g. "cron(0 2 * * ? *)" (02:00 every day) or "rate(1 day)".',
  },
  {
    name: 'SQL product partitioned by hour',
    build: () => sqlPipeline({}, { ...CUSTOMER_ORDERS, partitionBy: { column: 'placed_at', granularity: 'hour' } }),
    message:
      "[marketing/Pipeline] marketing.customer_orders.v1 is partitioned by hour, but a SQL pipeline builds one daily partition per run: use partitionBy granularity 'day' for a SQL product.",
  },
  {
    name: 'SQL workgroup cutoff below 10 MB',
    build: () => sqlPipeline({ bytesScannedCutoffPerQuery: Size.mebibytes(5) }),
    message: "[marketing/Pipeline] bytesScannedCutoffPerQuery must be at least 10 MB (Athena's minimum), got 5242880 bytes.",
  },
  {
    name: 'SQL step retries above 10',
    build: () => sqlPipeline({ retryAttempts: 11 }),
    message: '[marketing/Pipeline] retryAttempts must be a whole number from 0 to 10, got 11.',
  },
  {
    name: 'SQL results retention that is not whole days',
    build: () => sqlPipeline({ resultsRetention: Duration.hours(6) }),
    message:
      '[marketing/Pipeline] resultsRetention is 6 hours, but S3 lifecycle rules expire query results after a whole number of days (at least 1): use e.g. Duration.days(30).',
  },
];

const operationsCases: ErrorCase[] = [
  {
    name: 'alarm period that is not whole minutes',
    build: () => {
      const product = orderPlacedProduct();
      return new ProductOperations(Stack.of(product), 'Ops', { product, period: Duration.seconds(90) });
    },
    message: '[orders/Ops] Alarm period 90 s must be a multiple of 60 s (these are standard-resolution AWS metrics), e.g. Duration.minutes(5).',
  },
  {
    name: 'alarm e-mail that is not an address',
    build: () => {
      const product = orderPlacedProduct();
      return new ProductOperations(Stack.of(product), 'Ops', { product, alarmEmail: '#orders-oncall' });
    },
    message: "[orders/Ops] Alarm e-mail \"#orders-oncall\" (alarmEmail) is not an e-mail address: pass alarmEmail: 'team@example.com'.",
  },
  {
    name: 'dashboard name CloudWatch cannot take',
    build: () => {
      const product = orderPlacedProduct();
      return new ProductOperations(Stack.of(product), 'Ops', { product, dashboardName: 'Orders / order placed' });
    },
    message:
      '[orders/Ops] dashboardName "Orders / order placed" is not a CloudWatch dashboard name: use 1-255 letters, digits, "-" and "_", e.g. "shop-orders-order_placed-v1", or leave it out for the product\'s name.',
  },
];

// --- Accounts (issue 22: a mesh across AWS accounts) -----------------------------------------------------
const PRODUCER_ENV: Environment = { account: '222222222222', region: 'eu-west-1' };
const accountCases: ErrorCase[] = [
  {
    name: 'a second Lake Formation baseline in one account',
    build: () => {
      const app = newApp();
      const governance = new MeshGovernance(newStack('platform', { app }), 'Governance', { domains: ['orders'] });
      new LakeFormationBaseline(newStack('orders', { app, env: PRODUCER_ENV }), 'LakeFormation', { governance });
      return new LakeFormationBaseline(newStack('orders-extra', { app, env: PRODUCER_ENV }), 'LakeFormation', { governance });
    },
    message:
      '[orders-extra/LakeFormation] Account 222222222222 already has the Lake Formation baseline "orders/LakeFormation" of mesh "shop": ' +
      "an account has exactly one DataLakeSettings, so keep that one (in the account's first stack) and remove this one.",
  },
  {
    name: 'a Lake Formation baseline in an environment-agnostic stack',
    build: () => {
      const app = newApp();
      const governance = new MeshGovernance(newStack('platform', { app }), 'Governance', { domains: ['orders'] });
      return new LakeFormationBaseline(newStack('orders', { app, env: null }), 'LakeFormation', { governance });
    },
    message:
      '[orders/LakeFormation] LakeFormationBaseline needs a stack with an explicit account (stack "orders" is environment-agnostic): ' +
      "give the stack env: { account: '123456789012', region: 'eu-west-1' }, or leave the baseline out in a single-account mesh (MeshGovernance configures that account).",
  },
  {
    name: 'a product referenced by name in an account that is not 12 digits',
    build: () => DataProduct.fromName(newStack('marketing'), 'OrderPlaced', { domain: 'orders', name: 'order_placed', version: 1, account: 'orders-prod' }),
    message: "[marketing/OrderPlaced] account \"orders-prod\" is not a 12-digit AWS account id: pass the account of the product's domain, e.g. '111122223333'.",
  },
];

const CATALOGUE: Readonly<Record<string, readonly ErrorCase[]>> = {
  'Accounts (multi-account mesh)': accountCases,
  'Contract (pure data: product id and column)': contractCases,
  DataDomain: domainCases,
  'DataProduct and DataProduct.fromName': productCases,
  'MeshGovernance, grantProductRead and grantByTags': governanceCases,
  'MeshPolicies': policyCases,
  'DataConsumer and MeshConsumer': consumerCases,
  'StreamingPipeline and SqlPipeline': derivedCases,
  ProductOperations: operationsCases,
};

describe('error catalogue: every invalid configuration fails with a message naming where, the bad value and the fix', () => {
  for (const [group, cases] of Object.entries(CATALOGUE)) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          expect(messageOf(c.build)).toBe(c.message);
        });
      }
    });
  }

  it('holds at least 30 cases, each named once', () => {
    const names = Object.values(CATALOGUE).flatMap((cases) => cases.map((c) => c.name));
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(new Set(names).size).toBe(names.length);
  });

  it('every construct message starts with the construct path, every contract message with the product id', () => {
    for (const [group, cases] of Object.entries(CATALOGUE)) {
      for (const c of cases) {
        const where = c.message.startsWith(SYNTH_FAILED) ? c.message.slice(SYNTH_FAILED.length) : c.message;
        expect(where, `${group}: ${c.name}`).toMatch(group.startsWith('Contract') ? /^orders\.[A-Za-z_]+( breaks \d+ contract rules)?[: ]/ : /^\[[^\]]+\] /);
      }
    }
  });
});

describe('naming limits', () => {
  it('the bucket-name budget of environment-agnostic stacks covers every region aws-cdk-lib knows', () => {
    const longest = RegionInfo.regions.reduce((a, r) => (r.name.length > a.length ? r.name : a), '');
    expect(LONGEST_REGION, `longest known region: ${longest}`).toBeGreaterThanOrEqual(longest.length);
  });
});

describe('the checks skip values that are tokens (known only at deploy time)', () => {
  it('accepts an environment-agnostic stack and token durations', () => {
    const token = (value: number) => Lazy.number({ produce: () => value });
    expect(() => {
      const stack = newStack('orders', { env: null });
      domainIn(stack, 'orders', { errorRetention: Duration.days(token(1)) });
      productIn(stack, 'OrderPlaced', orderPlaced(), { retention: Duration.hours(token(12)) });
    }).not.toThrow();
  });
});

// --- Issue 18: mistakes that used to synthesise and fail later (at deploy or at the first scheduled run) --------

/** orders.order_placed + accounts.customer_registered → marketing.customer_orders built by `sql` with Derivation.sql. */
function sqlProduct(sql: string, options: { target?: Partial<ContractProps>; piiReason?: string; schedule?: string; timeZone?: TimeZone } = {}) {
  const app = newApp();
  const orders = productIn(newStack('orders', { app }), 'OrderPlaced', Contract.of(ORDER_PLACED));
  const customers = productIn(newStack('accounts', { app }), 'CustomerRegistered', Contract.of(CUSTOMER_REGISTERED));
  const marketing = newStack('marketing', { app });
  return new DataProduct(marketing, 'CustomerOrders', {
    domain: domainIn(marketing, 'marketing'),
    contract: Contract.of({ ...CUSTOMER_ORDERS, ...options.target }),
    derivation: Derivation.sql({
      from: [orders, customers],
      sql,
      schedule: options.schedule ?? 'cron(0 2 * * ? *)',
      ...(options.piiReason !== undefined && { piiReason: options.piiReason }),
      ...(options.timeZone !== undefined && { pipeline: { timeZone: options.timeZone } }),
    }),
  });
}

const ORDER_COUNT: Partial<ContractProps> = {
  columns: {
    country: col.string({ required: true, description: 'Country of the customer.' }),
    order_count: col.int({ required: true, description: 'Orders from the country that day.' }),
    revenue: col.decimal(12, 2, { required: true, description: 'Sum of the order totals.' }),
    order_date: col.date({ required: true, description: 'The day.' }),
  },
  partitionBy: { column: 'order_date' },
};

const COUNT_SQL = (count: string, revenue: string) => `SELECT c.country, ${count} AS order_count, ${revenue} AS revenue, CAST(o.placed_at AS date) AS order_date
FROM orders.order_placed_v1 o
JOIN accounts.customer_registered_v1 c ON c.customer_id = o.customer_id
WHERE o.dt = :dt
GROUP BY c.country, CAST(o.placed_at AS date)`;

const synthCases: ErrorCase[] = [
  {
    name: 'SQL reads a column the source product does not have',
    build: () => sqlProduct(SQL.replace('c.country', 'c.country_code')),
    message:
      '[marketing/CustomerOrders] The SQL of marketing.customer_orders.v1 reads a column "country_code" (line 2, column 24) that no source has: use a column of orders.order_placed_v1 (order_id, customer_id, total, placed_at); accounts.customer_registered_v1 (customer_id, email, country, registered_at), or add it to the source\'s contract.',
  },
  {
    name: 'SQL leaves out a required column of the target contract',
    build: () => sqlProduct(SQL.replace('o.order_id, ', '')),
    message:
      '[marketing/CustomerOrders] The SQL of marketing.customer_orders.v1 returns no column "order_id" of the contract (it returns country, placed_at): add it to the SELECT, named like the contract\'s column (e.g. "… AS order_id").',
  },
  {
    name: 'SQL output named differently from the target contract',
    build: () => sqlProduct(SQL.replace('c.country', 'c.country AS customer_country')),
    message:
      '[marketing/CustomerOrders] The SQL of marketing.customer_orders.v1 returns "customer_country" (line 2, column 35) where the contract expects "country": name the output column like the contract\'s (e.g. "… AS country"). It returns order_id, customer_country, placed_at; the contract has order_id, country, placed_at.',
  },
  {
    name: 'SQL output type differs from the contract (count(*) is bigint, the column is int)',
    build: () => sqlProduct(COUNT_SQL('count(*)', 'sum(o.total)'), { target: ORDER_COUNT }),
    message:
      '[marketing/CustomerOrders] The SQL of marketing.customer_orders.v1 returns "order_count" as bigint (line 1, column 31), which cannot be written to the contract\'s int column without loss: CAST(… AS integer) in the SELECT if every value fits, or declare the column bigint in the contract.',
  },
  {
    name: 'SQL sums a double into a decimal(12,2) column',
    build: () => sqlProduct(COUNT_SQL('CAST(count(*) AS integer)', 'sum(CAST(o.total AS double))'), { target: ORDER_COUNT }),
    message:
      '[marketing/CustomerOrders] The SQL of marketing.customer_orders.v1 returns "revenue" as double (line 1, column 93), which cannot be written to the contract\'s decimal(12,2) column without loss: CAST(… AS decimal(12,2)) in the SELECT if every value fits, or declare the column double in the contract.',
  },
  {
    name: 'SQL SELECT * of a source (its columns are not the contract\'s)',
    build: () => sqlProduct('SELECT o.* FROM orders.order_placed_v1 o WHERE o.dt = :dt'),
    message:
      '[marketing/CustomerOrders] The SQL of marketing.customer_orders.v1 returns the columns of a * (order_id, customer_id, total, placed_at, dt), not the contract\'s (order_id, country, placed_at): name the contract\'s columns in the SELECT instead of * (e.g. "… AS country").',
  },
  {
    name: 'SQL selects a PII column without piiReason',
    build: () => sqlProduct(SQL.replace('c.country', 'c.email AS country')),
    message:
      '[marketing/CustomerOrders] The SQL of marketing.customer_orders.v1 reads "email" (line 2, column 24), a PII column of accounts.customer_registered.v1, without piiReason: leave it out, or set piiReason on the derivation to say why this product needs it (its pipeline is then granted the PII columns).',
  },
  {
    name: 'cron hour out of range',
    build: () => sqlProduct(SQL, { schedule: 'cron(0 25 * * ? *)' }),
    message:
      '[marketing/CustomerOrders/Pipeline] schedule "cron(0 25 * * ? *)" has hours 25, out of range: hours must be from 0 to 23.',
  },
  {
    name: 'schedule time zone that is not an IANA name',
    build: () => sqlProduct(SQL, { timeZone: TimeZone.of('Europe/Berln') }),
    message:
      '[marketing/CustomerOrders/Pipeline] time zone "Europe/Berln" is not an IANA time zone name: use one such as Europe/Berlin, America/New_York or UTC (TimeZone.EUROPE_BERLIN, …).',
  },
  {
    name: 'cron with both day fields set',
    build: () => sqlProduct(SQL, { schedule: 'cron(0 2 * * * *)' }),
    message:
      '[marketing/CustomerOrders/Pipeline] schedule "cron(0 2 * * * *)" sets both day-of-month ("*") and day-of-week ("*"): exactly one of them must be "?", e.g. "cron(0 2 * * ? *)" (every day) or "cron(0 2 ? * MON *)" (Mondays).',
  },
  {
    name: 'cron with five fields (the Unix form)',
    build: () => sqlProduct(SQL, { schedule: 'cron(0 2 * * ?)' }),
    message:
      '[marketing/CustomerOrders/Pipeline] schedule "cron(0 2 * * ?)" has 5 fields, but a cron expression has 6: minutes hours day-of-month month day-of-week year, e.g. "cron(0 2 * * ? *)" (02:00 every day) or "rate(1 day)".',
  },
  {
    name: 'rate with a plural unit for 1',
    build: () => sqlProduct(SQL, { schedule: 'rate(1 days)' }),
    message:
      '[marketing/CustomerOrders/Pipeline] schedule "rate(1 days)" says rate(1 days): a value of 1 takes the singular unit, rate(1 day).',
  },
  {
    name: 'two DataDomains named orders in two stacks',
    build: () => {
      const app = newApp();
      domainIn(newStack('orders', { app }), 'orders');
      domainIn(newStack('orders-dev', { app }), 'orders');
    },
    message:
      '[orders-dev/Domain] The domain "shop/orders" is already defined by orders/Domain in this app: a mesh has one DataDomain per domain; define it once and pass it to the stacks that need it (or reference its products with DataProduct.fromName).',
  },
  {
    name: "databasePrefix 'dev_' and a domain named dev_orders share a Glue database",
    build: () => {
      const app = newApp();
      domainIn(newStack('orders', { app }), 'orders', { databasePrefix: 'dev_' });
      domainIn(newStack('dev-orders', { app }), 'dev_orders');
    },
    message:
      '[dev-orders/Domain] The Glue database "dev_orders" is already defined by orders/Domain in this app: give one of the domains another name or databasePrefix (database names are the prefix followed by the domain name).',
  },
  {
    name: 'a grant on a product of a domain the governance does not know (fromName)',
    build: () => {
      const { app, consumers } = governed();
      const product = DataProduct.fromName(consumers, 'Orders', { domain: 'ordrs', name: 'order_placed', version: 1, contract: Contract.of({ ...ORDER_PLACED, domain: 'ordrs' }) });
      grantProductRead(product, MeshConsumer.fromRole(consumers, 'Analyst', { consumerName: 'analyst', role: iam.Role.fromRoleName(consumers, 'Role', 'analyst') }));
      app.synth();
    },
    message:
      SYNTH_FAILED +
      '[consumers/Orders] DataProduct.fromName: domain "ordrs" is not a domain of mesh "shop" (MeshGovernance platform/Governance registers orders, accounts): fix the domain, or add it to the governance\'s domains. Did you mean "orders"?',
  },
  {
    name: 'fromName of a product its domain in this app does not define',
    build: () => {
      const app = newApp();
      productIn(newStack('orders', { app }), 'OrderPlaced', orderPlaced());
      DataProduct.fromName(newStack('marketing', { app }), 'Orders', { domain: 'orders', name: 'order_placd', version: 1 });
      app.synth();
    },
    message:
      SYNTH_FAILED +
      '[marketing/Orders] DataProduct.fromName: orders.order_placd.v1 is not a product of domain orders, which this app defines with orders.order_placed.v1: fix the name or version. Did you mean "orders.order_placed.v1"?',
  },
  {
    name: 'a DataDomain named select (a reserved word)',
    build: () => domainIn(newStack('select'), 'select'),
    message:
      '[select/Domain] The domain name "select" is a reserved word in Athena (queries naming it unquoted fail): rename the domain, e.g. "select_domain".',
  },
  {
    name: 'a databasePrefix that spells a reserved word with the domain (current_ + role)',
    build: () => domainIn(newStack('roles'), 'role', { databasePrefix: 'current_' }),
    message:
      '[roles/Domain] The Glue database name "current_role" is a reserved word in Athena (queries naming it unquoted fail): databasePrefix "current_" and domain "role" spell it: change the prefix (e.g. "current_db_").',
  },
  {
    name: 'a contract of domain select (a reserved word)',
    build: () => orderPlaced({ domain: 'select' }),
    message:
      'select.order_placed: domain "select" is an SQL reserved word in Athena (it names the Glue database): rename it, e.g. "select_domain".',
  },
  {
    name: 'a column named select (a reserved word)',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, select: col.string({ description: 'A choice.' }) } }),
    message:
      'orders.order_placed: column "select" is an SQL reserved word in Athena ("select"): rename it, e.g. "event_select".',
  },
  {
    name: 'a decimal column with examples: [\'lots\']',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, total: col.decimal(12, 2, { required: true, description: 'Order total.', examples: ['lots'] }) } }),
    message:
      'orders.order_placed: column "total" has example "lots", which is not a valid decimal(12,2) value (not a decimal number with at most 10 digits before the point and 2 after): give an example the column holds, e.g. "1234.55", or remove it.',
  },
  {
    name: 'an example too wide for its decimal column, and a timestamp example without a zone',
    build: () =>
      orderPlaced({
        columns: {
          ...ORDER_PLACED.columns,
          total: col.decimal(12, 2, { required: true, description: 'Order total.', examples: [12345678901.5] }),
          placed_at: col.timestamp({ required: true, description: 'When the order was placed (UTC).', examples: ['2026-01-31 09:30:00'] }),
        },
      }),
    message:
      'orders.order_placed breaks 2 contract rules:\n' +
      '- orders.order_placed: column "total" has example 12345678901.5, which is not a valid decimal(12,2) value (more than 10 digits before the point): give an example the column holds, e.g. "1234.55", or remove it.\n' +
      '- orders.order_placed: column "placed_at" has example "2026-01-31 09:30:00", which is not a valid timestamp value (not an RFC 3339 timestamp with a zone): give an example the column holds, e.g. "2026-01-31T09:30:00Z", or remove it.',
  },
  {
    name: 'an int column whose minimum is above its maximum',
    build: () => orderPlaced({ columns: { ...ORDER_PLACED.columns, quantity: col.int({ required: true, description: 'Units.', minimum: 100, maximum: 1 }) } }),
    message: 'orders.order_placed: column "quantity" has minimum 100 above maximum 1: swap them (minimum: 1, maximum: 100).',
  },
  {
    name: 'a minimum on a string column, and an example below an int column\'s minimum',
    build: () =>
      orderPlaced({
        columns: {
          ...ORDER_PLACED.columns,
          currency: col.string({ required: true, description: 'Currency.', minimum: 3 }),
          quantity: col.int({ required: true, description: 'Units.', minimum: 1, examples: [0] }),
        },
      }),
    message:
      'orders.order_placed breaks 2 contract rules:\n' +
      '- orders.order_placed: column "currency" is string and has minimum/maximum, which only int, bigint, float and double columns take: remove them.\n' +
      '- orders.order_placed: column "quantity" has example 0, which is not a valid int value (below the column\'s minimum 1): give an example the column holds, e.g. 1, or remove it.',
  },
  {
    name: 'a DataDomain description longer than a Glue database description may be',
    build: () => domainIn(newStack('orders'), 'orders', { description: 'Orders. '.repeat(300) }),
    message:
      '[orders/Domain] The description of domain "orders" is 2400 characters long, but the Glue database description it becomes takes at most 2048: shorten it (say the rest in the catalog or README).',
  },
  {
    name: 'a DataConsumer description longer than an Athena workgroup description may be',
    build: () => new DataConsumer(newStack('consumers'), 'Analysts', { consumerName: 'analysts', description: 'Analysts of the shop. '.repeat(50) }),
    message:
      '[consumers/Analysts] The description of consumer "analysts" is 1100 characters long, but the Athena workgroup description it becomes takes at most 1024: shorten it (say the rest in the catalog or README).',
  },
  {
    name: 'a DataDomain description with a control character',
    build: () => domainIn(newStack('orders'), 'orders', { description: 'Orders\u0007 of the shop.' }),
    message:
      '[orders/Domain] The description of domain "orders" holds the control character U+0007, which the Glue database description refuses (only tab and line breaks are allowed): remove it.',
  },
  {
    name: 'owner.team "Orders & Payments" (not a tag value), with compliance checks off',
    build: () => {
      const app = newApp({ 'cdk-data-mesh:compliance': 'off' });
      productIn(newStack('orders', { app }), 'OrderPlaced', orderPlaced({ owner: { team: 'Orders & Payments', contact: 'orders@example.com' } }));
    },
    message:
      'orders.order_placed: owner.team "Orders & Payments" holds "&", but it tags every resource of the product (mesh:owner) and an AWS tag value holds only letters, digits, spaces and _ . : / = + - @, at most 256 characters: name the team e.g. "orders-payments".',
  },
];

describe('error catalogue (issue 18): caught at synth, not at deploy or at the first scheduled run', () => {
  for (const c of synthCases) {
    it(c.name, () => {
      expect(messageOf(c.build)).toBe(c.message);
    });
  }

  it('accepts the widenings Athena performs on insert (integer → bigint, decimal(12,2) → decimal(14,2))', () => {
    expect(() => sqlProduct(COUNT_SQL('CAST(count(*) AS integer)', 'sum(o.total)'), { target: ORDER_COUNT })).toThrow(/decimal\(38,2\)/);
    expect(() => sqlProduct(COUNT_SQL('CAST(count(*) AS smallint)', 'CAST(sum(o.total) AS decimal(10,2))'), { target: ORDER_COUNT })).not.toThrow();
  });

  it('accepts a PII column read with a piiReason', () => {
    expect(() => sqlProduct(SQL.replace('c.country', 'c.email AS country'), { piiReason: 'Fraud checks match e-mail addresses.' })).not.toThrow();
  });
});
