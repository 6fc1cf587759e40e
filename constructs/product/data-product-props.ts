import type { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Contract } from '../contract/contract';
import type { DataDomain } from '../domain/data-domain';
import type { SqlSource, StreamingSource } from '../manifest/manifest';
import type { ProductOperationsProps } from '../operations/product-operations';
import type { IDerivation } from './derivation-binding';

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
   * for a product fed by a pipeline defined elsewhere. With `derivation`, the product creates its pipeline and
   * records this itself.
   * @default - a source product, fed by its producers
   */
  readonly source?: StreamingSource | SqlSource;
  /**
   * How the product is derived from upstream products: `Derivation.streaming({ from, handler })` (a transform on
   * every upstream record) or `Derivation.sql({ from, sql, schedule })` (a scheduled Athena query). The product
   * creates the pipeline, grants it its reads and records the lineage in the manifest (`source`) and the table
   * parameters (`mesh.derived_from`).
   * @default - a source product, fed by its producers
   */
  readonly derivation?: IDerivation;
  /**
   * The product's dashboard, alarms and alarm topic (`ProductOperations`), encrypted with the domain key; the
   * alarms of a derived product's pipeline notify the same topic. `false` creates none.
   * @default - operations e-mailing the contract's `owner.contact`
   */
  readonly operations?: false | ProductOperationsOptions;
  /**
   * The scheduled quality run on AWS (`QualityRun`: EventBridge Scheduler, a Lambda running the rules with Athena,
   * metrics, alarms, the domain's `quality_results` table). `true` runs the rules the contract implies even when it
   * declares none; `false` turns it off. @default - on when the contract declares quality rules
   */
  readonly quality?: boolean;
}

/** `ProductOperationsProps` without the product (the `DataProduct` itself). */
export interface ProductOperationsOptions extends Omit<ProductOperationsProps, 'product' | 'topicEncryptionKey'> {
  /**
   * Key encrypting the alarm topic.
   * @default - the domain key
   */
  readonly topicEncryptionKey?: kms.IKey;
}

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
  /**
   * The AWS account the product lives in (its domain's account), when it is not this stack's: its stream,
   * key and catalog are then named in that account, and grants on it go across accounts (the producer
   * shares with this stack's account; this stack links to the shared database and re-grants).
   * @default - the account of the stack where this app defines the product, if it already did; else this stack's
   */
  readonly account?: string;
}
