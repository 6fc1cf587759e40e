export { acknowledge, wildcardResourceFinding } from '../../compliance/acknowledge';

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

