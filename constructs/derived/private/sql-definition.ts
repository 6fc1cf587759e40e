import { Aws, Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { insertStatementParts, quoteIdentifier, type SqlAnalysis } from '../sql';
import type { LakeProduct } from '../sql-pipeline-props';

const ONE_DAY_MS = 86_400_000;

/**
 * The state machine of a SQL pipeline (JSONata): `dt` from the input or the day before the scheduled time, a
 * check that the partition is empty, then `INSERT INTO … SELECT …`, each Athena step retried with backoff.
 */
export function sqlDefinition(scope: Construct, analysis: SqlAnalysis, options: {
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

  const partition = sfn.Pass.jsonata(scope, 'PartitionToBuild', {
    comment: 'dt from the input (backfill), else the day before the scheduled time (or the start time), in UTC.',
    assign: {
      dt:
        '{% $exists($states.input.dt) ? $states.input.dt : ' +
        `$fromMillis($toMillis($exists($states.input.scheduledTime) ? $states.input.scheduledTime : $states.context.Execution.StartTime) - ${ONE_DAY_MS}, '[Y0001]-[M01]-[D01]') %}`,
    },
  });
  const invalid = sfn.Fail.jsonata(scope, 'InvalidPartition', {
    error: 'InvalidPartition',
    cause: `{% 'dt must be a date in yyyy-MM-dd form, got ' & $string($dt) %}`,
  });
  const countRows = new sfn.CustomState(scope, 'CountExistingRows', {
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
  const readCount = new sfn.CustomState(scope, 'ReadRowCount', {
    stateJson: {
      Type: 'Task',
      Resource: getResults,
      Arguments: { QueryExecutionId: '{% $countQueryId %}', MaxResults: 2 },
      Assign: { existingRows: '{% $number($states.result.ResultSet.Rows[1].Data[0].VarCharValue) %}' },
    },
  }).addRetry(retry);
  const alreadyBuilt = sfn.Succeed.jsonata(scope, 'PartitionAlreadyBuilt', {
    comment: 'The partition holds rows: to rebuild it, delete its objects and start an execution with {"dt": "yyyy-MM-dd"}.',
    outputs: { dt: '{% $dt %}', skipped: true, existingRows: '{% $existingRows %}' },
  });
  const insert = new sfn.CustomState(scope, 'InsertPartition', {
    stateJson: {
      Type: 'Task',
      Comment: 'INSERT INTO the product table, one dt partition. The token makes a retried start reattach to the same query.',
      Resource: startQuery,
      TimeoutSeconds: queryTimeout.toSeconds(),
      Arguments: {
        QueryString: joinWithPartition(
          insertStatementParts(analysis, { database: target.databaseName, table: target.tableName, columns: options.columns }),
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
  const built = sfn.Succeed.jsonata(scope, 'PartitionBuilt');

  return partition.next(
    sfn.Choice.jsonata(scope, 'IsPartitionValid')
      .when(
        sfn.Condition.jsonata("{% $type($dt) = 'string' and $contains($dt, /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/) %}"),
        countRows.next(readCount).next(
          sfn.Choice.jsonata(scope, 'IsPartitionEmpty')
            .when(sfn.Condition.jsonata('{% $existingRows > 0 %}'), alreadyBuilt)
            .otherwise(insert.next(built)),
        ),
      )
      .otherwise(invalid),
  );
}

function joinWithPartition(parts: readonly string[]): string {
  return `{% $join([${parts.map((part) => JSON.stringify(part)).join(', ')}], "'" & $dt & "'") %}`;
}
