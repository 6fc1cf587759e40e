import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { DerivedProductError } from '../errors';
import type { ExistingWorkgroup, LakeProduct } from '../sql-pipeline-props';

const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
  'athena:GetWorkGroup',
];
const GLUE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'];
const GLUE_PARTITION_WRITE_ACTIONS = ['glue:BatchCreatePartition', 'glue:CreatePartition'];
const S3_OBJECT_WRITE_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
const S3_BUCKET_WRITE_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'];
const KMS_WRITE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** The state machine role's statements: everything the queries touch, nothing else. */
export function queryStatements(scope: Construct, sources: readonly LakeProduct[], target: LakeProduct, workgroup: ExistingWorkgroup): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const tables = [...sources, target];
  const catalog = stack.formatArn({ service: 'glue', resource: 'catalog' });
  const database = (p: LakeProduct) => stack.formatArn({ service: 'glue', resource: 'database', resourceName: p.databaseName });
  const table = (p: LakeProduct) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${p.databaseName}/${p.tableName}` });
  const resultsPrefix = workgroup.resultsPrefix ?? '';
  const statements = [
    new iam.PolicyStatement({
      actions: ATHENA_QUERY_ACTIONS,
      resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workgroup.workgroupName })],
    }),
    new iam.PolicyStatement({
      actions: ['athena:GetDataCatalog'],
      resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
    }),
    new iam.PolicyStatement({ actions: GLUE_READ_ACTIONS, resources: unique([catalog, ...tables.map(database), ...tables.map(table)]) }),
    new iam.PolicyStatement({ actions: GLUE_PARTITION_WRITE_ACTIONS, resources: [catalog, database(target), table(target)] }),
    // Lake Formation vends the S3 credentials of registered locations; GetDataAccess has no resource-level permissions.
    new iam.PolicyStatement({ actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
  ];
  // No S3 or KMS statement for the sources: Athena reads them with the credentials Lake Formation vends for
  // their registered locations, through the column filter of the SELECT grant. An IAM read on their objects
  // would bypass that filter (issue 15).
  statements.push(
    new iam.PolicyStatement({ actions: S3_OBJECT_WRITE_ACTIONS, resources: [target.bucket.arnForObjects(`${target.dataPrefix}*`)] }),
    ...listStatements(target.bucket, target.dataPrefix, S3_BUCKET_WRITE_ACTIONS),
    new iam.PolicyStatement({ actions: S3_OBJECT_WRITE_ACTIONS, resources: [workgroup.resultsBucket.arnForObjects(`${resultsPrefix}*`)] }),
    ...listStatements(workgroup.resultsBucket, resultsPrefix, S3_BUCKET_WRITE_ACTIONS),
  );
  // Keys: encrypt and decrypt what is written (the target's data and the results), nothing read through Lake Formation.
  const writeKeys = [target.encryptionKey, ...(workgroup.resultsKey ? [workgroup.resultsKey] : [])];
  statements.push(...keyStatements(scope, writeKeys, KMS_WRITE_ACTIONS));
  return statements;
}

/** `s3:ListBucket` limited to keys under `prefix`, plus bucket-level `actions` (which have no prefix condition key). */
function listStatements(bucket: s3.IBucket, prefix: string, actions: string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      ...(prefix !== '' && { conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }),
    }),
    new iam.PolicyStatement({ actions, resources: [bucket.bucketArn] }),
  ];
}

/**
 * KMS statements for `keys`, by key ARN. A key known only by its alias is refused: IAM does not match a key
 * through an alias ARN, and the only other way, `key/*` with a `kms:ResourceAliases` condition, names every key
 * of the account.
 */
function keyStatements(scope: Construct, keys: readonly kms.IKey[], actions: string[]): iam.PolicyStatement[] {
  const alias = keys.find(isAlias);
  if (alias !== undefined) {
    throw new DerivedProductError(
      scope,
      `The key "${alias.aliasName}" is known only by its alias, and the pipeline writes with it: pass the key itself (kms.Key.fromKeyArn(...), or the DataProduct rather than DataProduct.fromName) so the grant names its ARN, not key/*.`,
    );
  }
  return [new iam.PolicyStatement({ actions, resources: unique(keys.map((key) => key.keyArn)) })];
}

function isAlias(key: kms.IKey): key is kms.IAlias {
  return typeof (key as Partial<kms.IAlias>).aliasName === 'string';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
