/**
 * Small hand-written assemblies for the access model: one product (`sales.customer.v1`, PII column `email`)
 * in a bucket encrypted with its domain key, plus whatever roles, policies and grants a test adds.
 */
import type { AssemblyStack, CfnResource } from '../../../lib/access/assembly';
import { computeAccess, type AccessReport } from '../../../lib/access/access';
import type { ConsumerEntry, ManifestEntry } from '../../../constructs/manifest/manifest';
import { manifestOf } from '../../../lib/manifest/read-manifest';

export const PRODUCT = 'sales.customer.v1';
export const DATA = 'arn:${AWS::Partition}:s3:::mesh-sales-data/customer_v1/';
/** The construct path of the role `Reader` that tests give policies and grants. */
export const READER = 'consumers/Fraud/Role';
/** The manifest entry that makes `Reader` the role of consumer `fraud`. */
export const FRAUD_CONSUMER: ConsumerEntry = { kind: 'consumer', name: 'fraud', mesh: 'm', path: 'consumers/Fraud', stackName: 'sales', workgroupName: 'm-fraud' };

export function productStack(extra: Record<string, CfnResource> = {}, metadata: AssemblyStack['metadata'] = {}): AssemblyStack {
  return {
    stackName: 'sales',
    metadata,
    template: {
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
        KeyAlias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/mesh/sales', TargetKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
        Data: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'mesh-sales-data',
            BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] },
          },
        },
        Table: {
          Type: 'AWS::Glue::Table',
          Properties: {
            DatabaseName: 'sales',
            TableInput: {
              Name: 'customer_v1',
              Parameters: { 'mesh.product_id': PRODUCT, 'mesh.columns': JSON.stringify({ id: { required: true }, email: { required: true, classification: 'pii' }, country: { required: true } }) },
              StorageDescriptor: {
                Columns: [{ Name: 'id' }, { Name: 'email' }, { Name: 'country' }],
                Location: { 'Fn::Join': ['', ['s3://', { Ref: 'Data' }, '/customer_v1/']] },
              },
              PartitionKeys: [{ Name: 'dt' }],
            },
          },
        },
        Reader: { Type: 'AWS::IAM::Role', Properties: {}, Metadata: { 'aws:cdk:path': `${READER}/Resource` } },
        ...extra,
      },
    },
  };
}

export function reportOf(stack: AssemblyStack, entries: readonly ManifestEntry[] = []): AccessReport {
  return computeAccess([stack], manifestOf(entries), 'test assembly');
}

export const readerPolicy = (...statements: Record<string, unknown>[]): CfnResource => ({
  Type: 'AWS::IAM::Policy',
  Properties: { PolicyName: 'p', Roles: [{ Ref: 'Reader' }], PolicyDocument: { Statement: statements } },
});
