import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataConsumer } from '../../constructs/consumer/data-consumer';
import type { IDataProduct } from '../../constructs/product/types';

/** Why marketing may read customers' e-mail addresses: recorded in the grant and the product metadata. */
export const MARKETING_PII_REASON =
  'Newsletter and win-back campaigns to customers who opted in to marketing e-mail at sign-up (consent recorded by accounts).';

/** The products the reference consumers read (from the domain stacks). */
export interface ReferenceProducts {
  /** `accounts.customer_registered` (holds the PII column `email`). */
  readonly customerRegistered: IDataProduct;
  /** `orders.order_placed`. */
  readonly orderPlaced: IDataProduct;
  /** `storefront.page_viewed`. */
  readonly pageViewed: IDataProduct;
}

export interface ConsumersStackProps extends StackProps {
  readonly products: ReferenceProducts;
  /** @default - the `cdk-data-mesh:meshName` context value */
  readonly meshName?: string;
}

/**
 * The teams that read the reference mesh through Athena, each with its workgroup and Lake Formation grants:
 *
 * - `marketing` reads customers **with** their e-mail (PII), for the reason above;
 * - `management` reads orders and customers, never PII (e-mail is excluded from its grant);
 * - `recommendations` reads page views.
 *
 * The grants live here, so this stack depends on the domain stacks (and on the governance stack
 * through the LF-Tags), never the other way round.
 */
export class ConsumersStack extends Stack {
  public readonly marketing: DataConsumer;
  public readonly management: DataConsumer;
  public readonly recommendations: DataConsumer;

  constructor(scope: Construct, id: string, props: ConsumersStackProps) {
    super(scope, id, { description: 'cdk-data-mesh reference mesh: consumers (Athena workgroups and Lake Formation grants)', ...props });
    const mesh = props.meshName !== undefined ? { meshName: props.meshName } : {};
    const { customerRegistered, orderPlaced, pageViewed } = props.products;

    this.marketing = new DataConsumer(this, 'Marketing', {
      consumerName: 'marketing',
      description: 'Campaign targeting and newsletter analytics.',
      ...mesh,
    });
    customerRegistered.grantRead(this.marketing, { pii: { columns: ['email'], reason: MARKETING_PII_REASON } });

    this.management = new DataConsumer(this, 'Management', {
      consumerName: 'management',
      description: 'Revenue and customer-growth reporting; never sees personal data.',
      ...mesh,
    });
    orderPlaced.grantRead(this.management);
    customerRegistered.grantRead(this.management); // never PII: `email` is excluded from the grant

    this.recommendations = new DataConsumer(this, 'Recommendations', {
      consumerName: 'recommendations',
      description: 'Training data for product recommendations.',
      ...mesh,
    });
    pageViewed.grantRead(this.recommendations);
  }
}
