import type { Duration, Size, TimeZone } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { IDataProduct } from '../product/types';

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
