import { App, Duration, Size, Stack, TimeZone } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../../constructs/compliance/compliance';
import { col } from '../../../constructs/contract';
import { SqlPipeline, type SqlPipelineProps } from '../../../constructs/derived';
import { StubProduct } from './stub-product';
import { openFindings, readValidationReport } from '../../support/validation-report';

const SQL = `
  SELECT o.id AS order_id, c.country, o.created_at AS placed_at
  FROM orders.order_placed_v1 o
  JOIN accounts.customer_registered_v1 c ON c.id = o.id
  WHERE o.dt = :dt`;

function products(stack: Stack) {
  return {
    orders: new StubProduct(stack, 'Orders', { domain: 'orders', name: 'order_placed' }),
    customers: new StubProduct(stack, 'Customers', {
      domain: 'accounts',
      name: 'customer_registered',
      columns: {
        id: col.string({ required: true, description: 'Customer.' }),
        country: col.string({ description: 'Country.' }),
        email: col.string({ description: 'Email.', classification: 'pii' }),
        created_at: col.timestamp({ required: true, description: 'When.' }),
      },
    }),
    customerOrders: new StubProduct(stack, 'CustomerOrders', {
      domain: 'marketing',
      name: 'customer_orders',
      partitionColumn: 'placed_at',
      columns: {
        order_id: col.string({ required: true, description: 'Order.' }),
        country: col.string({ description: 'Country of the customer.' }),
        placed_at: col.timestamp({ required: true, description: 'When the order was placed.' }),
      },
    }),
  };
}

// One app for the template tests, synthesized once with the compliance checks on.
const app = new App();
addComplianceChecks(app);
const stack = new Stack(app, 'Marketing');
const { orders, customers, customerOrders } = products(stack);
const alarms = new sns.Topic(stack, 'Alarms', { enforceSSL: true });
const accessLogs = s3.Bucket.fromBucketName(stack, 'AccessLogs', 'shop-access-logs');
const pipeline = new SqlPipeline(stack, 'Pipeline', {
  sources: [orders, customers],
  target: customerOrders,
  sql: SQL,
  schedule: 'cron(0 2 * * ? *)',
  alarmActions: [new cloudwatchActions.SnsAction(alarms)],
  serverAccessLogsBucket: accessLogs,
});
const assembly = app.synth();
const template = Template.fromStack(stack);
const resolve = (value: unknown) => stack.resolve(value);

/** The state machine definition as JSON (pseudo parameters and refs replaced by placeholders). */
function definition(): any {
  const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as any;
  const parts: unknown[] = machine.Properties.DefinitionString['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `<${JSON.stringify(p).replace(/"/g, "'")}>`)).join(''));
}

/** All statements of the pipeline role's policies. */
function roleStatements(): any[] {
  const roleRef = resolve((pipeline.role.node.defaultChild as any).ref);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([roleRef]))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

const asList = (x: unknown) => (Array.isArray(x) ? x : [x]);
const grants = (statements: any[], action: string) =>
  statements.filter((s) => asList(s.Action).includes(action)).flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(r)));

describe('SqlPipeline template', () => {
  it('runs Athena through the optimised .sync integration, count guard first, then the INSERT for the partition', () => {
    const asl = definition();
    expect(asl.QueryLanguage).toBe('JSONata');
    expect(asl.States.CountExistingRows.Resource).toBe("arn:<{'Ref':'AWS::Partition'}>:states:::athena:startQueryExecution.sync");
    expect(asl.States.InsertPartition.Resource).toBe("arn:<{'Ref':'AWS::Partition'}>:states:::athena:startQueryExecution.sync");
    expect(asl.States.ReadRowCount.Resource).toBe("arn:<{'Ref':'AWS::Partition'}>:states:::athena:getQueryResults");
    const insert = asl.States.InsertPartition.Arguments;
    expect(insert.QueryExecutionContext).toEqual({ Database: 'marketing', Catalog: 'AwsDataCatalog' });
    expect(insert.QueryString).toBe(
      '{% $join(["INSERT INTO \\"marketing\\".\\"customer_orders_v1\\"\\nSELECT \\"order_id\\", \\"country\\", \\"placed_at\\", ", ' +
        `" AS \\"dt\\"\\nFROM (\\n${SQL.trim().replace(/\n/g, '\\n').replace(/ = :dt$/, ' = ')}", "\\n) AS \\"derived\\""], "'" & $dt & "'") %}`,
    );
    expect(insert.ClientRequestToken).toContain('$states.context.Execution.Name');
    expect(asl.States.IsPartitionEmpty.Default).toBe('InsertPartition');
    expect(asl.States.IsPartitionValid.Default).toBe('InvalidPartition');
  });

  it('retries every Athena step with exponential backoff and full jitter, bounded, and times each query out', () => {
    const asl = definition();
    for (const state of ['CountExistingRows', 'ReadRowCount', 'InsertPartition']) {
      expect(asl.States[state].Retry).toEqual([
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' },
      ]);
    }
    expect(asl.States.InsertPartition.TimeoutSeconds).toBe(3600);
  });

  it('computes dt from a backfill input, else the day before the scheduled time, and refuses anything but yyyy-MM-dd', () => {
    const asl = definition();
    const dt = asl.States.PartitionToBuild.Assign.dt;
    expect(dt).toContain('$states.input.dt');
    expect(dt).toContain('$toMillis($exists($states.input.scheduledTime) ? $states.input.scheduledTime : $states.context.Execution.StartTime) - 86400000');
    expect(dt).toContain("'[Y0001]-[M01]-[D01]'");
    expect(asl.States.IsPartitionValid.Choices[0].Condition).toContain('/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/');
  });

  it('starts on an EventBridge Scheduler schedule with the scheduled time, retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: resolve(pipeline.stateMachine.stateMachineArn),
        RoleArn: Match.anyValue(),
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        DeadLetterConfig: { Arn: resolve(pipeline.scheduleDeadLetterQueue.queueArn) },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21600 },
      },
    });
  });

  it('alarms on failed executions and on the schedule dead-letter queue, with the given actions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: resolve(pipeline.stateMachine.stateMachineArn) }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      AlarmActions: [resolve(alarms.topicArn)],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: resolve(pipeline.scheduleDeadLetterQueue.queueName) }],
      AlarmActions: [resolve(alarms.topicArn)],
    });
  });

  it('runs in its own workgroup: engine v3, enforced, cutoff, results SSE-KMS with the target key', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'shop-marketing-customer_orders-v1-sql',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: Match.anyValue(),
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: resolve(customerOrders.encryptionKey.keyArn) },
        },
      },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: resolve(customerOrders.encryptionKey.keyArn) } }),
        ],
      },
      LoggingConfiguration: { DestinationBucketName: 'shop-access-logs', LogFilePrefix: 'shop-marketing-customer_orders-v1-sql/' },
    });
  });

  it('logs every state to a log group encrypted with the target key, which lets CloudWatch Logs use it for that group only', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/shop-marketing-customer_orders-v1-sql',
      KmsKeyId: resolve(customerOrders.encryptionKey.keyArn),
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
    const key = template.toJSON().Resources[stack.getLogicalId(customerOrders.encryptionKey.node.defaultChild as kms.CfnKey)];
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': expect.anything() } },
      }),
    );
  });

  it('grants the role only what the queries touch: Lake Formation reads of the sources, writes on the target and results', () => {
    const statements = roleStatements();
    const objectArn = (p: StubProduct) => JSON.stringify(resolve(p.bucket.arnForObjects(`${p.dataPrefix}*`)));
    const tableArn = (p: StubProduct) =>
      JSON.stringify(resolve(stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${p.databaseName}/${p.tableName}` })));

    // The sources are read through Lake Formation's vended credentials only: no S3 or KMS path around its column filter.
    expect(grants(statements, 's3:GetObject')).toEqual([objectArn(customerOrders), JSON.stringify(resolve(pipeline.resultsBucket!.arnForObjects('results/*')))]);
    expect(grants(statements, 's3:PutObject')).toEqual([objectArn(customerOrders), JSON.stringify(resolve(pipeline.resultsBucket!.arnForObjects('results/*')))]);
    expect(grants(statements, 's3:DeleteObject')).toEqual([]);
    expect(grants(statements, 'glue:BatchCreatePartition')).toContain(tableArn(customerOrders));
    expect(grants(statements, 'glue:BatchCreatePartition')).not.toContain(tableArn(orders));
    expect(grants(statements, 'glue:GetTable')).toEqual(expect.arrayContaining([tableArn(orders), tableArn(customers), tableArn(customerOrders)]));
    expect(grants(statements, 'lakeformation:GetDataAccess')).toEqual(['"*"']);
    expect(grants(statements, 'kms:Decrypt')).toEqual([JSON.stringify(resolve(customerOrders.encryptionKey.keyArn))]);
    expect(grants(statements, 'kms:GenerateDataKey')).toEqual([JSON.stringify(resolve(customerOrders.encryptionKey.keyArn))]);
    expect(grants(statements, 'athena:StartQueryExecution')).toHaveLength(1);
    expect(grants(statements, 'athena:StartQueryExecution')[0]).toContain(':workgroup/');
    // Wildcard resources only where AWS allows nothing narrower.
    const wildcardActions = statements.filter((s) => asList(s.Resource).includes('*')).flatMap((s) => asList(s.Action));
    expect(wildcardActions.every((a: string) => /^(lakeformation:GetDataAccess|logs:|xray:)/.test(a))).toBe(true);
    // Listing is limited to the target's prefix.
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['customer_orders_v1/*'] } } }),
    );
    expect(JSON.stringify(statements)).not.toContain('order_placed_v1/*');
  });

  it('passes the compliance checks with every acknowledgement carrying a reason', () => {
    const report = readValidationReport(assembly.directory);
    expect(openFindings(report, (f) => f.constructPath.includes('/Pipeline/'))).toEqual([]);
  });

  it('records lineage for the manifest and the table', () => {
    expect(pipeline.inputs).toEqual(['orders.order_placed.v1', 'accounts.customer_registered.v1']);
    expect(pipeline.manifestSource).toEqual({
      kind: 'sql',
      from: ['orders.order_placed.v1', 'accounts.customer_registered.v1'],
      sql: SQL,
      schedule: 'cron(0 2 * * ? *)',
    });
    expect(pipeline.tableParameters).toEqual({
      'mesh.derived_from': 'orders.order_placed.v1,accounts.customer_registered.v1',
      'mesh.derivation': 'sql',
    });
  });
});

describe('SqlPipeline validation', () => {
  const build = (override: (p: ReturnType<typeof products>) => Partial<SqlPipelineProps>) => {
    const s = new Stack(new App(), 'S');
    const p = products(s);
    return () => new SqlPipeline(s, 'P', { sources: [p.orders, p.customers], target: p.customerOrders, sql: SQL, schedule: 'rate(1 day)', ...override(p) });
  };

  it.each<[string, (p: ReturnType<typeof products>) => Partial<SqlPipelineProps>, string]>([
    ['a table that is not a source', (p) => ({ sources: [p.orders] }),
      '[S/P] The SQL reads accounts.customer_registered_v1, which is not a declared source (sources: orders.order_placed_v1): add the product that owns it to sources (it needs a read grant), or remove it from the SQL.'],
    ['a declared source the SQL never reads', () => ({ sql: 'SELECT id AS order_id FROM orders.order_placed_v1 WHERE dt = :dt' }),
      '[S/P] Source accounts.customer_registered.v1 is declared but the SQL never reads accounts.customer_registered_v1: remove it from sources, so lineage and grants stay exact.'],
    ['a statement that is not a SELECT', () => ({ sql: 'DELETE FROM orders.order_placed_v1' }),
      '[S/P] The SQL must be one SELECT (or WITH … SELECT) whose columns match the product\'s contract; it starts with "DELETE".'],
    ['no source', () => ({ sources: [] }),
      '[S/P] A SQL pipeline needs at least one source product: set sources to the products the SQL reads for marketing.customer_orders.v1.'],
    ['a schedule that is not an expression', () => ({ schedule: 'daily' }),
      '[S/P] schedule "daily" is not an EventBridge Scheduler expression: use e.g. "cron(0 2 * * ? *)" (02:00 every day) or "rate(1 day)".'],
    ['a cutoff under 10 MB', () => ({ bytesScannedCutoffPerQuery: Size.mebibytes(1) }),
      '[S/P] bytesScannedCutoffPerQuery must be at least 10 MB (Athena\'s minimum), got 1048576 bytes.'],
    ['unbounded retries', () => ({ retryAttempts: 50 }), '[S/P] retryAttempts must be a whole number from 0 to 10, got 50.'],
    ['an imported log key', () => ({ encryptionKey: kms.Key.fromKeyArn(new Stack(), 'K', 'arn:aws:kms:eu-west-1:111111111111:key/abc') }),
      "is imported, so its key policy cannot let CloudWatch Logs use it: pass a kms.Key defined in this app."],
  ])('rejects %s', (_, override, message) => {
    expect(build(override)).toThrow(message);
  });

  it("records a schedule's time zone for mesh schedule (UTC, the default, is not recorded)", () => {
    const zoned = (timeZone?: TimeZone) => build(() => ({ schedule: 'cron(0 2 * * ? *)', ...(timeZone && { timeZone }) }))().manifestSource;
    expect(zoned(TimeZone.EUROPE_BERLIN)).toMatchObject({ schedule: 'cron(0 2 * * ? *)', timeZone: 'Europe/Berlin' });
    expect(zoned()).not.toHaveProperty('timeZone');
    expect(zoned(TimeZone.ETC_UTC)).not.toHaveProperty('timeZone');
  });

  it('rejects a target without contract or partitioned by hour', () => {
    const s = new Stack(new App(), 'S');
    const p = products(s);
    const noContract = new StubProduct(s, 'NoContract', { domain: 'marketing', name: 'raw', withContract: false });
    expect(() => new SqlPipeline(s, 'P', { sources: [p.orders], target: noContract, sql: 'SELECT * FROM orders.order_placed_v1', schedule: 'rate(1 day)' })).toThrow(
      '[S/P] marketing.raw.v1 has no contract here: a SQL pipeline needs the target\'s columns to build its INSERT. Define the product with its contract.',
    );
    const hourly = new StubProduct(s, 'Hourly', { domain: 'marketing', name: 'hourly', granularity: 'hour' });
    expect(() => new SqlPipeline(s, 'Q', { sources: [p.orders], target: hourly, sql: 'SELECT * FROM orders.order_placed_v1', schedule: 'rate(1 day)' })).toThrow(
      "[S/Q] marketing.hourly.v1 is partitioned by hour, but a SQL pipeline builds one daily partition per run: use partitionBy granularity 'day' for a SQL product.",
    );
  });

  it('warns when the SQL does not use :dt (every run rereads everything)', () => {
    const s = new Stack(new App(), 'S');
    const p = products(s);
    new SqlPipeline(s, 'P', { sources: [p.orders], target: p.customerOrders, sql: 'SELECT id AS order_id FROM orders.order_placed_v1', schedule: 'rate(1 day)' });
    Annotations.fromStack(s).hasWarning('/S/P', Match.stringLikeRegexp('The SQL does not use :dt'));
  });

  it('grants nothing on a source key known only by its alias, and refuses a results key known only by its alias', () => {
    const s = new Stack(new App(), 'S');
    const p = products(s);
    Object.defineProperty(p.customers, 'encryptionKey', { value: kms.Alias.fromAliasName(s, 'AccountsKey', 'alias/shop/accounts') });
    new SqlPipeline(s, 'P', { sources: [p.orders, p.customers], target: p.customerOrders, sql: SQL, schedule: 'rate(1 day)' });
    expect(JSON.stringify(Template.fromStack(s).findResources('AWS::IAM::Policy'))).not.toMatch(/key\/\*|alias\/shop\/accounts/);

    const other = new Stack(new App(), 'S');
    const q = products(other);
    const results = s3.Bucket.fromBucketName(other, 'Results', 'team-results');
    const resultsKey = kms.Alias.fromAliasName(other, 'ResultsKey', 'alias/team/results');
    expect(
      () => new SqlPipeline(other, 'P', { sources: [q.orders, q.customers], target: q.customerOrders, sql: SQL, schedule: 'rate(1 day)', workgroup: { workgroupName: 'team', resultsBucket: results, resultsKey } }),
    ).toThrow(
      '[S/P] The key "alias/team/results" is known only by its alias, and the pipeline writes with it: pass the key itself (kms.Key.fromKeyArn(...), or the DataProduct rather than DataProduct.fromName) so the grant names its ARN, not key/*.',
    );
  });

  it('uses a given workgroup and grants on its results location instead of creating one', () => {
    const s = new Stack(new App(), 'S');
    const p = products(s);
    const results = s3.Bucket.fromBucketName(s, 'Results', 'team-results');
    const pipe = new SqlPipeline(s, 'P', {
      sources: [p.orders, p.customers],
      target: p.customerOrders,
      sql: SQL,
      schedule: 'rate(1 day)',
      workgroup: { workgroupName: 'marketing', resultsBucket: results, resultsPrefix: 'athena/' },
      queryTimeout: Duration.minutes(20),
    });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::Athena::WorkGroup', 0);
    expect(pipe.workgroupName).toBe('marketing');
    expect(pipe.resultsBucket).toBeUndefined();
    expect(JSON.stringify(t.toJSON())).toContain(':s3:::team-results/athena/*');
  });
});
