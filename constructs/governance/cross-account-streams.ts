import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import type { IDataProductRef } from '../product/data-product-ref';
import { accountOf, differentAccounts } from './accounts';
import { definedProduct, productAccountOf } from './cross-account';
import { MeshGovernanceError } from './errors';

/** What a cross-account reader of a product's stream may call (Lambda event source mappings, KCL, enhanced fan-out). */
export const CROSS_ACCOUNT_STREAM_READ_ACTIONS = [
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
  'kinesis:SubscribeToShard',
  'kinesis:DescribeStreamConsumer',
] as const;

/** Whether `reader` reads `source`'s stream from another account. */
export function readsStreamAcrossAccounts(reader: IConstruct, source: IDataProductRef): boolean {
  return differentAccounts(productAccountOf(source), accountOf(reader));
}

/**
 * Lets the role `roleName` of `reader`'s account read `source`'s stream, on the producer's side (its stack):
 *
 * - a statement in the stream's resource policy (`AWS::Kinesis::ResourcePolicy`, one per stream aggregating
 *   every reader, as `PutResourcePolicy` replaces the whole policy);
 * - a statement in the domain key's policy: `kms:Decrypt` only under the stream's encryption context
 *   (`kms:EncryptionContext:aws:kinesis:arn`), so the key opens the stream's records, never the data in S3.
 *
 * Both name the reader's account root with an `aws:PrincipalArn` condition on the role, so they deploy before
 * the role exists and survive its re-creation. The reader's own IAM (actions on the stream ARN, `kms:Decrypt`
 * on the producer's keys under the same condition) comes with `grantReadStream`.
 */
export function shareStreamWithReader(reader: IConstruct, source: IDataProductRef, roleName: string): void {
  const readerAccount = accountOf(reader)!;
  const producer = definedProduct(source) as (IDataProductRef & { stream: kinesis.Stream; streamName: string; encryptionKey: kms.IKey }) | undefined;
  if (producer === undefined || producer === source) {
    throw new MeshGovernanceError(
      reader,
      `${source.productId} is read from account ${readerAccount} but this app does not define it, so its stream's resource policy cannot name the reader: ` +
        `define the producer's stack in this app, or add the statement to the stream's policy in the producer's app (account root ${readerAccount} with aws:PrincipalArn arn:aws:iam::${readerAccount}:role/${roleName}).`,
    );
  }
  const readerRoot = new iam.AccountPrincipal(readerAccount);
  const roleArn = `arn:${Aws.PARTITION}:iam::${readerAccount}:role/${roleName}`;
  const sid = (prefix: string) => `${prefix}${readerAccount}${roleName.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 100);
  // Built from the stream's physical name: the stream's own ARN attribute would make the key wait for the stream,
  // which already waits for the key (a cycle).
  const streamArn = Stack.of(producer).formatArn({ service: 'kinesis', resource: 'stream', resourceName: producer.streamName });
  producer.stream.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: sid('MeshRead'),
      principals: [readerRoot],
      actions: [...CROSS_ACCOUNT_STREAM_READ_ACTIONS],
      resources: [streamArn, `${streamArn}/consumer/*`],
      conditions: { ArnEquals: { 'aws:PrincipalArn': roleArn } },
    }),
  );
  const added = producer.encryptionKey.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: sid('MeshStreamDecrypt'),
      principals: [readerRoot],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        ArnEquals: { 'aws:PrincipalArn': roleArn },
        StringEquals: { 'kms:EncryptionContext:aws:kinesis:arn': streamArn },
      },
    }),
  );
  if (!added.statementAdded) {
    throw new MeshGovernanceError(
      reader,
      `The key of ${source.productId} (${producer.encryptionKey.node.path}) takes no policy statement (an imported or AWS-managed key), so account ${readerAccount} cannot decrypt its stream: use a customer-managed key defined in the producer's stack.`,
    );
  }
  if (!Stack.of(reader).dependencies.includes(Stack.of(producer))) {
    Stack.of(reader).addStackDependency(Stack.of(producer), `reads the ${source.productId} stream across accounts (its resource policy names this account)`);
  }
}
