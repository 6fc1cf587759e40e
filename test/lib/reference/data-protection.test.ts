/**
 * Issue 15, read from the synthesized templates of the reference mesh (one in-process synth of bin/app.ts's
 * stacks, Lambda bundling skipped): no KMS action on every key of the account, and the data buckets protect
 * themselves (object reads denied to all but the product's writers, retention from the contract).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataProduct } from '../../../constructs/product/data-product';
import { referenceMesh } from '../../../lib/reference/mesh';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

let templates: Record<string, { Resources: Record<string, Resource> }>;
let products: DataProduct[];

beforeAll(() => {
  const assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-data-protection-'));
  const { context } = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ outdir: assemblyDir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  referenceMesh(app);
  products = app.node.findAll().filter((c): c is DataProduct => c instanceof DataProduct);
  app.synth();
  templates = Object.fromEntries(
    fs
      .readdirSync(assemblyDir)
      .filter((file) => file.endsWith('.template.json'))
      .map((file) => [file.replace('.template.json', ''), JSON.parse(fs.readFileSync(path.join(assemblyDir, file), 'utf8'))]),
  );
}, 120_000);

/** Every policy statement of every template, with where it is. */
function statements(): { where: string; statement: Statement }[] {
  const found: { where: string; statement: Statement }[] = [];
  for (const [stack, template] of Object.entries(templates)) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      const p = resource.Properties ?? {};
      const documents = [p.PolicyDocument, p.KeyPolicy, ...((p.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((x) => x.PolicyDocument)];
      for (const document of documents) {
        for (const statement of ((document as { Statement?: Statement[] } | undefined)?.Statement ?? [])) found.push({ where: `${stack}/${id}`, statement });
      }
    }
  }
  return found;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

describe('KMS in the reference mesh', () => {
  it('has policy statements with kms actions (the scan sees them)', () => {
    expect(statements().filter(({ statement }) => list(statement.Action).some((a) => String(a).startsWith('kms:'))).length).toBeGreaterThan(10);
  });

  it('no policy statement of any template has a kms: action on key/* (every key of the account)', () => {
    const onEveryKey = statements()
      .filter(({ statement }) => list(statement.Action).some((a) => String(a).startsWith('kms:')))
      .filter(({ statement }) => list(statement.Resource).some((r) => /key\/\*/.test(JSON.stringify(r))))
      .map(({ where, statement }) => `${where}: ${JSON.stringify(statement.Action)} on ${JSON.stringify(statement.Resource)}`);
    expect(onEveryKey).toEqual([]);
  });

  it('a product referenced by name is decrypted with the exact key its domain publishes in SSM', () => {
    const recommendations = templates.recommendations;
    const parameter = Object.entries((recommendations as unknown as { Parameters: Record<string, { Type: string; Default: string }> }).Parameters)
      .find(([, p]) => p.Default === '/shop/storefront/key-arn');
    expect(parameter?.[1].Type).toBe('AWS::SSM::Parameter::Value<String>');
    const decrypts = statements().filter(({ where, statement }) => where.startsWith('recommendations/ProductViewsPipelineRole') && list(statement.Action).includes('kms:Decrypt'));
    expect(decrypts.map(({ statement }) => statement.Resource)).toContainEqual({ Ref: parameter![0] });
    const published = Object.values(templates.storefront.Resources).find((r) => r.Type === 'AWS::SSM::Parameter');
    expect(published?.Properties).toMatchObject({ Name: '/shop/storefront/key-arn', Value: { 'Fn::GetAtt': [expect.stringMatching(/Key/), 'Arn'] } });
  });
});

describe('retention from the contract (sla.retentionDays)', () => {
  it('every product of the reference mesh has its lifecycle rules on its data and error prefixes, as its contract says', () => {
    expect(products.length).toBeGreaterThanOrEqual(5);
    for (const product of products) {
      const days = product.contract.spec.sla.retentionDays!;
      expect(days, product.productId).toBeGreaterThan(0);
      const template = templates[Stack.of(product.domain).stackName];
      const bucket = Object.values(template.Resources).find(
        (r) => r.Type === 'AWS::S3::Bucket' && JSON.stringify(r.Properties?.BucketName ?? '').includes(`-${product.domainName.replace(/_/g, '-')}-data-`),
      );
      const rules = (bucket?.Properties?.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
      const table = product.tableName;
      expect(rules, product.productId).toContainEqual({
        Id: `retention-${table}`,
        Prefix: `${table}/`,
        Status: 'Enabled',
        ExpirationInDays: days,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      });
      expect(rules, product.productId).toContainEqual({ Id: `retention-errors-${table}`, Prefix: `errors/${table}/`, Status: 'Enabled', ExpirationInDays: Math.min(days, 30) });
    }
  });
});

describe('data buckets deny object reads around Lake Formation', () => {
  it('every data bucket denies object reads to all but its registration role and its products\' own writers', () => {
    const domains = new Set(products.map((p) => p.domain));
    expect(domains.size).toBe(5);
    for (const domain of domains) {
      const stack = Stack.of(domain);
      const template = templates[stack.stackName];
      const bucketId = stack.getLogicalId(domain.bucket.node.defaultChild as never);
      const policy = Object.values(template.Resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties?.Bucket) === JSON.stringify({ Ref: bucketId }));
      const deny = (policy?.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.find((s) => s.Sid === 'DenyObjectReadsExceptLakeFormationAndWriters');
      expect(deny, domain.domainName).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['s3:GetObject', 's3:GetObjectAttributes', 's3:GetObjectVersion', 's3:GetObjectVersionAttributes'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
      });
      const allowed = deny!.Condition!.ArnNotLike['aws:PrincipalArn'] as unknown[];
      const writers = products.filter((p) => p.domain === domain).flatMap((p) => [p.deliveryStreamRole, ...(p.sqlPipeline ? [p.sqlPipeline.role] : [])]);
      const expected = [domain.registrationRole, ...writers].map((role) => ({ 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as never), 'Arn'] }));
      expect(allowed, domain.domainName).toEqual(expected);
      // The domain key denies S3 decryption of the bucket's objects to the same principals.
      const keyId = stack.getLogicalId(domain.encryptionKey.node.defaultChild as never);
      const keyDeny = ((template.Resources[keyId].Properties?.KeyPolicy as { Statement: Statement[] }).Statement).find(
        (s) => s.Sid === 'DenyDecryptOfDataObjectsExceptLakeFormationAndWriters',
      );
      expect(keyDeny, domain.domainName).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' });
      expect(keyDeny!.Condition!.ArnNotLike['aws:PrincipalArn'], domain.domainName).toEqual(expected);
      expect(JSON.stringify(keyDeny!.Condition!.StringLike['kms:EncryptionContext:aws:s3:arn']), domain.domainName).toContain(`-data-`);
    }
  });
});
