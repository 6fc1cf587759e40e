#!/usr/bin/env node
/**
 * The reference e-commerce mesh: one stack per domain, each deployable on its own.
 * Stacks are environment-agnostic (no lookups), so `npx cdk synth --no-notices` works without AWS credentials.
 */
import { App } from 'aws-cdk-lib';
import { addComplianceChecks } from '../constructs/compliance/compliance';
import { AccountsStack } from '../lib/reference/accounts-stack';
import { ConsumersStack } from '../lib/reference/consumers-stack';
import { GovernanceStack } from '../lib/reference/governance-stack';
import { MarketingStack } from '../lib/reference/marketing-stack';
import { OrdersStack } from '../lib/reference/orders-stack';
import { RecommendationsStack } from '../lib/reference/recommendations-stack';
import { StorefrontStack } from '../lib/reference/storefront-stack';

const app = new App();
// cdk-nag AwsSolutions and the Control Tower proactive controls (CloudFormation Validate runs by default):
// a finding that is not acknowledged on its construct, with a reason, stops the synth.
addComplianceChecks(app);

// --- Domains (source products) ---------------------------------------------------------------------
const orders = new OrdersStack(app, 'orders');
const accounts = new AccountsStack(app, 'accounts');
const storefront = new StorefrontStack(app, 'storefront');

/** The reference products, for the stacks that read them (governance, consumers, derived products). */
export const products = {
  orderPlaced: orders.orderPlaced,
  customerRegistered: accounts.customerRegistered,
  pageViewed: storefront.pageViewed,
};

// --- Domains of derived products: consumers that became producers -----------------------------------
// They reference their sources by name (no CloudFormation exports); the dependencies order `cdk deploy --all`.
const recommendations = new RecommendationsStack(app, 'recommendations'); // streaming, from storefront.page_viewed
recommendations.addStackDependency(storefront, 'its pipeline reads the storefront.page_viewed stream');
const marketing = new MarketingStack(app, 'marketing'); // SQL, daily, from orders and accounts
marketing.addStackDependency(orders, 'its pipeline is granted (Lake Formation) and reads orders.order_placed');
marketing.addStackDependency(accounts, 'its pipeline is granted (Lake Formation) and reads accounts.customer_registered');

// --- Governance (platform team): LF admins and LF-Tags, mesh policies, CI deploy role ----------------
// Every stack using the LF-Tags depends on it, so `cdk deploy --all` deploys it first.
new GovernanceStack(app, 'governance');

// --- Consumers: Athena workgroups and Lake Formation grants ----------------------------------------
new ConsumersStack(app, 'consumers', { products });

app.synth();
