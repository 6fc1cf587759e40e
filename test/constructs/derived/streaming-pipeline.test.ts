import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../../constructs/compliance/compliance';
import { StreamingPipeline } from '../../../constructs/derived';
import { kinesisRecord } from '../../lambdas/stream-transform/events';
import { startKinesalite, type LocalKinesis } from '../../lambdas/publisher/kinesalite';
import { StubProduct } from './stub-product';
import { openFindings, readValidationReport } from '../../support/validation-report';
import { latestNodeRuntime } from '../../../constructs/private/node-runtime';

const FIXTURE = path.join(__dirname, 'fixtures', 'product-views.ts');

// One app, bundled and checked (cdk-nag, Control Tower rules) once for the whole file (bundling is the slow part).
const app = new App();
addComplianceChecks(app);
const stack = new Stack(app, 'Recommendations');
const alarms = new sns.Topic(stack, 'Alarms', { enforceSSL: true });
const pageViewed = new StubProduct(stack, 'PageViewed', { domain: 'storefront', name: 'page_viewed' });
const cartUpdated = new StubProduct(stack, 'CartUpdated', { domain: 'storefront', name: 'cart_updated' });
const productViews = new StubProduct(stack, 'ProductViews', { domain: 'recommendations', name: 'product_views' });
const pipeline = new StreamingPipeline(stack, 'Pipeline', {
  sources: [pageViewed, cartUpdated],
  target: productViews,
  handler: { entry: path.relative(process.cwd(), FIXTURE), handler: 'toProductView' },
  alarmActions: [new cloudwatchActions.SnsAction(alarms)],
});
// Throws on any unacknowledged finding: every finding of the pipeline is fixed or acknowledged with a reason.
const assembly = app.synth();
const template = Template.fromStack(stack);
const ref = (construct: { node: { defaultChild?: unknown } }) => stack.resolve((construct.node.defaultChild as { ref: string }).ref);

describe('StreamingPipeline template', () => {
  it('maps each source stream with bisection, bounded retries and age, batch item failures and the DLQ as on-failure destination', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    for (const source of [pageViewed, cartUpdated]) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: stack.resolve(source.stream.streamArn),
        FunctionName: ref(pipeline.function as never),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 3600,
        ParallelizationFactor: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: stack.resolve(pipeline.deadLetterQueue.queueArn) } },
      });
    }
  });

  it('encrypts the dead-letter queue with the target key, refuses plain HTTP and alarms on the first message', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: stack.resolve(productViews.encryptionKey.keyArn),
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(pipeline.deadLetterQueue.queueName) }],
      Statistic: 'Maximum',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [stack.resolve(alarms.topicArn)],
    });
  });

  it('passes the compliance checks: nothing reported, and every acknowledgement of the pipeline carries a reason', () => {
    const report = readValidationReport(assembly.directory);
    expect(openFindings(report, (f) => f.constructPath.includes('/Pipeline/') && !f.rule.startsWith('AwsSolutions-KDS3'))).toEqual([]);
  });

  it('encrypts its log group with the target key and keeps it a year', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/data-mesh/shop-recommendations-product_views-v1-transform',
      KmsKeyId: stack.resolve(productViews.encryptionKey.keyArn),
      RetentionInDays: 365,
    });
  });

  it('runs the transform on the latest Node.js runtime, ARM64, with the target stream and sources in its environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: latestNodeRuntime().name,
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          MESH_TARGET_STREAM: stack.resolve(productViews.stream.streamArn),
          MESH_PRODUCT_ID: 'recommendations.product_views.v1',
          POWERTOOLS_SERVICE_NAME: 'recommendations.product_views.v1',
        }),
      },
    });
  });

  it('points the transform at the target product\'s error location and lets it put objects only there', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MESH_ERROR_BUCKET: stack.resolve(productViews.bucket.bucketName),
          MESH_ERROR_PREFIX: 'errors/product_views_v1/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/',
        }),
      },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const puts = statements.filter((s: any) => [s.Action].flat().includes('s3:PutObject'));
    expect(puts.map((s: any) => stack.resolve(s.Resource))).toEqual([stack.resolve(productViews.bucket.arnForObjects('errors/product_views_v1/*'))]);
  });

  it('grants exactly: read on each source stream and key, write on the target stream and key, the DLQ and its logs — no wildcard', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const resources = statements.flatMap((s: any) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(resources).not.toContain('*');
    const allows = (action: string, resource: unknown) =>
      statements.some((s: any) => {
        const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
        const res = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
        return actions.includes(action) && res.some((r: unknown) => JSON.stringify(r) === JSON.stringify(resource));
      });
    for (const source of [pageViewed, cartUpdated]) {
      expect(allows('kinesis:GetRecords', stack.resolve(source.stream.streamArn))).toBe(true);
      expect(allows('kinesis:GetShardIterator', stack.resolve(source.stream.streamArn))).toBe(true);
      expect(allows('kms:Decrypt', stack.resolve(source.encryptionKey.keyArn))).toBe(true);
      expect(allows('kinesis:PutRecords', stack.resolve(source.stream.streamArn))).toBe(false);
    }
    expect(allows('kinesis:PutRecords', stack.resolve(productViews.stream.streamArn))).toBe(true);
    expect(allows('kms:GenerateDataKey*', stack.resolve(productViews.encryptionKey.keyArn))).toBe(true);
    expect(allows('sqs:SendMessage', stack.resolve(pipeline.deadLetterQueue.queueArn))).toBe(true);
    expect(allows('kinesis:GetRecords', stack.resolve(productViews.stream.streamArn))).toBe(false);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
  });

  it('records lineage for the manifest and the table', () => {
    expect(pipeline.inputs).toEqual(['storefront.page_viewed.v1', 'storefront.cart_updated.v1']);
    expect(pipeline.manifestSource).toEqual({
      kind: 'stream',
      from: ['storefront.page_viewed.v1', 'storefront.cart_updated.v1'],
      handlerEntry: path.relative(process.cwd(), FIXTURE),
    });
    expect(pipeline.tableParameters).toEqual({
      'mesh.derived_from': 'storefront.page_viewed.v1,storefront.cart_updated.v1',
      'mesh.derivation': 'stream',
    });
  });
});

describe('StreamingPipeline bundle', () => {
  let kinesis: LocalKinesis;
  let handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;
  const TARGET = 'shop-recommendations-product_views-v1';

  beforeAll(async () => {
    kinesis = await startKinesalite();
    await kinesis.createStream(TARGET, 1);
    const bundleDir = fs
      .readdirSync(assembly.directory)
      .map((name) => path.join(assembly.directory, name))
      .find((dir) => fs.existsSync(path.join(dir, 'index.js')));
    expect(bundleDir).toBeDefined();
    // Load the deployed artifact itself, with the Kinesis client pointed at kinesalite.
    const realRequire = createRequire(path.join(process.cwd(), 'package.json'));
    const sdk = realRequire('@aws-sdk/client-kinesis');
    const endpoint = await kinesis.client.config.endpoint!();
    class LocalKinesisClient extends sdk.KinesisClient {
      constructor(config: object) {
        super({
          ...config,
          endpoint: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          requestHandler: new NodeHttpHandler(),
        });
      }
    }
    const bundleRequire = (id: string) => (id === '@aws-sdk/client-kinesis' ? { ...sdk, KinesisClient: LocalKinesisClient } : realRequire(id));
    const module = { exports: {} as { handler: typeof handler } };
    const env = { ...process.env };
    Object.assign(process.env, { MESH_TARGET_STREAM: TARGET, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' });
    try {
      new Function('module', 'exports', 'require', fs.readFileSync(path.join(bundleDir!, 'index.js'), 'utf8'))(module, module.exports, bundleRequire);
    } finally {
      process.env = env;
    }
    handler = module.exports.handler;
  });
  afterAll(async () => kinesis?.close());

  it("contains the team's module: filters, maps and publishes to the target stream with the module's partition key", async () => {
    const iterators = await kinesis.latestIterators(TARGET);
    const event = {
      Records: [
        kinesisRecord({ value: { session_id: 's1', page: '/home', viewed_at: '2026-11-20T10:00:00Z' } }, 0),
        kinesisRecord({ value: { session_id: 's1', page: '/products/p-42', viewed_at: '2026-11-20T10:00:05Z' } }, 1),
      ],
    };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const records = await kinesis.readFrom(iterators);
    expect(records.map((r) => [r.PartitionKey, JSON.parse(Buffer.from(r.Data!).toString('utf8'))])).toEqual([
      ['p-42', { session_id: 's1', product_id: 'p-42', viewed_at: '2026-11-20T10:00:05Z' }],
    ]);
  });
});

describe('StreamingPipeline validation', () => {
  const fresh = () => {
    const s = new Stack(new App(), 'S');
    return {
      s,
      a: new StubProduct(s, 'A', { domain: 'storefront', name: 'page_viewed' }),
      b: new StubProduct(s, 'B', { domain: 'recommendations', name: 'product_views' }),
    };
  };
  const handler = { entry: FIXTURE };

  it.each([
    ['no source', (x: ReturnType<typeof fresh>) => ({ sources: [], target: x.b, handler }),
      '[S/P] A streaming pipeline needs at least one source product: set sources (e.g. [pageViewed]) for recommendations.product_views.v1.'],
    ['its own source', (x: ReturnType<typeof fresh>) => ({ sources: [x.b], target: x.b, handler }),
      '[S/P] recommendations.product_views.v1 reads its own stream: a product cannot be its own source (that is an endless loop).'],
    ['a source twice', (x: ReturnType<typeof fresh>) => ({ sources: [x.a, x.a], target: x.b, handler }),
      '[S/P] Source storefront.page_viewed.v1 is listed twice: list each upstream product once.'],
    ['unbounded retries', (x: ReturnType<typeof fresh>) => ({ sources: [x.a], target: x.b, handler, maxRetryAttempts: -1 }),
      '[S/P] maxRetryAttempts must be a whole number from 0 to 10000 (unbounded retries would let one poison record block its shard), got -1.'],
    ['a record age over 7 days', (x: ReturnType<typeof fresh>) => ({ sources: [x.a], target: x.b, handler, maxRecordAge: Duration.days(8) }),
      '[S/P] maxRecordAge (seconds) must be a whole number from 60 to 604800, got 691200.'],
    ['a missing entry', (x: ReturnType<typeof fresh>) => ({ sources: [x.a], target: x.b, handler: { entry: 'src/nope.ts' } }),
      `[S/P] handler.entry "src/nope.ts" does not exist (looked for ${path.resolve('src/nope.ts')}): give the path of the transform module relative to the CDK app's directory.`],
    ['a bad export name', (x: ReturnType<typeof fresh>) => ({ sources: [x.a], target: x.b, handler: { entry: FIXTURE, handler: 'to-view' } }),
      '[S/P] handler.handler "to-view" is not a JavaScript export name: use the name of the exported transform function (e.g. "handler").'],
  ])('rejects %s', (_, props, message) => {
    const x = fresh();
    expect(() => new StreamingPipeline(x.s, 'P', props(x) as never)).toThrow(message);
  });

  it('rejects sources of another mesh', () => {
    const x = fresh();
    const other = new StubProduct(x.s, 'C', { domain: 'storefront', name: 'clicks', mesh: 'lab' });
    expect(() => new StreamingPipeline(x.s, 'P', { sources: [other], target: x.b, handler })).toThrow(
      '[S/P] Source storefront.clicks.v1 belongs to mesh "lab" but recommendations.product_views.v1 to mesh "shop": derive only from products of the same mesh.',
    );
  });
});
