import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { denyGrantsExceptForAwsServices } from '../../compliance/acknowledge';
import { keyAlias, keyArnParameterName } from '../../naming/naming';
import type { NamedDomain } from './domain-names';

/**
 * The domain key (`Key` in the domain's scope, rotation on, alias `alias/<mesh>/<domain>`): it encrypts the
 * domain's streams, data bucket and log groups; CloudWatch Logs of this account and region may use it, and
 * only AWS services may create grants on it.
 */
export function domainKey(domain: NamedDomain, removalPolicy: RemovalPolicy): kms.Key {
  const stack = Stack.of(domain);
  const key = new kms.Key(domain, 'Key', {
    description: `Encrypts the data products of domain ${domain.domainName} (mesh ${domain.meshName}): streams, data bucket, log groups.`,
    enableKeyRotation: true,
    alias: keyAlias(domain.meshName, domain.domainName),
    removalPolicy: removalPolicy,
    ...(removalPolicy === RemovalPolicy.DESTROY && { pendingWindow: Duration.days(7) }),
  });
  // The default key policy lets this account's IAM policies grant the key (producers, Firehose, Lake
  // Formation roles get exactly what they need that way). Services acting on their own need the key policy:
  // CloudWatch Logs encrypts the products' log groups, limited to log groups of this account and region.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'], // in a key policy, "*" is this key
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
      },
    }),
  );
  // Control Tower CT.KMS.PR.3: only AWS services (Kinesis, S3, Logs, Lake Formation) create grants on the key.
  denyGrantsExceptForAwsServices(key);
  // Products referenced by name (`DataProduct.fromName`) read the key's ARN here, so their grants name this key only.
  new ssm.StringParameter(domain, 'KeyArnParameter', {
    parameterName: keyArnParameterName(domain.meshName, domain.domainName),
    stringValue: key.keyArn,
    description: `ARN of the key of domain ${domain.domainName} (mesh ${domain.meshName}), read by products that reference it by name.`,
  });
  return key;
}
