import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_DESTROY_WARNING, DataDomain } from '../../../constructs/domain/data-domain';
import { testApp } from './test-app';

function domainStack(props: Partial<ConstructorParameters<typeof DataDomain>[2]> = {}, context: Record<string, unknown> = {}) {
  const stack = new Stack(testApp(context), 'orders');
  const domain = new DataDomain(stack, 'Domain', { domainName: 'orders', ...props });
  return { stack, domain };
}

let template: Template;
let domain: DataDomain;
let stack: Stack;
beforeAll(() => {
  ({ stack, domain } = domainStack());
  template = Template.fromStack(stack);
});

describe('DataDomain', () => {
  it('exposes the names of the convention', () => {
    expect(domain.meshName).toBe('shop');
    expect(domain.domainName).toBe('orders');
    expect(domain.databaseName).toBe('orders');
    expect(domain.keyAlias).toBe('alias/shop/orders');
    expect(domain.schemaRegistryName).toBe('shop-orders');
    expect(domain.products).toEqual([]);
  });

  it('creates a customer-managed key with rotation, its alias, and a key policy limited by conditions', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
          Match.objectLike({
            Sid: 'DenyGrantsExceptForAwsServices',
            Effect: 'Deny',
            Action: 'kms:CreateGrant',
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/shop/orders' });
  });

  it('never allows a wildcard principal in the key policy', () => {
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
    for (const statement of key.Properties.KeyPolicy.Statement) {
      if (statement.Effect === 'Allow') expect(JSON.stringify(statement.Principal)).not.toContain('"*"');
    }
  });

  it('creates the data bucket: SSE-KMS with the domain key and a bucket key, versioned, private, TLS-only, logged', () => {
    const keyId = stack.getLogicalId(domain.encryptionKey.node.defaultChild as never);
    const logBucketId = stack.getLogicalId(domain.logBucket.node.defaultChild as never);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['shop-orders-data-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'orders/' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'expire-error-output', Prefix: 'errors/', ExpirationInDays: 30, Status: 'Enabled' }),
          Match.objectLike({ Id: 'expire-noncurrent-versions', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
        ]),
      },
    });
  });

  it('writes access logs to a separate SSE-S3 bucket (S3 cannot log into SSE-KMS buckets)', () => {
    const logBucketId = stack.getLogicalId(domain.logBucket.node.defaultChild as never);
    const logBucket = template.findResources('AWS::S3::Bucket')[logBucketId];
    expect(logBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(logBucket.Properties.PublicAccessBlockConfiguration.BlockPublicPolicy).toBe(true);
  });

  it('denies every non-TLS request on both buckets', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      );
    }
  });

  it('creates the Glue database with an explicit name (Athena cannot use generated ones)', () => {
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'orders' }) });
    expect(domain.database.cfnResourceType).toBe('AWS::Glue::Database');
  });

  it('honours a database prefix', () => {
    const { domain: prefixed, stack: s } = domainStack({ databasePrefix: 'dev_' });
    expect(prefixed.databaseName).toBe('dev_orders');
    Template.fromStack(s).hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'dev_orders' }) });
  });

  it('creates one schema registry for the domain', () => {
    template.resourceCountIs('AWS::Glue::Registry', 1);
    template.hasResourceProperties('AWS::Glue::Registry', { Name: 'shop-orders' });
  });

  it('registers the bucket with Lake Formation through a custom role trusted by lakeformation.amazonaws.com', () => {
    const roleId = stack.getLogicalId(domain.registrationRole.node.defaultChild as never);
    const bucketId = stack.getLogicalId(domain.bucket.node.defaultChild as never);
    const keyId = stack.getLogicalId(domain.encryptionKey.node.defaultChild as never);
    template.hasResourceProperties('AWS::LakeFormation::Resource', {
      ResourceArn: { 'Fn::GetAtt': [bucketId, 'Arn'] },
      UseServiceLinkedRole: false,
      RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lakeformation.amazonaws.com' } })] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: [
          { Sid: 'ListDataBucket', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket'], Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] } },
          {
            Sid: 'ReadWriteData',
            Effect: 'Allow',
            Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
          },
          {
            Sid: 'UseDomainKey',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
            Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
          },
        ],
      },
    });
    // The registration waits for the role's policy (Lake Formation checks access when registering).
    const registration = Object.values(template.findResources('AWS::LakeFormation::Resource'))[0];
    expect(registration.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DomainLakeFormationRolePolicy/)]));
  });

  it('retains key, buckets, database and registry by default', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Glue::Database', 'AWS::Glue::Registry']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy, type).toBe('Retain');
        expect(resource.UpdateReplacePolicy, type).toBe('Retain');
      }
    }
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  it('deletes them only on an explicit DESTROY, and warns naming the construct', () => {
    // Without the project's strict validation the warning is shown and the synth goes on.
    const { stack: s } = domainStack({ removalPolicy: RemovalPolicy.DESTROY }, { '@aws-cdk/core:annotationsInValidationReport': false });
    const t = Template.fromStack(s);
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Glue::Database', 'AWS::Glue::Registry']) {
      for (const resource of Object.values(t.findResources(type))) expect(resource.DeletionPolicy, type).toBe('Delete');
    }
    t.hasResourceProperties('AWS::KMS::Key', { PendingWindowInDays: 7 });
    Annotations.fromStack(s).hasWarning(
      '/orders/Domain',
      Match.stringLikeRegexp('^DataDomain orders/Domain has removalPolicy DESTROY: deleting the stack deletes its key'),
    );
  });

  it('stops a strict synth on DESTROY until the warning is acknowledged with a reason', () => {
    const { stack: s } = domainStack({ removalPolicy: RemovalPolicy.DESTROY });
    expect(() => (s.node.root as App).synth()).toThrow(
      /WARNING DataDomain orders\/Domain has removalPolicy DESTROY[\s\S]*Acknowledge with 'Annotation::cdk-data-mesh:domain-removal-policy-destroy'/,
    );
    const acknowledged = domainStack({ removalPolicy: RemovalPolicy.DESTROY });
    Validations.of(acknowledged.domain).acknowledge({ id: DOMAIN_DESTROY_WARNING, reason: 'Throw-away test environment.' });
    expect(() => Template.fromStack(acknowledged.stack)).not.toThrow();
  });

  it('takes the mesh name from the prop, else the context, else "mesh"', () => {
    expect(domainStack({ meshName: 'acme' }).domain.meshName).toBe('acme');
    expect(domainStack({}, { 'cdk-data-mesh:meshName': 'retail' }).domain.meshName).toBe('retail');
    expect(domainStack({}, { 'cdk-data-mesh:meshName': undefined }).domain.meshName).toBe('mesh');
  });
});

describe('DataDomain errors', () => {
  it('rejects a mesh name that is not lower-case letters, digits and hyphens', () => {
    expect(() => domainStack({ meshName: 'Shop_1' })).toThrow(
      '[orders/Domain] Mesh name "Shop_1" must be 1-20 lower-case letters, digits and hyphens, starting with a letter (e.g. "shop"): set the meshName prop or the "cdk-data-mesh:meshName" context in cdk.json.',
    );
  });

  it('rejects a mesh name longer than 20 characters', () => {
    expect(() => domainStack({ meshName: 'a-very-long-mesh-name-x' })).toThrow(/Mesh name "a-very-long-mesh-name-x" must be 1-20/);
  });

  it('rejects a domain name that is not snake_case, suggesting one', () => {
    expect(() => domainStack({ domainName: 'OrderHistory' })).toThrow(
      '[orders/Domain] The domain name "OrderHistory" must be lower-case snake_case: a letter, then letters, digits and single underscores (e.g. "order_history").',
    );
  });

  it('rejects a database prefix Athena cannot use', () => {
    expect(() => domainStack({ databasePrefix: 'Dev-' })).toThrow(
      '[orders/Domain] databasePrefix "Dev-" must be lower-case letters, digits and _ starting with a letter (e.g. "dev_"): Glue and Athena names allow nothing else.',
    );
  });

  it('rejects a data bucket name that can exceed 63 characters once account and region are known', () => {
    expect(() => domainStack({ meshName: 'enterprise-mesh', domainName: 'customer_relationship_mgmt' })).toThrow(
      '[orders/Domain] The data bucket name can reach 76 characters ("enterprise-mesh-customer-relationship-mgmt-data-<account>-<region>" with a 12-digit account and a 15-character region); ' +
        'AWS allows at most 63. Shorten the mesh name ("enterprise-mesh") or the domain name ("customer_relationship_mgmt").',
    );
  });

  it('measures the bucket name exactly when the stack has an environment', () => {
    const stack = new Stack(testApp(), 'orders', { env: { account: '111111111111', region: 'eu-west-1' } });
    expect(() => new DataDomain(stack, 'Domain', { meshName: 'enterprise-mesh', domainName: 'customer_relationship' })).toThrow(
      '[orders/Domain] The data bucket name "enterprise-mesh-customer-relationship-data-111111111111-eu-west-1" is 65 characters; AWS allows at most 63. ' +
        'Shorten the mesh name ("enterprise-mesh") or the domain name ("customer_relationship").',
    );
  });

  it('rejects removal policies other than RETAIN and DESTROY', () => {
    expect(() => domainStack({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(
      '[orders/Domain] removalPolicy "snapshot" is not supported here (streams, tables and keys have no snapshots): use RemovalPolicy.RETAIN (the default) or RemovalPolicy.DESTROY.',
    );
  });
});
