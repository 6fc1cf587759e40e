import type { IConstruct } from 'constructs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IMeshConsumer } from '../consumer/types';
import type { Contract } from '../contract/contract';
import type { ProductReadGrant } from '../governance/grants';

/** Options of `product.grantRead(consumer, options)`. */
export interface GrantReadOptions {
  /**
   * Include the columns classified `pii`. A reason is mandatory: it is recorded in the product's
   * metadata and shown in the catalog.
   * @default - PII columns are excluded from the grant
   */
  readonly pii?: { readonly reason: string };
}

/** What other constructs may use of a data product, whether defined here or referenced by name. */
export interface IDataProduct extends IConstruct {
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
  /** Lets `grantee` put records into the stream (PutRecord/PutRecords + kms:GenerateDataKey). */
  grantWrite(grantee: iam.IGrantable): iam.Grant;
  /** Lets `grantee` read the stream (GetRecords, GetShardIterator, DescribeStream… + kms:Decrypt). */
  grantReadStream(grantee: iam.IGrantable): iam.Grant;
  /**
   * Lets `consumer` query the product's table through Lake Formation: DESCRIBE, and SELECT on every column
   * except the PII ones unless `options.pii.reason` says why it needs them (see `grantProductRead`).
   */
  grantRead(consumer: IMeshConsumer, options?: GrantReadOptions): ProductReadGrant;
}
