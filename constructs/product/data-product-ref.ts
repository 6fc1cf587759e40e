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
  /**
   * The account the product lives in, when a reference by name says so (`DataProduct.fromName({ account })`).
   * @default - the account of the product's stack
   */
  readonly account?: string;
}

/** Options of `product.grantRead(consumer, options)` and `grantProductRead(product, consumer, options)`. */
export interface GrantReadOptions {
  /**
   * Include the named columns classified `pii`, for the reason given. Both are mandatory: the columns are
   * the PII columns of the contract this consumer needs (a PII column added to the contract later is not
   * included until a grant names it), and the reason is recorded in the grant's manifest entry, the
   * product's metadata and the catalog.
   * @default - no PII column is granted
   */
  readonly pii?: PiiGrant;
}

/** The PII columns a grant includes and why (`{ columns: ['email'], reason: '…' }`). */
export interface PiiGrant {
  /** PII columns of the contract to include, e.g. `['email']`. */
  readonly columns: readonly string[];
  /** Why this consumer needs them, e.g. `'Newsletter campaigns to customers who opted in.'`. */
  readonly reason: string;
}

/** Options of `product.grantReadStream(grantee, options)`. */
export interface GrantReadStreamOptions {
  /**
   * Required when the product has PII columns: a stream record carries every column, so `columns` must name
   * every PII column of the contract, and `reason` says why this reader needs them (recorded in the manifest,
   * the product's table parameters and the catalog). Readers without a reason read a streaming derived
   * product that projects the PII columns away.
   * @default - none: only for products without PII columns
   */
  readonly pii?: PiiGrant;
  /**
   * The reader's name in the mesh (manifest grant entries, the catalog, `mesh access`).
   * @default - the construct path of the grantee's role (e.g. `fraud/Detector/ServiceRole`)
   */
  readonly consumerName?: string;
  /**
   * The derived product this read feeds, when the reader is that product's pipeline.
   * @default - none
   */
  readonly forProduct?: string;
}
