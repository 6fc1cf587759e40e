import { CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { Contract, col } from '../../../constructs/contract';
import { DOMAIN_STACK_RESOURCE_LIMIT, DataDomain } from '../../../constructs/domain/data-domain';
import { DataProduct } from '../../../constructs/product/data-product';
import { testApp } from './test-app';

/**
 * The stack-size guard of DataDomain, without 17 real products: stand-in resources (WaitConditionHandle, which
 * has no properties) fill the stack up to the limit. Bundling is off (testApp), so one real product costs no esbuild.
 */

const orderPlaced = Contract.of({
  name: 'order_placed',
  domain: 'orders',
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed.',
  sla: { freshnessMinutes: 15 },
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order identifier.' }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed (UTC).' }),
  },
  partitionBy: { column: 'placed_at' },
});

/** CloudFormation resources declared in `stack`'s own template. */
function resourcesOf(stack: Stack): number {
  return stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
}

/** Adds stand-in resources to `stack` until it declares `total`. */
function fillTo(stack: Stack, total: number): void {
  const missing = total - resourcesOf(stack);
  expect(missing).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < missing; i++) new CfnResource(stack, `Filler${i}`, { type: 'AWS::CloudFormation::WaitConditionHandle' });
}

function synthError(synth: () => unknown): string {
  try {
    synth();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the synth to fail');
}

describe('DataDomain stack size', () => {
  it('accepts a domain stack of exactly DOMAIN_STACK_RESOURCE_LIMIT resources', () => {
    const app = testApp();
    const stack = new Stack(app, 'orders');
    new DataDomain(stack, 'Domain', { domainName: 'orders' });
    fillTo(stack, DOMAIN_STACK_RESOURCE_LIMIT);
    const template = app.synth().getStackByName('orders').template as { Resources: Record<string, unknown> };
    expect(Object.keys(template.Resources)).toHaveLength(450);
  });

  it('refuses one resource more, naming the stack, the domain, the count, the limits and the fix', () => {
    const app = testApp();
    const stack = new Stack(app, 'orders');
    new DataDomain(stack, 'Domain', { domainName: 'orders' });
    fillTo(stack, DOMAIN_STACK_RESOURCE_LIMIT + 1);
    expect(synthError(() => app.synth())).toBe(
      'Validation failed with the following errors:\n' +
        '  [orders/Domain] Stack orders holds 451 CloudFormation resources with DataDomain orders/Domain ("orders") or its products; ' +
        'a domain stack may hold at most 450 (CloudFormation refuses more than 500 per template, the rest is headroom for resources ' +
        "products gain in library upgrades). Split the products across stacks: create some of them in another stack (new Stack(app, 'orders-2')) " +
        "or in a nested stack (new NestedStack(this, 'MoreProducts')), with this domain as their domain.",
    );
  });

  it('counts products added after the domain, and checks the nested stack holding a product on its own', () => {
    const app = testApp();
    const stack = new Stack(app, 'orders');
    const domain = new DataDomain(stack, 'Domain', { domainName: 'orders' });
    const nested = new NestedStack(stack, 'MoreProducts');
    new DataProduct(nested, 'OrderPlaced', { domain, contract: orderPlaced });
    fillTo(nested, DOMAIN_STACK_RESOURCE_LIMIT + 5);
    // The parent holds the domain and the nested stack's AWS::CloudFormation::Stack: far below the limit.
    expect(resourcesOf(stack)).toBeLessThan(50);
    expect(synthError(() => app.synth())).toBe(
      'Validation failed with the following errors:\n' +
        '  [orders/Domain] Stack orders/MoreProducts holds 455 CloudFormation resources with DataDomain orders/Domain ("orders") or its products; ' +
        'a domain stack may hold at most 450 (CloudFormation refuses more than 500 per template, the rest is headroom for resources ' +
        "products gain in library upgrades). Split the products across stacks: create some of them in another stack (new Stack(app, 'MoreProducts-2')) " +
        "or in a nested stack (new NestedStack(this, 'MoreProducts')), with this domain as their domain.",
    );
  });

  it('fails before CloudFormation or CDK would: a stack over 500 gets this message, not only CDK\'s count', () => {
    const app = testApp();
    const stack = new Stack(app, 'orders');
    new DataDomain(stack, 'Domain', { domainName: 'orders' });
    fillTo(stack, 520);
    expect(synthError(() => app.synth())).toContain('Stack orders holds 520 CloudFormation resources with DataDomain orders/Domain');
  });
});
