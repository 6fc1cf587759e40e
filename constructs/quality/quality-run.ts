import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from '../compliance/acknowledge';
import { BUCKET_BASELINE } from '../compliance/bucket-baseline';
import type { Contract } from '../contract/contract';
import { compileRule, type RuleTarget } from '../contract/quality-sql';
import { qualityTarget } from '../contract/quality-checks';
import { isRunnable, qualityRules, ruleSummary, thresholdOf } from '../contract/quality';
import { bundledCode } from '../private/bundled-code';
import { FINDINGS } from '../private/findings';
import type { CompiledRule, QualityRunConfig } from '../../lambdas/quality-runner/run';
import { QUALITY_NAMESPACE, QualityResultsTable, type ResultsDomain } from './results-table';
import { schedulerCron } from './schedule';
import { latestNodeRuntime } from '../private/node-runtime';

/** When rules without their own `schedule` run: daily at 01:00 UTC, checking the day that closed an hour before. */
export const DEFAULT_QUALITY_SCHEDULE = '0 1 * * *';

const ATHENA_ACTIONS = ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'];
// handler.ts from source, handler.js from the packed library (dist/).
const HANDLER = path.join(__dirname, '..', '..', 'lambdas', 'quality-runner', `handler${path.extname(__filename)}`);

/** The product whose rules run: names and where its data lives. Plain, so this module imports no product code. */
export interface QualityProduct {
  readonly productId: string;
  readonly contract: Contract;
  readonly databaseName: string;
  readonly tableName: string;
  readonly encryptionKey: kms.IKey;
}

export interface QualityRunProps {
  readonly product: QualityProduct;
  /** The domain whose `quality_results` table receives the results. */
  readonly domain: ResultsDomain;
  /** Notified when an error-severity rule fails and when the run itself fails. @default - alarms without actions */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * A product's scheduled quality run: EventBridge Scheduler invokes a Lambda function (one schedule per distinct
 * rule `schedule`; default {@link DEFAULT_QUALITY_SCHEDULE}) that runs each rule's Athena statement on the day before
 * the scheduled time in a workgroup of its own, reading the product through a Lake Formation SELECT grant on that
 * product only. Results: CloudWatch metrics `Measured` and `Failed` in namespace `DataMesh/Quality` with dimensions
 * `Product` and `Rule` (an alarm per error-severity rule on `Failed`), and JSON lines in the domain's
 * `quality_results` table. The run's own failures (errors, timeouts, exhausted retries) alarm too.
 */
export class QualityRun extends Construct {
  /** The function that runs the rules. */
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  /** The product's Athena workgroup for quality queries. */
  public readonly workgroupName: string;
  /** One schedule per distinct rule schedule. */
  public readonly schedules: readonly scheduler.Schedule[];
  /** Rule name → its alarm, for every error-severity rule. */
  public readonly ruleAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** In alarm when a run fails (an error, a timeout, or a rule that could not run). */
  public readonly runFailedAlarm: cloudwatch.Alarm;
  /** Invocations the scheduler or Lambda gave up on land here; in alarm as soon as one does. */
  public readonly deadLetterQueue: sqs.Queue;
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The compiled rules the function runs. */
  public readonly rules: readonly CompiledRule[];

  constructor(scope: Construct, id: string, props: QualityRunProps) {
    super(scope, id);
    const { product, domain } = props;
    const results = QualityResultsTable.of(domain);
    const name = `${product.databaseName}-${product.tableName}-quality`.replace(/_/g, '-').slice(0, 64);
    this.rules = compiledRules(product);
    const key = product.encryptionKey;

    const { resultsBucket, workgroup } = this.createWorkgroup(name, product, domain);
    this.workgroupName = workgroup.ref;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the quality rules of ${product.productId} with Athena (reads that product only, through Lake Formation).`,
    });
    this.grantRun(product, workgroup, resultsBucket, results, domain);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, {
      [FINDINGS.sqsWithoutDlq]: 'This queue is itself the dead-letter queue of the quality run (scheduler and Lambda asynchronous invocations); it is alarmed, and nothing consumes it automatically.',
      [FINDINGS.guardSqsDlq]: 'This queue is itself the dead-letter queue of the quality run; a dead-letter queue of a dead-letter queue would hide failed runs further.',
    });

    // Lambda sends failed invocations to the queue as the function's role: the domain key, for that queue only.
    this.role.addToPrincipalPolicy(queueKeyStatement(key, this.deadLetterQueue));

    const logGroup = new logs.LogGroup(this, 'Logs', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR });
    logGroup.grantWrite(this.role);
    const config: QualityRunConfig = { productId: product.productId, database: product.databaseName, table: product.tableName, rules: this.rules, namespace: QUALITY_NAMESPACE };
    this.function = new lambda.Function(this, 'Function', {
      code: bundledCode(HANDLER, {
        bundle: true, platform: 'node', format: 'cjs', target: 'node24', minify: true, sourcemap: false, external: ['@aws-sdk/*'],
        define: { MESH_QUALITY_CONFIG: JSON.stringify(config) },
      }),
      handler: 'index.handler',
      runtime: latestNodeRuntime(),
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(15),
      retryAttempts: 2,
      deadLetterQueue: this.deadLetterQueue,
      role: this.role,
      logGroup,
      description: `Runs the quality rules of ${product.productId} on the day's partition (Athena) and publishes the results.`,
      environment: { WORKGROUP: workgroup.ref, RESULTS_BUCKET: domain.bucket.bucketName, RESULTS_PREFIX: results.prefix },
    });
    acknowledge(this.function, {
      [FINDINGS.guardLambdaInVpc]: 'The function only calls AWS APIs (Athena, CloudWatch, S3) and holds no data beyond one count per rule; a VPC would add endpoints and ENIs without protecting anything.',
    });

    this.schedules = this.createSchedules(product);
    ({ runFailed: this.runFailedAlarm, deadLetters: this.deadLetterAlarm, rules: this.ruleAlarms } = this.createAlarms(product, domain, props.alarmTopic));
  }

  /** The run's own alarms (failed run, given-up invocation) and one per error-severity rule, notifying `topic`. */
  private createAlarms(product: QualityProduct, domain: ResultsDomain, topic: sns.ITopic | undefined) {
    const notify = topic !== undefined ? [new cloudwatchActions.SnsAction(topic)] : [];
    const runFailed = new cloudwatch.Alarm(this, 'RunFailed', {
      alarmDescription: `The quality run of ${product.productId} failed (error, timeout, or a rule that could not run): read the function's logs; re-run with the event {"dt": "yyyy-MM-dd"}.`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const deadLetters = new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: `A quality run of ${product.productId} was given up (scheduler or Lambda retries exhausted): the message holds the event; re-run with it.`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const ruleAlarms: Record<string, cloudwatch.Alarm> = {};
    for (const rule of this.rules.filter((r) => r.severity === 'error')) {
      ruleAlarms[rule.name] = new cloudwatch.Alarm(this, `Rule-${rule.name}`, {
        alarmDescription: `Quality rule ${rule.name} of ${product.productId} failed: ${rule.description} (threshold ${rule.threshold}). See the partition's row in ${domain.databaseName}.quality_results.`,
        metric: new cloudwatch.Metric({ namespace: QUALITY_NAMESPACE, metricName: 'Failed', dimensionsMap: { Product: product.productId, Rule: rule.name }, period: Duration.hours(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // Between daily runs there is no data: the alarm keeps the last run's verdict.
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
    }
    for (const alarm of [runFailed, deadLetters, ...Object.values(ruleAlarms)]) {
      alarm.addAlarmAction(...notify);
      alarm.addOkAction(...notify);
    }
    return { runFailed, deadLetters, rules: ruleAlarms };
  }

  /** The product's quality workgroup and its own results bucket (encrypted with the product's key, 7-day expiry). */
  private createWorkgroup(name: string, product: QualityProduct, domain: ResultsDomain) {
    const key = product.encryptionKey;
    const resultsBucket = new s3.Bucket(this, 'AthenaResults', {
      ...BUCKET_BASELINE,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(7), noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      serverAccessLogsBucket: domain.logBucket,
      serverAccessLogsPrefix: `${name}/`,
    });
    acknowledge(resultsBucket, {
      [FINDINGS.guardObjectLock]: 'Athena query results of quality checks are scratch data that expire after 7 days; Object Lock would keep them from expiring.',
      [FINDINGS.guardEventNotifications]: 'Nothing reacts to query results: the quality function reads them through Athena (GetQueryResults).',
    });
    const workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name,
      description: `Runs the quality rules of ${product.productId}.`,
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: resultsBucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });
    return { resultsBucket, workgroup };
  }

  /** IAM for Athena in the own workgroup, the product's table through Lake Formation, the results, metrics, keys. */
  private grantRun(product: QualityProduct, workgroup: athena.CfnWorkGroup, resultsBucket: s3.Bucket, results: QualityResultsTable, domain: ResultsDomain): void {
    const stack = Stack.of(this);
    const statements = [
      new iam.PolicyStatement({ actions: ATHENA_ACTIONS, resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workgroup.ref })] }),
      new iam.PolicyStatement({ actions: ['athena:GetDataCatalog'], resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })] }),
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: [resultsBucket.arnForObjects('results/*')] }),
      new iam.PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket'], resources: [resultsBucket.bucketArn] }),
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [domain.bucket.arnForObjects(`${results.prefix}*`)] }),
      // The domain key, only as S3 uses it for the run's own results bucket (Athena results, read back) and for
      // writing the results objects (no decrypt in the domain bucket: the product's objects stay out of reach).
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [product.encryptionKey.keyArn],
        conditions: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [resultsBucket.bucketArn, `${resultsBucket.bucketArn}/*`] } },
      }),
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey'],
        resources: [product.encryptionKey.keyArn],
        conditions: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [domain.bucket.bucketArn, domain.bucket.arnForObjects(`${results.prefix}*`)] } },
      }),
      new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': QUALITY_NAMESPACE } } }),
    ];
    const policy = new iam.Policy(this, 'RunPolicy', { roles: [this.role], statements });
    acknowledge(policy, {
      [FINDINGS.iamWildcardResource]: 'cloudwatch:PutMetricData has no resource-level permissions; the statement is limited to the DataMesh/Quality namespace by condition.',
      [wildcardResourceFinding(this, resultsBucket.arnForObjects('results/*'))]: 'Athena writes one result object per query under the results/ prefix of the run\'s own bucket.',
      [wildcardResourceFinding(this, domain.bucket.arnForObjects(`${results.prefix}*`))]: 'The run writes one JSON object per run under the quality_results/ prefix (the results table) and nowhere else in the domain bucket.',
    });
    acknowledge(this.role, {
      [FINDINGS.iamGenerateDataKey]: 'Not used: the policy names kms:GenerateDataKey exactly.',
    });
  }

  /** One schedule per distinct rule schedule, each invoking the function with its cron, with retries and the DLQ. */
  private createSchedules(product: QualityProduct): scheduler.Schedule[] {
    const crons = [...new Set(this.rules.map((r) => r.schedule))].sort();
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Starts the quality runs of ${product.productId} on schedule.`,
    });
    // lambda:InvokeFunction and sqs:SendMessage are added by the target; the dead-letter queue's key needs these two.
    role.addToPrincipalPolicy(queueKeyStatement(product.encryptionKey, this.deadLetterQueue));
    acknowledge(role, {
      [wildcardResourceFinding(this, `${this.function.functionArn}:*`)]:
        'Added by the scheduler target (grantInvoke): the quality function and its versions; the schedule invokes this one function only.',
    });
    return crons.map((cron, i) => {
      const schedule = new scheduler.Schedule(this, crons.length === 1 ? 'Schedule' : `Schedule${i + 1}`, {
        schedule: scheduler.ScheduleExpression.expression(schedulerCron(cron)),
        description: `Checks the quality rules of ${product.productId} (${cron} UTC) on the day before.`,
        timeWindow: scheduler.TimeWindow.off(),
        target: new targets.LambdaInvoke(this.function, {
          role,
          input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime, schedule: cron }),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 10,
          maxEventAge: Duration.hours(6),
        }),
      });
      return schedule;
    });
  }
}

/** The key's use through SQS (sending to the encrypted dead-letter queue), never through S3 for the product's objects. */
function queueKeyStatement(key: kms.IKey, queue: sqs.IQueue): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `sqs.${queue.stack.region}.amazonaws.com` } },
  });
}

/** The product's runnable rules, implied ones included, compiled to Athena SQL with `${dt}` for the day checked. */
export function compiledRules(product: Pick<QualityProduct, 'contract' | 'databaseName' | 'tableName'>): CompiledRule[] {
  const target: RuleTarget = {
    ...qualityTarget(product.contract.spec, product.databaseName),
    table: product.tableName,
    dt: '${dt}',
    hourly: product.contract.spec.partitionBy.granularity === 'hour',
  };
  return qualityRules(product.contract.spec)
    .filter(isRunnable)
    .map((rule) => {
      const threshold = thresholdOf(rule)!;
      return {
        ...ruleSummary(rule),
        operator: threshold.operator,
        value: threshold.value,
        sql: compileRule(rule, target),
        schedule: rule.schedule ?? DEFAULT_QUALITY_SCHEDULE,
      };
    });
}
