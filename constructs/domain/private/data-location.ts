import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge, wildcardResourceFinding } from '../../compliance/acknowledge';
import type { NamedDomain } from './domain-names';

/**
 * Registers the data bucket with Lake Formation (`DataLocation`), with a role of its own
 * (`LakeFormationRole`, `LakeFormationRolePolicy`) that may read and write the bucket with the domain key.
 */
export function registerDataLocation(domain: NamedDomain, bucket: s3.IBucket, key: kms.IKey): { registrationRole: iam.Role; dataLocation: lakeformation.CfnResource } {
  // A customer-managed key needs a custom registration role (the service-linked role cannot use it).
  const registrationRole = new iam.Role(domain, 'LakeFormationRole', {
    assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com'),
    description: `Lake Formation reads and writes the ${domain.domainName} data bucket with it.`,
  });
  const registrationPolicy = new iam.Policy(domain, 'LakeFormationRolePolicy', {
    roles: [registrationRole],
    statements: [
      new iam.PolicyStatement({
        sid: 'ListDataBucket',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadWriteData',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        // Object ARNs need a key pattern: the registered location is the whole bucket.
        resources: [bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'UseDomainKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [key.keyArn],
      }),
    ],
  });
  const dataLocation = new lakeformation.CfnResource(domain, 'DataLocation', {
    resourceArn: bucket.bucketArn,
    useServiceLinkedRole: false,
    roleArn: registrationRole.roleArn,
  });
  dataLocation.node.addDependency(registrationPolicy);
  acknowledge(registrationPolicy, {
    [wildcardResourceFinding(domain, bucket.arnForObjects('*'))]:
      'Lake Formation vends access to every table location of the registered bucket; object ARNs need a key pattern and the pattern covers this one bucket only.',
  });
  return { registrationRole, dataLocation };
}
