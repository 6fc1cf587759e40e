import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import type { Contract } from '../contract/contract';

/**
 * A reference to a data product: what grants, pipelines and operations need to know of it, whether it is
 * defined in this app or referenced by name. It imports nothing of the modules built on it (governance,
 * derived products), so they can all depend on it without a circle (as aws-cdk-lib's `IDeliveryStreamRef`).
 */
export interface IDataProductRef extends IConstruct {
  /** `<domain>.<name>.v<version>`, e.g. `orders.order_placed.v1`. */
  readonly productId: string;
  /** The mesh this product belongs to. */
  readonly meshName: string;
  readonly domainName: string;
  readonly productName: string;
  readonly version: number;
  /** The contract, when known (always for products defined in this app; optional for `fromName`). */
  readonly contract?: Contract;
  /** The Glue database, e.g. `orders`. */
  readonly databaseName: string;
  /** The Glue table, e.g. `order_placed_v1`. */
  readonly tableName: string;
  /** The product's real-time API. */
  readonly stream: kinesis.IStream;
  /** The domain key encrypting the stream and the data. */
  readonly encryptionKey: kms.IKey;
}

/** Options of `product.grantRead(consumer, options)` and `grantProductRead(product, consumer, options)`. */
export interface GrantReadOptions {
  /**
   * Include the columns classified `pii`. A reason is mandatory: it is recorded in the product's
   * metadata and shown in the catalog.
   * @default - PII columns are excluded from the grant
   */
  readonly pii?: { readonly reason: string };
}
