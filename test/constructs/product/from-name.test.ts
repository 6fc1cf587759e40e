import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataProduct } from '../../../constructs/product/data-product';
import type { DataProductBase } from '../../../constructs/product/data-product-base';
import { testApp } from '../domain/test-app';
import { customerRegistered, orderShipped } from './fixtures/contracts';

const ENV = { account: '111111111111', region: 'eu-west-1' };

let stack: Stack;
let template: Template;
let customers: DataProductBase;
let role: iam.Role;

beforeAll(() => {
  stack = new Stack(testApp(), 'marketing', { env: ENV });
  customers = DataProduct.fromName(stack, 'Customers', { domain: 'accounts', name: 'customer_registered', version: 1, contract: customerRegistered });
  role = new iam.Role(stack, 'Campaigns', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  customers.grantReadStream(role, { pii: { columns: ['email'], reason: 'Sends the welcome e-mail at sign-up.' } });
  customers.grantWrite(role);
  template = Template.fromStack(stack);
});

describe('DataProduct.fromName', () => {
  it('derives every name by the convention, in the importing stack\'s account and region', () => {
    expect(customers.productId).toBe('accounts.customer_registered.v1');
    expect(customers.meshName).toBe('shop');
    expect(customers.streamName).toBe('shop-accounts-customer_registered-v1');
    expect(customers.deliveryStreamName).toBe('shop-accounts-customer_registered-v1');
    expect(customers.databaseName).toBe('accounts');
    expect(customers.tableName).toBe('customer_registered_v1');
    expect(customers.contract).toBe(customerRegistered);
    expect(stack.resolve(customers.stream.streamArn)).toBe('arn:aws:kinesis:eu-west-1:111111111111:stream/shop-accounts-customer_registered-v1');
    expect(stack.resolve(customers.tableArn)).toBe('arn:aws:glue:eu-west-1:111111111111:table/accounts/customer_registered_v1');
    expect(stack.resolve(customers.databaseArn)).toBe('arn:aws:glue:eu-west-1:111111111111:database/accounts');
  });

  it('grants on the stream ARN and on the exact key ARN its domain publishes in SSM (never key/*, never by export)', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
    const parameters = template.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const [keyParameter] = Object.entries(parameters).find(([, p]) => p.Default === '/shop/accounts/key-arn')!;
    expect(parameters[keyParameter].Type).toBe('AWS::SSM::Parameter::Value<String>');
    expect(statements).toEqual([
      expect.objectContaining({
        Action: expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:PutRecord', 'kinesis:PutRecords']),
        Resource: 'arn:aws:kinesis:eu-west-1:111111111111:stream/shop-accounts-customer_registered-v1',
      }),
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: { Ref: keyParameter },
      },
    ]);
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
  });

  it('creates no resource of its own', () => {
    expect(Object.values(template.toJSON().Resources).map((r) => (r as { Type: string }).Type).sort()).toEqual(['AWS::IAM::Policy', 'AWS::IAM::Role']);
  });

  it('offers the product metrics', () => {
    expect(customers.metricDeliveryFreshness().dimensions).toEqual({ DeliveryStreamName: 'shop-accounts-customer_registered-v1' });
    expect(customers.metricIncomingRecords().dimensions).toEqual({ StreamName: 'shop-accounts-customer_registered-v1' });
  });

  it('uses the mesh name of the context, a given one, and a database prefix', () => {
    const s = new Stack(testApp({ 'cdk-data-mesh:meshName': 'retail' }), 's');
    expect(DataProduct.fromName(s, 'A', { domain: 'orders', name: 'order_placed', version: 2 }).streamName).toBe('retail-orders-order_placed-v2');
    const b = DataProduct.fromName(s, 'B', { domain: 'orders', name: 'order_placed', version: 1, meshName: 'acme', databasePrefix: 'dev_' });
    expect([b.streamName, b.databaseName, b.contract]).toEqual(['acme-orders-order_placed-v1', 'dev_orders', undefined]);
  });

  it('rejects a contract of another product, bad names and versions', () => {
    const s = new Stack(testApp(), 's');
    expect(() => DataProduct.fromName(s, 'A', { domain: 'accounts', name: 'customer_registered', version: 2, contract: customerRegistered })).toThrow(
      '[s/A] The contract passed is "accounts.customer_registered.v1", but the product referenced is "accounts.customer_registered.v2": pass the contract of that product version, or none.',
    );
    expect(() => DataProduct.fromName(s, 'B', { domain: 'orders', name: 'OrderShipped', version: 1 })).toThrow(
      '[s/B] The product name "OrderShipped" must be lower-case snake_case: a letter, then letters, digits and single underscores (e.g. "order_shipped").',
    );
    expect(() => DataProduct.fromName(s, 'C', { domain: 'orders', name: orderShipped.name, version: 0 })).toThrow(
      "[s/C] version 0 must be a positive integer, the product's major version (e.g. 1).",
    );
  });
});
