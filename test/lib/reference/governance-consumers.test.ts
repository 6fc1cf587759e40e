/**
 * The reference mesh's governance and consumers stacks, wired to products the way bin/app.ts does.
 * Products come from test stand-ins (no product Lambda bundling) that expose the `IDataProduct` surface.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { col } from '../../../constructs/contract';
import { ConsumersStack, MARKETING_PII_REASON } from '../../../lib/reference/consumers-stack';
import { GovernanceStack, REFERENCE_DOMAINS } from '../../../lib/reference/governance-stack';
import { StubProduct, customerRegistered, orderPlaced } from '../../constructs/governance/fixtures';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function build(context: Record<string, unknown> = {}) {
  const app = new App({ context: { 'cdk-data-mesh:meshName': 'shop', 'aws:cdk:bundling-stacks': [], ...context } });
  const governance = new GovernanceStack(app, 'governance', { env: ENV });
  const accounts = new Stack(app, 'accounts', { env: ENV });
  const orders = new Stack(app, 'orders', { env: ENV });
  const storefront = new Stack(app, 'storefront', { env: ENV });
  const products = {
    customerRegistered: new StubProduct(accounts, 'CustomerRegistered', { contract: customerRegistered }),
    orderPlaced: new StubProduct(orders, 'OrderPlaced', { contract: orderPlaced }),
    pageViewed: new StubProduct(storefront, 'PageViewed', {
      contract: {
        name: 'page_viewed',
        domain: 'storefront',
        owner: { team: 'storefront-team', contact: 'storefront-team@example.com' },
        description: 'A page of the shop was viewed.',
        sla: { retentionDays: 90 },
        columns: {
          session_id: col.string({ required: true, description: 'Browser session.' }),
          page: col.string({ required: true, description: 'Path of the page viewed.' }),
          viewed_at: col.timestamp({ required: true, description: 'When the page was viewed (UTC).' }),
        },
        partitionBy: { column: 'viewed_at' },
      },
    }),
  };
  const consumers = new ConsumersStack(app, 'consumers', { env: ENV, products });
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
    const { governance } = build();
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
      { CatalogId: '111111111111', DatabaseName: 'accounts', Name: 'customer_registered_v1', ColumnWildcard: { ExcludedColumnNames: ['email'] } },
    ]);
    expect(selectOf('marketing', 'customer_registered_v1')).toEqual([
      { CatalogId: '111111111111', DatabaseName: 'accounts', Name: 'customer_registered_v1', ColumnWildcard: {} },
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
