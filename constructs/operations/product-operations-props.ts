import type { Duration } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { PROCESSOR_METRICS } from '../../lambdas/firehose-processor/metrics';
import type { ContractSpec } from '../contract/types';
import { MeshError } from '../errors';

/**
 * Where the Firehose processor publishes its record counts (Powertools metrics, EMF). The names are
 * the handler's own (`PROCESSOR_METRICS` of lambdas/firehose-processor/metrics.ts), with the `service` and
 * `product` dimensions.
 */
export const PROCESSOR_METRICS_DEFAULTS = {
  namespace: PROCESSOR_METRICS.namespace,
  service: PROCESSOR_METRICS.service,
  failedRecords: PROCESSOR_METRICS.failed,
  okRecords: PROCESSOR_METRICS.ok,
  droppedRecords: PROCESSOR_METRICS.dropped,
} as const;

/** A Lambda function reading the product's stream (e.g. a streaming derived product's transform). */
export interface OperatedStreamingConsumer {
  /** Shown on the dashboard and in alarm descriptions, e.g. `recommendations.product_views.v1 transform`. */
  readonly label: string;
  readonly function: lambda.IFunction;
  /** The on-failure destination of its event source mapping. @default - no dead-letter alarm for it */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * What `ProductOperations` needs of a product. `DataProduct` provides these; the interface keeps the
 * operations construct independent of the product class.
 */
export interface IOperatedProduct {
  /** `<domain>.<name>.v<version>`, e.g. `orders.order_placed.v1`. */
  readonly productId: string;
  /** The contract: its SLA sets the thresholds, its owner contact receives the alarms. */
  readonly contract: { readonly spec: ContractSpec };
  /** The product's Kinesis stream (its real-time API). */
  readonly stream: kinesis.IStream;
  /** The Firehose delivery stream writing the table. */
  readonly deliveryStreamName: string;
  /** The Firehose processor (validation, normalisation, partition keys). */
  readonly processor: lambda.IFunction;
  /** Lambda functions reading the stream. @default - none */
  readonly streamingConsumers?: readonly OperatedStreamingConsumer[];
  /** Other dead-letter queues of the product's pipelines. @default - none */
  readonly deadLetterQueues?: readonly sqs.IQueue[];
  /**
   * The delivery stream's buffering interval, to warn when the freshness SLA is tighter than delivery can be.
   * @default - not checked
   */
  readonly bufferingInterval?: Duration;
}

export interface ProductOperationsProps {
  readonly product: IOperatedProduct;
  /**
   * E-mail address subscribed to the alarm topic.
   * @default - the contract's `owner.contact`
   */
  readonly alarmEmail?: string;
  /**
   * Key encrypting the alarm topic; CloudWatch is allowed to use it (a key policy statement is added).
   * @default - a new customer-managed key with rotation, retained on delete
   */
  readonly topicEncryptionKey?: kms.IKey;
  /**
   * Namespace and `service` dimension the processor publishes its metrics under.
   * @default PROCESSOR_METRICS_DEFAULTS
   */
  readonly processorMetrics?: { readonly namespace?: string; readonly service?: string };
  /**
   * Period of every alarm and graph.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
  /**
   * Name of the CloudWatch dashboard.
   * @default - the delivery stream name (the product's naming-convention name), e.g. `shop-orders-order_placed-v1`
   */
  readonly dashboardName?: string;
}

/** A `ProductOperations` configuration that cannot work. The message names the construct path, value and fix. */
export class ProductOperationsError extends MeshError {
  constructor(scope: IConstruct, message: string) {
    super(message, scope);
    this.name = 'ProductOperationsError';
  }
}
