/**
 * Issue 22: the reference mesh across accounts (`-c cdk-data-mesh:layout=multi-account`), built in-process as
 * bin/app.ts builds it (bundling skipped): per-account Lake Formation baselines, producer shares to consumer
 * accounts, resource links and re-grants, the cross-account stream, and explicit stack dependencies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as cxapi from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { LakeFormationBaseline } from '../../../constructs/governance/account-baseline';
import { DataConsumer } from '../../../constructs/consumer/data-consumer';
import { MeshGovernance } from '../../../constructs/governance/mesh-governance';
import { DataProduct } from '../../../constructs/product/data-product';
import { orderPlaced } from '../../../lib/reference/contracts';
import { accessReport, violations } from '../../../lib/access/access';
import { catalogFromManifest } from '../../../lib/catalog/model';
import { readManifest } from '../../../lib/manifest/read-manifest';
import { unorderedCrossAccountReferences } from '../../../lib/reference/cross-account-check';
import { DUMMY_ACCOUNTS, referenceLayout, referenceMeshMultiAccount, type MultiAccountReferenceMesh } from '../../../lib/reference/multi-account';

const ACCOUNTS = DUMMY_ACCOUNTS;
let mesh: MultiAccountReferenceMesh;
let assembly: cxapi.CloudAssembly;
const template = (stack: Stack) => Template.fromStack(stack);

beforeAll(() => {
  // Path metadata on, as the CDK CLI writes it: mesh access names roles by their construct paths.
  const app = new App({ context: { 'cdk-data-mesh:meshName': 'shop', 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true } });
  mesh = referenceMeshMultiAccount(app);
  assembly = app.synth();
}, 300_000);

/** Every resource of `type` in `stack`'s template, with its properties. */
function resources(stack: Stack, type: string): Record<string, unknown>[] {
  return Object.values(template(stack).findResources(type)).map((r) => (r as { Properties: Record<string, unknown> }).Properties);
}

describe('accounts of the multi-account layout', () => {
  it('puts the governance, each domain and each consumer team in its own account (dummy defaults)', () => {
    const accountOf = Object.fromEntries(mesh.stacks.map((s) => [s.stackName, s.account]));
    expect(accountOf).toEqual({
      governance: ACCOUNTS.governance,
      orders: ACCOUNTS.orders,
      accounts: ACCOUNTS.accounts,
      storefront: ACCOUNTS.storefront,
      recommendations: ACCOUNTS.recommendations,
      marketing: ACCOUNTS.marketing,
      'consumer-marketing': ACCOUNTS['consumer-marketing'],
      'consumer-management': ACCOUNTS['consumer-management'],
      'consumer-recommendations': ACCOUNTS['consumer-recommendations'],
    });
    expect(new Set(Object.values(accountOf)).size).toBe(9);
  });

  it('takes account ids from context and refuses what is not 12 digits, and an unknown layout', () => {
    const app = new App({ context: { 'cdk-data-mesh:account:orders': '123456789012', 'aws:cdk:bundling-stacks': [] } });
    expect(referenceMeshMultiAccount(app).orders.account).toBe('123456789012');
    expect(() => referenceMeshMultiAccount(new App({ context: { 'cdk-data-mesh:account:orders': 'acme' } }))).toThrow(
      'Context "cdk-data-mesh:account:orders" is "acme", not a 12-digit AWS account id: pass e.g. -c cdk-data-mesh:account:orders=123456789012.',
    );
    expect(() => referenceLayout(new App({ context: { 'cdk-data-mesh:layout': 'multi' } }))).toThrow(
      'Context "cdk-data-mesh:layout" is "multi": use one of single-account, multi-account (e.g. -c cdk-data-mesh:layout=multi-account).',
    );
  });
});

describe('per-account Lake Formation baseline', () => {
  it('has exactly one DataLakeSettings per account: APPEND, the CloudFormation execution role, CROSS_ACCOUNT_VERSION "4"', () => {
    for (const stack of mesh.stacks) {
      const settings = resources(stack, 'AWS::LakeFormation::DataLakeSettings');
      expect(settings, stack.stackName).toHaveLength(1);
      expect(settings[0], stack.stackName).toMatchObject({ MutationType: 'APPEND', Parameters: { CROSS_ACCOUNT_VERSION: '4' } });
      expect(JSON.stringify(settings[0]!.Admins), stack.stackName).toContain('cfn-exec-role');
    }
  });

  it('stamps the governance LF-Tag ontology identically into every producer account, and none into consumer accounts', () => {
    const ontology = (stack: Stack) =>
      resources(stack, 'AWS::LakeFormation::Tag')
        .map((t) => ({ key: t.TagKey, values: t.TagValues }))
        .sort((a, b) => String(a.key).localeCompare(String(b.key)));
    const governed = ontology(mesh.governance);
    expect(governed.map((t) => t.key)).toEqual(['classification', 'domain']);
    for (const stack of [mesh.orders, mesh.accountsDomain, mesh.storefront, mesh.recommendations, mesh.marketing]) {
      expect(ontology(stack), stack.stackName).toEqual(governed);
    }
    for (const stack of Object.values(mesh.consumers)) expect(ontology(stack), stack.stackName).toEqual([]);
  });

  it('makes every Lake Formation resource of a producer account wait for its own baseline, not the governance stack', () => {
    const t = template(mesh.orders);
    const [tagsId] = Object.keys(t.findResources('AWS::LakeFormation::TagAssociation'));
    const association = t.toJSON().Resources[tagsId!] as { DependsOn: string[] };
    expect(association.DependsOn.some((d) => d.startsWith('LakeFormationClassificationTag'))).toBe(true);
    expect(mesh.orders.dependencies.map((d) => d.stackName)).not.toContain('governance');
  });

  it('creates the domain databases without default table permissions (resource links untouched)', () => {
    expect(resources(mesh.orders, 'AWS::Glue::Database')[0]!.DatabaseInput).toMatchObject({ Name: 'orders', CreateTableDefaultPermissions: [] });
    for (const link of resources(mesh.consumers.management, 'AWS::Glue::Database')) {
      expect(link.DatabaseInput).not.toHaveProperty('CreateTableDefaultPermissions');
    }
  });

  it('lets the CI deploy role assume the bootstrap roles of every account', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], 'cdk-data-mesh:githubRepository': 'acme/mesh' } });
    const policy = JSON.stringify(resources(referenceMeshMultiAccount(app).governance, 'AWS::IAM::Policy'));
    for (const account of Object.values(ACCOUNTS)) expect(policy).toContain(`:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-eu-west-1`);
  });

  it('refuses a second baseline in one account, and a tag user in an account without one', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const env = (account: string) => ({ env: { account, region: 'eu-west-1' } });
    const governance = new MeshGovernance(new Stack(app, 'gov', env('111111111111')), 'Governance', { meshName: 'm', domains: ['orders'] });
    new LakeFormationBaseline(new Stack(app, 'a', env('222222222222')), 'LakeFormation', { governance });
    expect(() => new LakeFormationBaseline(new Stack(app, 'b', env('222222222222')), 'LakeFormation', { governance })).toThrow(
      'Account 222222222222 already has the Lake Formation baseline "a/LakeFormation" of mesh "m": an account has exactly one DataLakeSettings, so keep that one (in the account\'s first stack) and remove this one.',
    );
    expect(() => new LakeFormationBaseline(new Stack(app, 'c', env('111111111111')), 'LakeFormation', { governance })).toThrow(/is the governance's account/);
    expect(() => new LakeFormationBaseline(new Stack(app, 'd'), 'LakeFormation', { governance })).toThrow(/needs a stack with an explicit account/);
  });

  it('leaves the governance settings without Parameters while every account is the same (the single-account default)', () => {
    const app = new App();
    const stack = new Stack(app, 'gov');
    new MeshGovernance(stack, 'Governance', { meshName: 'm', domains: ['orders'] });
    expect(resources(stack, 'AWS::LakeFormation::DataLakeSettings')[0]!.Parameters).toBeUndefined();
  });
});

describe('producer side', () => {
  it('grants the consumer accounts DESCRIBE on the database explicitly, with grant option', () => {
    // Shares to accounts (the product's own quality run is granted in its account, to its role).
    const toAccount = (g: Record<string, unknown>) => typeof (g.Principal as { DataLakePrincipalIdentifier: unknown }).DataLakePrincipalIdentifier === 'string';
    const grants = resources(mesh.orders, 'AWS::LakeFormation::PrincipalPermissions').filter((g) => 'Database' in (g.Resource as object) && toAccount(g));
    const accounts = grants.map((g) => (g.Principal as { DataLakePrincipalIdentifier: string }).DataLakePrincipalIdentifier).sort();
    expect(accounts).toEqual([ACCOUNTS.marketing, ACCOUNTS['consumer-management']].sort());
    for (const grant of grants) {
      expect(grant).toMatchObject({
        Resource: { Database: { CatalogId: ACCOUNTS.orders, Name: 'orders' } },
        Permissions: ['DESCRIBE'],
        PermissionsWithGrantOption: ['DESCRIBE'],
      });
    }
  });

  it('shares SELECT with grant option on the allow-listed columns: email only with the account whose grant gives a reason', () => {
    const toAccount = (g: Record<string, unknown>) => typeof (g.Principal as { DataLakePrincipalIdentifier: unknown }).DataLakePrincipalIdentifier === 'string';
    const selects = resources(mesh.accountsDomain, 'AWS::LakeFormation::PrincipalPermissions').filter((g) => 'TableWithColumns' in (g.Resource as object) && toAccount(g));
    const columnsOf = Object.fromEntries(
      selects.map((g) => {
        expect(g).toMatchObject({ Permissions: ['SELECT'], PermissionsWithGrantOption: ['SELECT'] });
        const table = (g.Resource as { TableWithColumns: { CatalogId: string; ColumnNames: string[] } }).TableWithColumns;
        expect(table.CatalogId).toBe(ACCOUNTS.accounts);
        return [(g.Principal as { DataLakePrincipalIdentifier: string }).DataLakePrincipalIdentifier, table.ColumnNames];
      }),
    );
    expect(columnsOf[ACCOUNTS['consumer-marketing']]).toContain('email');
    expect(columnsOf[ACCOUNTS['consumer-management']]).not.toContain('email');
    expect(columnsOf[ACCOUNTS.marketing]).not.toContain('email'); // the SQL pipeline reads no PII
  });

  it('lets the streaming derived product read the stream: stream resource policy and key policy for its account root and role', () => {
    const t = template(mesh.storefront);
    const roleArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNTS.recommendations}:role/shop-recommendations-product_views-v1-transform`]] };
    t.hasResourceProperties('AWS::Kinesis::ResourcePolicy', {
      ResourcePolicy: {
        Statement: [
          Match.objectLike({
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNTS.recommendations}:root`]] } },
            Action: Match.arrayWith(['kinesis:DescribeStream', 'kinesis:GetRecords']),
            Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn } },
          }),
        ],
      },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'kms:Decrypt',
            Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn }, StringEquals: { 'kms:EncryptionContext:aws:kinesis:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
    template(mesh.recommendations).hasResourceProperties('AWS::IAM::Role', { RoleName: 'shop-recommendations-product_views-v1-transform' });
  });

  it('gives no consumer account direct S3 or KMS access to producer data (IAM or resource policy)', () => {
    const producerAccounts: string[] = [ACCOUNTS.orders, ACCOUNTS.accounts, ACCOUNTS.storefront];
    // Consumer-side IAM: no s3:/kms: action on anything of a producer account (the stream read is kinesis-context only).
    for (const stack of mesh.stacks.filter((s) => !producerAccounts.includes(s.account))) {
      for (const policy of [...resources(stack, 'AWS::IAM::Policy'), ...resources(stack, 'AWS::IAM::Role')]) {
        const documents = [policy.PolicyDocument, ...((policy.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument)];
        for (const document of documents.filter(Boolean)) {
          for (const statement of (document as { Statement: Record<string, unknown>[] }).Statement) {
            const actions = [statement.Action].flat().map(String);
            const onProducer = producerAccounts.some((a) => JSON.stringify(statement.Resource ?? '').includes(a));
            if (!onProducer) continue;
            expect(actions.filter((a) => a.startsWith('s3:')), `${stack.stackName} ${JSON.stringify(statement)}`).toEqual([]);
            if (actions.some((a) => a.startsWith('kms:'))) {
              expect(statement.Condition, `${stack.stackName} ${JSON.stringify(statement)}`).toMatchObject({ StringEquals: { 'kms:EncryptionContext:aws:kinesis:arn': expect.anything() } });
            }
          }
        }
      }
    }
    // Producer-side resource policies: no bucket policy names another account; key statements for other accounts are stream-context only.
    for (const stack of [mesh.orders, mesh.accountsDomain, mesh.storefront]) {
      const others = Object.values(ACCOUNTS).filter((a) => a !== stack.account);
      for (const policy of resources(stack, 'AWS::S3::BucketPolicy')) {
        const allows = (policy.PolicyDocument as { Statement: { Effect: string }[] }).Statement.filter((s) => s.Effect === 'Allow');
        expect(others.filter((a) => JSON.stringify(allows).includes(a)), stack.stackName).toEqual([]);
      }
      for (const key of resources(stack, 'AWS::KMS::Key')) {
        for (const statement of (key.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement) {
          if (statement.Effect !== 'Allow' || !others.some((a) => JSON.stringify(statement.Principal ?? '').includes(a))) continue;
          expect(statement.Condition, stack.stackName).toMatchObject({ StringEquals: { 'kms:EncryptionContext:aws:kinesis:arn': expect.anything() } });
        }
      }
    }
  });
});

describe('consumer side', () => {
  it('links each shared database: TargetDatabase in the producer account, under the database name', () => {
    const links = resources(mesh.consumers.management, 'AWS::Glue::Database').map((d) => d.DatabaseInput);
    expect(links).toEqual(
      expect.arrayContaining([
        { Name: 'orders', TargetDatabase: { CatalogId: ACCOUNTS.orders, DatabaseName: 'orders', Region: 'eu-west-1' } },
        { Name: 'accounts', TargetDatabase: { CatalogId: ACCOUNTS.accounts, DatabaseName: 'accounts', Region: 'eu-west-1' } },
      ]),
    );
    for (const stack of [mesh.consumers.management, mesh.marketing]) {
      for (const link of resources(stack, 'AWS::Glue::Database').filter((d) => (d.DatabaseInput as { TargetDatabase?: unknown }).TargetDatabase)) {
        expect(link.CatalogId).toBe(stack.account);
      }
    }
  });

  it('re-grants to its role: DESCRIBE on the link and the target, SELECT on the producer catalog without PII unless a reason is given', () => {
    const grantsOf = (stack: Stack) => resources(stack, 'AWS::LakeFormation::PrincipalPermissions').map((g) => g.Resource as Record<string, Record<string, unknown>>);
    const management = grantsOf(mesh.consumers.management);
    expect(management).toEqual(expect.arrayContaining([
      { Database: { CatalogId: ACCOUNTS['consumer-management'], Name: 'accounts' } },
      { Database: { CatalogId: ACCOUNTS.accounts, Name: 'accounts' } },
    ]));
    const select = (grants: typeof management) => grants.find((g) => g.TableWithColumns?.Name === 'customer_registered_v1')!.TableWithColumns!;
    expect(select(management).CatalogId).toBe(ACCOUNTS.accounts);
    expect(select(management).ColumnNames).not.toContain('email');
    expect(select(grantsOf(mesh.consumers.marketing)).ColumnNames).toContain('email');
  });

  it('lets the consumer role call Glue on the link and on the target', () => {
    const statements = JSON.stringify(resources(mesh.consumers.management, 'AWS::IAM::Policy'));
    expect(statements).toContain(`:glue:eu-west-1:${ACCOUNTS.orders}:table/orders/order_placed_v1`);
    expect(statements).toContain(`:glue:eu-west-1:${ACCOUNTS['consumer-management']}:table/orders/order_placed_v1`);
  });

  it('queries in an Athena workgroup of the consumer account; the derived product SQL reads through the links by the same names', () => {
    template(mesh.consumers.management).hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'shop-management' });
    const marketing = template(mesh.marketing).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const machine = Object.values(marketing.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!;
    expect(JSON.stringify(machine.Properties)).toContain('orders.order_placed_v1');
  });
});

describe('manifest and catalog', () => {
  it('record the account of each product and consumer; the catalog names the data bucket in its account', () => {
    const manifest = readManifest(assembly.directory);
    expect(Object.fromEntries(manifest.products.map((p) => [p.id, p.account]))).toMatchObject({
      'orders.order_placed.v1': ACCOUNTS.orders,
      'marketing.customer_orders.v1': ACCOUNTS.marketing,
    });
    expect(Object.fromEntries(manifest.consumers.map((c) => [c.name, c.account]))).toEqual({
      marketing: ACCOUNTS['consumer-marketing'],
      management: ACCOUNTS['consumer-management'],
      recommendations: ACCOUNTS['consumer-recommendations'],
    });
    const catalog = catalogFromManifest(manifest);
    expect(catalog.products.find((p) => p.id === 'orders.order_placed.v1')!.names.dataLocation).toContain(ACCOUNTS.orders);
    expect(catalog.consumers.find((c) => c.name === 'management')!.account).toBe(ACCOUNTS['consumer-management']);
  });
});

describe('mesh access across accounts', () => {
  it('finds no PII path without a reason: the share to marketing\'s account carries its consumer\'s reason, management\'s has no email', () => {
    const report = accessReport(assembly.directory);
    expect(violations(report)).toEqual([]);
    const shares = report.rows.filter((row) => row.product === 'accounts.customer_registered.v1' && row.principal.kind === 'account');
    const of = (account: string) => shares.find((row) => row.principal.name === `account ${account}`)!;
    expect(of(ACCOUNTS['consumer-marketing']).pii).toEqual([{ column: 'email', reason: expect.stringContaining('Newsletter') }]);
    expect(of(ACCOUNTS['consumer-management']).columns).not.toContain('email');
  });
  it("counts a data-lake administrator as a reader of its own account's tables only", () => {
    const report = accessReport(assembly.directory);
    const admins = (product: string) =>
      report.rows.filter((row) => row.product === product && row.principal.kind === 'lake-formation-admin').map((row) => row.via.join(' '));
    const orders = admins('orders.order_placed.v1');
    expect(orders.length).toBeGreaterThan(0);
    // Named by the DataLakeSettings of the orders stack (the orders account), none of the other accounts'.
    for (const via of orders) expect(via).toMatch(/^orders\//);
    expect(admins('accounts.customer_registered.v1').every((via) => via.startsWith('accounts/'))).toBe(true);
  });
});

describe('the documentation', () => {
  it('shows the real code of the multi-account reference mesh (docs/platform-team.md: Across AWS accounts)', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'platform-team.md'), 'utf8');
    const section = doc.slice(doc.indexOf('### Across AWS accounts'), doc.indexOf('### Limits and links'));
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('// ---'));
    const source = lines(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'lib', 'reference', 'multi-account.ts'), 'utf8'));
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      const needle = lines(block);
      expect(source.some((_, i) => needle.every((line, j) => source[i + j] === line)), block).toBe(true);
    }
  });
});

describe('errors across accounts', () => {
  it('refuses a tag grant across accounts, and a reference by name made before the product was defined, without its account', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const early = new Stack(app, 'early', { env: { account: '141414141414', region: 'eu-west-1' } });
    const earlyRef = DataProduct.fromName(early, 'OrderPlaced', { domain: 'orders', name: 'order_placed', version: 1, contract: orderPlaced });
    const built = referenceMeshMultiAccount(app);
    const stranger = new DataConsumer(new Stack(app, 'stranger', { env: { account: '121212121212', region: 'eu-west-1' } }), 'Team', { consumerName: 'stranger' });
    expect(() => built.governance.governance.grantByTags(stranger, { domain: ['orders'], classification: ['internal'] })).toThrow(
      /Consumer "stranger" is in account 121212121212, the governance in account 111111111111: tag grants are single-account for now, so grant each product across accounts with product.grantRead\(consumer\)/,
    );
    expect(() => earlyRef.grantRead(new DataConsumer(early, 'Team', { consumerName: 'early' }))).toThrow(
      /Product orders.order_placed.v1 is defined in account 222222222222 \(orders\/OrderPlaced\), but referenced by name in account 141414141414 without its account: pass account: '222222222222' to DataProduct.fromName/,
    );
    // Made after the product, a reference by name finds its account itself.
    const late = new Stack(app, 'late', { env: { account: '131313131313', region: 'eu-west-1' } });
    expect((DataProduct.fromName(late, 'OrderPlaced', { domain: 'orders', name: 'order_placed', version: 1, contract: orderPlaced }) as { account?: string }).account).toBe('222222222222');
  });
});

describe('deploying across accounts', () => {
  it('every cross-account reference has an explicit stack dependency', () => {
    expect(unorderedCrossAccountReferences(assembly)).toEqual([]);
    expect(mesh.consumers.management.dependencies.map((d) => d.stackName).sort()).toEqual(['accounts', 'orders']);
    expect(mesh.marketing.dependencies.map((d) => d.stackName).sort()).toEqual(['accounts', 'orders']);
  });

  it('the check fails on a cross-account reference without a dependency', () => {
    const app = new App();
    new Stack(app, 'producer', { env: { account: '222222222222', region: 'eu-west-1' } });
    const consumer = new Stack(app, 'consumer', { env: { account: '777777777777', region: 'eu-west-1' } });
    new glue.CfnDatabase(consumer, 'Link', {
      catalogId: '777777777777',
      databaseInput: { name: 'orders', targetDatabase: { catalogId: '222222222222', databaseName: 'orders' } },
    });
    expect(unorderedCrossAccountReferences(app.synth())).toEqual([
      { stack: 'consumer', account: '222222222222', path: 'Template.Resources.Link.Properties.DatabaseInput.TargetDatabase.CatalogId', candidates: ['producer'] },
    ]);
  });
});
