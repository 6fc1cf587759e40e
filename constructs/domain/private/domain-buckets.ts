import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge } from '../../compliance/acknowledge';
import { BUCKET_BASELINE } from '../../compliance/bucket-baseline';
import { ERROR_PREFIX_ROOT } from '../../naming/naming';
import { FINDINGS } from '../../private/findings';
import type { NamedDomain } from './domain-names';

export interface DomainBucketsProps {
  readonly bucketName: string;
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  readonly errorRetention?: Duration;
  readonly noncurrentVersionRetention?: Duration;
  readonly accessLogRetention?: Duration;
}

/**
 * The domain's data bucket (`Data`: SSE-KMS with the domain key, versioned, TLS-only, error output and old
 * versions expired) and the bucket receiving its server access logs (`AccessLogs`, SSE-S3).
 */
export function domainBuckets(domain: NamedDomain, props: DomainBucketsProps): { logBucket: s3.Bucket; bucket: s3.Bucket } {
  const logBucket = new s3.Bucket(domain, 'AccessLogs', {
    ...BUCKET_BASELINE,
    // Server access logs can only be delivered to SSE-S3 buckets.
    encryption: s3.BucketEncryption.S3_MANAGED,
    minimumTLSVersion: 1.2,
    lifecycleRules: [
      { id: 'expire-access-logs', expiration: props.accessLogRetention ?? Duration.days(365), noncurrentVersionExpiration: Duration.days(1) },
    ],
    removalPolicy: props.removalPolicy,
  });
  const bucket = new s3.Bucket(domain, 'Data', {
    ...BUCKET_BASELINE,
    bucketName: props.bucketName,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: logBucket,
    serverAccessLogsPrefix: `${domain.domainName}/`,
    lifecycleRules: [
      { id: 'expire-error-output', prefix: ERROR_PREFIX_ROOT, expiration: props.errorRetention ?? Duration.days(30) },
      {
        id: 'expire-noncurrent-versions',
        noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
    ],
    removalPolicy: props.removalPolicy,
  });

  // Compliance findings that do not apply, with the reason.
  const objectLock =
    'Object Lock (WORM) would forbid what the mesh must do with its data: expire error output and old versions by lifecycle ' +
    'and erase personal data on request (GDPR). Integrity comes from versioning, TLS-only access and IAM/Lake Formation grants.';
  const notifications =
    'Nothing reacts to object events: products are written by Firehose and read through Athena with partition projection (no crawler).';
  acknowledge(logBucket, {
    [FINDINGS.guardBucketKms]: 'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3; SSE-KMS target buckets are not supported.',
    [FINDINGS.guardBucketLogging]: 'This bucket receives the server access logs of the data bucket; logging it would log its own log deliveries.',
    [FINDINGS.guardObjectLock]: objectLock,
    [FINDINGS.guardEventNotifications]: notifications,
  });
  acknowledge(bucket, { [FINDINGS.guardObjectLock]: objectLock, [FINDINGS.guardEventNotifications]: notifications });
  return { logBucket, bucket };
}
