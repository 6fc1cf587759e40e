import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { denyGrantsExceptForAwsServices } from '../compliance/acknowledge';
import { PROCESSOR_METRICS_DEFAULTS, ProductOperationsError, type IOperatedProduct, type ProductOperationsProps } from './product-operations-props';
import { operationsThresholds, type OperationsThresholds } from './thresholds';

export * from './product-operations-props';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Operations of one data product: a CloudWatch dashboard, alarms whose thresholds come from the
 * contract's SLA (see `operationsThresholds`), and an encrypted SNS topic that e-mails the owner.
 *
 * Defines:
 * - an SNS topic (KMS-encrypted, TLS-only publishing) with an e-mail subscription to the owner contact,
 *   and a KMS key for it unless one is given;
 * - alarms, each notifying the topic on ALARM and OK: data freshness (if the SLA declares it), stream
 *   iterator age, processor errors, failed records, format-conversion failures, and per streaming consumer
 *   its iterator age; one per dead-letter queue;
 * - a dashboard: alarm status, stream traffic, delivery freshness and failures, processor health, consumers.
 *
 * @example
 * new ProductOperations(this, 'OrderPlacedOps', {
 *   product: { productId, contract, stream, deliveryStreamName, processor },
 * });
 */
export class ProductOperations extends Construct {
  /** The topic alarms notify; subscribe more endpoints (chat, paging) to it. */
  public readonly topic: sns.ITopic;
  /** The key encrypting the topic. */
  public readonly topicKey: kms.IKey;
  public readonly dashboard: cloudwatch.Dashboard;
  /** The thresholds in use, derived from the SLA. */
  public readonly thresholds: OperationsThresholds;
  /** `DeliveryToS3.DataFreshness` over the SLA; `undefined` when the SLA declares no freshness. */
  public readonly freshnessAlarm?: cloudwatch.Alarm;
  /** How far behind the oldest reader of the stream is (Firehose or a streaming consumer). */
  public readonly streamIteratorAgeAlarm: cloudwatch.Alarm;
  public readonly processorErrorsAlarm: cloudwatch.Alarm;
  public readonly failedRecordsAlarm: cloudwatch.Alarm;
  public readonly formatConversionAlarm: cloudwatch.Alarm;
  /** One per streaming consumer, in the order given. */
  public readonly consumerIteratorAgeAlarms: readonly cloudwatch.Alarm[];
  /** One per dead-letter queue (streaming consumers' first, then `deadLetterQueues`). */
  public readonly deadLetterQueueAlarms: readonly cloudwatch.Alarm[];
  /** Every alarm above. */
  public readonly alarms: readonly cloudwatch.Alarm[];

  private readonly period: Duration;
  private readonly namePrefix?: string;

  constructor(scope: Construct, id: string, props: ProductOperationsProps) {
    super(scope, id);
    const product = props.product;
    this.period = props.period ?? Duration.minutes(5);
    this.thresholds = operationsThresholds(product.contract.spec.sla);
    this.namePrefix = Token.isUnresolved(product.deliveryStreamName) ? undefined : product.deliveryStreamName;
    this.validate(props);

    this.topicKey = this.createTopicKey(props);
    this.topic = this.createTopic(props, this.topicKey);
    const metrics = this.productMetrics(props);
    const alarm = this.alarmFactory(product, new actions.SnsAction(this.topic));
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const atLeast = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const t = this.thresholds;
    const spec = product.contract.spec;

    if (t.freshnessSeconds !== undefined) {
      this.freshnessAlarm = alarm('FreshnessAlarm', 'freshness', metrics.dataFreshness, t.freshnessSeconds, above,
        `the oldest record not yet in S3 is older than the SLA freshness of ${spec.sla.freshnessMinutes} minutes (${t.freshnessSeconds} s).`);
    } else {
      Annotations.of(this).addWarningV2(
        'cdk-data-mesh:operations-no-freshness',
        `Data product ${product.productId} declares no sla.freshnessMinutes, so it gets no freshness alarm: declare it in the contract (e.g. sla: { freshnessMinutes: 15 }).`,
      );
    }
    this.streamIteratorAgeAlarm = alarm('StreamIteratorAgeAlarm', 'stream-iterator-age', metrics.streamIteratorAge, t.iteratorAgeMilliseconds, above,
      `a reader of stream is more than ${t.iteratorAgeMilliseconds} ms behind (half the freshness budget).`);
    this.processorErrorsAlarm = alarm('ProcessorErrorsAlarm', 'processor-errors', metrics.processorErrors, t.processorErrors, atLeast,
      'the Firehose processor failed (Firehose retries the batch, then writes it under processing-failed/).');
    this.failedRecordsAlarm = alarm('FailedRecordsAlarm', 'failed-records', metrics.failedRecords, t.failedRecords, atLeast,
      'records broke the contract and went to the processing-failed/ error prefix instead of the table.');
    this.formatConversionAlarm = alarm('FormatConversionAlarm', 'format-conversion-failures', metrics.failedConversions, t.failedConversions, atLeast,
      'records failed Parquet conversion and went to the format-conversion-failed/ error prefix.');

    const consumers = product.streamingConsumers ?? [];
    this.consumerIteratorAgeAlarms = consumers.map((consumer, i) =>
      alarm(`ConsumerIteratorAgeAlarm${i}`, `consumer-${i}-iterator-age`,
        metrics.consumerIteratorAge(consumer.function),
        t.iteratorAgeMilliseconds, above,
        `streaming consumer "${consumer.label}" is more than ${t.iteratorAgeMilliseconds} ms behind the stream (half the freshness budget).`),
    );
    const queues = [
      ...consumers.flatMap((c) => (c.deadLetterQueue === undefined ? [] : [{ queue: c.deadLetterQueue, label: `${c.label} dead-letter queue` }])),
      ...(product.deadLetterQueues ?? []).map((queue, i) => ({ queue, label: `dead-letter queue ${i + 1}` })),
    ];
    this.deadLetterQueueAlarms = queues.map(({ queue, label }, i) =>
      alarm(`DeadLetterQueueAlarm${i}`, `dlq-${i}`,
        metrics.queueDepth(queue),
        t.deadLetterMessages, atLeast, `records are waiting in the ${label}: inspect and redrive them.`),
    );
    this.alarms = [
      ...(this.freshnessAlarm ? [this.freshnessAlarm] : []),
      this.streamIteratorAgeAlarm,
      this.processorErrorsAlarm,
      this.failedRecordsAlarm,
      this.formatConversionAlarm,
      ...this.consumerIteratorAgeAlarms,
      ...this.deadLetterQueueAlarms,
    ];
    this.dashboard = this.createDashboard(props, metrics, queues);
  }

  /** The given key, or a new one; either way CloudWatch must be allowed to publish with it. */
  private createTopicKey(props: ProductOperationsProps): kms.IKey {
    const key =
      props.topicEncryptionKey ??
      new kms.Key(this, 'AlarmTopicKey', {
        enableKeyRotation: true,
        description: `Encrypts the alarm topic of data product ${props.product.productId}`,
      });
    // CloudWatch publishes to an encrypted topic only if the key lets it (AWS-managed aws/sns keys cannot).
    const keyPolicy = key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, "*" is the key itself
      }),
      /* allowNoOp */ true,
    );
    if (props.topicEncryptionKey === undefined) {
      // Control Tower CT.KMS.PR.3: only AWS services may create grants on the key.
      denyGrantsExceptForAwsServices(key as kms.Key);
    }
    if (!keyPolicy.statementAdded) {
      Annotations.of(this).addWarningV2(
        'cdk-data-mesh:operations-imported-key',
        `The alarm topic key ${key.keyArn} is imported, so its policy cannot be changed here: allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* on it, or alarms cannot publish.`,
      );
    }
    return key;
  }

  /** The encrypted alarm topic, e-mailing the owner (or `alarmEmail`). */
  private createTopic(props: ProductOperationsProps, key: kms.IKey): sns.ITopic {
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Data product ${props.product.productId} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail ?? props.product.contract.spec.owner.contact));
    return topic;
  }

  /** The metrics alarms and graphs share. Alarm metrics carry no label (a label would turn the alarm into a metric-math alarm); graphs add one. */
  private productMetrics(props: ProductOperationsProps) {
    const { product } = props;
    const period = this.period;
    const firehose = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/Firehose', metricName, dimensionsMap: { DeliveryStreamName: product.deliveryStreamName }, statistic, period });
    const processorMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: props.processorMetrics?.namespace ?? PROCESSOR_METRICS_DEFAULTS.namespace,
        metricName,
        dimensionsMap: { service: props.processorMetrics?.service ?? PROCESSOR_METRICS_DEFAULTS.service, product: product.productId },
        statistic: 'Sum',
        period,
      });
    return {
      firehose,
      processorMetric,
      consumerIteratorAge: (fn: lambda.IFunction) => fn.metric('IteratorAge', { statistic: 'Maximum', period }),
      queueDepth: (queue: sqs.IQueue) => queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period }),
      dataFreshness: firehose('DeliveryToS3.DataFreshness', 'Maximum'),
      failedConversions: firehose('FailedConversion.Records', 'Sum'),
      streamIteratorAge: product.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period }),
      processorErrors: product.processor.metricErrors({ statistic: 'Sum', period }),
      failedRecords: processorMetric(PROCESSOR_METRICS_DEFAULTS.failedRecords),
    };
  }

  /** Alarms named after the product, described with its owner, notifying the topic on ALARM and OK. */
  private alarmFactory(product: IOperatedProduct, notify: cloudwatch.IAlarmAction) {
    const owner = product.contract.spec.owner;
    return (alarmId: string, suffix: string, metric: cloudwatch.IMetric, threshold: number, comparison: cloudwatch.ComparisonOperator, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        ...(this.namePrefix !== undefined && { alarmName: `${this.namePrefix}-${suffix}` }),
        alarmDescription: `${product.productId}: ${description} Owner: ${owner.team} (${owner.contact}).`,
        metric,
        threshold,
        comparisonOperator: comparison,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        // No data means no traffic: nothing is late, nothing failed.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      return created;
    };
  }

  /** The dashboard: alarm status, stream traffic, delivery freshness and failures, processor health, consumers. */
  private createDashboard(
    props: ProductOperationsProps,
    metrics: ReturnType<ProductOperations['productMetrics']>,
    queues: readonly { readonly queue: sqs.IQueue; readonly label: string }[],
  ): cloudwatch.Dashboard {
    const { product } = props;
    const spec = product.contract.spec;
    const consumers = product.streamingConsumers ?? [];
    const t = this.thresholds;
    const dashboardName = props.dashboardName ?? this.namePrefix?.replace(/[^A-Za-z0-9_-]/g, '-');
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(dashboardName !== undefined && { dashboardName }),
      defaultInterval: Duration.hours(6),
    });
    const graph = (title: string, left: Array<[cloudwatch.Metric, string]>, annotations: cloudwatch.HorizontalAnnotation[] = [], width = 8) =>
      new cloudwatch.GraphWidget({ title, left: left.map(([metric, label]) => metric.with({ label })), leftAnnotations: annotations, width, height: 6 });
    const line = (value: number, label: string): cloudwatch.HorizontalAnnotation => ({ value, label, color: cloudwatch.Color.RED });
    const { firehose, processorMetric, dataFreshness, failedConversions, streamIteratorAge, processorErrors, failedRecords } = metrics;

    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          `# ${product.productId}`,
          `Owner **${spec.owner.team}** (${spec.owner.contact}) · classification ${spec.classification}`,
          `SLA: freshness ${spec.sla.freshnessMinutes === undefined ? 'not declared' : `${spec.sla.freshnessMinutes} min`}, retention ${spec.sla.retentionDays === undefined ? 'not declared' : `${spec.sla.retentionDays} days`}.`,
          `Stream \`${product.stream.streamName}\` → Firehose \`${product.deliveryStreamName}\`.`,
        ].join('\n\n'),
        width: 12,
        height: 6,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms], width: 12, height: 6 }),
    );
    dashboard.addWidgets(
      graph('Stream: records in', [[product.stream.metricIncomingRecords({ statistic: 'Sum', period: this.period }), 'Records in']]),
      graph('Stream: bytes in', [[product.stream.metricIncomingBytes({ statistic: 'Sum', period: this.period }), 'Bytes in']]),
      graph('Stream: iterator age (ms)', [[streamIteratorAge, 'Oldest reader']], [line(t.iteratorAgeMilliseconds, 'alarm')]),
    );
    dashboard.addWidgets(
      graph('Delivery: data freshness (s)', [[dataFreshness, 'Oldest record not in S3']], t.freshnessSeconds === undefined ? [] : [line(t.freshnessSeconds, 'SLA')]),
      graph('Delivery: records', [
        [firehose('IncomingRecords', 'Sum'), 'Incoming'],
        [firehose('DeliveryToS3.Records', 'Sum'), 'Delivered to S3'],
      ]),
      graph('Delivery: format-conversion failures', [[failedConversions, 'Failed conversions']], [line(t.failedConversions, 'alarm')]),
    );
    dashboard.addWidgets(
      graph('Processor: records', [
        [processorMetric(PROCESSOR_METRICS_DEFAULTS.okRecords), 'Ok'],
        [processorMetric(PROCESSOR_METRICS_DEFAULTS.droppedRecords), 'Dropped'],
        [failedRecords, 'Failed'],
      ]),
      graph('Processor: invocations and errors', [
        [product.processor.metricInvocations({ statistic: 'Sum', period: this.period }), 'Invocations'],
        [processorErrors, 'Errors'],
        [product.processor.metricThrottles({ statistic: 'Sum', period: this.period }), 'Throttles'],
      ]),
      graph('Processor: duration (ms)', [
        [product.processor.metricDuration({ statistic: 'p99', period: this.period }), 'p99'],
        [product.processor.metricDuration({ statistic: 'Maximum', period: this.period }), 'max'],
      ]),
    );
    if (consumers.length > 0 || queues.length > 0) {
      dashboard.addWidgets(
        graph('Streaming consumers: iterator age (ms)',
          consumers.map((c): [cloudwatch.Metric, string] => [metrics.consumerIteratorAge(c.function), c.label]),
          [line(t.iteratorAgeMilliseconds, 'alarm')], 12),
        graph('Dead-letter queues: messages',
          queues.map(({ queue, label }): [cloudwatch.Metric, string] => [metrics.queueDepth(queue), label]),
          [], 12),
      );
    }
    return dashboard;
  }

  private validate(props: ProductOperationsProps): void {
    const spec = props.product.contract.spec;
    const email = props.alarmEmail ?? spec.owner.contact;
    if (!Token.isUnresolved(email) && !EMAIL.test(email)) {
      throw new ProductOperationsError(
        this,
        `Alarm e-mail "${email}" (${props.alarmEmail === undefined ? 'the contract owner.contact' : 'alarmEmail'}) is not an e-mail address: pass alarmEmail: 'team@example.com'.`,
      );
    }
    const freshness = spec.sla.freshnessMinutes;
    if (freshness !== undefined && (!Number.isFinite(freshness) || freshness <= 0)) {
      throw new ProductOperationsError(this, `SLA freshnessMinutes ${freshness} of ${props.product.productId} must be a positive number of minutes, e.g. 15.`);
    }
    const interval = props.product.bufferingInterval;
    if (freshness !== undefined && interval !== undefined && !interval.isUnresolved()) {
      // Firehose can hold a record up to about 1.5x the buffering interval before it lands in S3.
      const worstCaseSeconds = interval.toSeconds() * 1.5;
      if (freshness * 60 <= worstCaseSeconds) {
        Annotations.of(this).addWarningV2(
          'cdk-data-mesh:operations-sla-below-buffer',
          `SLA freshness of ${freshness} min for ${props.product.productId} is not above 1.5 × the ${interval.toSeconds()} s buffering interval (${worstCaseSeconds} s): the freshness alarm will fire in normal operation. Raise sla.freshnessMinutes or lower the buffering interval.`,
        );
      }
    }
    const dashboardName = props.dashboardName;
    if (dashboardName !== undefined && !Token.isUnresolved(dashboardName) && !/^[A-Za-z0-9_-]{1,255}$/.test(dashboardName)) {
      throw new ProductOperationsError(
        this,
        `dashboardName "${dashboardName}" is not a CloudWatch dashboard name: use 1-255 letters, digits, "-" and "_", e.g. "${(this.namePrefix ?? 'shop-orders-order_placed-v1').replace(/[^A-Za-z0-9_-]/g, '-')}", or leave it out for the product's name.`,
      );
    }
    const period = props.period;
    if (period !== undefined && !period.isUnresolved() && (period.toSeconds() < 60 || period.toSeconds() % 60 !== 0)) {
      throw new ProductOperationsError(this, `Alarm period ${period.toSeconds()} s must be a multiple of 60 s (these are standard-resolution AWS metrics), e.g. Duration.minutes(5).`);
    }
  }
}
