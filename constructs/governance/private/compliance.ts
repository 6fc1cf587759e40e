export {
  acknowledge,
  denyGrantsExceptForAwsServices,
  wildcardResourceFinding,
} from '../../compliance/acknowledge';

/** Finding ids (cdk-nag AwsSolutions, Control Tower guard rules) the governance constructs acknowledge. */
export const FINDINGS = {
  iamWildcardResource: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
  guardLambdaInVpc: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
  guardObjectLock: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
  guardEventNotifications: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
  guardBucketKms: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
  guardBucketLogging: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
} as const;

