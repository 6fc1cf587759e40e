import type { Stage } from 'aws-cdk-lib';
import { AccountsStack } from './accounts-stack';
import { ConsumersStack } from './consumers-stack';
import { GovernanceStack } from './governance-stack';
import { MarketingStack } from './marketing-stack';
import { OrdersStack } from './orders-stack';
import { RecommendationsStack } from './recommendations-stack';
import { StorefrontStack } from './storefront-stack';

/** The stacks of the reference mesh. */
export interface ReferenceMesh {
  readonly orders: OrdersStack;
  readonly accounts: AccountsStack;
  readonly storefront: StorefrontStack;
  readonly recommendations: RecommendationsStack;
  readonly marketing: MarketingStack;
  readonly governance: GovernanceStack;
  readonly consumers: ConsumersStack;
}

/**
 * The reference e-commerce mesh, as `bin/app.ts` deploys it: one stack per domain (each deployable on its own),
 * the platform team's governance stack and the consumers' stack. Stacks are environment-agnostic (no lookups),
 * so the app synthesizes without AWS credentials.
 */
export function referenceMesh(app: Stage): ReferenceMesh {
  // --- Domains (source products) -------------------------------------------------------------------
  const orders = new OrdersStack(app, 'orders');
  const accounts = new AccountsStack(app, 'accounts');
  const storefront = new StorefrontStack(app, 'storefront');

  // --- Domains of derived products: consumers that became producers ---------------------------------
  // They reference their sources by name (no CloudFormation exports); the dependencies order `cdk deploy --all`.
  const recommendations = new RecommendationsStack(app, 'recommendations'); // streaming, from storefront.page_viewed
  recommendations.addStackDependency(storefront, 'its pipeline reads the storefront.page_viewed stream');
  const marketing = new MarketingStack(app, 'marketing'); // SQL, daily, from orders and accounts
  marketing.addStackDependency(orders, 'its pipeline is granted (Lake Formation) and reads orders.order_placed');
  marketing.addStackDependency(accounts, 'its pipeline is granted (Lake Formation) and reads accounts.customer_registered');

  // --- Governance (platform team): LF admins and LF-Tags, mesh policies, CI deploy role --------------
  // Every stack using the LF-Tags depends on it, so `cdk deploy --all` deploys it first.
  const governance = new GovernanceStack(app, 'governance');

  // --- Consumers: Athena workgroups and Lake Formation grants --------------------------------------
  const consumers = new ConsumersStack(app, 'consumers', {
    products: { orderPlaced: orders.orderPlaced, customerRegistered: accounts.customerRegistered, pageViewed: storefront.pageViewed },
  });

  return { orders, accounts, storefront, recommendations, marketing, governance, consumers };
}
