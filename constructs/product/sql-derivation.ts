import { Annotations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { MeshConsumer } from '../consumer/mesh-consumer';
import { SqlPipeline, type LakeProduct, type SqlPipelineProps } from '../derived/sql-pipeline';
import { planSqlProduct, SQL_PLAN_ENV } from '../derived/sql-plan';
import { SqlError } from '../derived/sql';
import { DataMeshError } from '../domain/errors';
import { grantProductRead, grantProductWrite } from '../governance/grants';
import { checkUpstream, pipelineConsumerName, type DerivationConfig, type DerivationSourceProps, type IDerivation, type IDerivedProduct } from './derivation-binding';
import type { IDataProduct } from './types';

/** Tuning of a SQL derived product's pipeline: `SqlPipelineProps` without what the product sets. */
export type SqlPipelineOptions = Omit<SqlPipelineProps, 'sources' | 'target' | 'sql' | 'schedule'>;

/** `Derivation.sql(…)`: a product built on a schedule by an Athena query over other products' tables. */
export interface SqlDerivationProps extends DerivationSourceProps {
  /**
   * One SELECT over the tables of `from` (written `<database>.<table>`) whose output columns are named like
   * this product's contract columns, with `:dt` for the partition being built, e.g.
   * `SELECT … FROM orders.order_placed_v1 o JOIN … WHERE o.dt = :dt`. A `SqlPipeline` runs it as `INSERT INTO`.
   */
  readonly sql: string;
  /**
   * When the product is built, each run building the day before the scheduled time (UTC): an EventBridge
   * Scheduler expression, e.g. `cron(0 2 * * ? *)` or `rate(1 day)`.
   */
  readonly schedule: scheduler.ScheduleExpression | string;
  /**
   * Tuning of the SQL pipeline (workgroup, cost guard, timeouts, retries…). `alarmActions` are added to the
   * operations topic.
   * @default - `SqlPipeline`'s defaults, with the domain's access-log bucket for its results bucket
   */
  readonly pipeline?: SqlPipelineOptions;
}

/**
 * A SQL derivation (see `Derivation.sql`): a `SqlPipeline` in the product, its role as a Lake Formation
 * principal (`MeshConsumer.fromRole`) granted SELECT on each source with `grantProductRead` (PII included only
 * with `piiReason`), and DESCRIBE, SELECT and INSERT on the product's own table with `grantProductWrite`.
 */
export class SqlDerivation implements IDerivation {
  public readonly from: readonly IDataProduct[];

  constructor(private readonly props: SqlDerivationProps) {
    this.from = props.from;
  }

  /**
   * Runs the SQL against empty tables with the sources' contract columns and checks its output against the
   * product's contract (constructs/derived/sql-plan.ts). Sources without a contract here cannot be planned.
   */
  private plan(target: IDerivedProduct, sources: readonly LakeProduct[]): void {
    const planned = sources.flatMap((source) =>
      source.contract === undefined
        ? []
        : [{ productId: source.productId, databaseName: source.databaseName, tableName: source.tableName, contract: source.contract.spec, piiColumns: source.contract.piiColumns }],
    );
    if (planned.length < sources.length || process.env[SQL_PLAN_ENV] === 'off') return;
    try {
      const plan = planSqlProduct(this.props.sql, planned, target.contract.spec, this.props.piiReason);
      if ('unplanned' in plan) Annotations.of(target).addWarningV2('cdk-data-mesh:sql-unplanned', `The SQL of ${target.productId} was not checked at synth: ${plan.unplanned}`);
    } catch (error) {
      if (error instanceof SqlError) throw new DataMeshError(target, error.message.replace(/^The SQL /, `The SQL of ${target.productId} `));
      throw error;
    }
  }

  public bind(scope: Construct, target: IDerivedProduct): DerivationConfig {
    const { from, piiReason } = this.props;
    checkUpstream(target, from, piiReason);
    const sources = from.map((source) => {
      const lake = source as Partial<LakeProduct>;
      if (lake.bucket === undefined || lake.dataPrefix === undefined) {
        throw new DataMeshError(
          target,
          `from: ${source.productId} does not say where its data lives (bucket and dataPrefix), which Athena's reads are granted on: ` +
            `pass the DataProduct, or reference it with DataProduct.fromName.`,
        );
      }
      return source as LakeProduct;
    });
    this.plan(target, sources);
    const pipeline = new SqlPipeline(scope, 'Pipeline', {
      serverAccessLogsBucket: target.accessLogsBucket,
      ...this.props.pipeline,
      sources,
      target,
      sql: this.props.sql,
      schedule: this.props.schedule,
    });
    target.addLineage(pipeline.manifestSource);
    const access = MeshConsumer.fromRole(scope, 'PipelineAccess', {
      consumerName: pipelineConsumerName(target),
      role: pipeline.role,
      meshName: target.meshName,
      derives: target.productId,
    });
    const readGrants = sources.map((upstream) => {
      const pii = piiReason !== undefined && upstream.contract!.piiColumns.length > 0;
      // The derivation's reason covers the PII columns its upstreams have at this synth, named one by one.
      return grantProductRead(upstream, access, pii ? { pii: { columns: upstream.contract!.piiColumns, reason: piiReason } } : {});
    });
    return {
      sqlPipeline: pipeline,
      pipelineAccess: access,
      readGrants,
      writeGrant: grantProductWrite(target, access),
      alarms: [pipeline.failureAlarm, pipeline.scheduleDeadLetterAlarm],
      streamingConsumers: [],
      healthWidget: (period) =>
        new cloudwatch.GraphWidget({
          title: 'Pipeline: runs',
          left: [
            pipeline.stateMachine.metricSucceeded({ statistic: 'Sum', period, label: 'Succeeded' }),
            pipeline.stateMachine.metricFailed({ statistic: 'Sum', period, label: 'Failed' }),
            pipeline.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period, label: 'Starts not made' }),
          ],
          width: 12,
          height: 6,
        }),
    };
  }
}
