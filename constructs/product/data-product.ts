import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, Duration, Lazy, RemovalPolicy, Size, SizeRoundingBehavior, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct, IConstruct } from 'constructs';
import { processorBufferBound, processorEsbuildOptions, writeProcessorEntry } from '../../lambdas/firehose-processor/codegen';
import type { Contract } from '../contract/contract';
import { partitionFormat } from '../contract/glue-types';
import { PARTITION_KEY, partitionWindow, type ColumnType } from '../contract/types';
import type { IMeshConsumer } from '../consumer/types';
import type { SqlPipeline } from '../derived/sql-pipeline';
import type { StreamingPipeline, TransformHandler } from '../derived/streaming-pipeline';
import type { DataDomain } from '../domain/data-domain';
import { DataMeshError } from '../domain/errors';
import { FINDINGS, acknowledge, wildcardResourceFinding } from '../domain/private/acknowledge';
import type { ProductReadGrant, ProductWriteGrant } from '../governance/grants';
import { ProductLakeFormation } from '../governance/product-lake-formation';
import { checkNameLength, checkRemovalPolicy, checkSnakeCase, resolveMeshName } from '../domain/private/checks';
import { MANIFEST_METADATA_TYPE, type ProductEntry, type ProductPhysicalNames, type SqlSource, type StreamingSource } from '../manifest/manifest';
import {
  NAME_LIMITS,
  databaseName as conventionDatabaseName,
  dataBucketName,
  dataPrefix as conventionDataPrefix,
  deliveryStreamName as conventionDeliveryStreamName,
  errorPrefix as conventionErrorPrefix,
  keyAlias,
  productId as conventionProductId,
  schemaName as conventionSchemaName,
  streamName as conventionStreamName,
  tableName as conventionTableName,
} from '../naming/naming';
import { ProductOperations, type ProductOperationsProps } from '../operations/product-operations';
import { bundledCode } from '../private/bundled-code';
import { DataProductBase, type KeyGrantTarget } from './data-product-base';
import { checkDerivation, createDerivation, type SqlPipelineOptions, type StreamingPipelineOptions } from './private/derivation';
import { MeshLambdaProcessor } from './private/lambda-processor';
import type { IDataProduct } from './types';
import { registrySchemaDefinition } from './schema-registry';
import { TABLE_PARAMETERS, contractTableParameters, lineageParameters } from './table-parameters';

/**
 * Acknowledgement id of the warning a product with `removalPolicy: DESTROY` raises (see `DOMAIN_DESTROY_WARNING`).
 */
export const PRODUCT_DESTROY_WARNING = 'Annotation::cdk-data-mesh:product-removal-policy-destroy';

/** Acknowledgement id of `ProductOperations`' warning that a contract declares no freshness SLA. */
const OPERATIONS_NO_FRESHNESS_WARNING = 'Annotation::cdk-data-mesh:operations-no-freshness';

/** Firehose's limits for buffering into S3 with format conversion and dynamic partitioning. */
const DELIVERY_BUFFER = { minSeconds: 60, maxSeconds: 900, minMiB: 64, maxMiB: 128 } as const;
/** Firehose's limits for buffering in front of a Lambda processor. */
const PROCESSOR_BUFFER = { minMB: 0.2, maxMB: 3, maxSeconds: 900 } as const;
/** Kinesis retention limits. */
const STREAM_RETENTION = { minHours: 24, maxHours: 8760 } as const;
/** Firehose waits at most 5 minutes for a processor invocation. */
const PROCESSOR_MAX_TIMEOUT = Duration.minutes(5);
/** A registry schema definition holds at most this many characters. */
const SCHEMA_DEFINITION_LIMIT = 170_000;

/** Construct id of the mapping `firehose.DeliveryStream` adds to its stack (aws-kinesisfirehose `setConnections`; `/` in ids becomes `--`). */
const FIREHOSE_CIDR_MAPPING = '@aws-cdk--aws-kinesisfirehose.CidrBlocks';

/** PII grants recorded on a product by the governance module (`grantProductRead`, `PII_ACCESS_METADATA_TYPE`). */
const PII_ACCESS_METADATA_TYPE = 'cdk-data-mesh:pii-access';

/** Ids of the products defined in each app, to catch a product defined twice. */
const DEFINED_PRODUCTS = new WeakMap<IConstruct, Map<string, string>>();

/** Firehose → S3 buffering. Both minimums are Firehose's own when converting to Parquet with dynamic partitioning. */
export interface DeliveryBuffering {
  /**
   * How long Firehose gathers records before writing an object (60-900 s).
   * @default Duration.seconds(300)
   */
  readonly interval?: Duration;
  /**
   * How much Firehose gathers before writing an object (64-128 MiB).
   * @default Size.mebibytes(128)
   */
  readonly size?: Size;
}

/** The Lambda processor that validates, normalises and partitions every record. */
export interface ProcessorOptions {
  /**
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * At most 5 minutes (Firehose's invocation limit).
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
  /**
   * How much data Firehose hands the processor per invocation (0.2-3 MB), at most what the contract allows:
   * a full buffer of records grown through the processor must fit Lambda's 6 MB response.
   * @default - Size.mebibytes(1), or less when the contract's records can grow more (e.g. decimal arrays)
   */
  readonly bufferSize?: Size;
  /**
   * How long Firehose waits to fill that buffer (0-900 s).
   * @default Duration.seconds(60)
   */
  readonly bufferInterval?: Duration;
  /**
   * How often Firehose retries a failed invocation before writing the batch to the error prefix.
   * @default 3
   */
  readonly retries?: number;
}

/** A per-record transform of the team's own, bundled into the processor. */
export interface ProductTransform {
  /**
   * Path of a module exporting `transform(record)` that returns the record to keep (validated again
   * against the contract) or `null`/`undefined` to drop it; absolute or relative to the working directory.
   */
  readonly entry: string;
}

export interface DataProductProps {
  /** The domain that owns the product (its key, bucket, database and registry). */
  readonly domain: DataDomain;
  /** The contract; its `domain` must be the domain's name. Each major version is its own product. */
  readonly contract: Contract;
  /**
   * @default kinesis.StreamMode.ON_DEMAND
   */
  readonly streamMode?: kinesis.StreamMode;
  /**
   * Shards of a PROVISIONED stream.
   * @default 1 (only with `streamMode: StreamMode.PROVISIONED`)
   */
  readonly shardCount?: number;
  /**
   * How long the stream keeps records (24 hours to 365 days), i.e. how far back a consumer can replay.
   * @default Duration.hours(24)
   */
  readonly retention?: Duration;
  /** @default - 300 s / 128 MiB */
  readonly buffering?: DeliveryBuffering;
  /** @default - 512 MB, 1 minute, 1 MB / 60 s buffer, 3 retries */
  readonly processor?: ProcessorOptions;
  /** @default - no transform: records are validated and normalised only */
  readonly transform?: ProductTransform;
  /**
   * What happens to the stream, table, schema and log groups when they leave the stack. DESTROY is an
   * explicit opt-out of data safety and is reported as a warning (acknowledge `PRODUCT_DESTROY_WARNING`
   * under strict validation).
   * @default - the domain's removal policy (RemovalPolicy.RETAIN unless the domain opted out)
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Retention of the processor's and Firehose's log groups.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Put the product under Lake Formation (`ProductLakeFormation`): LF-Tags on the database, table and
   * columns, the Firehose role's DESCRIBE + SELECT grant (format conversion needs it), and the table's
   * IAM_ALLOWED_PRINCIPALS default removed. Needs the mesh's LF-Tags (`MeshGovernance`) deployed first.
   * @default true
   */
  readonly lakeFormation?: boolean;
  /**
   * Where a derived product's data comes from (its lineage), recorded in the manifest and the table parameters,
   * for a product fed by a pipeline defined elsewhere. With `from`, the product creates its pipeline and
   * records this itself.
   * @default - a source product, fed by its producers
   */
  readonly source?: StreamingSource | SqlSource;
  /**
   * The upstream products this product is derived from: with `handler`, a streaming transform reads their
   * streams; with `sql` and `schedule`, Athena reads their tables. They must be of this product's mesh and
   * come with their contract (PII columns and deprecation are checked): a product of another stack or app is
   * referenced with `DataProduct.fromName(this, id, { domain, name, version, contract })`. The lineage is
   * recorded in the manifest (`source`) and the table parameters (`mesh.derived_from`).
   * @default - a source product, fed by its producers
   */
  readonly from?: readonly IDataProduct[];
  /**
   * The team's transform of a streaming derived product: a `StreamingPipeline` (one event source mapping per
   * product in `from`, dead-letter queue, alarm) runs it on every upstream record and publishes what it returns
   * to this product's stream, from where it is validated into the table like any record.
   * @default - not a streaming derived product
   */
  readonly handler?: TransformHandler;
  /**
   * Tuning of the streaming pipeline (batch size, retries, record age, memory…); only with `handler`.
   * `alarmActions` are added to the operations topic.
   * @default - `StreamingPipeline`'s defaults
   */
  readonly streamingPipeline?: StreamingPipelineOptions;
  /**
   * The query of a SQL derived product: one SELECT over the tables of `from` (written `<database>.<table>`)
   * whose output columns are named like this product's contract columns, with `:dt` for the partition being
   * built, e.g. `SELECT … FROM orders.order_placed_v1 o JOIN … WHERE o.dt = :dt`. A `SqlPipeline` runs it as
   * `INSERT INTO` on `schedule`.
   * @default - not a SQL derived product
   */
  readonly sql?: string;
  /**
   * When the SQL product is built, each run building the day before the scheduled time (UTC): an EventBridge
   * Scheduler expression, e.g. `cron(0 2 * * ? *)` or `rate(1 day)`. Required with `sql`.
   * @default - none
   */
  readonly schedule?: scheduler.ScheduleExpression | string;
  /**
   * Tuning of the SQL pipeline (workgroup, cost guard, timeouts, retries…); only with `sql`. `alarmActions`
   * are added to the operations topic.
   * @default - `SqlPipeline`'s defaults, with the domain's access-log bucket for its results bucket
   */
  readonly sqlPipeline?: SqlPipelineOptions;
  /**
   * Why this derived product needs the personal data of its sources. A streaming transform reads whole
   * records, so it is required when a product in `from` has PII columns; a SQL product's read grants include
   * the PII columns only with it. Recorded with the grants and shown in the catalog.
   * @default - none: no PII-bearing source for a streaming product; PII columns excluded from a SQL product's grants
   */
  readonly piiReason?: string;
  /**
   * The product's dashboard, alarms and alarm topic (`ProductOperations`), encrypted with the domain key; the
   * alarms of a derived product's pipeline notify the same topic. `false` creates none.
   * @default - operations e-mailing the contract's `owner.contact`
   */
  readonly operations?: false | ProductOperationsOptions;
}

/** `ProductOperationsProps` without the product (the `DataProduct` itself). */
export interface ProductOperationsOptions extends Omit<ProductOperationsProps, 'product' | 'topicEncryptionKey'> {
  /**
   * Key encrypting the alarm topic.
   * @default - the domain key
   */
  readonly topicEncryptionKey?: kms.IKey;
}

export type { SqlPipelineOptions, StreamingPipelineOptions } from './private/derivation';

/** `DataProduct.fromName` attributes: a product found by the naming convention alone. */
export interface DataProductNameAttributes {
  /** The owning domain, e.g. `orders`. */
  readonly domain: string;
  /** The product name, e.g. `order_placed`. */
  readonly name: string;
  /** The major version, e.g. `1`. */
  readonly version: number;
  /** @default - the `cdk-data-mesh:meshName` context value, else `mesh` */
  readonly meshName?: string;
  /** @default '' */
  readonly databasePrefix?: string;
  /**
   * The product's contract, when this app knows it (needed for column-level grants).
   * @default - unknown
   */
  readonly contract?: Contract;
}

/**
 * A data product version: a Kinesis stream (the real-time API) whose records a Firehose delivery stream
 * validates and normalises (Lambda processor generated from the contract), converts to Parquet and
 * writes, partitioned by event-time `dt`, under the product's prefix of the domain bucket, where a Glue
 * table with partition projection makes them queryable by Athena at once. The contract's JSON Schema is
 * registered in the domain's Glue Schema Registry.
 *
 * @example
 * const orderPlaced = new DataProduct(this, 'OrderPlaced', { domain, contract: orderPlacedContract });
 * orderPlaced.grantWrite(checkoutService);
 */
export class DataProduct extends DataProductBase {
  /**
   * References another team's product by the naming convention alone (no CloudFormation exports, so each
   * domain deploys on its own): the stream ARN is built in this stack's account and region, the key is
   * found by its alias (grants carry a `kms:ResourceAliases` condition).
   */
  public static fromName(scope: Construct, id: string, attrs: DataProductNameAttributes): DataProductBase {
    return new ImportedDataProduct(scope, id, attrs);
  }

  /** The contract this product version implements. */
  public readonly contract: Contract;
  /** The domain owning the product. */
  public readonly domain: DataDomain;
  public readonly productId: string;
  public readonly meshName: string;
  public readonly domainName: string;
  public readonly productName: string;
  public readonly version: number;
  public readonly databaseName: string;
  public readonly databaseArn: string;
  public readonly tableName: string;
  public readonly tableArn: string;
  public readonly streamName: string;
  public readonly deliveryStreamName: string;
  /** The product's real-time API: an encrypted Kinesis stream. */
  public readonly stream: kinesis.Stream;
  /** The Firehose delivery stream from the stream to the table. */
  public readonly deliveryStream: firehose.DeliveryStream;
  /** The role Firehose reads the stream, invokes the processor and writes S3 with. */
  public readonly deliveryStreamRole: iam.IRole;
  /** The processor Firehose invokes for every batch. */
  public readonly processor: lambda.IFunction;
  /** The Glue table `<product>_v<major>` (Parquet, partition projection on `dt`). */
  public readonly table: glue.S3Table;
  /** The table's L1 resource. */
  public readonly cfnTable: glue.CfnTable;
  /** The registry schema of this version (JSON, BACKWARD compatibility). */
  public readonly schema: glue.CfnSchema;
  /** The registry schema version holding the contract's current JSON Schema. */
  public readonly schemaVersion: glue.CfnSchemaVersion;
  /** The domain bucket holding the table's data. */
  public readonly bucket: s3.IBucket;
  public readonly encryptionKey: kms.IKey;
  /** Key prefix of the table's data, e.g. `order_placed_v1/`. */
  public readonly dataPrefix: string;
  /** Firehose error prefix, e.g. `errors/order_placed_v1/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/`. */
  public readonly errorPrefix: string;
  /** Firehose buffering interval into S3 (data reaches the table up to ~1.5x later). */
  public readonly bufferingInterval: Duration;
  /** Firehose buffering size into S3. */
  public readonly bufferingSize: Size;
  /** The removal policy of the product's stateful resources. */
  public readonly removalPolicy: RemovalPolicy;
  /** The product's Lake Formation tags and service grants, unless `lakeFormation: false`. */
  public readonly lakeFormation?: ProductLakeFormation;
  /** The mesh manifest entry recorded on this construct. */
  public readonly entry: ProductEntry;
  /** The pipeline running the team's transform, for a streaming derived product (`handler`). */
  public readonly streamingPipeline?: StreamingPipeline;
  /** The pipeline building the table with Athena, for a SQL derived product (`sql`). */
  public readonly sqlPipeline?: SqlPipeline;
  /** The SQL pipeline's role as a Lake Formation principal, named e.g. `marketing-customer_orders-v1-pipeline`. */
  public readonly pipelineAccess?: IMeshConsumer;
  /** The SQL pipeline's Lake Formation reads of the products in `from`. */
  public readonly pipelineReadGrants: readonly ProductReadGrant[] = [];
  /** The SQL pipeline's Lake Formation DESCRIBE, SELECT and INSERT on this product's table. */
  public readonly pipelineWriteGrant?: ProductWriteGrant;
  /** Dashboard, alarms and the owner's alarm topic, unless `operations: false`. */
  public readonly operations?: ProductOperations;

  protected readonly keyGrantTarget: KeyGrantTarget;

  private readonly manifestEntry: { -readonly [K in keyof ProductEntry]: ProductEntry[K] };

  constructor(scope: Construct, id: string, props: DataProductProps) {
    super(scope, id);
    const { domain, contract } = props;
    const spec = contract.spec;
    if (contract.domain !== domain.domainName) {
      throw new DataMeshError(
        this,
        `Contract "${contract.id}" belongs to domain "${contract.domain}", but this DataProduct is in domain "${domain.domainName}" ` +
          `(${domain.node.path}): add it to the "${contract.domain}" DataDomain, or set the contract's domain to "${domain.domainName}".`,
      );
    }
    this.contract = contract;
    this.domain = domain;
    this.meshName = domain.meshName;
    this.domainName = domain.domainName;
    this.productName = contract.name;
    this.version = contract.version;
    checkSnakeCase(this, 'product name', this.productName, 'order_placed');
    this.productId = conventionProductId(this.domainName, this.productName, this.version);
    this.removalPolicy = props.removalPolicy ?? domain.removalPolicy;
    checkRemovalPolicy(this, this.removalPolicy);

    // --- Names -------------------------------------------------------------------------------------------
    const parts = { mesh: this.meshName, domain: this.domainName, product: this.productName, version: this.version };
    this.streamName = conventionStreamName(parts);
    this.deliveryStreamName = conventionDeliveryStreamName(parts);
    this.databaseName = domain.databaseName;
    this.tableName = conventionTableName(this.productName, this.version);
    this.dataPrefix = conventionDataPrefix(this.productName, this.version);
    this.errorPrefix = conventionErrorPrefix(this.productName, this.version);
    const shorten = `Shorten the mesh name ("${this.meshName}"), the domain name ("${this.domainName}") or the product name ("${this.productName}").`;
    checkNameLength(this, { what: 'Kinesis stream name', value: this.streamName, limit: NAME_LIMITS.streamName, fix: shorten });
    checkNameLength(this, { what: 'Firehose delivery stream name', value: this.deliveryStreamName, limit: NAME_LIMITS.deliveryStreamName, fix: shorten });
    checkNameLength(this, {
      what: 'Glue table name',
      value: this.tableName,
      limit: NAME_LIMITS.glueName,
      fix: `Shorten the product name ("${this.productName}").`,
    });
    this.registerInApp();
    const derivation = checkDerivation(this, props);

    const stack = Stack.of(this);
    this.databaseArn = domain.databaseArn;
    this.bucket = domain.bucket;
    this.encryptionKey = domain.encryptionKey;
    this.keyGrantTarget = { resourceArns: [domain.encryptionKey.keyArn] };

    // --- Configuration -----------------------------------------------------------------------------------
    const retention = props.retention ?? Duration.hours(24);
    this.checkRange('retention (hours)', hours(retention), STREAM_RETENTION.minHours, STREAM_RETENTION.maxHours, 'e.g. Duration.days(7)');
    const streamMode = props.streamMode ?? kinesis.StreamMode.ON_DEMAND;
    if (props.shardCount !== undefined && streamMode !== kinesis.StreamMode.PROVISIONED) {
      throw new DataMeshError(
        this,
        `shardCount ${props.shardCount} is set but streamMode is ${streamMode}: set streamMode: StreamMode.PROVISIONED to size the stream in shards, or drop shardCount.`,
      );
    }
    if (props.shardCount !== undefined) this.checkRange('shardCount', props.shardCount, 1, 10_000, 'e.g. 2', true);

    this.bufferingInterval = props.buffering?.interval ?? Duration.seconds(300);
    this.bufferingSize = props.buffering?.size ?? Size.mebibytes(128);
    this.checkRange('buffering.interval (seconds)', seconds(this.bufferingInterval), DELIVERY_BUFFER.minSeconds, DELIVERY_BUFFER.maxSeconds,
      'Firehose needs at least 60 s with Parquet conversion and dynamic partitioning, e.g. Duration.seconds(60)');
    this.checkRange('buffering.size (MiB)', mebibytes(this.bufferingSize), DELIVERY_BUFFER.minMiB, DELIVERY_BUFFER.maxMiB,
      'Firehose needs at least 64 MiB with Parquet conversion and dynamic partitioning, e.g. Size.mebibytes(64)');

    const processorOptions = props.processor ?? {};
    const memorySize = processorOptions.memorySize ?? 512;
    const timeout = processorOptions.timeout ?? Duration.minutes(1);
    const bufferBound = processorBufferBound(spec);
    const processorBufferSize = processorOptions.bufferSize ?? Size.kibibytes(bufferBound.defaultKiB);
    const processorBufferInterval = processorOptions.bufferInterval ?? Duration.seconds(60);
    const retries = processorOptions.retries ?? 3;
    this.checkRange('processor.memorySize (MB)', memorySize, 128, 10_240, 'e.g. 512', true);
    this.checkRange('processor.timeout (seconds)', seconds(timeout), 1, PROCESSOR_MAX_TIMEOUT.toSeconds(), 'Firehose waits at most 5 minutes for a processor, e.g. Duration.minutes(1)');
    this.checkRange('processor.bufferSize (MB)', megabytesOf(processorBufferSize), PROCESSOR_BUFFER.minMB, PROCESSOR_BUFFER.maxMB,
      'Firehose accepts 0.2-3 MB for a Lambda processor, e.g. Size.mebibytes(1)');
    const bufferTooLarge = bufferBound.tooLarge(megabytesOf(processorBufferSize));
    if (bufferTooLarge !== undefined) throw new DataMeshError(this, bufferTooLarge);
    this.checkRange('processor.bufferInterval (seconds)', seconds(processorBufferInterval), 0, PROCESSOR_BUFFER.maxSeconds, 'e.g. Duration.seconds(60)');
    this.checkRange('processor.retries', retries, 0, 300, 'e.g. 3', true);

    let transformEntry: string | undefined;
    if (props.transform !== undefined) {
      transformEntry = path.resolve(props.transform.entry);
      if (!fs.existsSync(transformEntry)) {
        throw new DataMeshError(
          this,
          `transform.entry "${props.transform.entry}" does not exist (resolved to ${transformEntry}): pass the path, absolute or relative to ` +
            `${process.cwd()}, of a module exporting transform(record).`,
        );
      }
    }
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    // --- Stream ------------------------------------------------------------------------------------------
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: this.streamName,
      streamMode,
      ...(streamMode === kinesis.StreamMode.PROVISIONED && { shardCount: props.shardCount ?? 1 }),
      retentionPeriod: retention,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: domain.encryptionKey,
      removalPolicy: this.removalPolicy,
    });

    // --- Table -------------------------------------------------------------------------------------------
    const hourly = spec.partitionBy.granularity === 'hour';
    const window = partitionWindow(spec);
    const format = partitionFormat(spec);
    this.table = new glue.S3Table(this, 'Table', {
      database: domain.glueDatabase,
      tableName: this.tableName,
      description: spec.description,
      columns: contract.toGlueColumns().map((c) => ({ name: c.name, type: glueSchemaType(c.type, spec.columns[c.name].type), comment: c.comment })),
      partitionKeys: contract.toGluePartitionKeys().map((c) => ({ name: c.name, type: glue.Schema.STRING, comment: c.comment })),
      dataFormat: glue.DataFormat.PARQUET,
      storage: glue.S3TableStorage.fromBucket(domain.bucket),
      s3Prefix: this.dataPrefix,
      // The data is SSE-KMS (server side): Athena reads it transparently; `has_encrypted_data` is for CSE-KMS.
      hasEncryptedData: false,
      partitionProjection: {
        [PARTITION_KEY]: glue.PartitionProjectionConfiguration.date({
          // The contract's event-time window: the processor refuses events outside it, so every Ok record is in range.
          min: hourly ? `${window.since}-00` : window.since,
          max: `NOW+${window.futureToleranceHours}HOURS`,
          format,
          step: { interval: 1, intervalUnit: hourly ? glue.DateIntervalUnit.HOURS : glue.DateIntervalUnit.DAYS },
        }),
      },
      parameters: {
        ...contractTableParameters(this.meshName, this.productId, spec),
        ...(props.source !== undefined && lineageParameters(props.source)),
        'storage.location.template': `s3://${domain.bucket.bucketName}/${this.dataPrefix}${PARTITION_KEY}=\${${PARTITION_KEY}}/`,
        [TABLE_PARAMETERS.piiReasons]: Lazy.string({ produce: () => JSON.stringify(this.piiReasons()) }),
      },
    });
    this.table.applyRemovalPolicy(this.removalPolicy);
    this.cfnTable = this.table.node.defaultChild as glue.CfnTable;
    this.tableArn = stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${this.tableName}` });

    // --- Schema registry ---------------------------------------------------------------------------------
    const schemaDefinition = registrySchemaDefinition(contract);
    if (schemaDefinition.length > SCHEMA_DEFINITION_LIMIT) {
      throw new DataMeshError(
        this,
        `The JSON Schema of ${this.productId} is ${schemaDefinition.length} characters; the Glue Schema Registry allows at most ${SCHEMA_DEFINITION_LIMIT}. Shorten the column descriptions or split the product.`,
      );
    }
    this.schema = new glue.CfnSchema(this, 'Schema', {
      name: conventionSchemaName(this.productName, this.version),
      registry: { arn: domain.schemaRegistry.attrArn },
      dataFormat: 'JSON',
      compatibility: 'BACKWARD',
      description: `JSON Schema of data product ${this.productId}: producers validate records against it before publishing.`.slice(0, 1000),
    });
    this.schema.applyRemovalPolicy(this.removalPolicy);
    // A schema's definition cannot be updated in place: each contract revision registers a new version
    // (Glue checks BACKWARD compatibility), and earlier versions stay registered as history.
    const definitionHash = createHash('sha256').update(schemaDefinition).digest('hex').slice(0, 12);
    this.schemaVersion = new glue.CfnSchemaVersion(this, `SchemaVersion-${definitionHash}`, {
      schema: { schemaArn: this.schema.attrArn },
      schemaDefinition,
    });
    this.schemaVersion.applyRemovalPolicy(RemovalPolicy.RETAIN);

    // --- Processor ---------------------------------------------------------------------------------------
    const processorRole = new iam.Role(this, 'ProcessorRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the Firehose processor of data product ${this.productId}.`,
    });
    const processorLogs = new logs.LogGroup(this, 'ProcessorLogs', {
      encryptionKey: domain.encryptionKey,
      retention: logRetention,
      removalPolicy: this.removalPolicy,
    });
    processorLogs.grantWrite(processorRole);
    // Bundled with esbuild in-process, with the options the benchmarks and the local mode use (see bundledCode).
    const processorEntry = writeProcessorEntry(spec, { transformEntry });
    const processor = new lambda.Function(this, 'Processor', {
      code: bundledCode(processorEntry, processorEsbuildOptions(processorEntry, 'index.js')),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout,
      role: processorRole,
      logGroup: processorLogs,
      description: `Validates, normalises and partitions the records of data product ${this.productId} for Firehose.`,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'firehose-processor',
        POWERTOOLS_METRICS_NAMESPACE: 'DataMesh',
      },
    });
    this.processor = processor;

    // --- Delivery stream ---------------------------------------------------------------------------------
    const deliveryLogs = new logs.LogGroup(this, 'DeliveryLogs', {
      encryptionKey: domain.encryptionKey,
      retention: logRetention,
      removalPolicy: this.removalPolicy,
    });
    const role = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        // Firehose passes the account id as external id (confused-deputy protection).
        conditions: { StringEquals: { 'sts:ExternalId': stack.account } },
      }),
      description: `Firehose delivers data product ${this.productId} from its stream to its table with it.`,
    });
    this.deliveryStreamRole = role;
    const deliveryPolicy = this.deliveryPolicy(role, processor, deliveryLogs);

    // The role is passed immutable: the L2 would otherwise add its own, broader grants (the whole bucket,
    // glue:GetSchemaVersion on "*"); `deliveryPolicy` holds the exact ones.
    const immutableRole = role.withoutPolicyUpdates();
    this.deliveryStream = new firehose.DeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: this.deliveryStreamName,
      source: new firehose.KinesisStreamSource(this.stream),
      role: immutableRole,
      destination: new firehose.S3Bucket(domain.bucket, {
        role: immutableRole,
        dataOutputPrefix: `${this.dataPrefix}${PARTITION_KEY}=!{partitionKeyFromLambda:${PARTITION_KEY}}/`,
        errorOutputPrefix: this.errorPrefix,
        bufferingInterval: this.bufferingInterval,
        bufferingSize: this.bufferingSize,
        encryptionKey: domain.encryptionKey,
        loggingConfig: new firehose.EnableLogging(deliveryLogs),
        processors: [
          new MeshLambdaProcessor(processor, { bufferSize: processorBufferSize, bufferInterval: processorBufferInterval, retries }),
        ],
        dataFormatConversion: {
          schemaConfiguration: firehose.SchemaConfiguration.fromCfnTable(this.cfnTable),
          inputFormat: firehose.InputFormat.OPENX_JSON,
          outputFormat: firehose.OutputFormat.PARQUET,
        },
        dynamicPartitioning: { enabled: true },
      }),
    });
    // Parquet compresses itself (SNAPPY); S3-level compression must stay UNCOMPRESSED with format conversion
    // (the L2 refuses to set it then, and leaves it to the service default: state it).
    (this.deliveryStream.node.defaultChild as firehose.CfnDeliveryStream).addPropertyOverride(
      'ExtendedS3DestinationConfiguration.CompressionFormat',
      'UNCOMPRESSED',
    );
    // The L2 always adds a mapping of Firehose CIDR blocks for `connections` (VPC destinations); this
    // product never uses it, and an unreferenced mapping fails strict CloudFormation validation.
    stack.node.tryRemoveChild(FIREHOSE_CIDR_MAPPING);
    // Firehose checks its permissions when the stream is created: the policy must exist first.
    this.deliveryStream.node.addDependency(deliveryPolicy, this.table);

    if (props.lakeFormation ?? true) {
      this.lakeFormation = new ProductLakeFormation(this, 'LakeFormation', {
        meshName: this.meshName,
        domainName: this.domainName,
        databaseName: this.databaseName,
        tableName: this.tableName,
        contract: spec,
        table: this.table,
        database: domain.database,
        firehoseRole: role,
        deliveryStream: this.deliveryStream,
      });
    }

    // --- Compliance findings that do not apply, with the reason ------------------------------------------
    acknowledge(this.stream, {
      [FINDINGS.kinesisCustomerManagedKey]:
        'The domain key is customer-managed on purpose: one key per domain encrypts its streams and data, its policy and alias are how ' +
        'other domains are granted access (kms:ResourceAliases), and its use is audited per domain.',
    });
    acknowledge(this.deliveryStream, {
      [FINDINGS.firehoseSse]:
        'Firehose cannot encrypt a delivery stream whose source is a Kinesis stream; the records are encrypted in the source stream ' +
        'and written to S3 with the domain key (KMSEncryptionConfig).',
    });
    acknowledge(processor, {
      [FINDINGS.lambdaInVpc]:
        'The processor only transforms the records Firehose passes in and returns them; it calls no network service, so a VPC would add ' +
        'ENIs and cold-start latency without protecting anything.',
    });
    acknowledge(deliveryPolicy, {
      [wildcardResourceFinding(this, this.bucket.arnForObjects(`${this.dataPrefix}*`))]:
        "S3 object ARNs need a key pattern: Firehose writes partitioned objects under the product's own data prefix only.",
      [wildcardResourceFinding(this, this.bucket.arnForObjects(`${this.errorPrefix.slice(0, this.errorPrefix.indexOf('!{'))}*`))]:
        "S3 object ARNs need a key pattern: Firehose writes failed records under the product's own error prefix only.",
      [wildcardResourceFinding(this, `${processor.functionArn}:*`)]:
        'Matches qualified invocations (versions, $LATEST) of this one processor function.',
    });

    // --- Deprecation, tags, manifest ---------------------------------------------------------------------
    Tags.of(this).add('mesh:product', this.productId);
    Tags.of(this).add('mesh:owner', spec.owner.team);
    if (spec.deprecated !== undefined) {
      Tags.of(this).add('mesh:deprecated-sunset', spec.deprecated.sunset);
      if (spec.deprecated.successor !== undefined) Tags.of(this).add('mesh:successor', spec.deprecated.successor);
    }
    // An inherited DESTROY is already reported on the domain.
    if (props.removalPolicy === RemovalPolicy.DESTROY) {
      Annotations.of(this).addWarningV2(
        'cdk-data-mesh:product-removal-policy-destroy',
        `DataProduct ${this.node.path} (${this.productId}) has removalPolicy DESTROY: deleting the stack deletes its stream (with unread records), ` +
          `Glue table, registry schema and log groups. Keep the default RemovalPolicy.RETAIN for real data.`,
      );
    }

    const physical: ProductPhysicalNames = {
      streamName: this.streamName,
      deliveryStreamName: this.deliveryStreamName,
      databaseName: this.databaseName,
      tableName: this.tableName,
      dataPrefix: this.dataPrefix,
      errorPrefix: this.errorPrefix,
    };
    this.manifestEntry = {
      kind: 'product',
      id: this.productId,
      mesh: this.meshName,
      path: this.node.path,
      stackName: stack.stackName,
      contract: spec,
      physical,
      ...(transformEntry !== undefined && { transformEntry: path.relative(process.cwd(), transformEntry) }),
      ...(props.source !== undefined && { source: props.source }),
    };
    this.entry = this.manifestEntry;
    this.node.addMetadata(MANIFEST_METADATA_TYPE, this.manifestEntry, { stackTrace: false });

    // --- Derived products: the pipeline, its lineage and grants ---------------------------------------------
    const derived = derivation === undefined ? undefined : createDerivation(this, derivation);
    this.streamingPipeline = derived?.streamingPipeline;
    this.sqlPipeline = derived?.sqlPipeline;
    this.pipelineAccess = derived?.pipelineAccess;
    this.pipelineReadGrants = derived?.readGrants ?? [];
    this.pipelineWriteGrant = derived?.writeGrant;

    // --- Operations --------------------------------------------------------------------------------------
    if (props.operations !== false) {
      const options = props.operations ?? {};
      const transform = this.streamingPipeline?.function;
      this.operations = new ProductOperations(this, 'Operations', {
        ...options,
        topicEncryptionKey: options.topicEncryptionKey ?? this.encryptionKey,
        product: {
          productId: this.productId,
          contract: this.contract,
          stream: this.stream,
          deliveryStreamName: this.deliveryStreamName,
          processor: this.processor,
          bufferingInterval: this.bufferingInterval,
          // The transform's lag behind its sources. Its dead-letter queue keeps the pipeline's own alarm (below).
          ...(transform !== undefined && { streamingConsumers: [{ label: `${this.productId} transform`, function: transform }] }),
        },
      });
      if (spec.sla.freshnessMinutes === undefined) {
        // Declaring a freshness SLA is the contract's choice (the mesh policies say what contracts must declare):
        // without one there is nothing to alarm on, which should not fail a strict synth of every such product.
        Validations.of(this.operations).acknowledge({
          id: OPERATIONS_NO_FRESHNESS_WARNING,
          reason: `The contract of ${this.productId} declares no sla.freshnessMinutes, so there is no freshness to alarm on; the product's other alarms stand. Declare it in the contract to get a freshness alarm.`,
        });
      }
      if (derived !== undefined) this.operatePipeline(this.operations, derived.alarms, options.period ?? Duration.minutes(5));
    }
    domain._registerProduct(this);
  }

  /**
   * Records that this product is derived from other products: its manifest entry's `source` and the
   * lineage table parameters (`mesh.derived_from`, `mesh.derivation`). Derived pipelines call this.
   */
  public addLineage(source: StreamingSource | SqlSource): void {
    if (this.manifestEntry.source !== undefined) {
      throw new DataMeshError(
        this,
        `${this.productId} already has a source (${this.manifestEntry.source.kind} from ${this.manifestEntry.source.from.join(', ')}): a product is derived by one pipeline at most.`,
      );
    }
    this.manifestEntry.source = source;
    this.cfnTable.addPropertyOverride('TableInput.Parameters', lineageParameters(source));
  }

  /**
   * The pipeline's alarms notify the owner's topic (on alarm and on recovery) and join the product's dashboard,
   * with the pipeline's health. Each dead-letter queue keeps exactly the one alarm its pipeline gives it (with
   * the runbook of what its messages mean); the operations construct is not handed the queues, so it adds none.
   */
  private operatePipeline(operations: ProductOperations, alarms: readonly cloudwatch.Alarm[], period: Duration): void {
    const notify = new cloudwatchActions.SnsAction(operations.topic);
    for (const alarm of alarms) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
    const graph = (title: string, metrics: cloudwatch.IMetric[]) => new cloudwatch.GraphWidget({ title, left: metrics, width: 12, height: 6 });
    const health = this.streamingPipeline !== undefined
      ? graph('Pipeline: dead-letter queue messages', [
          this.streamingPipeline.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period, label: 'Positions given up on' }),
        ])
      : graph('Pipeline: runs', [
          this.sqlPipeline!.stateMachine.metricSucceeded({ statistic: 'Sum', period, label: 'Succeeded' }),
          this.sqlPipeline!.stateMachine.metricFailed({ statistic: 'Sum', period, label: 'Failed' }),
          this.sqlPipeline!.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period, label: 'Starts not made' }),
        ]);
    operations.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Pipeline alarms', alarms: [...alarms], width: 12, height: 6 }), health);
  }

  /** The Firehose role's exact permissions. Every wildcard is an S3 key pattern or a log-stream pattern, commented below. */
  private deliveryPolicy(role: iam.IRole, processor: lambda.IFunction, deliveryLogs: logs.LogGroup): iam.Policy {
    const stack = Stack.of(this);
    const errorRoot = this.errorPrefix.slice(0, this.errorPrefix.indexOf('!{'));
    return new iam.Policy(this, 'DeliveryPolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadSourceStream',
          actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
          resources: [this.stream.streamArn],
        }),
        new iam.PolicyStatement({
          sid: 'DecryptSourceStream',
          actions: ['kms:Decrypt'],
          resources: [this.domain.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `kinesis.${stack.region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadTableSchema',
          actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
          resources: [
            stack.formatArn({ service: 'glue', resource: 'catalog' }),
            this.databaseArn,
            this.tableArn,
          ],
        }),
        new iam.PolicyStatement({
          sid: 'InvokeProcessor',
          actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
          // `:*` matches qualified invocations (e.g. `:$LATEST`) of this one function.
          resources: [processor.functionArn, `${processor.functionArn}:*`],
        }),
        new iam.PolicyStatement({
          sid: 'LocateBucket',
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [this.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'WriteDataAndErrors',
          actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
          // Object keys under the product's own prefixes only: `*` is the rest of the key (partitions, file names).
          resources: [this.bucket.arnForObjects(`${this.dataPrefix}*`), this.bucket.arnForObjects(`${errorRoot}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'EncryptObjects',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [this.domain.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({
          sid: 'WriteDeliveryLogs',
          actions: ['logs:PutLogEvents'],
          // The log group's ARN ends in `:*` (its log streams): Firehose writes to the stream the L2 creates in it.
          resources: [deliveryLogs.logGroupArn],
        }),
      ],
    });
  }

  private piiReasons(): Record<string, string> {
    const reasons: Record<string, string> = {};
    for (const entry of this.node.metadata) {
      if (entry.type !== PII_ACCESS_METADATA_TYPE) continue;
      const record = entry.data as { consumer?: string; reason?: string };
      if (typeof record.consumer === 'string' && typeof record.reason === 'string') reasons[record.consumer] = record.reason;
    }
    return reasons;
  }

  private registerInApp(): void {
    const root = this.node.root;
    const defined = DEFINED_PRODUCTS.get(root) ?? new Map<string, string>();
    DEFINED_PRODUCTS.set(root, defined);
    const key = `${this.meshName}/${this.productId}`;
    const existing = defined.get(key);
    if (existing !== undefined) {
      throw new DataMeshError(
        this,
        `Data product ${this.productId} (mesh "${this.meshName}") is already defined at "${existing}": define each product version once per app, ` +
          `and reference it elsewhere with DataProduct.fromName(this, id, { domain: '${this.domainName}', name: '${this.productName}', version: ${this.version} }).`,
      );
    }
    defined.set(key, this.node.path);
  }

  /** Skips values that are tokens (`undefined` here: a Duration or Size holding a token). */
  private checkRange(what: string, value: number | undefined, min: number, max: number, hint: string, integer = false): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new DataMeshError(this, `${what} is ${value}; it must be ${integer ? 'an integer ' : ''}between ${min} and ${max} (${hint}).`);
    }
  }
}

/** A product of another app (or stack), known by name only. */
class ImportedDataProduct extends DataProductBase {
  public readonly productId: string;
  public readonly meshName: string;
  public readonly domainName: string;
  public readonly productName: string;
  public readonly version: number;
  public readonly contract?: Contract;
  public readonly databaseName: string;
  public readonly databaseArn: string;
  public readonly tableName: string;
  public readonly tableArn: string;
  public readonly streamName: string;
  public readonly deliveryStreamName: string;
  public readonly stream: kinesis.IStream;
  public readonly encryptionKey: kms.IKey;
  /** The domain's data bucket, by its conventional name in this stack's account and region. */
  public readonly bucket: s3.IBucket;
  public readonly dataPrefix: string;
  protected readonly keyGrantTarget: KeyGrantTarget;

  constructor(scope: Construct, id: string, attrs: DataProductNameAttributes) {
    super(scope, id);
    this.meshName = resolveMeshName(this, attrs.meshName);
    checkSnakeCase(this, 'domain name', attrs.domain, 'orders');
    checkSnakeCase(this, 'product name', attrs.name, 'order_placed');
    if (!Number.isInteger(attrs.version) || attrs.version < 1) {
      throw new DataMeshError(this, `version ${attrs.version} must be a positive integer, the product's major version (e.g. 1).`);
    }
    this.domainName = attrs.domain;
    this.productName = attrs.name;
    this.version = attrs.version;
    this.productId = conventionProductId(this.domainName, this.productName, this.version);
    if (attrs.contract !== undefined && attrs.contract.id !== this.productId) {
      throw new DataMeshError(
        this,
        `The contract passed is "${attrs.contract.id}", but the product referenced is "${this.productId}": pass the contract of that product version, or none.`,
      );
    }
    this.contract = attrs.contract;
    const parts = { mesh: this.meshName, domain: this.domainName, product: this.productName, version: this.version };
    this.streamName = conventionStreamName(parts);
    this.deliveryStreamName = conventionDeliveryStreamName(parts);
    // Only names a DataProduct could have been given exist: anything longer (or any other prefix) is a typo.
    checkNameLength(this, {
      what: 'Firehose delivery stream name',
      value: this.deliveryStreamName,
      limit: NAME_LIMITS.deliveryStreamName,
      fix: `No DataProduct can have it: check the mesh ("${this.meshName}"), domain ("${this.domainName}") and product ("${this.productName}") names.`,
    });
    const databasePrefix = attrs.databasePrefix ?? '';
    if (databasePrefix !== '' && !/^[a-z][a-z0-9_]*$/.test(databasePrefix)) {
      throw new DataMeshError(
        this,
        `databasePrefix "${databasePrefix}" must be lower-case letters, digits and _ starting with a letter (e.g. "dev_"), as on the product's DataDomain.`,
      );
    }
    this.databaseName = conventionDatabaseName(this.domainName, databasePrefix);
    this.tableName = conventionTableName(this.productName, this.version);
    const stack = Stack.of(this);
    this.databaseArn = stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName });
    this.tableArn = stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${this.tableName}` });
    const alias = keyAlias(this.meshName, this.domainName);
    this.encryptionKey = kms.Alias.fromAliasName(this, 'Key', alias);
    // Key ids are unknown here; any key of this account and region carrying the domain's alias qualifies.
    this.keyGrantTarget = {
      resourceArns: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
    };
    this.stream = kinesis.Stream.fromStreamAttributes(this, 'Stream', {
      streamArn: stack.formatArn({ service: 'kinesis', resource: 'stream', resourceName: this.streamName }),
      encryptionKey: this.encryptionKey,
    });
    this.bucket = s3.Bucket.fromBucketName(this, 'Bucket', dataBucketName(this.meshName, this.domainName, stack.account, stack.region));
    this.dataPrefix = conventionDataPrefix(this.productName, this.version);
  }
}

/** The amount of a Duration or Size in a unit, or undefined while it is a token. */
const hours = (d: Duration) => (d.isUnresolved() ? undefined : d.toHours({ integral: false }));
const seconds = (d: Duration) => (d.isUnresolved() ? undefined : d.toSeconds());
const mebibytes = (s: Size) => (s.isUnresolved() ? undefined : s.toMebibytes({ rounding: SizeRoundingBehavior.NONE }));
const megabytesOf = (s: Size) => (s.isUnresolved() ? undefined : s.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024);

/** The Glue type of a column; complex types keep their full Hive type string. */
function glueSchemaType(hiveType: string, type: ColumnType): glue.Type {
  const primitive = type.kind !== 'array' && type.kind !== 'struct' && type.kind !== 'map';
  return glue.Schema.custom(hiveType, primitive);
}
