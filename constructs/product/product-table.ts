import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Lazy, type RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Contract } from '../contract/contract';
import { partitionFormat } from '../contract/glue-types';
import { PARTITION_KEY, type ColumnType } from '../contract/types';
import type { SqlSource, StreamingSource } from '../manifest/manifest';
import { TABLE_PARAMETERS, contractTableParameters, lineageParameters } from './table-parameters';

/** The earliest `dt` partition projection enumerates. */
const PROJECTION_START = '2020-01-01';

export interface ProductTableProps {
  readonly meshName: string;
  readonly productId: string;
  readonly contract: Contract;
  readonly database: glue.IDatabase;
  readonly tableName: string;
  readonly bucket: s3.IBucket;
  /** Where the data lives in the bucket, e.g. `order_placed_v1/`. */
  readonly dataPrefix: string;
  /** The lineage of a product fed by a pipeline defined elsewhere. @default - none yet (see `addLineage`) */
  readonly source?: StreamingSource | SqlSource;
  /** Why each consumer was granted the PII columns, known once the app is complete (`mesh.pii_reasons`). */
  readonly piiReasons: () => Record<string, string>;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The Glue table of a product version (`Table` in the product's scope): Parquet under the product's data
 * prefix, the contract's columns, partition projection on `dt` (no crawler, no partition to add: Athena
 * sees a partition as soon as Firehose writes it), and the table parameters the catalog reads (the
 * contract's facts, the PII grants' reasons, the lineage of a derived product).
 */
export class ProductTable {
  public readonly table: glue.S3Table;
  /** The table's L1 resource (Firehose reads its schema for the Parquet conversion). */
  public readonly cfnTable: glue.CfnTable;

  constructor(scope: Construct, props: ProductTableProps) {
    const spec = props.contract.spec;
    const hourly = spec.partitionBy.granularity === 'hour';
    this.table = new glue.S3Table(scope, 'Table', {
      database: props.database,
      tableName: props.tableName,
      description: spec.description,
      columns: props.contract.toGlueColumns().map((c) => ({ name: c.name, type: glueSchemaType(c.type, spec.columns[c.name].type), comment: c.comment })),
      partitionKeys: props.contract.toGluePartitionKeys().map((c) => ({ name: c.name, type: glue.Schema.STRING, comment: c.comment })),
      dataFormat: glue.DataFormat.PARQUET,
      storage: glue.S3TableStorage.fromBucket(props.bucket),
      s3Prefix: props.dataPrefix,
      // The data is SSE-KMS (server side): Athena reads it transparently; `has_encrypted_data` is for CSE-KMS.
      hasEncryptedData: false,
      partitionProjection: {
        [PARTITION_KEY]: glue.PartitionProjectionConfiguration.date({
          min: hourly ? `${PROJECTION_START}-00` : PROJECTION_START,
          max: 'NOW',
          format: partitionFormat(spec),
          step: { interval: 1, intervalUnit: hourly ? glue.DateIntervalUnit.HOURS : glue.DateIntervalUnit.DAYS },
        }),
      },
      parameters: {
        ...contractTableParameters(props.meshName, props.productId, spec),
        ...(props.source !== undefined && lineageParameters(props.source)),
        'storage.location.template': `s3://${props.bucket.bucketName}/${props.dataPrefix}${PARTITION_KEY}=\${${PARTITION_KEY}}/`,
        [TABLE_PARAMETERS.piiReasons]: Lazy.string({ produce: () => JSON.stringify(props.piiReasons()) }),
      },
    });
    this.table.applyRemovalPolicy(props.removalPolicy);
    this.cfnTable = this.table.node.defaultChild as glue.CfnTable;
  }

  /** Records a derived product's lineage in the table parameters (`mesh.derived_from`, `mesh.derivation`). */
  public addLineage(source: StreamingSource | SqlSource): void {
    this.cfnTable.addPropertyOverride('TableInput.Parameters', lineageParameters(source));
  }
}

/** The Glue type of a column; complex types keep their full Hive type string. */
function glueSchemaType(hiveType: string, type: ColumnType): glue.Type {
  const primitive = type.kind !== 'array' && type.kind !== 'struct' && type.kind !== 'map';
  return glue.Schema.custom(hiveType, primitive);
}
