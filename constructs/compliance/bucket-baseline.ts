import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket of the mesh has, whatever it holds (data, access logs, query results): no public access,
 * a bucket policy that denies requests without TLS, and versioning (lifecycle rules expire old versions).
 * Spread it into the bucket's props: `new s3.Bucket(this, 'Data', { ...BUCKET_BASELINE, encryption, … })`.
 */
export const BUCKET_BASELINE = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  versioned: true,
} as const satisfies s3.BucketProps;
