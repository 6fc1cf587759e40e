import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataDomain } from '../../constructs/domain/data-domain';
import { DataProduct } from '../../constructs/product/data-product';
import { Derivation } from '../../constructs/product/derivation';
import { customerOrders, customerRegistered, orderPlaced } from './contracts';

/**
 * The query building one day of `marketing.customer_orders`: that day's orders (`:dt`, the partition being
 * built) joined with the customers' countries. It reads no PII column, so the pipeline's grant on
 * `accounts.customer_registered` leaves `email` out.
 */
export const CUSTOMER_ORDERS_SQL = `
SELECT o.customer_id AS customer_id,
       c.country AS country,
       o.currency AS currency,
       count(*) AS order_count,
       CAST(sum(o.total) AS decimal(14, 2)) AS revenue,
       CAST(o.placed_at AS date) AS order_date
FROM orders.order_placed_v1 o
JOIN accounts.customer_registered_v1 c ON c.customer_id = o.customer_id
WHERE o.dt = :dt
GROUP BY o.customer_id, c.country, o.currency, CAST(o.placed_at AS date)
`.trim();

/** Every day at 02:00 UTC, building the day before. */
export const CUSTOMER_ORDERS_SCHEDULE = 'cron(0 2 * * ? *)';

/**
 * The `marketing` domain of the reference mesh: its product `marketing.customer_orders` is built every
 * night by Athena from orders and accounts (a SQL derived product, no PII).
 *
 * The source products are referenced by name with their contracts (no CloudFormation exports between
 * domains). Deploy orders and accounts first: bin/app.ts makes this stack depend on them.
 */
export class MarketingStack extends Stack {
  public readonly domain: DataDomain;
  /** `marketing.customer_orders.v1` (SQL, daily, from `orders.order_placed.v1` and `accounts.customer_registered.v1`) */
  public readonly customerOrders: DataProduct;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-data-mesh reference mesh: the marketing domain (a SQL derived product)', ...props });
    this.domain = new DataDomain(this, 'Domain', { domainName: 'marketing' });

    const orderPlacedV1 = DataProduct.fromName(this, 'OrderPlaced', { domain: 'orders', name: 'order_placed', version: 1, contract: orderPlaced });
    const customerRegisteredV1 = DataProduct.fromName(this, 'CustomerRegistered', {
      domain: 'accounts',
      name: 'customer_registered',
      version: 1,
      contract: customerRegistered,
    });
    this.customerOrders = new DataProduct(this, 'CustomerOrders', {
      domain: this.domain,
      contract: customerOrders, // lib/reference/contracts/marketing.ts
      derivation: Derivation.sql({
        from: [orderPlacedV1, customerRegisteredV1],
        sql: CUSTOMER_ORDERS_SQL,
        schedule: CUSTOMER_ORDERS_SCHEDULE,
      }),
    });
  }
}
