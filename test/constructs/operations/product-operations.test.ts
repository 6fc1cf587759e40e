import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../../constructs/compliance/compliance';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { DataProduct } from '../../../constructs/product/data-product';
import { Contract, type ContractProps } from '../../../constructs/contract';
import {
  ITERATOR_AGE_WITHOUT_SLA_MS,
  operationsThresholds,
  ProductOperations,
  type IOperatedProduct,
  type ProductOperationsProps,
} from '../../../constructs/operations';
import { orderPlaced } from '../../lib/catalog/fixtures/reference-mesh';
import { openFindings, readValidationReport } from '../../support/validation-report';

const DELIVERY_STREAM = 'shop-orders-order_placed-v1';

/** The pieces of a product, as plain CDK resources (the test is about operations, not the product). */
function productIn(stack: Stack, contract: ContractProps = orderPlaced, options: { consumers?: number; extraQueues?: number } = {}): IOperatedProduct {
  const fn = (id: string) =>
    new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>({})') });
  return {
    productId: Contract.of(contract).id,
    contract: Contract.of(contract),
    stream: new kinesis.Stream(stack, 'Stream', { streamName: 'shop-orders-order_placed-v1', streamMode: kinesis.StreamMode.ON_DEMAND }),
    deliveryStreamName: DELIVERY_STREAM,
    processor: fn('Processor'),
    streamingConsumers: Array.from({ length: options.consumers ?? 0 }, (_, i) => ({
      label: `consumer ${i}`,
      function: fn(`Consumer${i}`),
      deadLetterQueue: new sqs.Queue(stack, `Dlq${i}`),
    })),
    deadLetterQueues: Array.from({ length: options.extraQueues ?? 0 }, (_, i) => new sqs.Queue(stack, `ExtraDlq${i}`)),
  };
}

function synth(props: (stack: Stack) => ProductOperationsProps) {
  const stack = new Stack(new App(), 'orders');
  const ops = new ProductOperations(stack, 'Ops', props(stack));
  return { stack, ops, template: Template.fromStack(stack) };
}

const alarmOn = (metricName: string) => Match.objectLike({ MetricName: metricName });

describe('ProductOperations alarms (thresholds from the SLA)', () => {
  const { template, ops } = synth((stack) => ({ product: productIn(stack, orderPlaced, { consumers: 1, extraQueues: 1 }) }));
  const topic = { Ref: Match.stringLikeRegexp('^OpsAlarmTopic') };

  it('alarms when data is older than the SLA freshness (15 min = 900 s)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${DELIVERY_STREAM}-freshness`,
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: DELIVERY_STREAM }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  it('alarms when a reader of the stream is half the freshness budget behind (450 000 ms)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Kinesis',
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
      Dimensions: [{ Name: 'StreamName', Value: { Ref: Match.stringLikeRegexp('^Stream') } }],
      Statistic: 'Maximum',
      Threshold: 450_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${DELIVERY_STREAM}-consumer-0-iterator-age`,
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Consumer0') } }],
      Statistic: 'Maximum',
      Threshold: 450_000,
      AlarmActions: [topic],
    });
  });

  it('alarms on the first processor error, failed record and format-conversion failure', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Processor') } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${DELIVERY_STREAM}-failed-records`,
      Namespace: 'DataMesh',
      MetricName: 'RecordsFailed',
      Dimensions: Match.arrayWith([
        { Name: 'product', Value: 'orders.order_placed.v1' },
        { Name: 'service', Value: 'firehose-processor' },
      ]),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'FailedConversion.Records',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: DELIVERY_STREAM }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms on any message in a dead-letter queue', () => {
    for (const queue of ['^Dlq0', '^ExtraDlq0']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp(queue), 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('creates exactly the documented alarms, all notifying the topic', () => {
    // freshness, stream iterator age, processor errors, failed records, format conversion, 1 consumer, 2 DLQs
    template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    expect(ops.alarms).toHaveLength(8);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OpsAlarmTopic/) }]);
      expect(alarm.Properties.AlarmDescription).toContain('Owner: orders-team (orders-team@example.com)');
    }
  });
});

describe('ProductOperations topic', () => {
  const { template } = synth((stack) => ({ product: productIn(stack) }));

  it('is encrypted with a rotating key CloudWatch may use, TLS-only, and e-mails the owner', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OpsAlarmTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'orders-team@example.com' });
  });

  it('uses a given key and e-mail address instead', () => {
    const { template: given } = synth((stack) => ({
      product: productIn(stack),
      alarmEmail: 'oncall@example.com',
      topicEncryptionKey: new kms.Key(stack, 'DomainKey', { enableKeyRotation: true }),
    }));
    given.resourceCountIs('AWS::KMS::Key', 1);
    given.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DomainKey'), 'Arn'] } });
    given.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });
});

describe('ProductOperations dashboard', () => {
  const { template } = synth((stack) => ({ product: productIn(stack, orderPlaced, { consumers: 1 }) }));

  it('is named after the product and graphs stream, delivery, processor and consumers with SLA lines', () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const [dashboard] = Object.values(dashboards);
    expect(dashboard.Properties.DashboardName).toBe(DELIVERY_STREAM);
    // The body is a Fn::Join of JSON text and references: put placeholders in for the references.
    const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
    const body = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'REF')).join('')) as {
      widgets: Array<{ type: string; properties: { title?: string; markdown?: string; alarms?: string[]; metrics?: unknown[][]; annotations?: { horizontal: Array<{ value: number; label: string }> } } }>;
    };
    const widget = (title: string) => body.widgets.find((w) => w.properties.title === title)!.properties;
    const metricNames = (title: string) => widget(title).metrics!.map((m) => m[1]);

    expect(body.widgets[0].properties.markdown).toContain('# orders.order_placed.v1');
    expect(body.widgets[0].properties.markdown).toContain('SLA: freshness 15 min, retention 365 days.');
    expect(widget('Alarms').alarms).toHaveLength(7);
    expect(metricNames('Stream: records in')).toEqual(['IncomingRecords']);
    expect(metricNames('Stream: iterator age (ms)')).toEqual(['GetRecords.IteratorAgeMilliseconds']);
    expect(widget('Stream: iterator age (ms)').annotations!.horizontal).toEqual([expect.objectContaining({ value: 450_000, label: 'alarm' })]);
    expect(metricNames('Delivery: data freshness (s)')).toEqual(['DeliveryToS3.DataFreshness']);
    expect(widget('Delivery: data freshness (s)').annotations!.horizontal).toEqual([expect.objectContaining({ value: 900, label: 'SLA' })]);
    expect(metricNames('Delivery: records')).toEqual(['IncomingRecords', 'DeliveryToS3.Records']);
    expect(metricNames('Delivery: format-conversion failures')).toEqual(['FailedConversion.Records']);
    expect(metricNames('Processor: records')).toEqual(['RecordsOk', 'RecordsDropped', 'RecordsFailed']);
    expect(metricNames('Processor: invocations and errors')).toEqual(['Invocations', 'Errors', 'Throttles']);
    expect(metricNames('Streaming consumers: iterator age (ms)')).toEqual(['IteratorAge']);
    expect(metricNames('Dead-letter queues: messages')).toEqual(['ApproximateNumberOfMessagesVisible']);
  });
});

describe('ProductOperations without a freshness SLA, and errors', () => {
  const noFreshness: ContractProps = { ...orderPlaced, sla: { retentionDays: 30 } };

  it('has no freshness alarm, warns, and uses the default iterator-age threshold', () => {
    const { stack, template, ops } = synth((s) => ({ product: productIn(s, noFreshness) }));
    expect(ops.freshnessAlarm).toBeUndefined();
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'DeliveryToS3.DataFreshness' }, 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'GetRecords.IteratorAgeMilliseconds', Threshold: ITERATOR_AGE_WITHOUT_SLA_MS });
    Annotations.fromStack(stack).hasWarning(
      '/orders/Ops',
      Match.stringLikeRegexp('declares no sla.freshnessMinutes, so it gets no freshness alarm: declare it in the contract'),
    );
  });

  it('warns when the SLA is tighter than delivery buffering allows', () => {
    const tight: ContractProps = { ...orderPlaced, sla: { freshnessMinutes: 5 } };
    const { stack } = synth((s) => ({ product: { ...productIn(s, tight), bufferingInterval: Duration.seconds(300) } }));
    Annotations.fromStack(stack).hasWarning(
      '/orders/Ops',
      Match.stringLikeRegexp('SLA freshness of 5 min for orders.order_placed.v1 is not above 1.5 × the 300 s buffering interval'),
    );
  });

  it('rejects an owner contact that is not an e-mail address, naming the path and the fix', () => {
    const stack = new Stack(new App(), 'orders');
    const product = productIn(stack);
    const props = { product: { ...product, contract: { spec: { ...product.contract.spec, owner: { team: 'orders-team', contact: '#orders-oncall' } } } } };
    expect(() => new ProductOperations(stack, 'Ops', props)).toThrow(
      '[orders/Ops] Alarm e-mail "#orders-oncall" (the contract owner.contact) is not an e-mail address: pass alarmEmail: \'team@example.com\'.',
    );
  });

  it('rejects a period that is not whole minutes', () => {
    const stack = new Stack(new App(), 'orders');
    expect(() => new ProductOperations(stack, 'Ops', { product: productIn(stack), period: Duration.seconds(90) })).toThrow(
      '[orders/Ops] Alarm period 90 s must be a multiple of 60 s (these are standard-resolution AWS metrics), e.g. Duration.minutes(5).',
    );
  });
});

describe('thresholds', () => {
  it('derive from the SLA by the documented formulas', () => {
    expect(operationsThresholds({ freshnessMinutes: 15 })).toEqual({
      freshnessSeconds: 900,
      iteratorAgeMilliseconds: 450_000,
      processorErrors: 1,
      failedRecords: 1,
      failedConversions: 1,
      deadLetterMessages: 1,
    });
    expect(operationsThresholds({ freshnessMinutes: 1560 }).freshnessSeconds).toBe(93_600);
    expect(operationsThresholds({}).freshnessSeconds).toBeUndefined();
    expect(operationsThresholds({}).iteratorAgeMilliseconds).toBe(3_600_000);
  });
});

describe('compliance', () => {
  it('has no cdk-nag, Control Tower or CloudFormation Validate finding', () => {
    // Only the operations resources: the product's stream and processor are imported.
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'ops-compliance-')) });
    addComplianceChecks(app);
    const stack = new Stack(app, 'orders');
    const contract = Contract.of(orderPlaced);
    new ProductOperations(stack, 'Ops', {
      product: {
        productId: contract.id,
        contract,
        stream: kinesis.Stream.fromStreamArn(stack, 'Stream', `arn:aws:kinesis:us-east-1:123456789012:stream/${DELIVERY_STREAM}`),
        processor: lambda.Function.fromFunctionName(stack, 'Processor', 'processor'),
        deliveryStreamName: DELIVERY_STREAM,
      },
    });
    // A finding stops the synth ("Validation failed"); the report lists none.
    app.synth();
    expect(openFindings(readValidationReport(app.outdir))).toEqual([]);
  });
});

describe('with a DataProduct', () => {
  it('takes the product itself: DataProduct provides every piece ProductOperations needs', () => {
    const stack = new Stack(new App({ context: { 'cdk-data-mesh:meshName': 'shop' } }), 'orders');
    const product = new DataProduct(stack, 'OrderPlaced', { domain: new DataDomain(stack, 'Domain', { domainName: 'orders' }), contract: Contract.of(orderPlaced), operations: false });
    const operated: IOperatedProduct = product; // compile-time check of the structural fit
    const ops = new ProductOperations(stack, 'Ops', { product: operated, topicEncryptionKey: product.encryptionKey });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: product.deliveryStreamName }],
      Threshold: 900,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: stack.resolve((product.processor as lambda.Function).functionName) }],
    });
    // The domain key encrypts the topic, and now lets CloudWatch use it.
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: stack.resolve(product.encryptionKey.keyArn) });
    expect(ops.dashboard).toBeDefined();
    // Its 300 s default buffering against a 15-minute SLA: no warning.
    expect(Annotations.fromStack(stack).findWarning('/orders/Ops', Match.stringLikeRegexp('buffering interval'))).toEqual([]);
  });
});
