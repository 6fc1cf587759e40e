/**
 * The one naming convention of the mesh. Every physical name derives from mesh / domain / product /
 * version here and nowhere else, so that a product can be found by name alone from another app
 * (`DataProduct.fromName`) without CloudFormation exports.
 *
 * | resource            | name                                   | example                          |
 * |---------------------|----------------------------------------|----------------------------------|
 * | Glue database       | `<databasePrefix><domain>`             | `orders`                         |
 * | Glue table          | `<product>_v<major>`                   | `order_placed_v1`                |
 * | Kinesis stream      | `<mesh>-<domain>-<product>-v<major>`   | `shop-orders-order_placed-v1`    |
 * | Firehose stream     | same as the Kinesis stream             | `shop-orders-order_placed-v1`    |
 * | KMS key alias       | `alias/<mesh>/<domain>`                | `alias/shop/orders`              |
 * | data prefix in S3   | `<product>_v<major>/dt=…/`             | `order_placed_v1/dt=2026-11-21/` |
 * | error prefix in S3  | `errors/<product>_v<major>/<type>/…`   | `errors/order_placed_v1/processing-failed/…` |
 * | data bucket         | `<mesh>-<domain with ->-data-<account>-<region>` | `shop-orders-data-123456789012-eu-west-1` |
 * | schema registry     | `<mesh>-<domain>`                      | `shop-orders`                    |
 * | registry schema     | `<product>_v<major>`                   | `order_placed_v1`                |
 */

/** AWS limits the convention must fit in. */
export const NAME_LIMITS = {
  /** Kinesis stream names: 1-128 of [a-zA-Z0-9_.-]. */
  streamName: 128,
  /** Firehose delivery stream names: 1-64 of [a-zA-Z0-9_.-]. */
  deliveryStreamName: 64,
  /** Glue database and table names: 1-255 bytes, lower case. */
  glueName: 255,
  /** S3 bucket names: 3-63 of [a-z0-9.-]. */
  bucketName: 63,
  /** Mesh names: short, they prefix every stream and bucket. */
  meshName: 20,
  /** Glue Schema Registry registry and schema names: 1-255 of [a-zA-Z0-9-_$#.]. */
  registryName: 255,
} as const;

/** Lower-case snake_case: starts with a letter, then letters, digits and single underscores. */
export const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
/** Mesh names: lower-case letters, digits and hyphens, starting with a letter. */
export const MESH_NAME = /^[a-z][a-z0-9-]*$/;

export interface ProductNameParts {
  readonly mesh: string;
  readonly domain: string;
  readonly product: string;
  readonly version: number;
  /** @default '' */
  readonly databasePrefix?: string;
}

export function productId(domain: string, product: string, version: number): string {
  return `${domain}.${product}.v${version}`;
}

export function databaseName(domain: string, databasePrefix = ''): string {
  return `${databasePrefix}${domain}`;
}

export function tableName(product: string, version: number): string {
  return `${product}_v${version}`;
}

export function streamName(parts: ProductNameParts): string {
  return `${parts.mesh}-${parts.domain}-${parts.product}-v${parts.version}`;
}

export function deliveryStreamName(parts: ProductNameParts): string {
  return streamName(parts);
}

export function keyAlias(mesh: string, domain: string): string {
  return `alias/${mesh}/${domain}`;
}

/**
 * The SSM parameter where a domain publishes its key's ARN, e.g. `/shop/orders/key-arn`: products referenced
 * by name (`DataProduct.fromName`) read it at deploy time, so their key grants name the exact key, not `key/*`.
 */
export function keyArnParameterName(mesh: string, domain: string): string {
  return `/${mesh}/${domain}/key-arn`;
}

/**
 * The name a derived product's pipeline has as a reader in the mesh (grant entries, the catalog), e.g.
 * `recommendations-product_views-v1-pipeline`; without the suffix when that would exceed 64 characters.
 */
export function pipelineReaderName(domain: string, product: string, version: number): string {
  const base = `${domain}-${product}-v${version}`;
  const name = `${base}-pipeline`;
  return name.length <= 64 ? name : base;
}

export function dataPrefix(product: string, version: number): string {
  return `${tableName(product, version)}/`;
}

/** Where every product's Firehose error output lives in the domain bucket (expired by a lifecycle rule). */
export const ERROR_PREFIX_ROOT = 'errors/';

/** Firehose error prefix; Firehose substitutes the error type (`processing-failed`, `format-conversion-failed`, …). */
export function errorPrefix(product: string, version: number): string {
  return `${ERROR_PREFIX_ROOT}${tableName(product, version)}/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/`;
}

/** The domain's data bucket; account and region may be tokens, so the length check assumes their longest form. */
export function dataBucketName(mesh: string, domain: string, account: string, region: string): string {
  return `${mesh}-${domain.replace(/_/g, '-')}-data-${account}-${region}`;
}

/** Longest account id (12 digits) and region name (`us-isof-south-1`; a test checks every region aws-cdk-lib knows) we budget for. */
export const LONGEST_ACCOUNT = 12;
export const LONGEST_REGION = 15;

/** The domain's Glue Schema Registry registry, e.g. `shop-orders`. */
export function registryName(mesh: string, domain: string): string {
  return `${mesh}-${domain}`;
}

/** The registry schema of a product version: the table name, e.g. `order_placed_v1`. */
export function schemaName(product: string, version: number): string {
  return tableName(product, version);
}
