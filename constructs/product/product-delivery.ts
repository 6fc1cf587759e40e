import { Stack, type Duration, type Size } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from '../compliance/acknowledge';
import { PARTITION_KEY } from '../contract/types';
import { FINDINGS } from '../private/findings';
import type { ProductLogging } from './private/product-config';

/** Construct id of the mapping `firehose.DeliveryStream` adds to its stack (aws-kinesisfirehose `setConnections`; `/` in ids becomes `--`). */
const FIREHOSE_CIDR_MAPPING = '@aws-cdk--aws-kinesisfirehose.CidrBlocks';

export interface ProductDeliveryProps extends ProductLogging {
  readonly productId: string;
  readonly deliveryStreamName: string;
  /** The product's stream, Firehose's source. */
  readonly stream: kinesis.IStream;
  /** The domain bucket: where the data is written, with the domain key (`encryptionKey`). */
  readonly bucket: s3.IBucket;
  readonly dataPrefix: string;
  readonly errorPrefix: string;
  readonly bufferingInterval: Duration;
  readonly bufferingSize: Size;
  /** The contract processor Firehose invokes for every batch. */
  readonly processor: lambda.IFunction;
  readonly dataProcessor: firehose.IDataProcessor;
  /** The table whose schema the Parquet conversion reads; Firehose waits for it. */
  readonly table: glue.S3Table;
  readonly cfnTable: glue.CfnTable;
  readonly databaseArn: string;
  readonly tableArn: string;
}

/**
 * The Firehose delivery stream from the product's stream to its table (`DeliveryLogs`, `DeliveryRole`,
 * `DeliveryPolicy`, `DeliveryStream` in the product's scope): the contract processor on every batch, Parquet
 * conversion with the table's schema, dynamic partitioning on `dt`, SSE-KMS with the domain key, and a role
 * with exactly the permissions this needs.
 */
export class ProductDelivery {
  public readonly deliveryStream: firehose.DeliveryStream;
  /** The role Firehose reads the stream, invokes the processor and writes S3 with. */
  public readonly role: iam.Role;
  public readonly policy: iam.Policy;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, props: ProductDeliveryProps) {
    const stack = Stack.of(scope);
    this.logGroup = new logs.LogGroup(scope, 'DeliveryLogs', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.role = new iam.Role(scope, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        // Firehose passes the account id as external id (confused-deputy protection).
        conditions: { StringEquals: { 'sts:ExternalId': stack.account } },
      }),
      description: `Firehose delivers data product ${props.productId} from its stream to its table with it.`,
    });
    this.policy = deliveryPolicy(scope, this.role, this.logGroup, props);

    // The role is passed immutable: the L2 would otherwise add its own, broader grants (the whole bucket,
    // glue:GetSchemaVersion on "*"); `deliveryPolicy` holds the exact ones.
    const immutableRole = this.role.withoutPolicyUpdates();
    this.deliveryStream = new firehose.DeliveryStream(scope, 'DeliveryStream', {
      deliveryStreamName: props.deliveryStreamName,
      source: new firehose.KinesisStreamSource(props.stream),
      role: immutableRole,
      destination: new firehose.S3Bucket(props.bucket, {
        role: immutableRole,
        dataOutputPrefix: `${props.dataPrefix}${PARTITION_KEY}=!{partitionKeyFromLambda:${PARTITION_KEY}}/`,
        errorOutputPrefix: props.errorPrefix,
        bufferingInterval: props.bufferingInterval,
        bufferingSize: props.bufferingSize,
        encryptionKey: props.encryptionKey,
        loggingConfig: new firehose.EnableLogging(this.logGroup),
        processors: [props.dataProcessor],
        dataFormatConversion: {
          schemaConfiguration: firehose.SchemaConfiguration.fromCfnTable(props.cfnTable),
          inputFormat: firehose.InputFormat.OPENX_JSON,
          outputFormat: firehose.OutputFormat.PARQUET,
        },
        dynamicPartitioning: { enabled: true },
      }),
    });
    // Parquet compresses itself (SNAPPY); S3-level compression must stay UNCOMPRESSED with format conversion
    // (the L2 refuses to set it then, and leaves it to the service default: state it).
    (this.deliveryStream.node.defaultChild as firehose.CfnDeliveryStream).addPropertyOverride(
      'ExtendedS3DestinationConfiguration.CompressionFormat',
      'UNCOMPRESSED',
    );
    // The L2 always adds a mapping of Firehose CIDR blocks for `connections` (VPC destinations); this
    // product never uses it, and an unreferenced mapping fails strict CloudFormation validation.
    stack.node.tryRemoveChild(FIREHOSE_CIDR_MAPPING);
    // Firehose checks its permissions when the stream is created: the policy must exist first.
    this.deliveryStream.node.addDependency(this.policy, props.table);

    // The findings that do not apply, with the reason.
    acknowledge(this.deliveryStream, {
      [FINDINGS.firehoseSse]:
        'Firehose cannot encrypt a delivery stream whose source is a Kinesis stream; the records are encrypted in the source stream ' +
        'and written to S3 with the domain key (KMSEncryptionConfig).',
    });
    acknowledge(this.policy, {
      [wildcardResourceFinding(scope, props.bucket.arnForObjects(`${props.dataPrefix}*`))]:
        "S3 object ARNs need a key pattern: Firehose writes partitioned objects under the product's own data prefix only.",
      [wildcardResourceFinding(scope, props.bucket.arnForObjects(`${errorRoot(props.errorPrefix)}*`))]:
        "S3 object ARNs need a key pattern: Firehose writes failed records under the product's own error prefix only.",
      [wildcardResourceFinding(scope, `${props.processor.functionArn}:*`)]:
        'Matches qualified invocations (versions, $LATEST) of this one processor function.',
    });
  }
}

/** The error prefix up to its first Firehose expression, e.g. `errors/order_placed_v1/`. */
function errorRoot(errorPrefix: string): string {
  return errorPrefix.slice(0, errorPrefix.indexOf('!{'));
}

/** The Firehose role's exact permissions. Every wildcard is an S3 key pattern or a log-stream pattern, commented below. */
function deliveryPolicy(scope: Construct, role: iam.IRole, deliveryLogs: logs.LogGroup, props: ProductDeliveryProps): iam.Policy {
  const stack = Stack.of(scope);
  const { processor, bucket, encryptionKey } = props;
  return new iam.Policy(scope, 'DeliveryPolicy', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'ReadSourceStream',
        actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
        resources: [props.stream.streamArn],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptSourceStream',
        actions: ['kms:Decrypt'],
        resources: [encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `kinesis.${stack.region}.amazonaws.com` } },
      }),
      new iam.PolicyStatement({
        sid: 'ReadTableSchema',
        actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        resources: [stack.formatArn({ service: 'glue', resource: 'catalog' }), props.databaseArn, props.tableArn],
      }),
      new iam.PolicyStatement({
        sid: 'InvokeProcessor',
        actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        // `:*` matches qualified invocations (e.g. `:$LATEST`) of this one function.
        resources: [processor.functionArn, `${processor.functionArn}:*`],
      }),
      new iam.PolicyStatement({
        sid: 'LocateBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'WriteDataAndErrors',
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        // Object keys under the product's own prefixes only: `*` is the rest of the key (partitions, file names).
        resources: [bucket.arnForObjects(`${props.dataPrefix}*`), bucket.arnForObjects(`${errorRoot(props.errorPrefix)}*`)],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptObjects',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
      new iam.PolicyStatement({
        sid: 'WriteDeliveryLogs',
        actions: ['logs:PutLogEvents'],
        // The log group's ARN ends in `:*` (its log streams): Firehose writes to the stream the L2 creates in it.
        resources: [deliveryLogs.logGroupArn],
      }),
    ],
  });
}
