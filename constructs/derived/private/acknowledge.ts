import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges compliance findings (cdk-nag, Control Tower guard rules) that follow from how the construct
 * is built, each with the reason a reviewer reads in the validation report.
 */
export function acknowledge(scope: IConstruct, findings: Readonly<Record<string, string>>): void {
  Validations.of(scope).acknowledge(...Object.entries(findings).map(([id, reason]) => ({ id, reason })));
}

/** Finding ids the derived constructs acknowledge. */
export const FINDINGS = {
  iamWildcardResource: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
  iamGenerateDataKey: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
  iamReEncrypt: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
  sqsWithoutDlq: 'AwsSolutions::AwsSolutions-SQS3',
  guardSqsDlq: 'cdk-validator-cfnguard::sqs_dlq_check',
  guardObjectLock: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
  guardEventNotifications: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
  guardLambdaInVpc: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
} as const;

/**
 * The cdk-nag finding id of a wildcard resource, e.g. `AwsSolutions::AwsSolutions-IAM5[Resource::<DataBucket1234.Arn>/orders_v1/*]`:
 * the ARN resolved in `scope`'s stack and flattened the way cdk-nag prints it (Ref → `<Id>`, GetAtt → `<Id.Attr>`).
 * Exact for resources of the same stack and for names known at synth; a reference to another stack's resource
 * is exported, prints differently, and stays reported.
 */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `AwsSolutions::AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}]`;
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  const value = node as Record<string, unknown>;
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value.Ref !== undefined) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}
