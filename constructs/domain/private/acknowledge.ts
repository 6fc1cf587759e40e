export { acknowledge, wildcardResourceFinding } from '../../compliance/acknowledge';

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
