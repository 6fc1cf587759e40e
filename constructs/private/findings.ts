/**
 * Ids of the compliance findings (cdk-nag AwsSolutions, Control Tower guard rules) the constructs acknowledge
 * where they follow from how a construct is built; each acknowledgement carries its reason at the construct.
 */
export const FINDINGS = {
  iamWildcardResource: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
  iamGenerateDataKey: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
  iamReEncrypt: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
  sqsWithoutDlq: 'AwsSolutions::AwsSolutions-SQS3',
  kinesisCustomerManagedKey: 'AwsSolutions::AwsSolutions-KDS3',
  firehoseSse: 'AwsSolutions::AwsSolutions-KDF1',
  guardSqsDlq: 'cdk-validator-cfnguard::sqs_dlq_check',
  guardLambdaInVpc: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
  guardObjectLock: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
  guardEventNotifications: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
  guardBucketKms: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
  guardBucketLogging: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
} as const;
