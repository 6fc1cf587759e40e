import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataConsumer, DEFAULT_BYTES_SCANNED_CUTOFF } from '../../../constructs/consumer/data-consumer';
import { MANIFEST_METADATA_TYPE } from '../../../constructs/manifest/manifest';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const newStack = () => new Stack(new App({ context: { 'cdk-data-mesh:meshName': 'shop' } }), 'consumers', { env: ENV });

let stack: Stack;
let marketing: DataConsumer;
let template: Template;
beforeAll(() => {
  stack = newStack();
  marketing = new DataConsumer(stack, 'Marketing', { consumerName: 'marketing', description: 'Campaign analytics.' });
  template = Template.fromStack(stack);
});

describe('DataConsumer', () => {
  it('creates an Athena workgroup on engine v3 that enforces its configuration, with encrypted results and a cutoff', () => {
    const keyId = stack.getLogicalId(marketing.resultsKey.node.defaultChild as never);
    const bucketId = stack.getLogicalId(marketing.resultsBucket.node.defaultChild as never);
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'shop-marketing',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: DEFAULT_BYTES_SCANNED_CUTOFF,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/results/']] },
          ExpectedBucketOwner: '111111111111',
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        },
      },
    });
    expect(DEFAULT_BYTES_SCANNED_CUTOFF).toBe(10 * 1024 ** 3);
  });

  it('keeps results in its own bucket: SSE-KMS with a rotating key, versioned, TLS-only, private, access-logged, expiring', () => {
    const keyId = stack.getLogicalId(marketing.resultsKey.node.defaultChild as never);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const logsId = stack.getLogicalId(marketing.accessLogsBucket.node.defaultChild as never);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'results/' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
      }),
    });
    const resultsId = stack.getLogicalId(marketing.resultsBucket.node.defaultChild as never);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: resultsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('gives the role Athena in its own workgroup only, database listing, GetDataAccess and the results prefix and key', () => {
    const roleId = stack.getLogicalId(marketing.role.node.defaultChild as never);
    const statement = (s: object) =>
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleId }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(s)]) },
      });
    statement({
      Sid: 'AthenaInOwnWorkgroup',
      Action: Match.arrayWith(['athena:StartQueryExecution', 'athena:GetQueryResults']),
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:eu-west-1:111111111111:workgroup/shop-marketing']] },
    });
    statement({ Sid: 'LakeFormationDataAccess', Action: 'lakeformation:GetDataAccess', Resource: '*' });
    statement({ Sid: 'GlueListDatabases', Action: ['glue:GetDatabase', 'glue:GetDatabases'] });
    const keyId = stack.getLogicalId(marketing.resultsKey.node.defaultChild as never);
    const bucketId = stack.getLogicalId(marketing.resultsBucket.node.defaultChild as never);
    statement({ Sid: 'AthenaResultsKey', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    statement({
      Sid: 'AthenaResultsBucket',
      Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
    });
    statement({
      Sid: 'AthenaResultsObjects',
      Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/results/*']] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
          }),
        ],
      },
    });
  });

  it('delivers the results access logs through a bucket policy scoped to the results bucket (no ACLs)', () => {
    const logsId = stack.getLogicalId(marketing.accessLogsBucket.node.defaultChild as never);
    const resultsId = stack.getLogicalId(marketing.resultsBucket.node.defaultChild as never);
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'S3ServerAccessLogsOfResults',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [resultsId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'DenyGrantsExceptForAwsServices', Effect: 'Deny', Action: 'kms:CreateGrant' })]) },
    });
  });

  it('records its manifest entry', () => {
    expect(marketing.node.metadata.filter((m) => m.type === MANIFEST_METADATA_TYPE).map((m) => m.data)).toEqual([
      {
        kind: 'consumer',
        name: 'marketing',
        mesh: 'shop',
        path: 'consumers/Marketing',
        stackName: 'consumers',
        account: '111111111111', // the stack's env: a multi-account mesh knows where each consumer is
        workgroupName: 'shop-marketing',
        description: 'Campaign analytics.',
      },
    ]);
  });

  it('uses a given role and cutoff', () => {
    const s = newStack();
    const role = iam.Role.fromRoleArn(s, 'Existing', 'arn:aws:iam::111111111111:role/bi-team', { mutable: true });
    const bi = new DataConsumer(s, 'Bi', { consumerName: 'bi', role, bytesScannedCutoffPerQuery: 50_000_000 });
    expect(bi.role).toBe(role);
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 50_000_000 }),
    });
    t.hasResourceProperties('AWS::IAM::Policy', { Roles: ['bi-team'] });
  });

  it('warns when the results are not retained', () => {
    const s = newStack();
    new DataConsumer(s, 'Scratch', { consumerName: 'scratch', removalPolicy: RemovalPolicy.DESTROY });
    Annotations.fromStack(s).hasWarning(
      '/consumers/Scratch',
      Match.stringLikeRegexp('The results bucket and key of consumer "scratch" are deleted with the stack \\(removalPolicy destroy\\)'),
    );
  });

  it('refuses a cutoff below Athena minimum and a bad name, naming the fix', () => {
    const s = newStack();
    expect(() => new DataConsumer(s, 'Cheap', { consumerName: 'cheap', bytesScannedCutoffPerQuery: 1_000 })).toThrow(
      "[consumers/Cheap] bytesScannedCutoffPerQuery 1000 is below Athena's minimum: use an integer of at least 10000000 bytes (e.g. 10 * 1024 ** 3 for 10 GiB).",
    );
    expect(() => new DataConsumer(s, 'Bad', { consumerName: 'Marketing Team' })).toThrow(
      '[consumers/Bad] Consumer name "Marketing Team" must be 1-64 lower-case letters, digits, "_" or "-", starting with a letter (e.g. "marketing").',
    );
  });

  it('takes the mesh name from its props, else the app context, else "mesh" (as a domain does)', () => {
    const s = new Stack(new App(), 'consumers', { env: ENV });
    expect(new DataConsumer(s, 'C', { consumerName: 'c' }).meshName).toBe('mesh');
    expect(new DataConsumer(s, 'D', { consumerName: 'd', meshName: 'lab' }).workgroupName).toBe('lab-d');
  });
});
