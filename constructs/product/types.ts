import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IMeshConsumer } from '../consumer/types';
import type { ProductReadGrant } from '../governance/grants';
import type { GrantReadOptions, GrantReadStreamOptions, IDataProductRef } from './data-product-ref';

export type { GrantReadOptions, GrantReadStreamOptions, IDataProductRef } from './data-product-ref';

/** What other constructs may use of a data product, whether defined here or referenced by name: its reference and its grants. */
export interface IDataProduct extends IDataProductRef {
  /** Lets `grantee` put records into the stream (PutRecord/PutRecords + kms:GenerateDataKey). */
  grantWrite(grantee: iam.IGrantable): iam.Grant;
  /**
   * Lets `grantee` read the stream (GetRecords, GetShardIterator, DescribeStream… + kms:Decrypt). A product
   * with PII columns requires `options.pii` (every PII column, and a reason): a stream gives whole records.
   */
  grantReadStream(grantee: iam.IGrantable, options?: GrantReadStreamOptions): iam.Grant;
  /**
   * Lets `consumer` query the product's table through Lake Formation: DESCRIBE, and SELECT on every column
   * except the PII ones unless `options.pii.reason` says why it needs them (see `grantProductRead`).
   */
  grantRead(consumer: IMeshConsumer, options?: GrantReadOptions): ProductReadGrant;
}
