import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { DELIVERY_FAILED } from '../../../lambdas/stream-transform/delivery-failed';
import { STREAM_TRANSFORM_ENV } from '../../../lambdas/stream-transform/env';
import { acknowledge, wildcardResourceFinding } from '../../compliance/acknowledge';
import { errorPrefix as conventionErrorPrefix } from '../../naming/naming';
import type { IDataProduct } from '../../product/types';

/**
 * Lets a streaming transform write the records it rejects to the target product's error location, beside its
 * Firehose errors: `s3:PutObject` under the product's error prefix, `s3:DeleteObject` under its `delivery-failed/`
 * folder only (payloads of undelivered records, removed once a retry gets past them). The bucket's default SSE-KMS uses
 * the domain key, on which the target's `grantWrite` already allows GenerateDataKey. Returns the function's
 * environment entries, or none when the target exposes no bucket (an imported product without one).
 */
export function grantErrorLocation(scope: IConstruct, target: IDataProduct, role: iam.IRole): Record<string, string> {
  // Every product (DataProductBase) has its domain bucket; IDataProduct does not declare it.
  const bucket = 'bucket' in target ? (target as { bucket: s3.IBucket }).bucket : undefined;
  if (bucket === undefined) return {};
  const errorPrefix = conventionErrorPrefix(target.productName, target.version);
  const objects = bucket.arnForObjects(`${errorPrefix.slice(0, errorPrefix.indexOf('!{'))}*`);
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
  // The payloads of records reported to the mapping are kept until a retry gets past them (delivery-failed.ts).
  const pending = bucket.arnForObjects(`${errorPrefix.slice(0, errorPrefix.indexOf('!{'))}${DELIVERY_FAILED}/*`);
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [pending] }));
  acknowledge(role, {
    [wildcardResourceFinding(scope, objects)]:
      "S3 object ARNs need a key pattern: the transform writes rejected records under the target product's own error prefix only.",
    [wildcardResourceFinding(scope, pending)]:
      'S3 object ARNs need a key pattern: the transform deletes only the payload objects of undelivered records it wrote, under delivery-failed/ of its own error prefix.',
  });
  return { [STREAM_TRANSFORM_ENV.errorBucket]: bucket.bucketName, [STREAM_TRANSFORM_ENV.errorPrefix]: errorPrefix };
}
