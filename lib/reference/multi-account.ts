import { Stack, type StackProps, type Stage } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataConsumer } from '../../constructs/consumer/data-consumer';
import { LakeFormationBaseline } from '../../constructs/governance/account-baseline';
import type { IDataProduct } from '../../constructs/product/types';
import { AccountsStack } from './accounts-stack';
import { MARKETING_PII_REASON } from './consumers-stack';
import { GovernanceStack } from './governance-stack';
import { MarketingStack } from './marketing-stack';
import { OrdersStack } from './orders-stack';
import { RecommendationsStack } from './recommendations-stack';
import { StorefrontStack } from './storefront-stack';

/** Context key choosing the reference mesh's layout: `single-account` (the default) or `multi-account`. */
export const LAYOUT_CONTEXT_KEY = 'cdk-data-mesh:layout';
export const LAYOUTS = ['single-account', 'multi-account'] as const;
export type ReferenceLayout = (typeof LAYOUTS)[number];
/** Context key prefix of an account id, e.g. `cdk-data-mesh:account:orders` or `cdk-data-mesh:account:consumer-marketing`. */
export const ACCOUNT_CONTEXT_PREFIX = 'cdk-data-mesh:account:';
/** Context key of the region every account of the multi-account layout deploys to. */
export const REGION_CONTEXT_KEY = 'cdk-data-mesh:region';
export const DEFAULT_REGION = 'eu-west-1';

/**
 * The accounts of the multi-account layout: the governance (platform) account, one per domain, one per consumer
 * team. The defaults are dummy ids that synthesize offline; set the real ones with
 * `-c cdk-data-mesh:account:<name>=<id>` (or in cdk.json).
 */
export const DUMMY_ACCOUNTS = {
  governance: '111111111111',
  orders: '222222222222',
  accounts: '333333333333',
  storefront: '444444444444',
  recommendations: '555555555555',
  marketing: '666666666666',
  'consumer-marketing': '777777777777',
  'consumer-management': '888888888888',
  'consumer-recommendations': '999999999999',
} as const;
export type ReferenceAccount = keyof typeof DUMMY_ACCOUNTS;

/** The layout the app's context asks for; throws on anything but the known layouts. */
export function referenceLayout(scope: Construct): ReferenceLayout {
  const layout = (scope.node.tryGetContext(LAYOUT_CONTEXT_KEY) as string | undefined) ?? 'single-account';
  if (!(LAYOUTS as readonly string[]).includes(layout)) {
    throw new Error(`Context "${LAYOUT_CONTEXT_KEY}" is "${layout}": use one of ${LAYOUTS.join(', ')} (e.g. -c ${LAYOUT_CONTEXT_KEY}=multi-account).`);
  }
  return layout as ReferenceLayout;
}

/** The account ids of the layout: context values over the dummy defaults (each checked to be 12 digits). */
export function referenceAccounts(scope: Construct): Record<ReferenceAccount, string> {
  const accounts = {} as Record<ReferenceAccount, string>;
  for (const [name, dummy] of Object.entries(DUMMY_ACCOUNTS) as [ReferenceAccount, string][]) {
    const value = String(scope.node.tryGetContext(`${ACCOUNT_CONTEXT_PREFIX}${name}`) ?? dummy);
    if (!/^\d{12}$/.test(value)) {
      throw new Error(`Context "${ACCOUNT_CONTEXT_PREFIX}${name}" is "${value}", not a 12-digit AWS account id: pass e.g. -c ${ACCOUNT_CONTEXT_PREFIX}${name}=123456789012.`);
    }
    accounts[name] = value;
  }
  return accounts;
}

/** What a consumer team reads, and the PII it may see with the reason. */
export interface ConsumerTeam {
  readonly consumerName: 'marketing' | 'management' | 'recommendations';
  readonly description: string;
  readonly reads: readonly { readonly product: IDataProduct; readonly pii?: { readonly columns: readonly string[]; readonly reason: string } }[];
}

export interface ConsumerAccountStackProps extends StackProps {
  readonly team: ConsumerTeam;
  readonly governance: GovernanceStack;
}

/**
 * One consumer team in its own account: the account's Lake Formation baseline (no LF-Tags: it holds no
 * product), the team's `DataConsumer` (Athena workgroup querying through resource links) and its grants.
 */
export class ConsumerAccountStack extends Stack {
  public readonly lakeFormation: LakeFormationBaseline;
  public readonly consumer: DataConsumer;

  constructor(scope: Construct, id: string, props: ConsumerAccountStackProps) {
    const { team, governance, ...stackProps } = props;
    super(scope, id, { description: `cdk-data-mesh reference mesh: the ${team.consumerName} consumer team (its own account)`, ...stackProps });
    this.lakeFormation = new LakeFormationBaseline(this, 'LakeFormation', { governance: governance.governance, ontology: false });
    this.consumer = new DataConsumer(this, 'Consumer', { consumerName: team.consumerName, description: team.description });
    for (const read of team.reads) read.product.grantRead(this.consumer, read.pii !== undefined ? { pii: read.pii } : {});
  }
}

/** The stacks of the multi-account reference mesh. */
export interface MultiAccountReferenceMesh {
  readonly accounts: Record<ReferenceAccount, string>;
  readonly governance: GovernanceStack;
  readonly orders: OrdersStack;
  readonly accountsDomain: AccountsStack;
  readonly storefront: StorefrontStack;
  readonly recommendations: RecommendationsStack;
  readonly marketing: MarketingStack;
  readonly consumers: { readonly marketing: ConsumerAccountStack; readonly management: ConsumerAccountStack; readonly recommendations: ConsumerAccountStack };
  /** Every stack, in deploy-wave order. */
  readonly stacks: readonly Stack[];
}

/**
 * The reference mesh across accounts (`-c cdk-data-mesh:layout=multi-account`): the same domains, products,
 * consumers and grants as `referenceMesh`, with the governance in the platform account, each domain in its
 * own account and each consumer team in its own. Every stack has an explicit `env`; each account gets one
 * Lake Formation baseline (the governance's own settings in the governance account).
 *
 * Deploy waves (docs/platform-team.md): governance (W1), the source domains (W2), the domains of derived
 * products and the consumer teams (W3, after the producers they read: explicit stack dependencies).
 */
export function referenceMeshMultiAccount(app: Stage): MultiAccountReferenceMesh {
  const accounts = referenceAccounts(app);
  const region = String(app.node.tryGetContext(REGION_CONTEXT_KEY) ?? DEFAULT_REGION);
  const env = (name: ReferenceAccount) => ({ env: { account: accounts[name], region } });

  // --- W1: governance (platform account): LF admins and LF-Tag ontology, policies, CI deploy role -------
  // Its GitHub deploy role (when cdk-data-mesh:githubRepository is set) assumes the bootstrap roles of every account.
  const governance = new GovernanceStack(app, 'governance', { ...env('governance'), deployAccounts: [...new Set(Object.values(accounts))] });
  const baseline = (stack: Stack) => new LakeFormationBaseline(stack, 'LakeFormation', { governance: governance.governance });

  // --- W2: source domains, each in its account (baseline + stamped LF-Tags first) --------------------
  const orders = new OrdersStack(app, 'orders', env('orders'));
  const accountsDomain = new AccountsStack(app, 'accounts', env('accounts'));
  const storefront = new StorefrontStack(app, 'storefront', env('storefront'));

  // --- W3: domains of derived products, reading their sources across accounts -------------------------
  // Their `DataProduct.fromName` references find the sources' accounts: this app defines those products above.
  const recommendations = new RecommendationsStack(app, 'recommendations', env('recommendations'));
  recommendations.addStackDependency(storefront, 'its pipeline reads the storefront.page_viewed stream (another account)');
  const marketing = new MarketingStack(app, 'marketing', env('marketing'));
  for (const stack of [orders, accountsDomain, storefront, recommendations, marketing]) baseline(stack);

  // --- W3: consumer teams, each in its account ---------------------------------------------------------
  const team = (name: ReferenceAccount, props: ConsumerTeam) =>
    new ConsumerAccountStack(app, `consumer-${props.consumerName}`, { ...env(name), team: props, governance });
  const consumers = {
    marketing: team('consumer-marketing', {
      consumerName: 'marketing',
      description: 'Campaign targeting and newsletter analytics.',
      reads: [{ product: accountsDomain.customerRegistered, pii: { columns: ['email'], reason: MARKETING_PII_REASON } }],
    }),
    management: team('consumer-management', {
      consumerName: 'management',
      description: 'Revenue and customer-growth reporting; never sees personal data.',
      reads: [{ product: orders.orderPlaced }, { product: accountsDomain.customerRegistered }],
    }),
    recommendations: team('consumer-recommendations', {
      consumerName: 'recommendations',
      description: 'Training data for product recommendations.',
      reads: [{ product: storefront.pageViewed }],
    }),
  };

  const stacks = [governance, orders, accountsDomain, storefront, recommendations, marketing, consumers.marketing, consumers.management, consumers.recommendations];
  return { accounts, governance, orders, accountsDomain, storefront, recommendations, marketing, consumers, stacks };
}
