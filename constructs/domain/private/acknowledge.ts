import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges compliance findings (cdk-nag AwsSolutions, Control Tower guard rules) that follow from how
 * the domain and product constructs are built, each on the construct concerned and with the reason a
 * security reviewer reads in `validation-report.json`.
 */
export function acknowledge(scope: IConstruct, findings: Readonly<Record<string, string>>): void {
  Validations.of(scope).acknowledge(...Object.entries(findings).map(([id, reason]) => ({ id, reason })));
}

/**
 * The cdk-nag id of a wildcard-resource finding, e.g.
 * `AwsSolutions::AwsSolutions-IAM5[Resource::<DomainDataCFE7249C.Arn>/order_placed_v1/*]`: the ARN resolved
 * in `scope`'s stack and printed the way cdk-nag prints it (Ref → `<Id>`, GetAtt → `<Id.Attr>`).
 */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `AwsSolutions::AwsSolutions-IAM5[Resource::${printed(Stack.of(scope).resolve(arn))}]`;
}

function printed(node: unknown): string {
  if (typeof node === 'string') return node;
  const value = node as Record<string, unknown>;
  if (value['Fn::Join'] !== undefined) {
    const [delimiter, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.map(printed).join(delimiter);
  }
  if (value['Fn::GetAtt'] !== undefined) {
    const [resource, attribute] = value['Fn::GetAtt'] as [string, string];
    return `<${resource}.${attribute}>`;
  }
  if (value.Ref !== undefined) return `<${String(value.Ref)}>`;
  return JSON.stringify(node);
}

/** Finding ids acknowledged by the domain and product constructs. */
export const FINDINGS = {
  kinesisCustomerManagedKey: 'AwsSolutions::AwsSolutions-KDS3',
  firehoseSse: 'AwsSolutions::AwsSolutions-KDF1',
  lambdaInVpc: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
  bucketKms: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
  bucketLogging: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
  objectLock: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
  eventNotifications: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
} as const;
