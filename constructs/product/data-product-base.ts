import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PROCESSOR_METRICS } from '../../lambdas/firehose-processor/metrics';
import type { IMeshConsumer } from '../consumer/types';
import type { Contract } from '../contract/contract';
import { grantProductRead, type ProductReadGrant } from '../governance/grants';
import { recordStreamRead, streamReadEntry } from '../governance/stream-grant';
import type { GrantReadOptions, GrantReadStreamOptions, IDataProduct } from './types';

/** What producers need: put records (and find the shards). */
export const STREAM_WRITE_ACTIONS = [
  'kinesis:PutRecord',
  'kinesis:PutRecords',
  'kinesis:ListShards',
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
] as const;
/** What stream readers need (Lambda event source mappings, KCL consumers, enhanced fan-out). */
export const STREAM_READ_ACTIONS = [
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:SubscribeToShard',
  'kinesis:DescribeStreamConsumer',
] as const;
/** A producer to an encrypted stream needs a data key from the stream's key. */
export const KEY_WRITE_ACTIONS = ['kms:GenerateDataKey', 'kms:Encrypt'] as const;
/** A reader of an encrypted stream decrypts with the stream's key. */
export const KEY_READ_ACTIONS = ['kms:Decrypt'] as const;

/** Namespace and dimensions of the processor's own metrics (lambdas/firehose-processor/metrics.ts, Powertools). */
export { PROCESSOR_METRICS };

/** Where the product's key grants apply: the key's ARN, or (for a key known by alias) any key carrying the alias. */
export interface KeyGrantTarget {
  readonly resourceArns: readonly string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/**
 * What every data product offers, whether defined in this app (`DataProduct`) or referenced by name
 * (`DataProduct.fromName`): names, grants on the stream and its key, and metrics. Other modules add
 * behaviour on top of `IDataProduct` (Lake Formation grants, operations, derived products).
 */
export abstract class DataProductBase extends Construct implements IDataProduct {
  public abstract readonly productId: string;
  public abstract readonly meshName: string;
  public abstract readonly domainName: string;
  public abstract readonly productName: string;
  public abstract readonly version: number;
  public abstract readonly contract?: Contract;
  public abstract readonly databaseName: string;
  public abstract readonly tableName: string;
  /** `arn:…:glue:<region>:<account>:table/<database>/<table>` */
  public abstract readonly tableArn: string;
  /** `arn:…:glue:<region>:<account>:database/<database>` */
  public abstract readonly databaseArn: string;
  /** The Kinesis stream name, e.g. `shop-orders-order_placed-v1`. */
  public abstract readonly streamName: string;
  /** The Firehose delivery stream name (same as the stream name). */
  public abstract readonly deliveryStreamName: string;
  public abstract readonly stream: kinesis.IStream;
  public abstract readonly encryptionKey: kms.IKey;
  /** The domain bucket holding the table's data. */
  public abstract readonly bucket: s3.IBucket;
  /** Key prefix of the table's data in the bucket, e.g. `order_placed_v1/`. */
  public abstract readonly dataPrefix: string;

  /** Where key grants point (`grantWrite`, `grantReadStream`). */
  protected abstract readonly keyGrantTarget: KeyGrantTarget;

  /**
   * Lets `grantee` put records into the product's stream: PutRecord, PutRecords, ListShards,
   * DescribeStream* on the stream, and kms:GenerateDataKey / kms:Encrypt on the domain key.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantOnStream(grantee, STREAM_WRITE_ACTIONS, KEY_WRITE_ACTIONS);
  }

  /**
   * Lets `grantee` read the product's stream in real time: GetRecords, GetShardIterator, ListShards,
   * DescribeStream*, SubscribeToShard on the stream, and kms:Decrypt on the domain key. A stream record carries
   * every column: a product with PII columns requires `options.pii` naming all of them with a reason (else
   * synth fails); readers without one read a streaming derived product that projects PII away. The read is
   * recorded as a manifest grant (`STREAM_READ`), and its reason in the product's table parameters.
   *
   * @example
   * orderPlaced.grantReadStream(fraudDetector);
   * customerRegistered.grantReadStream(welcomeMailer, { pii: { columns: ['email'], reason: 'Sends the welcome e-mail at sign-up.' } });
   */
  public grantReadStream(grantee: iam.IGrantable, options: GrantReadStreamOptions = {}): iam.Grant {
    const entry = streamReadEntry(this, grantee, options);
    const grant = this.grantOnStream(grantee, STREAM_READ_ACTIONS, KEY_READ_ACTIONS);
    recordStreamRead(this, grantee, entry);
    return grant;
  }

  /**
   * Lets `consumer` (a `DataConsumer`, or a service role wrapped with `MeshConsumer.fromRole`) query the
   * product's table through Lake Formation: DESCRIBE on the database and the table, and SELECT on the columns
   * of the contract that are not PII, plus the PII columns `options.pii.columns` names with `options.pii.reason`
   * (an allow-list computed at synth); the reason is recorded in the grant's manifest entry and the product's metadata. The grants
   * live in the consumer (its stack). Same as `grantProductRead(this, consumer, options)`.
   *
   * @example
   * customerRegistered.grantRead(management);                                       // no email
   * customerRegistered.grantRead(marketing, { pii: { columns: ['email'], reason: 'Newsletter campaigns to customers who opted in.' } });
   */
  public grantRead(consumer: IMeshConsumer, options?: GrantReadOptions): ProductReadGrant {
    return grantProductRead(this, consumer, options);
  }

  /** Records put into the stream (Kinesis `IncomingRecords`). @default Sum over 5 minutes */
  public metricIncomingRecords(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.productMetric('AWS/Kinesis', 'IncomingRecords', { StreamName: this.streamName }, 'Sum', props);
  }

  /** Bytes put into the stream (Kinesis `IncomingBytes`). @default Sum over 5 minutes */
  public metricIncomingBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.productMetric('AWS/Kinesis', 'IncomingBytes', { StreamName: this.streamName }, 'Sum', props);
  }

  /**
   * Age in seconds of the oldest record in Firehose not yet delivered to S3 (`DeliveryToS3.DataFreshness`).
   * @default Maximum over 5 minutes
   */
  public metricDeliveryFreshness(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.productMetric('AWS/Firehose', 'DeliveryToS3.DataFreshness', { DeliveryStreamName: this.deliveryStreamName }, 'Maximum', props);
  }

  /** Records delivered to S3 (`DeliveryToS3.Records`). @default Sum over 5 minutes */
  public metricDeliveredRecords(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.productMetric('AWS/Firehose', 'DeliveryToS3.Records', { DeliveryStreamName: this.deliveryStreamName }, 'Sum', props);
  }

  /** Records that failed Parquet conversion (`FailedConversion.Records`). @default Sum over 5 minutes */
  public metricFormatConversionFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.productMetric('AWS/Firehose', 'FailedConversion.Records', { DeliveryStreamName: this.deliveryStreamName }, 'Sum', props);
  }

  /**
   * Records the processor rejected (`ProcessingFailed`: invalid JSON, contract violations), from the
   * processor's own metrics. @default Sum over 5 minutes
   */
  public metricProcessingFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.processorMetric(PROCESSOR_METRICS.failed, props);
  }

  /** Records the processor accepted (`Ok`). @default Sum over 5 minutes */
  public metricProcessedRecords(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.processorMetric(PROCESSOR_METRICS.ok, props);
  }

  /** Records the product's transform dropped (`Dropped`). @default Sum over 5 minutes */
  public metricDroppedRecords(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.processorMetric(PROCESSOR_METRICS.dropped, props);
  }

  private processorMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.productMetric(PROCESSOR_METRICS.namespace, metricName, { service: PROCESSOR_METRICS.service, product: this.productId }, 'Sum', props);
  }

  private productMetric(
    namespace: string,
    metricName: string,
    dimensionsMap: Record<string, string>,
    statistic: string,
    props?: cloudwatch.MetricOptions,
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace,
      metricName,
      dimensionsMap,
      statistic,
      period: Duration.minutes(5),
      ...props,
    }).attachTo(this);
  }

  private grantOnStream(grantee: iam.IGrantable, streamActions: readonly string[], keyActions: readonly string[]): iam.Grant {
    const streamGrant = iam.Grant.addToPrincipal({ grantee, actions: [...streamActions], resourceArns: [this.stream.streamArn] });
    const keyGrant = iam.Grant.addToPrincipal({
      grantee,
      actions: [...keyActions],
      resourceArns: [...this.keyGrantTarget.resourceArns],
      ...(this.keyGrantTarget.conditions !== undefined && { conditions: this.keyGrantTarget.conditions }),
    });
    return streamGrant.combine(keyGrant);
  }
}
