import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataConsumer } from '../../../constructs/consumer/data-consumer';
import { MeshConsumer } from '../../../constructs/consumer/mesh-consumer';
import { grantProductRead, PII_ACCESS_METADATA_TYPE } from '../../../constructs/governance/grants';
import { MeshGovernance } from '../../../constructs/governance/mesh-governance';
import { MANIFEST_METADATA_TYPE } from '../../../constructs/manifest/manifest';
import { MESH, StubProduct, customerRegistered, orderPlaced } from './fixtures';
import { latestNodeRuntime } from '../../../constructs/private/node-runtime';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const MARKETING_REASON = 'Newsletter campaigns to customers who opted in at sign-up.';

/**
 * The reference shape: governance, two domain stacks, one consumers stack. Built once per file, and
 * only the accounts stack bundles the custom-resource handler (bundling is slow on shared machines).
 */
function buildMesh() {
  const app = new App({ context: { 'cdk-data-mesh:meshName': MESH, 'aws:cdk:bundling-stacks': ['accounts'] } });
  const governanceStack = new Stack(app, 'governance', { env: ENV });
  const governance = new MeshGovernance(governanceStack, 'Governance', {
    domains: ['orders', 'accounts', 'storefront', 'marketing', 'recommendations'],
  });
  const accountsStack = new Stack(app, 'accounts', { env: ENV });
  const customers = new StubProduct(accountsStack, 'CustomerRegistered', { contract: customerRegistered });
  const ordersStack = new Stack(app, 'orders', { env: ENV });
  const orders = new StubProduct(ordersStack, 'OrderPlaced', { contract: orderPlaced });

  const consumersStack = new Stack(app, 'consumers', { env: ENV });
  const marketing = new DataConsumer(consumersStack, 'Marketing', { consumerName: 'marketing' });
  const management = new DataConsumer(consumersStack, 'Management', { consumerName: 'management' });
  const analysts = new DataConsumer(consumersStack, 'Analysts', { consumerName: 'analysts' });
  grantProductRead(customers, marketing, { pii: { columns: ['email'], reason: MARKETING_REASON } });
  grantProductRead(orders, management);
  grantProductRead(customers, management);
  governance.grantByTags(analysts, { domain: ['orders', 'accounts'], classification: ['public', 'internal'] });

  const assembly = app.synth();
  return {
    app,
    assembly,
    governance,
    customers,
    marketing,
    management,
    stacks: { governanceStack, accountsStack, ordersStack, consumersStack },
    templates: {
      governance: Template.fromStack(governanceStack),
      accounts: Template.fromStack(accountsStack),
      consumers: Template.fromStack(consumersStack),
    },
  };
}

let mesh: ReturnType<typeof buildMesh>;
beforeAll(() => {
  mesh = buildMesh();
});

const logicalIdOf = (stack: Stack, construct: { node: { defaultChild?: unknown } } | iam.IRole) =>
  stack.getLogicalId((construct as iam.Role).node.defaultChild as never);

describe('MeshGovernance', () => {
  it('appends the CloudFormation execution role to the Lake Formation admins (never replaces)', () => {
    mesh.templates.governance.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
      MutationType: 'APPEND',
      Admins: [
        {
          DataLakePrincipalIdentifier: {
            'Fn::Sub': 'arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1',
          },
        },
      ],
    });
  });

  it('creates the LF-Tag ontology: domain (registered domains) and classification (the four defaults)', () => {
    const t = mesh.templates.governance;
    t.hasResourceProperties('AWS::LakeFormation::Tag', {
      TagKey: 'domain',
      TagValues: ['orders', 'accounts', 'storefront', 'marketing', 'recommendations'],
    });
    t.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'classification', TagValues: ['public', 'internal', 'confidential', 'pii'] });
  });

  it('creates the tags after the admin settings, one after the other', () => {
    const t = mesh.templates.governance;
    const settings = Object.keys(t.findResources('AWS::LakeFormation::DataLakeSettings'))[0];
    const tags = t.findResources('AWS::LakeFormation::Tag');
    const domainTag = Object.entries(tags).find(([, r]) => r.Properties.TagKey === 'domain')!;
    const classificationTag = Object.entries(tags).find(([, r]) => r.Properties.TagKey === 'classification')!;
    expect(domainTag[1].DependsOn).toContain(settings);
    expect(classificationTag[1].DependsOn).toContain(domainTag[0]);
  });

  it('makes every stack that uses the LF-Tags depend on the governance stack', () => {
    const { governanceStack, accountsStack, ordersStack, consumersStack } = mesh.stacks;
    for (const stack of [accountsStack, ordersStack, consumersStack]) {
      expect(stack.dependencies.map((d) => d.stackName), stack.stackName).toContain(governanceStack.stackName);
    }
    const artifact = mesh.assembly.getStackArtifact(accountsStack.artifactId);
    expect(artifact.dependencies.map((d) => d.id)).toContain(governanceStack.artifactId);
  });

  it('records a governance manifest entry', () => {
    const metadata = mesh.governance.node.metadata.filter((m) => m.type === MANIFEST_METADATA_TYPE);
    expect(metadata.map((m) => m.data)).toEqual([
      {
        kind: 'governance',
        mesh: 'shop',
        path: 'governance/Governance',
        domains: ['orders', 'accounts', 'storefront', 'marketing', 'recommendations'],
        classifications: ['public', 'internal', 'confidential', 'pii'],
      },
    ]);
  });
});

describe('products under Lake Formation', () => {
  it('tags the database with its domain, the table and every column with its classification', () => {
    const t = mesh.templates.accounts;
    t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Database: { CatalogId: '111111111111', Name: 'accounts' } },
      LFTags: [{ CatalogId: '111111111111', TagKey: 'domain', TagValues: ['accounts'] }],
    });
    t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Table: { CatalogId: '111111111111', DatabaseName: 'accounts', Name: 'customer_registered_v1' } },
      LFTags: [{ CatalogId: '111111111111', TagKey: 'classification', TagValues: ['internal'] }],
    });
    t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { TableWithColumns: Match.objectLike({ Name: 'customer_registered_v1', ColumnNames: ['email'] }) },
      LFTags: [{ CatalogId: '111111111111', TagKey: 'classification', TagValues: ['pii'] }],
    });
    t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: {
        TableWithColumns: Match.objectLike({ Name: 'customer_registered_v1', ColumnNames: ['customer_id', 'country', 'registered_at', 'dt'] }),
      },
      LFTags: [{ CatalogId: '111111111111', TagKey: 'classification', TagValues: ['internal'] }],
    });
  });

  it('every tag association waits for the table and for the LF-Tags', () => {
    const t = mesh.templates.accounts;
    const table = Object.keys(t.findResources('AWS::Glue::Table'))[0];
    for (const [id, association] of Object.entries(t.findResources('AWS::LakeFormation::TagAssociation'))) {
      if (association.Properties.Resource.Database !== undefined) continue;
      expect(association.DependsOn, id).toContain(table);
    }
  });

  it("grants the Firehose role DESCRIBE and SELECT on its table (or format conversion fails)", () => {
    const { accountsStack } = mesh.stacks;
    const roleId = accountsStack.getLogicalId(mesh.customers.deliveryStreamRole.node.defaultChild as never);
    mesh.templates.accounts.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      Resource: { Table: { CatalogId: '111111111111', DatabaseName: 'accounts', Name: 'customer_registered_v1' } },
      Permissions: ['DESCRIBE', 'SELECT'],
      PermissionsWithGrantOption: [],
    });
  });

  it('removes IAM_ALLOWED_PRINCIPALS from the table through the custom resource, after the handler may revoke', () => {
    const t = mesh.templates.accounts;
    t.hasResourceProperties('Custom::LakeFormationIamAllowedPrincipals', {
      CatalogId: '111111111111',
      DatabaseName: 'accounts',
      TableName: 'customer_registered_v1',
    });
    const [crId, cr] = Object.entries(t.findResources('Custom::LakeFormationIamAllowedPrincipals'))[0];
    const handlerGrant = Object.entries(t.findResources('AWS::LakeFormation::PrincipalPermissions')).find(
      ([, r]) => JSON.stringify(r.Properties.PermissionsWithGrantOption) === '["ALL"]',
    )!;
    expect(cr.DependsOn, crId).toContain(handlerGrant[0]);
    t.hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'], Runtime: latestNodeRuntime().name });
  });

  it('gives the revocation role the IAM calls of the revocation and denies it every credential-vending call', () => {
    const statements = Object.values(mesh.templates.accounts.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('MeshLfIamAllowedPrincipalsProviderHandlerRole'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Effect: 'Deny',
      Action: ['lakeformation:GetDataAccess', 'lakeformation:GetTemporaryGlueTableCredentials'],
      Resource: '*',
    });
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Action: 'lakeformation:RevokePermissions', Resource: '*' }));
    const getTable = statements.find((s) => s.Action === 'glue:GetTable');
    expect(JSON.stringify(getTable.Resource)).toContain(':table/accounts/customer_registered_v1');
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => /^(s3|kms|athena):/.test(a))).toEqual([]);
  });

  it('chains every Lake Formation resource of a stack after the previous one', () => {
    const t = mesh.templates.accounts;
    const lf = {
      ...t.findResources('AWS::LakeFormation::TagAssociation'),
      ...t.findResources('AWS::LakeFormation::PrincipalPermissions'),
      ...t.findResources('Custom::LakeFormationIamAllowedPrincipals'),
    };
    const ids = Object.keys(lf);
    const lfDependencies = (id: string) => ((lf[id].DependsOn ?? []) as string[]).filter((d) => ids.includes(d));
    const heads = ids.filter((id) => lfDependencies(id).length === 0);
    expect(heads).toHaveLength(1); // one chain, not a fan-out
    expect(ids.length).toBeGreaterThanOrEqual(6);
  });
});

describe('grantProductRead', () => {
  const selectOn = (consumer: DataConsumer, table: string) => {
    const roleId = logicalIdOf(mesh.stacks.consumersStack, consumer.role);
    const grants = mesh.templates.consumers.findResources('AWS::LakeFormation::PrincipalPermissions', {
      Properties: {
        Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } },
        Resource: { TableWithColumns: Match.objectLike({ Name: table }) },
      },
    });
    expect(Object.keys(grants)).toHaveLength(1);
    return Object.values(grants)[0].Properties;
  };

  it('management reads accounts.customer_registered_v1 without the PII column email', () => {
    const grant = selectOn(mesh.management, 'customer_registered_v1');
    expect(grant.Permissions).toEqual(['SELECT']);
    expect(grant.Resource.TableWithColumns).toEqual({
      CatalogId: '111111111111',
      DatabaseName: 'accounts',
      Name: 'customer_registered_v1',
      ColumnNames: ['customer_id', 'country', 'registered_at', 'dt'],
    });
  });

  it('marketing reads it with email, because it gave a reason', () => {
    const grant = selectOn(mesh.marketing, 'customer_registered_v1');
    expect(grant.Resource.TableWithColumns.ColumnNames).toEqual(['customer_id', 'email', 'country', 'registered_at', 'dt']);
    expect(grant.Resource.TableWithColumns.ColumnWildcard).toBeUndefined();
  });

  it('a product without PII is granted every column', () => {
    expect(selectOn(mesh.management, 'order_placed_v1').Resource.TableWithColumns.ColumnNames).toEqual(['order_id', 'customer_id', 'total', 'placed_at', 'dt']);
  });

  it('adds DESCRIBE on the table and, once per database, on the database', () => {
    const roleId = logicalIdOf(mesh.stacks.consumersStack, mesh.management.role);
    const principal = { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } };
    const t = mesh.templates.consumers;
    t.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: principal,
      Resource: { Table: { CatalogId: '111111111111', DatabaseName: 'accounts', Name: 'customer_registered_v1' } },
      Permissions: ['DESCRIBE'],
    });
    const databaseGrants = t.findResources('AWS::LakeFormation::PrincipalPermissions', {
      Properties: { Principal: principal, Resource: { Database: Match.anyValue() } },
    });
    expect(Object.values(databaseGrants).map((r) => r.Properties.Resource.Database.Name).sort()).toEqual(['accounts', 'orders']);
  });

  it('gives the consumer role the Glue reads on the granted table and lakeformation:GetDataAccess', () => {
    const roleId = logicalIdOf(mesh.stacks.consumersStack, mesh.management.role);
    const policy = (statement: object) =>
      mesh.templates.consumers.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleId }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(statement)]) },
      });
    policy({
      Action: Match.arrayWith(['glue:GetTable', 'glue:GetPartitions']),
      Resource: Match.arrayWith([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:111111111111:table/accounts/customer_registered_v1']] },
      ]),
    });
    policy({ Action: 'lakeformation:GetDataAccess', Resource: '*' });
  });

  it('chains the consumer grants one after another and after the products (stack dependency)', () => {
    const t = mesh.templates.consumers;
    const grants = t.findResources('AWS::LakeFormation::PrincipalPermissions');
    const ids = Object.keys(grants);
    const heads = ids.filter((id) => !((grants[id].DependsOn ?? []) as string[]).some((d) => ids.includes(d)));
    expect(heads).toHaveLength(1);
    expect(mesh.stacks.consumersStack.dependencies.map((d) => d.stackName)).toEqual(expect.arrayContaining(['accounts', 'orders']));
  });

  it('records grant manifest entries, and the PII reason on the product', () => {
    const entries = mesh.marketing.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === MANIFEST_METADATA_TYPE).map((m) => m.data))
      .filter((e) => e.kind === 'grant');
    expect(entries).toEqual([
      {
        kind: 'grant',
        product: 'accounts.customer_registered.v1',
        consumer: 'marketing',
        permissions: ['SELECT', 'DESCRIBE'],
        excludedColumns: [],
        piiReason: MARKETING_REASON,
      },
    ]);
    const pii = mesh.customers.node.metadata.filter((m) => m.type === PII_ACCESS_METADATA_TYPE).map((m) => m.data);
    expect(pii).toEqual([
      { consumer: 'marketing', grantPath: 'consumers/Marketing/Read-accounts.customer_registered.v1', columns: ['email'], reason: MARKETING_REASON },
    ]);
  });
});

describe('grantByTags', () => {
  it('grants DESCRIBE on databases by domain and SELECT+DESCRIBE on tables by domain and classification', () => {
    const roleId = logicalIdOf(mesh.stacks.consumersStack, (mesh.app.node.findChild('consumers').node.findChild('Analysts') as DataConsumer).role);
    const principal = { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } };
    const t = mesh.templates.consumers;
    t.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: principal,
      Resource: {
        LFTagPolicy: { CatalogId: '111111111111', ResourceType: 'DATABASE', Expression: [{ TagKey: 'domain', TagValues: ['orders', 'accounts'] }] },
      },
      Permissions: ['DESCRIBE'],
    });
    t.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: principal,
      Resource: {
        LFTagPolicy: {
          CatalogId: '111111111111',
          ResourceType: 'TABLE',
          Expression: [
            { TagKey: 'domain', TagValues: ['orders', 'accounts'] },
            { TagKey: 'classification', TagValues: ['public', 'internal'] },
          ],
        },
      },
      Permissions: ['SELECT', 'DESCRIBE'],
    });
  });
});

describe('column allow-lists (issue 15): a PII column added to the contract later', () => {
  it('reaches neither management (no PII) nor marketing (its reason names email only)', () => {
    const app = new App({ context: { 'cdk-data-mesh:meshName': MESH, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'S', { env: ENV });
    const withPhone = { ...customerRegistered, columns: { ...customerRegistered.columns, phone: { ...customerRegistered.columns.email, description: 'Phone number.' } } };
    const product = new StubProduct(stack, 'Customers', { contract: withPhone, lakeFormation: false });
    expect(product.contract.piiColumns).toEqual(['email', 'phone']);
    const management = grantProductRead(product, new DataConsumer(stack, 'Management', { consumerName: 'management' }));
    const marketing = grantProductRead(product, new DataConsumer(stack, 'Marketing', { consumerName: 'marketing' }), { pii: { columns: ['email'], reason: MARKETING_REASON } });
    const columnNames = (grant: typeof management) => stack.resolve(grant.select.resource).tableWithColumns.columnNames as string[];
    expect(columnNames(management)).toEqual(['customer_id', 'country', 'registered_at', 'dt']);
    expect(columnNames(marketing)).toEqual(['customer_id', 'email', 'country', 'registered_at', 'dt']);
    expect(marketing.entry).toMatchObject({ excludedColumns: ['phone'], piiReason: MARKETING_REASON });
  });
});

describe('configuration errors', () => {
  const small = () => {
    const app = new App({ context: { 'cdk-data-mesh:meshName': MESH, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'S', { env: ENV });
    return { app, stack };
  };

  it('refuses a grant across meshes, naming both', () => {
    const { stack } = small();
    const product = new StubProduct(stack, 'Customers', { contract: customerRegistered, meshName: 'other', lakeFormation: false });
    const consumer = new DataConsumer(stack, 'Marketing', { consumerName: 'marketing' });
    expect(() => grantProductRead(product, consumer)).toThrow(
      '[S/Marketing/Read-accounts.customer_registered.v1] Product accounts.customer_registered.v1 belongs to mesh "other" but consumer "marketing" to mesh "shop": grant only products of the consumer\'s own mesh (or share across meshes outside the mesh constructs).',
    );
  });

  it('refuses a PII grant with an empty reason', () => {
    const { stack } = small();
    const product = new StubProduct(stack, 'Customers', { contract: customerRegistered, lakeFormation: false });
    const consumer = new DataConsumer(stack, 'Marketing', { consumerName: 'marketing' });
    expect(() => grantProductRead(product, consumer, { pii: { columns: ['email'], reason: '  ' } })).toThrow(
      '[S/Marketing/Read-accounts.customer_registered.v1] PII grant of accounts.customer_registered.v1 to "marketing" has an empty reason: say why this consumer needs personal data, e.g. { pii: { columns: [\'email\'], reason: \'Newsletter campaigns to customers who opted in.\' } }, or drop the pii option to leave the PII columns out.',
    );
  });

  it('refuses granting the same product twice to one consumer', () => {
    const { stack } = small();
    const product = new StubProduct(stack, 'Orders', { contract: orderPlaced, lakeFormation: false });
    const consumer = new DataConsumer(stack, 'Management', { consumerName: 'management' });
    grantProductRead(product, consumer);
    expect(() => grantProductRead(product, consumer)).toThrow(
      '[S/Management] Consumer "management" is already granted orders.order_placed.v1 (at "S/Management/Read-orders.order_placed.v1"): grant each product once per consumer',
    );
  });

  it('refuses a product referenced without its contract (its PII columns are unknown)', () => {
    const { stack } = small();
    const consumer = new DataConsumer(stack, 'Management', { consumerName: 'management' });
    const byName = Object.assign(new StubProduct(stack, 'Orders', { contract: orderPlaced, lakeFormation: false }), { contract: undefined });
    expect(() => grantProductRead(byName as never, consumer)).toThrow(
      "has no contract here (referenced by name), so its PII columns are unknown: pass its contract when referencing it, or grant by LF-Tags with governance.grantByTags(consumer, { domain: ['orders'], classification: [...] }).",
    );
  });

  it('refuses a tag grant on an unregistered domain or classification', () => {
    const { stack } = small();
    const governance = new MeshGovernance(stack, 'Governance', { domains: ['orders'] });
    const consumer = new DataConsumer(stack, 'Analysts', { consumerName: 'analysts' });
    expect(() => governance.grantByTags(consumer, { domain: ['billing'], classification: ['internal'] })).toThrow(
      '[S/Analysts] grantByTags domain "billing" is not registered in MeshGovernance "S/Governance": use one of orders.',
    );
    expect(() => governance.grantByTags(consumer, { domain: ['orders'], classification: ['secret'] })).toThrow(
      'grantByTags classification "secret" is not registered in MeshGovernance "S/Governance": use one of public, internal, confidential, pii.',
    );
  });

  it('refuses a second governance for the same mesh and invalid domains', () => {
    const { stack } = small();
    new MeshGovernance(stack, 'Governance', { domains: ['orders'] });
    expect(() => new MeshGovernance(stack, 'Again', { domains: ['orders'] })).toThrow(
      '[S/Again] Mesh "shop" already has a MeshGovernance at "S/Governance": a mesh is governed once (one LF-Tag ontology per account): ' +
        "use that one (MeshGovernance.tryFind(this, 'shop')), or give this one another meshName.",
    );
    const other = small();
    expect(() => new MeshGovernance(other.stack, 'G', { domains: ['Orders'] })).toThrow(
      '[S/G] domains value "Orders" is not a valid LF-Tag value: use lower-case snake_case names such as \'orders\', at most 50 characters.',
    );
  });

  it('a product of a domain the governance does not know fails synth, naming the fix', () => {
    const { app, stack } = small();
    new MeshGovernance(stack, 'Governance', { domains: ['orders'] });
    const domainStack = new Stack(app, 'accounts', { env: ENV });
    new StubProduct(domainStack, 'Customers', { contract: customerRegistered });
    expect(() => app.synth()).toThrow(
      '[accounts/Customers/LakeFormation] uses domain "accounts", not registered in MeshGovernance "S/Governance" (domains: orders): add it to its domains.',
    );
  });

  it('service consumers (MeshConsumer.fromRole) are granted like teams', () => {
    const { stack } = small();
    const product = new StubProduct(stack, 'Orders', { contract: orderPlaced, lakeFormation: false });
    const role = new iam.Role(stack, 'PipelineRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const pipeline = MeshConsumer.fromRole(stack, 'Pipeline', { consumerName: 'customer_orders-pipeline', role });
    const grant = grantProductRead(product, pipeline);
    expect(grant.node.path).toBe('S/Pipeline/Read-orders.order_placed.v1');
    Template.fromStack(stack).hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as never), 'Arn'] } },
      Permissions: ['SELECT'],
    });
  });
});
