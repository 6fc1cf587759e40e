import { Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataDomain } from '../../constructs/domain/data-domain';
import { DataProduct } from '../../constructs/product/data-product';
import { pageViewed } from './contracts';

/** The `storefront` domain of the reference mesh: clickstream from the web shop. */
export class StorefrontStack extends Stack {
  public readonly domain: DataDomain;
  /** `storefront.page_viewed.v1` */
  public readonly pageViewed: DataProduct;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-data-mesh reference mesh: the storefront domain', ...props });
    this.domain = new DataDomain(this, 'Domain', { domainName: 'storefront' });
    // The busiest product: fresher objects in S3 (60 s / 64 MiB, Firehose's minimums with Parquet) and bigger
    // processor batches.
    this.pageViewed = new DataProduct(this, 'PageViewed', {
      domain: this.domain,
      contract: pageViewed,
      buffering: { interval: Duration.seconds(60), size: Size.mebibytes(64) },
      processor: { bufferSize: Size.mebibytes(3), memorySize: 1024 },
    });
  }
}
