import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataDomain } from '../../constructs/domain/data-domain';
import { DataProduct } from '../../constructs/product/data-product';
import { orderPlaced } from './contracts';

/** The `orders` domain of the reference mesh: what checkout publishes. */
export class OrdersStack extends Stack {
  public readonly domain: DataDomain;
  /** `orders.order_placed.v1` */
  public readonly orderPlaced: DataProduct;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-data-mesh reference mesh: the orders domain', ...props });

    this.domain = new DataDomain(this, 'Domain', { domainName: 'orders' });

    this.orderPlaced = new DataProduct(this, 'OrderPlaced', {
      domain: this.domain,
      contract: orderPlaced, // lib/reference/contracts/orders.ts
      retention: Duration.days(7), // how far back consumers can replay the stream
    });
  }
}
