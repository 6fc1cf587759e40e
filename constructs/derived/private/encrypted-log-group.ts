import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DerivedProductError } from '../errors';

export interface EncryptedLogGroupProps {
  readonly logGroupName: string;
  /** Must be a key defined in this app: its key policy gets a statement for CloudWatch Logs. */
  readonly encryptionKey: kms.IKey;
  readonly retention: logs.RetentionDays;
}

/**
 * A log group encrypted with a customer key. CloudWatch Logs uses the key with its own service principal, so
 * the key policy must allow it — for this log group only (encryption-context condition on its ARN).
 */
export function encryptedLogGroup(scope: Construct, id: string, props: EncryptedLogGroupProps): logs.LogGroup {
  const stack = Stack.of(scope);
  const logGroupArn = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: props.logGroupName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const result = props.encryptionKey.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `Logs${props.logGroupName.replace(/[^A-Za-z0-9]/g, '')}`,
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
    }),
    /* allowNoOp */ true,
  );
  if (!result.statementAdded) {
    throw new DerivedProductError(
      scope,
      `The key for the log group ${props.logGroupName} (${props.encryptionKey.node.path}) is imported, so its key policy cannot let CloudWatch Logs use it: pass a kms.Key defined in this app.`,
    );
  }
  return new logs.LogGroup(scope, id, { logGroupName: props.logGroupName, encryptionKey: props.encryptionKey, retention: props.retention });
}
