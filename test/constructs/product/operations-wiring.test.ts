/**
 * Every DataProduct is operated (`ProductOperations`, issue 9) unless it opts out, and a derived product's
 * pipeline reports to the same owner: its alarms notify the product's topic and join its dashboard, with
 * exactly one alarm per dead-letter queue. One app for the whole file (bundling off).
 */
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { DataProduct } from '../../../constructs/product/data-product';
import { Derivation } from '../../../constructs/product/derivation';
import { customerOrders, customerRegistered, orderPlaced, pageViewed, productViews } from '../../../lib/reference/contracts';
import { CUSTOMER_ORDERS_SCHEDULE, CUSTOMER_ORDERS_SQL } from '../../../lib/reference/marketing-stack';
import { PRODUCT_VIEWS_HANDLER } from '../../../lib/reference/recommendations-stack';
import { testApp } from '../domain/test-app';
import { orderShipped } from './fixtures/contracts';

let stack: Stack;
let template: Template;
let pageViewedProduct: DataProduct;
let productViewsProduct: DataProduct;
let customerOrdersProduct: DataProduct;
let unoperated: DataProduct;
let extraTopic: sns.Topic;

const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const topicOf = (product: DataProduct) => ({ Ref: logicalId(product.operations!.topic as sns.Topic) });
/** Alarms on one queue's visible messages. */
const queueAlarms = (queueName: string) =>
  Object.entries(
    template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: stack.resolve(queueName) }] },
    }),
  );

beforeAll(() => {
  stack = new Stack(testApp(), 'mesh');
  const domain = (name: string) => new DataDomain(stack, `${name}Domain`, { domainName: name });
  const storefront = domain('storefront');
  const orders = domain('orders');
  pageViewedProduct = new DataProduct(stack, 'PageViewed', { domain: storefront, contract: pageViewed, operations: { alarmEmail: 'storefront-oncall@example.com' } });
  const orderPlacedProduct = new DataProduct(stack, 'OrderPlaced', { domain: orders, contract: orderPlaced });
  const customerRegisteredProduct = new DataProduct(stack, 'CustomerRegistered', { domain: domain('accounts'), contract: customerRegistered });
  extraTopic = new sns.Topic(stack, 'PagingTopic', { enforceSSL: true });
  productViewsProduct = new DataProduct(stack, 'ProductViews', {
    domain: domain('recommendations'),
    contract: productViews,
    derivation: Derivation.streaming({
      from: [pageViewedProduct],
      handler: { entry: PRODUCT_VIEWS_HANDLER },
      pipeline: { alarmActions: [new cloudwatchActions.SnsAction(extraTopic)] },
    }),
  });
  customerOrdersProduct = new DataProduct(stack, 'CustomerOrders', {
    domain: domain('marketing'),
    contract: customerOrders,
    derivation: Derivation.sql({ from: [orderPlacedProduct, customerRegisteredProduct], sql: CUSTOMER_ORDERS_SQL, schedule: CUSTOMER_ORDERS_SCHEDULE }),
  });
  unoperated = new DataProduct(stack, 'Unoperated', { domain: orders, contract: orderShipped, operations: false });
  template = Template.fromStack(stack);
});

describe('ProductOperations on every DataProduct', () => {
  it('is created by default, named after the product, its topic encrypted with the domain key', () => {
    for (const product of [pageViewedProduct, productViewsProduct, customerOrdersProduct]) {
      expect(product.operations?.node.path, product.productId).toBe(`mesh/${product.node.id}/Operations`);
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: product.deliveryStreamName });
      template.hasResourceProperties('AWS::SNS::Topic', {
        DisplayName: `Data product ${product.productId} alarms`,
        KmsMasterKeyId: stack.resolve(product.encryptionKey.keyArn),
      });
    }
    // Alarms use the contract's SLA: page_viewed's freshness is 15 minutes.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-storefront-page_viewed-v1-freshness',
      MetricName: 'DeliveryToS3.DataFreshness',
      Threshold: 900,
      AlarmActions: [topicOf(pageViewedProduct)],
    });
  });

  it('e-mails the contract owner, or the alarmEmail given', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'storefront-oncall@example.com', TopicArn: topicOf(pageViewedProduct) });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'marketing-team@example.com', TopicArn: topicOf(customerOrdersProduct) });
  });

  it('is not created with operations: false', () => {
    expect(unoperated.operations).toBeUndefined();
    expect(unoperated.node.tryFindChild('Operations')).toBeUndefined();
    expect(Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map((d) => d.Properties.DashboardName)).not.toContain(unoperated.deliveryStreamName);
    // Five operated products, one topic each.
    template.resourceCountIs('AWS::SNS::Topic', 5 + 1 /* PagingTopic */);
  });
});

describe('operations of a streaming derived product', () => {
  it("alarms on the transform's iterator age as a streaming consumer of the product", () => {
    const fn = productViewsProduct.streamingPipeline!.function;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: stack.resolve(fn.functionName) }],
      Threshold: 15 * 60_000 / 2,
      AlarmActions: [topicOf(productViewsProduct)],
      AlarmDescription: Match.stringLikeRegexp('recommendations.product_views.v1 transform'),
    });
  });

  it('keeps exactly one alarm on the dead-letter queue: the pipeline\'s, notifying the owner\'s topic (and the extra action given)', () => {
    const pipeline = productViewsProduct.streamingPipeline!;
    const alarms = queueAlarms(pipeline.deadLetterQueue.queueName);
    expect(alarms.map(([id]) => id)).toEqual([logicalId(pipeline.deadLetterAlarm)]);
    const [, alarm] = alarms[0];
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: logicalId(extraTopic) }, topicOf(productViewsProduct)]);
    expect(alarm.Properties.OKActions).toEqual([topicOf(productViewsProduct)]);
    expect(productViewsProduct.operations!.deadLetterQueueAlarms).toEqual([]);
  });

  it('shows the pipeline alarms and dead-letter queue on the product dashboard', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard', { Properties: { DashboardName: productViewsProduct.deliveryStreamName } }))[0]
        .Properties.DashboardBody,
    );
    expect(body).toContain('Pipeline alarms');
    expect(body).toContain('Pipeline: dead-letter queue messages');
    expect(body).toContain(logicalId(productViewsProduct.streamingPipeline!.deadLetterAlarm));
  });
});

describe('operations of a SQL derived product', () => {
  it('its failed-run and schedule dead-letter alarms notify the owner\'s topic, one alarm per queue', () => {
    const pipeline = customerOrdersProduct.sqlPipeline!;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: logicalId(pipeline.stateMachine) } }],
      AlarmActions: [topicOf(customerOrdersProduct)],
      OKActions: [topicOf(customerOrdersProduct)],
    });
    const alarms = queueAlarms(pipeline.scheduleDeadLetterQueue.queueName);
    expect(alarms.map(([id]) => id)).toEqual([logicalId(pipeline.scheduleDeadLetterAlarm)]);
    expect(alarms[0][1].Properties.AlarmActions).toEqual([topicOf(customerOrdersProduct)]);
  });

  it('shows the runs on the product dashboard', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard', { Properties: { DashboardName: customerOrdersProduct.deliveryStreamName } }))[0]
        .Properties.DashboardBody,
    );
    expect(body).toContain('Pipeline: runs');
    expect(body).toContain('ExecutionsFailed');
  });
});

describe('a contract without a freshness SLA', () => {
  it('gets operations without a freshness alarm, acknowledged so that a strict synth passes', () => {
    const s = new Stack(testApp(), 'orders');
    const product = new DataProduct(s, 'OrderShipped', { domain: new DataDomain(s, 'Domain', { domainName: 'orders' }), contract: orderShipped });
    expect(orderShipped.spec.sla.freshnessMinutes).toBeUndefined();
    expect(product.operations?.freshnessAlarm).toBeUndefined();
    expect(() => Template.fromStack(s)).not.toThrow();
    expect(Annotations.fromStack(s).findWarning('/orders/OrderShipped/Operations', Match.anyValue())).toEqual([]);
  });
});
