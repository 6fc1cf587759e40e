import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '../../../constructs/contract';
import { addComplianceChecks } from '../../../constructs/compliance/compliance';
import { DataConsumer } from '../../../constructs/consumer/data-consumer';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { DataProduct } from '../../../constructs/product/data-product';
import { compiledRules, QUALITY_NAMESPACE, schedulerCron } from '../../../constructs/quality';
import { customerRegistered } from '../../../lib/reference/contracts/accounts';
import { orderPlaced } from '../../../lib/reference/contracts/orders';
import { openFindings, readValidationReport } from '../../support/validation-report';
import { testApp } from '../domain/test-app';

let template: Template;
let product: DataProduct;
let stack: Stack;

beforeAll(() => {
  stack = new Stack(testApp(), 'orders');
  const domain = new DataDomain(stack, 'Domain', { domainName: 'orders' });
  product = new DataProduct(stack, 'OrderPlaced', { domain, contract: orderPlaced });
  template = Template.fromStack(stack);
});

describe('QualityRun of a product whose contract declares rules', () => {
  it('schedules the run daily at 01:00 UTC (the day before is checked), with retries and a dead-letter queue', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [stack.getLogicalId(product.quality!.function.node.defaultChild as never), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: Match.anyValue() },
        Input: Match.stringLikeRegexp('"schedule":"0 1 \\* \\* \\*"'),
      }),
    });
  });

  it('runs the rules in a Lambda function with Athena in a workgroup of the product', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Runs the quality rules of orders.order_placed.v1 on the day\'s partition (Athena) and publishes the results.',
      Timeout: 900,
      Environment: { Variables: Match.objectLike({ WORKGROUP: { Ref: Match.stringLikeRegexp('Workgroup') }, RESULTS_PREFIX: 'quality_results/' }) },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'orders-order-placed-v1-quality', WorkGroupConfiguration: Match.objectLike({ EnforceWorkGroupConfiguration: true }) });
  });

  it('grants Lake Formation SELECT on this product only', () => {
    const selects = Object.values(template.findResources('AWS::LakeFormation::PrincipalPermissions')).filter((r) =>
      JSON.stringify(r.Properties.Principal).includes('QualityRole'),
    );
    const tables = selects.map((r) => r.Properties.Resource.TableWithColumns?.Name ?? r.Properties.Resource.Table?.Name ?? r.Properties.Resource.Database?.Name);
    expect(tables.sort()).toEqual(['order_placed_v1', 'order_placed_v1', 'orders']);
    const select = selects.find((r) => r.Properties.Permissions.includes('SELECT'))!;
    expect(select.Properties.Resource.TableWithColumns).toMatchObject({ DatabaseName: 'orders', Name: 'order_placed_v1' });
  });

  it('publishes metrics per rule in DataMesh/Quality, with an alarm per error-severity rule to the owner topic', () => {
    const rules = compiledRules({ contract: orderPlaced, databaseName: 'orders', tableName: 'order_placed_v1' });
    const errors = rules.filter((r) => r.severity === 'error').map((r) => r.name);
    expect(errors).toContain('order_id_duplicate_values');
    expect(errors).not.toContain('total_matches_line_items');
    expect(Object.keys(product.quality!.ruleAlarms).sort()).toEqual([...errors].sort());
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: QUALITY_NAMESPACE,
      MetricName: 'Failed',
      Dimensions: [{ Name: 'Product', Value: 'orders.order_placed.v1' }, { Name: 'Rule', Value: 'order_id_duplicate_values' }],
      Statistic: 'Maximum',
      Threshold: 1,
      TreatMissingData: 'ignore',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('OperationsAlarmTopic') }],
    });
    const policy = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policy).toContain('"cloudwatch:namespace":"DataMesh/Quality"');
  });

  it('alarms on the run\'s own failures: function errors and given-up invocations', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', AlarmDescription: Match.stringLikeRegexp('^The quality run of orders.order_placed.v1 failed') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', AlarmDescription: Match.stringLikeRegexp('was given up') });
  });

  it('creates the domain\'s quality_results table, partitioned by dt with projection, over JSON results', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'orders',
      TableInput: Match.objectLike({
        Name: 'quality_results',
        PartitionKeys: [Match.objectLike({ Name: 'dt', Type: 'string' })],
        Parameters: Match.objectLike({ 'projection.enabled': 'true', 'projection.dt.type': 'date' }),
        StorageDescriptor: Match.objectLike({ SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' } }),
      }),
    });
  });

  it('compiles the rules to Athena SQL on one partition', () => {
    const rules = compiledRules({ contract: orderPlaced, databaseName: 'orders', tableName: 'order_placed_v1' });
    expect(rules.find((r) => r.name === 'orders_per_day')?.sql).toBe(`SELECT count(*) AS measured FROM (SELECT * FROM "orders"."order_placed_v1" WHERE dt = '\${dt}') AS t`);
  });
});

describe('the results table for consumers', () => {
  it('is readable (SELECT, DESCRIBE) by a consumer granted a product with rules, after the table exists; not by a product without rules', () => {
    const app = testApp();
    const domainStack = new Stack(app, 'shop-orders');
    const domain = new DataDomain(domainStack, 'Domain', { domainName: 'orders' });
    const orders = new DataProduct(domainStack, 'OrderPlaced', { domain, contract: orderPlaced });
    const accountsDomain = new DataDomain(domainStack, 'Accounts', { domainName: 'accounts' });
    const withoutRules = Contract.of({ ...customerRegistered.spec, quality: undefined });
    const customers = new DataProduct(domainStack, 'CustomerRegistered', { domain: accountsDomain, contract: withoutRules, quality: false });
    const consumers = new Stack(app, 'shop-consumers');
    const analysts = new DataConsumer(consumers, 'Analysts', { consumerName: 'analysts' });
    orders.grantRead(analysts);
    customers.grantRead(analysts);
    const t = Template.fromStack(consumers);
    const results = Object.values(t.findResources('AWS::LakeFormation::PrincipalPermissions')).filter((r) => r.Properties.Resource.Table?.Name === 'quality_results');
    expect(results.map((r) => [r.Properties.Resource.Table.DatabaseName, r.Properties.Permissions])).toEqual([['orders', ['SELECT', 'DESCRIBE']]]);
    expect(consumers.dependencies.map((s) => s.stackName)).toContain('shop-orders');
  });
});

describe('QualityRun without rules, and schedules', () => {
  it('is not created when the contract declares no rules, unless quality: true', () => {
    const s = new Stack(testApp(), 'accounts');
    const domain = new DataDomain(s, 'Domain', { domainName: 'accounts' });
    const { quality: _q, ...noRules } = customerRegistered.spec;
    const plain = new DataProduct(s, 'Plain', { domain, contract: Contract.fromSpec(noRules) });
    expect(plain.quality).toBeUndefined();
    const forced = new DataProduct(s, 'Forced', { domain, contract: Contract.fromSpec({ ...noRules, name: 'customer_registered_copy' }), quality: true });
    expect(forced.quality?.rules.map((r) => r.name)).toContain('customer_id_duplicate_values');
  });

  it('turns five-field crons into EventBridge Scheduler expressions', () => {
    expect(schedulerCron('0 20 * * *')).toBe('cron(0 20 * * ? *)');
    expect(schedulerCron('30 6 * * 1-5')).toBe('cron(30 6 ? * 2-6 *)');
  });
});

describe('compliance', () => {
  it('has no open cdk-nag, cfn-guard or CloudFormation Validate finding', () => {
    const app = testApp({}, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'quality-compliance-')) });
    addComplianceChecks(app);
    const s = new Stack(app, 'accounts');
    const domain = new DataDomain(s, 'Domain', { domainName: 'accounts' });
    new DataProduct(s, 'CustomerRegistered', { domain, contract: customerRegistered });
    app.synth();
    expect(openFindings(readValidationReport(app.outdir))).toEqual([]);
  });
});

