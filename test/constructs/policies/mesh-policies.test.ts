import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { DataConsumer } from '../../../constructs/consumer/data-consumer';
import { Contract, col, type ContractProps, type ContractSpec } from '../../../constructs/contract';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { MeshGovernance } from '../../../constructs/governance/mesh-governance';
import { DataProduct } from '../../../constructs/product/data-product';
import { MANIFEST_METADATA_TYPE, type GrantEntry, type ProductEntry, type StreamingSource } from '../../../constructs/manifest/manifest';
import { MeshPolicies } from '../../../constructs/policies/mesh-policies';
import { POLICY_ACK_METADATA_TYPE } from '../../../constructs/policies/types';

const ENV = { account: '111111111111', region: 'eu-west-1' };

const orderPlaced: ContractProps = {
  name: 'order_placed',
  domain: 'orders',
  version: 1,
  owner: { team: 'orders-team', contact: 'orders-team@example.com' },
  description: 'An order a customer placed in the web shop.',
  sla: { retentionDays: 365 },
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order identifier.' }),
    customer_id: col.string({ required: true, description: 'The customer who placed the order.' }),
    email: col.string({ classification: 'pii', description: 'Where the confirmation went.' }),
    line_items: col.array(col.struct({ sku: col.string({ required: true, description: 'Stock keeping unit.' }) }), {
      required: true,
      description: 'What was ordered.',
    }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed (UTC).' }),
  },
  partitionBy: { column: 'placed_at' },
};
/** A valid, normalised spec; tests break it the way a relaxed contract or a hand-written manifest could. */
const VALID: ContractSpec = Contract.of(orderPlaced).spec;

/** A construct that records a product entry, as `DataProduct` does (policies know products by their metadata only). */
class FakeProduct extends Construct {
  constructor(scope: Construct, id: string, spec: ContractSpec, source?: StreamingSource) {
    super(scope, id);
    const entry: ProductEntry = {
      kind: 'product',
      id: `${spec.domain}.${spec.name}.v${spec.version}`,
      mesh: 'shop',
      path: this.node.path,
      stackName: Stack.of(this).stackName,
      contract: spec,
      physical: {
        streamName: 's',
        deliveryStreamName: 's',
        databaseName: spec.domain,
        tableName: `${spec.name}_v${spec.version}`,
        dataPrefix: 'p/',
        errorPrefix: 'e/',
      },
      ...(source !== undefined && { source }),
    };
    this.node.addMetadata(MANIFEST_METADATA_TYPE, entry);
  }
}

function appWith(spec: ContractSpec) {
  const app = new App({ context: { 'cdk-data-mesh:meshName': 'shop' } });
  const stack = new Stack(app, 'orders', { env: ENV });
  const product = new FakeProduct(stack, 'OrderPlaced', spec);
  const policies = MeshPolicies.of(app);
  return { app, stack, product, policies };
}

function synthError(app: App): string {
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('synth succeeded, a policy error was expected');
}

const failure = (path: string, message: string) => `Validation failed with the following errors:\n  [${path}] ${message}`;
const productFinding = (rule: string, problem: string) =>
  failure(
    'orders/OrderPlaced',
    `[${rule}] Product orders.order_placed.v1 at "orders/OrderPlaced" ${problem} To accept it, MeshPolicies.acknowledge(<the product>, '${rule.split(' ')[0]}', '<reason>').`,
  );

describe('MeshPolicies: a compliant product', () => {
  it('synthesises without findings', () => {
    const { app, policies } = appWith(VALID);
    expect(policies.findings()).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('MESH-001 product-owner', () => {
  const spec = { ...VALID, owner: { team: 'orders-team', contact: '' }, description: ' ' };

  it('stops synth naming the rule, the product, its path and the fix', () => {
    expect(synthError(appWith(spec).app)).toBe(
      productFinding(
        'MESH-001 product-owner',
        "has no owner.contact, description: set owner: { team: 'orders-team', contact: 'orders-team@example.com' } and description: '…' in its contract.",
      ),
    );
  });

  it('passes with an acknowledgement and a reason, which is recorded', () => {
    const { app, stack, product } = appWith(spec);
    MeshPolicies.acknowledge(product, 'MESH-001', 'Owned by the legacy ERP team; contact is tracked in ticket DATA-7.');
    expect(() => app.synth()).not.toThrow();
    Annotations.fromStack(stack).hasInfo('/orders/OrderPlaced', Match.stringLikeRegexp('^MESH-001 acknowledged at "orders/OrderPlaced": Owned by the legacy ERP team'));
    expect(product.node.metadata.find((m) => m.type === POLICY_ACK_METADATA_TYPE)?.data).toEqual({
      rule: 'MESH-001',
      reason: 'Owned by the legacy ERP team; contact is tracked in ticket DATA-7.',
    });
  });
});

describe('MESH-002 column-descriptions', () => {
  const line = VALID.columns.line_items;
  const spec: ContractSpec = {
    ...VALID,
    columns: {
      ...VALID.columns,
      total: { type: { kind: 'decimal', precision: 12, scale: 2 }, required: true },
      line_items: {
        ...line,
        type: { kind: 'array', items: { kind: 'struct', fields: { sku: { type: { kind: 'string' }, required: true, description: '' } } } },
      },
    },
  };

  it('stops synth listing every undescribed column, nested fields included', () => {
    expect(synthError(appWith(spec).app)).toBe(
      productFinding(
        'MESH-002 column-descriptions',
        `has columns without a description ("line_items[].sku", "total"): add description: '…' to each in its contract.`,
      ),
    );
  });

  it('passes with an acknowledgement', () => {
    const { app, product } = appWith(spec);
    MeshPolicies.acknowledge(product, 'MESH-002', 'Columns mirror the upstream ERP export, documented in its own catalog.');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('MESH-003 classification-set', () => {
  it("stops synth when the product's classifications are not the mesh's", () => {
    const app = new App({ context: { 'cdk-data-mesh:meshName': 'shop' } });
    const platform = new Stack(app, 'platform', { env: ENV });
    new MeshGovernance(platform, 'Governance', { domains: ['orders'], classifications: ['open', 'restricted'] });
    const stack = new Stack(app, 'orders', { env: ENV });
    new FakeProduct(stack, 'OrderPlaced', VALID);
    expect(synthError(app)).toBe(
      productFinding(
        'MESH-003 classification-set',
        `has classification "pii", column "email" classified "pii": use one of open, restricted (classification: '…' in its contract).`,
      ),
    );
  });

  it('names each column classified outside the list, and a missing product classification', () => {
    const spec = {
      ...VALID,
      classification: undefined as never,
      columns: { ...VALID.columns, order_id: { ...VALID.columns.order_id, classification: 'secret' as never } },
    };
    expect(synthError(appWith(spec).app)).toBe(
      productFinding(
        'MESH-003 classification-set',
        `has no classification, column "order_id" classified "secret": use one of public, internal, confidential, pii (classification: '…' in its contract).`,
      ),
    );
  });

  it('passes with an acknowledgement', () => {
    const spec = { ...VALID, columns: { ...VALID.columns, order_id: { ...VALID.columns.order_id, classification: 'secret' as never } } };
    const { app, product } = appWith(spec);
    MeshPolicies.acknowledge(product, 'MESH-003', 'Migration: "secret" becomes "confidential" in v2 (ticket DATA-9).');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('MESH-004 personal-data-classified', () => {
  const spec: ContractSpec = {
    ...VALID,
    columns: {
      ...VALID.columns,
      email: { ...VALID.columns.email, classification: 'internal' },
      shipping: {
        type: { kind: 'struct', fields: { street: { type: { kind: 'string' }, required: false, description: 'Street and number.' } } },
        required: false,
        description: 'Where the order goes.',
      },
    },
  };

  it('stops synth naming the personal-data columns that are not classified pii or confidential', () => {
    expect(synthError(appWith(spec).app)).toBe(
      productFinding(
        'MESH-004 personal-data-classified',
        `has personal-data columns that are not classified confidential or pii ("email", "shipping.street"): set classification: 'pii' on each in its contract.`,
      ),
    );
  });

  it('passes with an acknowledgement', () => {
    const { app, product } = appWith(spec);
    MeshPolicies.acknowledge(product, 'MESH-004', 'Addresses of pick-up points, not of people (reviewed by privacy, DPO-3).');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('MESH-005 retention-declared', () => {
  const spec = { ...VALID, sla: {} };

  it('stops synth when no retention is declared', () => {
    expect(synthError(appWith(spec).app)).toBe(
      productFinding(
        'MESH-005 retention-declared',
        'declares no retention: add sla: { retentionDays: 365 } (the days its data is kept) to its contract.',
      ),
    );
  });

  it('names a retention that is not a positive number of days', () => {
    expect(synthError(appWith({ ...VALID, sla: { retentionDays: -1 } }).app)).toBe(
      productFinding('MESH-005 retention-declared', 'declares retention -1: sla.retentionDays must be a positive whole number of days, e.g. 365.'),
    );
  });

  it('passes with an acknowledgement', () => {
    const { app, product } = appWith(spec);
    MeshPolicies.acknowledge(product, 'MESH-005', 'Retention is enforced by the upstream system (ticket DATA-42).');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('MESH-006 pii-grant-reason', () => {
  /** A grant recorded without a reason (e.g. by a lower-level construct): the policy catches what the API would refuse. */
  function grantWithoutReason() {
    const { app, stack } = appWith(VALID);
    const consumers = new Stack(app, 'consumers', { env: ENV });
    const consumer = new Construct(consumers, 'Marketing');
    const grant = new Construct(consumer, 'Read-orders.order_placed.v1');
    const entry: GrantEntry = { kind: 'grant', product: 'orders.order_placed.v1', consumer: 'marketing', permissions: ['SELECT'], excludedColumns: [] };
    grant.node.addMetadata(MANIFEST_METADATA_TYPE, entry);
    return { app, stack, consumer };
  }

  it('stops synth when a grant gives PII columns without a reason', () => {
    expect(synthError(grantWithoutReason().app)).toBe(
      failure(
        'consumers/Marketing/Read-orders.order_placed.v1',
        `[MESH-006 pii-grant-reason] Grant of orders.order_placed.v1 to consumer "marketing" at "consumers/Marketing/Read-orders.order_placed.v1" gives access to PII columns ("email") without a reason: grant with { pii: { reason: '…' } } saying why this consumer needs them, or exclude them. To accept it, MeshPolicies.acknowledge(<the consumer>, 'MESH-006', '<reason>').`,
      ),
    );
  });

  it('passes with an acknowledgement on the consumer', () => {
    const { app, consumer } = grantWithoutReason();
    MeshPolicies.acknowledge(consumer, 'MESH-006', 'Fraud team: contractual basis, see DPA-2026-4.');
    expect(() => app.synth()).not.toThrow();
  });

  function pIITagGrant(reason?: string) {
    const app = new App({ context: { 'cdk-data-mesh:meshName': 'shop' } });
    const stack = new Stack(app, 'platform', { env: ENV });
    const governance = new MeshGovernance(stack, 'Governance', { domains: ['orders'] });
    const fraud = new DataConsumer(stack, 'Fraud', { consumerName: 'fraud' });
    governance.grantByTags(fraud, { domain: ['orders'], classification: ['internal', 'pii'], ...(reason !== undefined && { pii: { reason } }) });
    return { app, fraud };
  }

  it('stops synth when a tag grant includes pii without a reason', () => {
    expect(synthError(pIITagGrant().app)).toBe(
      failure(
        'platform/Fraud/ReadByTags-orders-internal_pii',
        `[MESH-006 pii-grant-reason] Tag grant to consumer "fraud" (domain orders, classification internal|pii) at "platform/Fraud/ReadByTags-orders-internal_pii" gives access to columns classified pii without a reason: pass { pii: { reason: '…' } } to grantByTags saying why this consumer needs personal data, or leave 'pii' out of classification. To accept it, MeshPolicies.acknowledge(<the consumer>, 'MESH-006', '<reason>').`,
      ),
    );
  });

  it('a tag grant with a reason, or acknowledged, passes', () => {
    expect(() => pIITagGrant('Fraud investigations (ticket SEC-12).').app.synth()).not.toThrow();
    const { app, fraud } = pIITagGrant();
    MeshPolicies.acknowledge(fraud, 'MESH-006', 'Reason is recorded in the access request SEC-12.');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('MESH-007 deprecated-source', () => {
  const deprecated: ContractSpec = { ...VALID, deprecated: { sunset: '2027-03-01', successor: 'orders.order_placed.v2' } };
  const warning =
    'reads orders.order_placed.v1, which is deprecated (sunset 2027-03-01, successor orders.order_placed.v2): move to orders.order_placed.v2 before 2027-03-01.';

  function consumerOfDeprecated() {
    const { app, policies } = appWith(deprecated);
    const consumers = new Stack(app, 'consumers', { env: ENV });
    const consumer = new Construct(consumers, 'Management');
    const grant = new Construct(consumer, 'Read-orders.order_placed.v1');
    const entry: GrantEntry = {
      kind: 'grant',
      product: 'orders.order_placed.v1',
      consumer: 'management',
      permissions: ['SELECT', 'DESCRIBE'],
      excludedColumns: ['email'],
    };
    grant.node.addMetadata(MANIFEST_METADATA_TYPE, entry);
    return { app, consumers, consumer, policies };
  }

  it('warns (without stopping synth) when a consumer reads a deprecated product', () => {
    const { app, consumers } = consumerOfDeprecated();
    expect(() => app.synth()).not.toThrow();
    Annotations.fromStack(consumers).hasWarning(
      '/consumers/Management/Read-orders.order_placed.v1',
      Match.stringLikeRegexp(
        `^\\[MESH-007 deprecated-source\\] Grant of orders.order_placed.v1 to consumer "management" at "consumers/Management/Read-orders.order_placed.v1" ${escape(warning)} To accept it, MeshPolicies.acknowledge\\(<the consumer>, 'MESH-007', '<reason>'\\).`,
      ),
    );
  });

  it('stops synth with the exact message when the platform makes it an error', () => {
    const { app, policies } = consumerOfDeprecated();
    policies.setSeverity('MESH-007', 'error');
    expect(synthError(app)).toBe(
      failure(
        'consumers/Management/Read-orders.order_placed.v1',
        `[MESH-007 deprecated-source] Grant of orders.order_placed.v1 to consumer "management" at "consumers/Management/Read-orders.order_placed.v1" ${warning} To accept it, MeshPolicies.acknowledge(<the consumer>, 'MESH-007', '<reason>').`,
      ),
    );
  });

  it('an acknowledgement with a reason silences it (error severity included)', () => {
    const { app, consumers, consumer, policies } = consumerOfDeprecated();
    policies.setSeverity('MESH-007', 'error');
    MeshPolicies.acknowledge(consumer, 'MESH-007', 'Dashboard moves to v2 in sprint 48 (ticket BI-88).');
    expect(() => app.synth()).not.toThrow();
    Annotations.fromStack(consumers).hasNoWarning('*', Match.anyValue());
  });

  it('warns when a derived product reads a deprecated product', () => {
    const { app } = appWith(deprecated);
    const marketing = new Stack(app, 'marketing', { env: ENV });
    const derived: ContractSpec = { ...VALID, domain: 'marketing', name: 'order_digest', deprecated: undefined };
    new FakeProduct(marketing, 'OrderDigest', derived, { kind: 'stream', from: ['orders.order_placed.v1'], handlerEntry: 'digest.ts' });
    app.synth();
    Annotations.fromStack(marketing).hasWarning(
      '/marketing/OrderDigest',
      Match.stringLikeRegexp(`^\\[MESH-007 deprecated-source\\] Product marketing.order_digest.v1 at "marketing/OrderDigest" ${escape(warning)}`),
    );
  });
});

describe('policies over real DataProducts', () => {
  it('find the product through its manifest metadata and stop synth at its path', () => {
    const app = new App({ context: { 'cdk-data-mesh:meshName': 'shop', 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'orders', { env: ENV });
    const domain = new DataDomain(stack, 'Domain', { domainName: 'orders' });
    const { sla: _sla, ...noRetention } = orderPlaced;
    new DataProduct(stack, 'OrderPlaced', { domain, contract: Contract.of(noRetention), lakeFormation: false });
    MeshPolicies.of(app);
    expect(synthError(app)).toBe(
      productFinding(
        'MESH-005 retention-declared',
        'declares no retention: add sla: { retentionDays: 365 } (the days its data is kept) to its contract.',
      ),
    );
  });
});

describe('custom rules', () => {
  const tagsRule = {
    id: 'SHOP-001',
    name: 'tags-declared',
    description: 'Every product declares at least one tag for the catalog.',
    severity: 'error' as const,
    check: (spec: ContractSpec) => (spec.tags.length === 0 ? "declares no tags: add tags: ['sales'] to its contract." : undefined),
  };

  it('a platform rule over the product spec stops synth, and can be acknowledged', () => {
    const { app, policies } = appWith(VALID);
    policies.addRule(tagsRule);
    expect(synthError(app)).toBe(productFinding('SHOP-001 tags-declared', "declares no tags: add tags: ['sales'] to its contract."));

    const acknowledged = appWith(VALID);
    MeshPolicies.of(acknowledged.app, { rules: [tagsRule] });
    MeshPolicies.acknowledge(acknowledged.product, 'SHOP-001', 'Catalog tags come with the v2 contract.');
    expect(() => acknowledged.app.synth()).not.toThrow();
  });

  it('lists built-in and own rules with their severities', () => {
    const { policies } = appWith(VALID);
    policies.addRule(tagsRule);
    expect(policies.rules.map((r) => `${r.id} ${r.name} ${r.severity}`)).toEqual([
      'MESH-001 product-owner error',
      'MESH-002 column-descriptions error',
      'MESH-003 classification-set error',
      'MESH-004 personal-data-classified error',
      'MESH-005 retention-declared error',
      'MESH-006 pii-grant-reason error',
      'MESH-007 deprecated-source warning',
      'SHOP-001 tags-declared error',
    ]);
  });

  it('refuses reserved, malformed and duplicate ids', () => {
    const { policies } = appWith(VALID);
    expect(() => policies.addRule({ ...tagsRule, id: 'MESH-100' })).toThrow(
      'Rule id "MESH-100" is not valid: use your own prefix and a number, e.g. "SHOP-001" ("MESH-" is reserved for built-in rules).',
    );
    expect(() => policies.addRule({ ...tagsRule, id: 'tags' })).toThrow('Rule id "tags" is not valid');
    policies.addRule(tagsRule);
    expect(() => policies.addRule(tagsRule)).toThrow('Rule id "SHOP-001" is already used: give each rule its own id.');
    expect(() => policies.setSeverity('SHOP-404', 'error')).toThrow('No rule "SHOP-404" to set the severity of');
  });
});

describe('acknowledgements', () => {
  it('need a reason', () => {
    const { product } = appWith(VALID);
    expect(() => MeshPolicies.acknowledge(product, 'MESH-005', ' ')).toThrow(
      "[orders/OrderPlaced] Acknowledging MESH-005 needs a reason a reviewer would accept, e.g. MeshPolicies.acknowledge(product, 'MESH-005', 'Retention is set by the upstream system (ticket DATA-42).').",
    );
  });

  it('go on the construct concerned, not on a whole stack', () => {
    const { stack } = appWith(VALID);
    expect(() => MeshPolicies.acknowledge(stack, 'MESH-005', 'all of them')).toThrow(
      '[orders] Acknowledge MESH-005 on the product, consumer or grant it is about, not on a whole stack.',
    );
  });

  it('cover only the rule they name', () => {
    const { app, product } = appWith({ ...VALID, sla: {} });
    MeshPolicies.acknowledge(product, 'MESH-001', 'Not the rule that fails.');
    expect(synthError(app)).toContain('[MESH-005 retention-declared]');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
