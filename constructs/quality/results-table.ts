import { RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';

/** CloudWatch namespace of the quality metrics (`Measured`, `Failed`; dimensions `Product`, `Rule`). */
export const QUALITY_NAMESPACE = 'DataMesh/Quality';

/** Name of each domain's results table, in the domain's Glue database. */
export const QUALITY_RESULTS_TABLE = 'quality_results';

/** The parts of a domain the results table lives in. */
export interface ResultsDomain extends IConstruct {
  readonly databaseName: string;
  readonly database: glue.CfnDatabase;
  readonly bucket: s3.IBucket;
  readonly logBucket: s3.IBucket;
  readonly encryptionKey: kms.IKey;
}

/** The columns of `<domain>.quality_results`, one row per rule per run (what the quality function writes). */
export const QUALITY_RESULTS_COLUMNS: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'product', type: 'string', comment: 'Product id, e.g. orders.order_placed.v1.' },
  { name: 'rule', type: 'string', comment: 'Rule name (the metric dimension Rule).' },
  { name: 'column_name', type: 'string', comment: 'The column of a column rule; null for a table rule.' },
  { name: 'dimension', type: 'string', comment: 'ODCS dimension: accuracy, completeness, conformity, …' },
  { name: 'severity', type: 'string', comment: 'info, warning or error.' },
  { name: 'description', type: 'string', comment: 'The rule in words.' },
  { name: 'threshold', type: 'string', comment: 'The threshold, e.g. "= 0".' },
  { name: 'measured', type: 'double', comment: 'The measured value; null when the rule could not run.' },
  { name: 'status', type: 'string', comment: 'pass, fail or error.' },
  { name: 'message', type: 'string', comment: 'Why the rule could not run.' },
  { name: 'checked_at', type: 'string', comment: 'When the run checked it (ISO 8601, UTC).' },
];

/**
 * `<domain>.quality_results`: the results of every product's quality runs in the domain, JSON lines under
 * `quality_results/dt=<dt>/` of the domain bucket, partitioned by the `dt` checked (partition projection: no crawler).
 * One per domain, created by the first product with rules.
 */
export class QualityResultsTable extends Construct {
  /** The domain's table, created on first use. */
  public static of(domain: ResultsDomain): QualityResultsTable {
    return (domain.node.tryFindChild('QualityResults') as QualityResultsTable | undefined) ?? new QualityResultsTable(domain, 'QualityResults', domain);
  }

  /** The S3 prefix of the results in the domain bucket. */
  public readonly prefix = `${QUALITY_RESULTS_TABLE}/`;
  public readonly table: glue.CfnTable;

  private constructor(scope: Construct, id: string, domain: ResultsDomain) {
    super(scope, id);
    const location = domain.bucket.s3UrlForObject(this.prefix);
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: domain.database.catalogId,
      databaseName: domain.databaseName,
      tableInput: {
        name: QUALITY_RESULTS_TABLE,
        description: `Quality rule results of the products of ${domain.databaseName}, one row per rule and run (mesh quality runs).`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2020-01-01,NOW',
          'storage.location.template': `${location}dt=\${dt}/`,
        },
        partitionKeys: [{ name: 'dt', type: 'string', comment: 'The partition the rules checked.' }],
        storageDescriptor: {
          columns: [...QUALITY_RESULTS_COLUMNS],
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
        },
      },
    });
    this.table.addResourceDependency(domain.database);
    // Consumers query the results: the table is kept when the stack is deleted, like the product tables.
    this.table.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}
