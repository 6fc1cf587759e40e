/**
 * The reference mesh's governance and consumers stacks, wired to the real domain stacks the way
 * bin/app.ts does. Bundling is skipped (`aws:cdk:bundling-stacks`): these tests are about the templates.
 */
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccountsStack } from '../../../lib/reference/accounts-stack';
import { ConsumersStack, MARKETING_PII_REASON } from '../../../lib/reference/consumers-stack';
import { GovernanceStack, REFERENCE_DOMAINS } from '../../../lib/reference/governance-stack';
import { OrdersStack } from '../../../lib/reference/orders-stack';
import { StorefrontStack } from '../../../lib/reference/storefront-stack';

function build(context: Record<string, unknown> = {}) {
  const app = new App({ context: { 'cdk-data-mesh:meshName': 'shop', 'aws:cdk:bundling-stacks': [], ...context } });
  const orders = new OrdersStack(app, 'orders');
  const accounts = new AccountsStack(app, 'accounts');
  const storefront = new StorefrontStack(app, 'storefront');
  const governance = new GovernanceStack(app, 'governance');
  const consumers = new ConsumersStack(app, 'consumers', {
    products: { orderPlaced: orders.orderPlaced, customerRegistered: accounts.customerRegistered, pageViewed: storefront.pageViewed },
  });
  return { app, governance, consumers, stacks: { accounts, orders, storefront } };
}

let mesh: ReturnType<typeof build>;
beforeAll(() => {
  mesh = build({ 'cdk-data-mesh:githubRepository': 'acme/cdk-data-mesh' });
  mesh.app.synth();
});

describe('reference governance stack', () => {
  it('governs the five reference domains and creates the CI deploy role with its ARN as an output', () => {
    const t = Template.fromStack(mesh.governance);
    t.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'domain', TagValues: [...REFERENCE_DOMAINS] });
    t.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', { MutationType: 'APPEND' });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Condition: { StringEquals: Match.objectLike({ 'token.actions.githubusercontent.com:sub': 'repo:acme/cdk-data-mesh:ref:refs/heads/main' }) } })],
      },
    });
    t.hasOutput('GithubDeployRoleArn', Match.anyValue());
  });

  it('creates no deploy role without a configured repository (never a placeholder trust)', () => {
    const app = new App({ context: { 'cdk-data-mesh:meshName': 'shop' } });
    const governance = new GovernanceStack(app, 'governance');
    expect(governance.deployRole).toBeUndefined();
    Template.fromStack(governance).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    Annotations.fromStack(governance).hasInfo('/governance', Match.stringLikeRegexp('No GitHub deploy role'));
  });

  it('is deployed before every domain and consumer stack', () => {
    for (const stack of [mesh.stacks.accounts, mesh.stacks.orders, mesh.stacks.storefront, mesh.consumers]) {
      expect(stack.dependencies.map((d) => d.stackName), stack.stackName).toContain('governance');
    }
  });
});

describe('reference consumers stack', () => {
  const selectOf = (consumer: 'marketing' | 'management' | 'recommendations', table: string) => {
    const role = mesh.consumers[consumer].role;
    const roleId = mesh.consumers.getLogicalId(role.node.defaultChild as never);
    const grants = Template.fromStack(mesh.consumers).findResources('AWS::LakeFormation::PrincipalPermissions', {
      Properties: {
        Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } },
        Resource: { TableWithColumns: Match.objectLike({ Name: table }) },
        Permissions: ['SELECT'],
      },
    });
    return Object.values(grants).map((g) => g.Properties.Resource.TableWithColumns);
  };

  it('management reads accounts.customer_registered_v1 without email; marketing reads it with email', () => {
    expect(selectOf('management', 'customer_registered_v1')).toEqual([
      { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseName: 'accounts', Name: 'customer_registered_v1', ColumnNames: ['customer_id', 'country', 'registered_at', 'dt'] },
    ]);
    expect(selectOf('marketing', 'customer_registered_v1')).toEqual([
      { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseName: 'accounts', Name: 'customer_registered_v1', ColumnNames: ['customer_id', 'email', 'country', 'registered_at', 'dt'] },
    ]);
  });

  it('management also reads orders; recommendations reads page views; nobody else reads what they were not granted', () => {
    expect(selectOf('management', 'order_placed_v1')).toHaveLength(1);
    expect(selectOf('recommendations', 'page_viewed_v1')).toHaveLength(1);
    expect(selectOf('marketing', 'order_placed_v1')).toHaveLength(0);
    expect(selectOf('recommendations', 'customer_registered_v1')).toHaveLength(0);
  });

  it('records why marketing reads PII', () => {
    const grant = mesh.consumers.marketing.node.findChild('Read-accounts.customer_registered.v1');
    expect(grant.node.metadata.map((m) => m.data)).toContainEqual(expect.objectContaining({ kind: 'grant', piiReason: MARKETING_PII_REASON }));
  });

  it("grants the Firehose role of each product its Lake Formation DESCRIBE + SELECT", () => {
    const { accounts } = mesh.stacks;
    const roleId = accounts.getLogicalId(accounts.customerRegistered.deliveryStreamRole.node.defaultChild as never);
    Template.fromStack(accounts).hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      Resource: { Table: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseName: 'accounts', Name: 'customer_registered_v1' } },
      Permissions: ['DESCRIBE', 'SELECT'],
    });
  });

  it('gives each team a workgroup that enforces its configuration, with encrypted results and a cutoff', () => {
    const workgroups = Template.fromStack(mesh.consumers).findResources('AWS::Athena::WorkGroup');
    expect(Object.values(workgroups).map((w) => w.Properties.Name).sort()).toEqual(['shop-management', 'shop-marketing', 'shop-recommendations']);
    for (const w of Object.values(workgroups)) {
      expect(w.Properties.WorkGroupConfiguration).toMatchObject({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: expect.any(Number),
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' } },
      });
    }
  });
});
