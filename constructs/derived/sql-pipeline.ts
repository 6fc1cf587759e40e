import { Annotations, Aws, Duration, Size, Stack, Token, type TimeZone } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BUCKET_BASELINE } from '../compliance/bucket-baseline';
import type { SqlSource } from '../manifest/manifest';
import type { IDataProduct } from '../product/types';
import { DerivedProductError } from './errors';
import { lineageTableParameters } from './lineage';
import { acknowledge, wildcardResourceFinding } from '../compliance/acknowledge';
import { FINDINGS } from '../private/findings';
import { DeadLetterQueue } from './private/dead-letter-queue';
import { encryptedLogGroup } from './private/encrypted-log-group';
import { pipelineName } from './private/names';
import { sqlDefinition } from './private/sql-definition';
import { queryStatements } from './private/sql-permissions';
import type { ExistingWorkgroup, LakeProduct, SqlPipelineProps } from './sql-pipeline-props';
import { scheduleProblem } from './schedule';
import { isUtc, timeZoneProblem } from './schedule-runs';
import { analyseSql, insertStatementParts, quoteIdentifier, SqlError, type SqlAnalysis } from './sql';

export * from './sql-pipeline-props';

/**
 * A SQL derived product's pipeline: on a schedule, Athena runs the team's SELECT over the source products
 * and inserts the result as one `dt` partition of the product's table.
 *
 * This defines:
 * - an EventBridge Scheduler schedule starting the state machine with the scheduled time (its own role, retries,
 *   and a dead-letter queue with an alarm for starts that never happen);
 * - a Step Functions state machine (JSONata) that computes `dt` (the day before the scheduled time, or the `dt`
 *   given in the execution input for a backfill), skips a partition that already holds rows (so a duplicate
 *   start never inserts twice), and runs `INSERT INTO … SELECT …` with the optimised Athena integration
 *   `arn:aws:states:::athena:startQueryExecution.sync` — each Athena step retried with backoff and jitter, the
 *   INSERT with an idempotency token so a retry never starts a second query; logs encrypted with KMS;
 * - an alarm on `ExecutionsFailed`;
 * - unless one is given, an Athena workgroup (engine v3, enforced configuration, bytes-scanned cutoff, results in
 *   an encrypted, TLS-only bucket with SSE-KMS under the target's key, which is also how INSERT INTO encrypts the
 *   product's data);
 * - the state machine role with only: Athena on the workgroup, Glue reads on the sources' and target's tables and
 *   partition creation on the target's, `lakeformation:GetDataAccess`, S3 read on the sources' data prefixes and
 *   read/write on the target's, the results location, and the keys.
 *
 * Lake Formation permissions are not created here: grant the `role` SELECT on the sources and SELECT, INSERT
 * and DESCRIBE on the target through the governance constructs.
 */
export class SqlPipeline extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** The state machine's role: the principal to grant Lake Formation permissions to. */
  public readonly role: iam.IRole;
  public readonly schedule: scheduler.Schedule;
  /** The workgroup the queries run in. */
  public readonly workgroupName: string;
  /** The pipeline's own results bucket (undefined when a workgroup was given). */
  public readonly resultsBucket?: s3.IBucket;
  /** In alarm when an execution fails. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** Where the scheduler puts starts it could not make. */
  public readonly scheduleDeadLetterQueue: sqs.IQueue;
  /** In alarm as soon as the schedule's dead-letter queue holds a message. */
  public readonly scheduleDeadLetterAlarm: cloudwatch.Alarm;
  /** The checked SQL. */
  public readonly analysis: SqlAnalysis;
  /** Lineage: the source product ids. */
  public readonly inputs: string[];
  /** The derived product's source, for its mesh manifest entry. */
  public readonly manifestSource: SqlSource;
  /** Lineage parameters for the derived product's Glue table. */
  public readonly tableParameters: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: SqlPipelineProps) {
    super(scope, id);
    const { sources, target } = props;
    this.validateProducts(sources, target);
    const columns = this.targetColumns(target);
    this.analysis = this.checkSql(props.sql, sources);
    const expression = this.scheduleExpression(props.schedule, props.timeZone);
    const { retryAttempts, queryTimeout } = this.checkRunOptions(props);
    const encryptionKey = props.encryptionKey ?? target.encryptionKey;
    const stack = Stack.of(this);
    const name = pipelineName(target, 'sql');

    // Where queries run and results land.
    const workgroup = props.workgroup ?? this.createWorkgroup(name, target, props);
    this.workgroupName = workgroup.workgroupName;
    this.resultsBucket = props.workgroup ? undefined : workgroup.resultsBucket;

    // The role: everything the queries touch, nothing else.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `Builds the daily partitions of ${target.productId} with Athena.`,
    });
    this.role = role;
    const statements = queryStatements(this, sources, target, workgroup);
    const queryPolicy = new iam.Policy(this, 'QueryPolicy', { roles: [role], statements });
    const objectWildcard = 'Written by SqlPipeline: Athena reads (and, for the target and the results, writes) whole partitions, so objects are granted under the data prefix of each product and the results prefix only.';
    const aliasedKey = 'A source key known only by its alias (a product referenced by name): the statement is limited to keys carrying that alias (kms:ResourceAliases), as IAM does not match keys through alias ARNs.';
    acknowledge(queryPolicy, {
      [FINDINGS.iamWildcardResource]: 'lakeformation:GetDataAccess has no resource-level permissions; Lake Formation itself decides which locations it vends credentials for.',
      ...Object.fromEntries(
        statements
          .flatMap((statement) => statement.resources)
          .filter((arn) => arn !== '*' && arn.endsWith('*'))
          .map((arn) => [wildcardResourceFinding(this, arn), arn.includes(':kms:') ? aliasedKey : objectWildcard]),
      ),
    });
    acknowledge(role, {
      [FINDINGS.iamWildcardResource]:
        'Added by the Step Functions state machine for log delivery (logs:CreateLogDelivery, …) and X-Ray tracing, which AWS only allows on "*".',
    });

    // Logs, encrypted with a key CloudWatch Logs may use for this log group only.
    const logGroup = encryptedLogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${name}`,
      encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(
        sqlDefinition(this, this.analysis, { target, columns, workgroupName: workgroup.workgroupName, retryAttempts, queryTimeout }),
      ),
      role,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      comment: `Builds one dt partition of ${target.productId} from ${sources.map((s) => s.productId).join(', ')}.`,
    });

    this.failureAlarm = new cloudwatch.Alarm(this, 'ExecutionsFailed', {
      alarmDescription: `A run building ${target.productId} failed: read the execution's failed step; fix, then start an execution with {"dt": "yyyy-MM-dd"} to rebuild that day (delete s3://…/${target.dataPrefix}dt=<day>/ first if it holds partial data).`,
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failureAlarm.addAlarmAction(...(props.alarmActions ?? []));

    // The schedule, with its own role and dead-letter queue.
    ({ schedule: this.schedule, queue: this.scheduleDeadLetterQueue, alarm: this.scheduleDeadLetterAlarm } = this.createSchedule(props, expression, encryptionKey));

    this.inputs = sources.map((source) => source.productId);
    const timeZone = expression.timeZone?.timezoneName;
    const zoned = timeZone !== undefined && !Token.isUnresolved(timeZone) && !isUtc(timeZone);
    this.manifestSource = { kind: 'sql', from: [...this.inputs], sql: props.sql, schedule: expression.expressionString, ...(zoned && { timeZone }) };
    this.tableParameters = lineageTableParameters('sql', this.inputs);
  }

  /** The retry and timeout settings of the Athena steps, and the results retention, checked. */
  private checkRunOptions(props: SqlPipelineProps): { retryAttempts: number; queryTimeout: Duration } {
    const retryAttempts = props.retryAttempts ?? 3;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 10) {
      throw new DerivedProductError(this, `retryAttempts must be a whole number from 0 to 10, got ${retryAttempts}.`);
    }
    const queryTimeout = props.queryTimeout ?? Duration.hours(1);
    const queryTimeoutSeconds = queryTimeout.isUnresolved() ? 1 : queryTimeout.toSeconds({ integral: false });
    if (!(Number.isInteger(queryTimeoutSeconds) && queryTimeoutSeconds >= 1)) {
      throw new DerivedProductError(this, `queryTimeout must be a whole number of seconds, at least 1, got ${queryTimeout.toHumanString()}: use e.g. Duration.hours(1).`);
    }
    const resultsRetention = props.resultsRetention;
    if (resultsRetention !== undefined && !resultsRetention.isUnresolved()) {
      const days = resultsRetention.toDays({ integral: false });
      if (!Number.isInteger(days) || days < 1) {
        throw new DerivedProductError(
          this,
          `resultsRetention is ${resultsRetention.toHumanString()}, but S3 lifecycle rules expire query results after a whole number of days (at least 1): use e.g. Duration.days(30).`,
        );
      }
    }
    return { retryAttempts, queryTimeout };
  }

  /** The EventBridge Scheduler schedule starting the state machine, with its own role and dead-letter queue. */
  private createSchedule(props: SqlPipelineProps, expression: scheduler.ScheduleExpression, encryptionKey: kms.IKey) {
    const { target } = props;
    const stack = Stack.of(this);
    const dlq = new DeadLetterQueue(this, 'ScheduleDeadLetters', {
      encryptionKey,
      retentionPeriod: Duration.days(14),
      description: `EventBridge Scheduler could not start the ${target.productId} pipeline: the message holds the scheduled time; start an execution with {"dt": "<the day before it>"}.`,
      alarmActions: props.alarmActions,
    });
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Starts the ${target.productId} pipeline on schedule.`,
    });
    // sqs:SendMessage is added by the schedule target; the queue's key needs exactly these two.
    scheduleRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [encryptionKey.keyArn] }));
    const schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: expression,
      description: `Builds ${target.productId} (the day before each scheduled time).`,
      enabled: props.enabled ?? true,
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.StepFunctionsStartExecution(this.stateMachine, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: dlq.queue,
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
      }),
    });
    return { schedule, queue: dlq.queue, alarm: dlq.alarm };
  }

  private createWorkgroup(name: string, target: LakeProduct, props: SqlPipelineProps): ExistingWorkgroup {
    const cutoff = props.bytesScannedCutoffPerQuery ?? Size.gibibytes(10);
    const cutoffBytes = cutoff.toBytes();
    if (!Token.isUnresolved(cutoffBytes) && cutoffBytes < 10_000_000) {
      throw new DerivedProductError(this, `bytesScannedCutoffPerQuery must be at least 10 MB (Athena's minimum), got ${cutoffBytes} bytes.`);
    }
    const bucket = new s3.Bucket(this, 'Results', {
      ...BUCKET_BASELINE,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: target.encryptionKey,
      bucketKeyEnabled: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          expiration: props.resultsRetention ?? Duration.days(30),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      ...(props.serverAccessLogsBucket && { serverAccessLogsBucket: props.serverAccessLogsBucket, serverAccessLogsPrefix: `${name}/` }),
    });
    acknowledge(bucket, {
      [FINDINGS.guardObjectLock]: 'Athena query results are scratch data that expire after the retention period; Object Lock would keep them from expiring.',
      [FINDINGS.guardEventNotifications]: 'Nothing reacts to query results: the state machine reads them through Athena (GetQueryResults).',
    });
    const workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name,
      description: `Runs the pipeline of ${target.productId}.`,
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoffBytes,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: bucket.s3UrlForObject('results/'),
          // INSERT INTO encrypts the data it writes like the results: with the product's key.
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: target.encryptionKey.keyArn },
        },
      },
    });
    return { workgroupName: workgroup.ref, resultsBucket: bucket, resultsPrefix: 'results/', resultsKey: target.encryptionKey };
  }

  private validateProducts(sources: readonly LakeProduct[], target: LakeProduct): void {
    if (sources.length === 0) {
      throw new DerivedProductError(this, `A SQL pipeline needs at least one source product: set sources to the products the SQL reads for ${target.productId}.`);
    }
    const ids = sources.map((source) => source.productId);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) throw new DerivedProductError(this, `Source ${duplicate} is listed twice: list each upstream product once.`);
    if (ids.includes(target.productId)) {
      throw new DerivedProductError(this, `${target.productId} reads its own table: a product cannot be its own source.`);
    }
    for (const source of sources) {
      if (!Token.isUnresolved(source.meshName) && !Token.isUnresolved(target.meshName) && source.meshName !== target.meshName) {
        throw new DerivedProductError(
          this,
          `Source ${source.productId} belongs to mesh "${source.meshName}" but ${target.productId} to mesh "${target.meshName}": derive only from products of the same mesh.`,
        );
      }
    }
  }

  private targetColumns(target: LakeProduct): string[] {
    if (target.contract === undefined) {
      throw new DerivedProductError(this, `${target.productId} has no contract here: a SQL pipeline needs the target's columns to build its INSERT. Define the product with its contract.`);
    }
    if (target.contract.spec.partitionBy.granularity === 'hour') {
      throw new DerivedProductError(
        this,
        `${target.productId} is partitioned by hour, but a SQL pipeline builds one daily partition per run: use partitionBy granularity 'day' for a SQL product.`,
      );
    }
    return Object.keys(target.contract.spec.columns);
  }

  private checkSql(sql: string, sources: readonly LakeProduct[]): SqlAnalysis {
    let analysis: SqlAnalysis;
    try {
      analysis = analyseSql(sql);
    } catch (error) {
      if (error instanceof SqlError) throw new DerivedProductError(this, error.message);
      throw error;
    }
    const declared = new Map(sources.map((source) => [`${source.databaseName}.${source.tableName}`.toLowerCase(), source]));
    const read = new Set<string>();
    for (const ref of analysis.tables) {
      const key = `${ref.database}.${ref.table}`;
      if (!declared.has(key)) {
        throw new DerivedProductError(
          this,
          `The SQL reads ${ref.text}, which is not a declared source (sources: ${[...declared.keys()].join(', ')}): add the product that owns it to sources (it needs a read grant), or remove it from the SQL.`,
        );
      }
      read.add(key);
    }
    for (const [key, source] of declared) {
      if (!read.has(key)) {
        throw new DerivedProductError(
          this,
          `Source ${source.productId} is declared but the SQL never reads ${key}: remove it from sources, so lineage and grants stay exact.`,
        );
      }
    }
    if (analysis.placeholders.length === 0) {
      Annotations.of(this).addWarningV2(
        'cdk-data-mesh:sql-without-partition',
        'The SQL does not use :dt, so every run reads all partitions of its sources and writes them again into the new partition (a daily snapshot). Filter the sources with dt = :dt to build one day.',
      );
    }
    return analysis;
  }

  private scheduleExpression(schedule: scheduler.ScheduleExpression | string, timeZone: SqlPipelineProps['timeZone']): scheduler.ScheduleExpression {
    const zone = (typeof schedule === 'string' ? timeZone : schedule.timeZone)?.timezoneName;
    const zoneProblem = zone === undefined || Token.isUnresolved(zone) ? undefined : timeZoneProblem(zone);
    if (zoneProblem !== undefined) throw new DerivedProductError(this, zoneProblem);
    if (typeof schedule !== 'string') return schedule;
    const problem = Token.isUnresolved(schedule) ? undefined : scheduleProblem(schedule);
    if (problem !== undefined) throw new DerivedProductError(this, `schedule "${schedule}" ${problem}`);
    return scheduler.ScheduleExpression.expression(schedule.trim(), timeZone);
  }
}

/** A JSONata expression: the parts joined with the partition value as a SQL string literal. */
