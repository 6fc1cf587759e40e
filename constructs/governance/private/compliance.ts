import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';

/** Finding ids (cdk-nag AwsSolutions, Control Tower guard rules) the governance constructs acknowledge. */
export const FINDINGS = {
  iamWildcardResource: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
  guardLambdaInVpc: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
  guardObjectLock: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
  guardEventNotifications: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
  guardBucketKms: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
  guardBucketLogging: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
} as const;

/** Acknowledges findings that follow from how the construct is built, each with the reason a reviewer reads. */
export function acknowledge(scope: IConstruct, findings: Readonly<Record<string, string>>): void {
  Validations.of(scope).acknowledge(...Object.entries(findings).map(([id, reason]) => ({ id, reason })));
}

/**
 * The cdk-nag id of a wildcard resource finding, e.g.
 * `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:eu-west-1:111111111111:database/*]`:
 * the ARN resolved in `scope`'s stack and flattened the way cdk-nag prints it.
 */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `AwsSolutions::AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}]`;
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  const value = node as Record<string, unknown>;
  if (value['Fn::Join'] !== undefined) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::GetAtt'] !== undefined) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value.Ref !== undefined) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}

/** Control Tower CT.KMS.PR.3: only AWS services may create grants on a customer-managed key. */
export function denyGrantsExceptForAwsServices(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'], // in a key policy, "*" is the key itself
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
}
