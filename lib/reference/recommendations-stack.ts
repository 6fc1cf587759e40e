import * as path from 'node:path';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataDomain } from '../../constructs/domain/data-domain';
import { DataProduct } from '../../constructs/product/data-product';
import { Derivation } from '../../constructs/product/derivation';
import { pageViewed, productViews } from './contracts';

/** The transform of `recommendations.product_views` (absolute, so the app can be synthesized from any directory). */
export const PRODUCT_VIEWS_HANDLER = path.join(__dirname, 'handlers', 'product-views.ts');

/**
 * The `recommendations` domain of the reference mesh: a consumer that became a producer. Its product
 * `recommendations.product_views` is derived in real time from storefront's page views by the team's
 * transform, and then validated into its own table like any product.
 *
 * storefront's product is referenced by name (no CloudFormation exports between domains, each deploys on
 * its own), with its contract, so PII and deprecation are checked here. Deploy storefront first: bin/app.ts
 * makes this stack depend on it.
 */
export class RecommendationsStack extends Stack {
  public readonly domain: DataDomain;
  /** `recommendations.product_views.v1` (streaming, from `storefront.page_viewed.v1`) */
  public readonly productViews: DataProduct;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-data-mesh reference mesh: the recommendations domain (a streaming derived product)', ...props });
    this.domain = new DataDomain(this, 'Domain', { domainName: 'recommendations' });

    const pageViewedV1 = DataProduct.fromName(this, 'PageViewed', { domain: 'storefront', name: 'page_viewed', version: 1, contract: pageViewed });
    this.productViews = new DataProduct(this, 'ProductViews', {
      domain: this.domain,
      contract: productViews, // lib/reference/contracts/recommendations.ts
      derivation: Derivation.streaming({
        from: [pageViewedV1],
        handler: { entry: PRODUCT_VIEWS_HANDLER }, // exports `handler`: page view in, product view (or nothing) out
      }),
    });
  }
}
