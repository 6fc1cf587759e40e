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
import { analyseSql, insertStatementParts, quoteIdentifier, SqlError, type SqlAnalysis } from './sql';

/** A product as the SQL pipeline needs it: its table plus where the table's data lives. */
export interface LakeProduct extends IDataProduct {
  /** The domain bucket holding the table's data. */
  readonly bucket: s3.IBucket;
  /** Key prefix of the table's data, ending in `/` (e.g. `order_placed_v1/`). */
  readonly dataPrefix: string;
}

/** An Athena workgroup to run in instead of the pipeline's own. */
export interface ExistingWorkgroup {
  readonly workgroupName: string;
  /** Bucket of the workgroup's query results (the pipeline's role reads and writes there). */
  readonly resultsBucket: s3.IBucket;
  /**
   * Prefix of the results in that bucket, ending in `/`.
   * @default - the whole bucket
   */
  readonly resultsPrefix?: string;
  /**
   * Key encrypting the results. INSERT INTO writes the product's data with the workgroup's result
   * encryption, so this should be the target product's key.
   * @default - none
   */
  readonly resultsKey?: kms.IKey;
}

export interface SqlPipelineProps {
  /** The products the SQL reads; it may read no other table. */
  readonly sources: readonly LakeProduct[];
  /** The derived product whose daily partition the SQL builds. */
  readonly target: LakeProduct;
  /**
   * One SELECT (or WITH … SELECT) naming its output columns like the target's contract columns, reading
   * `<database>.<table>` of the sources, with `:dt` for the partition being built (see `sql.ts`).
   */
  readonly sql: string;
  /**
   * When to build: an EventBridge Scheduler expression, e.g. `cron(0 2 * * ? *)` or `rate(1 day)`. Each run
   * builds the partition of the day before the scheduled time (UTC).
   */
  readonly schedule: scheduler.ScheduleExpression | string;
  /**
   * Time zone of a string `schedule`.
   * @default - UTC
   */
  readonly timeZone?: TimeZone;
  /**
   * Run the schedule.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The Athena workgroup to run in.
   * @default - a workgroup of its own: engine v3, enforced configuration, results encrypted with the target's key
   */
  readonly workgroup?: ExistingWorkgroup;
  /**
   * Cost guard of the pipeline's own workgroup: a query scanning more fails (minimum 10 MB).
   * @default Size.gibibytes(10)
   */
  readonly bytesScannedCutoffPerQuery?: Size;
  /**
   * How long one Athena query may run before the step fails.
   * @default Duration.hours(1)
   */
  readonly queryTimeout?: Duration;
  /**
   * Retries of each Athena step on error (throttling, service faults), with exponential backoff and jitter.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * How long query results stay in the pipeline's results bucket.
   * @default Duration.days(30)
   */
  readonly resultsRetention?: Duration;
  /**
   * Server access logs of the pipeline's results bucket.
   * @default - none
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Actions of the pipeline's alarms (failed execution, schedule dead letters), e.g. an SNS topic.
   * @default - none (the Control Tower rule CT.CLOUDWATCH.PR.1 then reports the alarms)
   */
  readonly alarmActions?: readonly cloudwatch.IAlarmAction[];
  /**
   * Key encrypting the state machine's logs and the schedule's dead-letter queue. Its key policy must let
   * CloudWatch Logs use it: the construct adds that statement, so the key must be defined in this app.
   * @default - the target product's key
   */
  readonly encryptionKey?: kms.IKey;
}

const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
  'athena:GetWorkGroup',
];
const GLUE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'];
const GLUE_PARTITION_WRITE_ACTIONS = ['glue:BatchCreatePartition', 'glue:CreatePartition'];
const S3_OBJECT_READ_ACTIONS = ['s3:GetObject'];
const S3_OBJECT_WRITE_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
const S3_BUCKET_READ_ACTIONS = ['s3:GetBucketLocation'];
const S3_BUCKET_WRITE_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'];
const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];
const ONE_DAY_MS = 86_400_000;

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
    const statements = this.queryStatements(sources, target, workgroup);
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
        this.definition({ target, columns, workgroupName: workgroup.workgroupName, retryAttempts, queryTimeout }),
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
    const dlq = new DeadLetterQueue(this, 'ScheduleDeadLetters', {
      encryptionKey,
      retentionPeriod: Duration.days(14),
      description: `EventBridge Scheduler could not start the ${target.productId} pipeline: the message holds the scheduled time; start an execution with {"dt": "<the day before it>"}.`,
      alarmActions: props.alarmActions,
    });
    this.scheduleDeadLetterQueue = dlq.queue;
    this.scheduleDeadLetterAlarm = dlq.alarm;
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Starts the ${target.productId} pipeline on schedule.`,
    });
    // sqs:SendMessage is added by the schedule target; the queue's key needs exactly these two.
    scheduleRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [encryptionKey.keyArn] }));
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
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

    this.inputs = sources.map((source) => source.productId);
    this.manifestSource = { kind: 'sql', from: [...this.inputs], sql: props.sql, schedule: expression.expressionString };
    this.tableParameters = lineageTableParameters('sql', this.inputs);
  }

  private definition(options: {
    target: LakeProduct;
    columns: string[];
    workgroupName: string;
    retryAttempts: number;
    queryTimeout: Duration;
  }): sfn.IChainable {
    const { target, workgroupName, retryAttempts, queryTimeout } = options;
    const startQuery = `arn:${Aws.PARTITION}:states:::athena:startQueryExecution.sync`;
    const getResults = `arn:${Aws.PARTITION}:states:::athena:getQueryResults`;
    const context = { Database: target.databaseName, Catalog: 'AwsDataCatalog' };
    const retry: sfn.RetryProps = {
      errors: [sfn.Errors.ALL],
      interval: Duration.seconds(10),
      backoffRate: 2,
      maxAttempts: retryAttempts,
      jitterStrategy: sfn.JitterType.FULL,
    };

    const partition = sfn.Pass.jsonata(this, 'PartitionToBuild', {
      comment: 'dt from the input (backfill), else the day before the scheduled time (or the start time), in UTC.',
      assign: {
        dt:
          '{% $exists($states.input.dt) ? $states.input.dt : ' +
          `$fromMillis($toMillis($exists($states.input.scheduledTime) ? $states.input.scheduledTime : $states.context.Execution.StartTime) - ${ONE_DAY_MS}, '[Y0001]-[M01]-[D01]') %}`,
      },
    });
    const invalid = sfn.Fail.jsonata(this, 'InvalidPartition', {
      error: 'InvalidPartition',
      cause: `{% 'dt must be a date in yyyy-MM-dd form, got ' & $string($dt) %}`,
    });
    const countRows = new sfn.CustomState(this, 'CountExistingRows', {
      stateJson: {
        Type: 'Task',
        Comment: 'Rows already in the partition: a second start for the same day (or a rerun) must not insert twice.',
        Resource: startQuery,
        TimeoutSeconds: queryTimeout.toSeconds(),
        Arguments: {
          QueryString: joinWithPartition([
            `SELECT count(*) AS "rows" FROM ${quoteIdentifier(target.databaseName)}.${quoteIdentifier(target.tableName)} WHERE "dt" = `,
            '',
          ]),
          WorkGroup: workgroupName,
          QueryExecutionContext: context,
        },
        Assign: { countQueryId: '{% $states.result.QueryExecution.QueryExecutionId %}' },
      },
    }).addRetry(retry);
    const readCount = new sfn.CustomState(this, 'ReadRowCount', {
      stateJson: {
        Type: 'Task',
        Resource: getResults,
        Arguments: { QueryExecutionId: '{% $countQueryId %}', MaxResults: 2 },
        Assign: { existingRows: '{% $number($states.result.ResultSet.Rows[1].Data[0].VarCharValue) %}' },
      },
    }).addRetry(retry);
    const alreadyBuilt = sfn.Succeed.jsonata(this, 'PartitionAlreadyBuilt', {
      comment: 'The partition holds rows: to rebuild it, delete its objects and start an execution with {"dt": "yyyy-MM-dd"}.',
      outputs: { dt: '{% $dt %}', skipped: true, existingRows: '{% $existingRows %}' },
    });
    const insert = new sfn.CustomState(this, 'InsertPartition', {
      stateJson: {
        Type: 'Task',
        Comment: 'INSERT INTO the product table, one dt partition. The token makes a retried start reattach to the same query.',
        Resource: startQuery,
        TimeoutSeconds: queryTimeout.toSeconds(),
        Arguments: {
          QueryString: joinWithPartition(
            insertStatementParts(this.analysis, { database: target.databaseName, table: target.tableName, columns: options.columns }),
          ),
          WorkGroup: workgroupName,
          QueryExecutionContext: context,
          ClientRequestToken: `{% $substring($pad($dt & '-' & $states.context.Execution.Name, 32, '0'), 0, 128) %}`,
        },
        Output: {
          dt: '{% $dt %}',
          queryExecutionId: '{% $states.result.QueryExecution.QueryExecutionId %}',
          dataScannedInBytes: '{% $states.result.QueryExecution.Statistics.DataScannedInBytes %}',
        },
      },
    }).addRetry(retry);
    const built = sfn.Succeed.jsonata(this, 'PartitionBuilt');

    return partition.next(
      sfn.Choice.jsonata(this, 'IsPartitionValid')
        .when(
          sfn.Condition.jsonata("{% $type($dt) = 'string' and $contains($dt, /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/) %}"),
          countRows.next(readCount).next(
            sfn.Choice.jsonata(this, 'IsPartitionEmpty')
              .when(sfn.Condition.jsonata('{% $existingRows > 0 %}'), alreadyBuilt)
              .otherwise(insert.next(built)),
          ),
        )
        .otherwise(invalid),
    );
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

  private queryStatements(sources: readonly LakeProduct[], target: LakeProduct, workgroup: ExistingWorkgroup): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const tables = [...sources, target];
    const catalog = stack.formatArn({ service: 'glue', resource: 'catalog' });
    const database = (p: LakeProduct) => stack.formatArn({ service: 'glue', resource: 'database', resourceName: p.databaseName });
    const table = (p: LakeProduct) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${p.databaseName}/${p.tableName}` });
    const resultsPrefix = workgroup.resultsPrefix ?? '';
    const statements = [
      new iam.PolicyStatement({
        actions: ATHENA_QUERY_ACTIONS,
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workgroup.workgroupName })],
      }),
      new iam.PolicyStatement({
        actions: ['athena:GetDataCatalog'],
        resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
      }),
      new iam.PolicyStatement({ actions: GLUE_READ_ACTIONS, resources: unique([catalog, ...tables.map(database), ...tables.map(table)]) }),
      new iam.PolicyStatement({ actions: GLUE_PARTITION_WRITE_ACTIONS, resources: [catalog, database(target), table(target)] }),
      // Lake Formation vends the S3 credentials of registered locations; GetDataAccess has no resource-level permissions.
      new iam.PolicyStatement({ actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
    ];
    for (const source of sources) {
      statements.push(
        new iam.PolicyStatement({ actions: S3_OBJECT_READ_ACTIONS, resources: [source.bucket.arnForObjects(`${source.dataPrefix}*`)] }),
        ...listStatements(source.bucket, source.dataPrefix, S3_BUCKET_READ_ACTIONS),
      );
    }
    statements.push(
      new iam.PolicyStatement({ actions: S3_OBJECT_WRITE_ACTIONS, resources: [target.bucket.arnForObjects(`${target.dataPrefix}*`)] }),
      ...listStatements(target.bucket, target.dataPrefix, S3_BUCKET_WRITE_ACTIONS),
      new iam.PolicyStatement({ actions: S3_OBJECT_WRITE_ACTIONS, resources: [workgroup.resultsBucket.arnForObjects(`${resultsPrefix}*`)] }),
      ...listStatements(workgroup.resultsBucket, resultsPrefix, S3_BUCKET_WRITE_ACTIONS),
    );
    // Keys: decrypt what is read; encrypt what is written (the target's data and the results).
    const writeKeys = [target.encryptionKey, ...(workgroup.resultsKey ? [workgroup.resultsKey] : [])];
    const readKeys = sources.map((source) => source.encryptionKey).filter((key) => !writeKeys.includes(key));
    statements.push(...keyStatements(this, readKeys, KMS_READ_ACTIONS), ...keyStatements(this, writeKeys, KMS_WRITE_ACTIONS));
    return statements;
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
    if (typeof schedule !== 'string') return schedule;
    if (!/^(rate|cron|at)\(.+\)$/.test(schedule.trim())) {
      throw new DerivedProductError(
        this,
        `schedule "${schedule}" is not an EventBridge Scheduler expression: use e.g. "cron(0 2 * * ? *)" (02:00 every day) or "rate(1 day)".`,
      );
    }
    return scheduler.ScheduleExpression.expression(schedule.trim(), timeZone);
  }
}

/** A JSONata expression: the parts joined with the partition value as a SQL string literal. */
function joinWithPartition(parts: readonly string[]): string {
  return `{% $join([${parts.map((part) => JSON.stringify(part)).join(', ')}], "'" & $dt & "'") %}`;
}

/** `s3:ListBucket` limited to keys under `prefix`, plus bucket-level `actions` (which have no prefix condition key). */
function listStatements(bucket: s3.IBucket, prefix: string, actions: string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      ...(prefix !== '' && { conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }),
    }),
    new iam.PolicyStatement({ actions, resources: [bucket.bucketArn] }),
  ];
}

/**
 * KMS statements for `keys`: by key ARN, and for a key known only by its alias (a product referenced by name) on
 * the keys carrying that alias — IAM does not match a key through an alias ARN.
 */
function keyStatements(scope: Construct, keys: readonly kms.IKey[], actions: string[]): iam.PolicyStatement[] {
  const byArn = unique(keys.filter((key) => !isAlias(key)).map((key) => key.keyArn));
  const statements = byArn.length > 0 ? [new iam.PolicyStatement({ actions, resources: byArn })] : [];
  for (const aliasName of unique(keys.filter(isAlias).map((key) => key.aliasName))) {
    statements.push(
      new iam.PolicyStatement({
        actions,
        resources: [Stack.of(scope).formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': aliasName } },
      }),
    );
  }
  return statements;
}

function isAlias(key: kms.IKey): key is kms.IAlias {
  return typeof (key as Partial<kms.IAlias>).aliasName === 'string';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

