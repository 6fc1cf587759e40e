import { Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import type { Contract } from '../contract/contract';
import type { IMeshConsumer } from '../consumer/types';
import type { SqlPipeline } from '../derived/sql-pipeline';
import type { StreamingPipeline } from '../derived/streaming-pipeline';
import { checkRemovalPolicy, checkSnakeCase } from '../domain/checks';
import type { DataDomain } from '../domain/data-domain';
import { DataMeshError } from '../domain/errors';
import type { ProductReadGrant, ProductWriteGrant } from '../governance/grants';
import { ProductLakeFormation } from '../governance/product-lake-formation';
import type { ProductEntry, SqlSource, StreamingSource } from '../manifest/manifest';
import type { ProductOperations } from '../operations/product-operations';
import { FINDINGS } from '../private/findings';
import { ContractProcessor } from './contract-processor';
import { DataProductBase, type KeyGrantTarget } from './data-product-base';
import type { DataProductNameAttributes, DataProductProps } from './data-product-props';
import { ImportedDataProduct } from './private/imported-data-product';
import { operateProduct } from './private/operate-product';
import { runProductQuality } from './private/product-quality';
import type { QualityRun } from '../quality/quality-run';
import { productConfig } from './private/product-config';
import { checkDefinedNames, productNames } from './private/product-names';
import { enforceRetention } from './private/retention';
import { piiReasons, recordProduct, registerOncePerApp, type MutableProductEntry } from './private/product-record';
import { ProductDelivery } from './product-delivery';
import { ProductSchema } from './product-schema';
import { ProductTable } from './product-table';
import { recordAppName } from '../naming/app-names';

export * from './data-product-props';
export { PRODUCT_DESTROY_WARNING } from './private/product-record';

/**
 * A data product version: a Kinesis stream (the real-time API) whose records a Firehose delivery stream
 * validates and normalises (Lambda processor generated from the contract), converts to Parquet and
 * writes, partitioned by event-time `dt`, under the product's prefix of the domain bucket, where a Glue
 * table with partition projection makes them queryable by Athena at once. The contract's JSON Schema is
 * registered in the domain's Glue Schema Registry.
 *
 * Each part is a file of its own: `ProductTable`, `ProductSchema`, `ContractProcessor`, `ProductDelivery`,
 * `ProductLakeFormation`, the derivation (`Derivation.streaming` / `Derivation.sql`) and `ProductOperations`.
 *
 * @example
 * const orderPlaced = new DataProduct(this, 'OrderPlaced', { domain, contract: orderPlacedContract });
 * orderPlaced.grantWrite(checkoutService);
 */
export class DataProduct extends DataProductBase {
  /**
   * References another team's product by the naming convention alone (no CloudFormation exports, so each
   * domain deploys on its own): the stream ARN is built in this stack's account and region, the key's ARN
   * is read at deploy time from the SSM parameter its domain publishes (`/<mesh>/<domain>/key-arn`), so key
   * grants name that one key. The names are the ones a
   * `DataProduct` gives its resources (private/product-names.ts).
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
  /** The pipeline running the team's transform, for a streaming derived product (`Derivation.streaming`). */
  public readonly streamingPipeline?: StreamingPipeline;
  /** The pipeline building the table with Athena, for a SQL derived product (`Derivation.sql`). */
  public readonly sqlPipeline?: SqlPipeline;
  /** The SQL pipeline's role as a Lake Formation principal, named e.g. `marketing-customer_orders-v1-pipeline`. */
  public readonly pipelineAccess?: IMeshConsumer;
  /** The SQL pipeline's Lake Formation reads of the products in `from`. */
  public readonly pipelineReadGrants: readonly ProductReadGrant[];
  /** The SQL pipeline's Lake Formation DESCRIBE, SELECT and INSERT on this product's table. */
  public readonly pipelineWriteGrant?: ProductWriteGrant;
  /** Where the access logs of the buckets a derived product's pipeline creates go (the domain's log bucket). */
  public readonly accessLogsBucket: s3.IBucket;
  /** Dashboard, alarms and the owner's alarm topic, unless `operations: false`. */
  public readonly operations?: ProductOperations;
  /** The scheduled quality run, when the contract declares quality rules (see `DataProductProps.quality`). */
  public readonly quality?: QualityRun;

  protected readonly keyGrantTarget: KeyGrantTarget;

  private readonly manifestEntry: MutableProductEntry;
  private readonly productTable: ProductTable;

  constructor(scope: Construct, id: string, props: DataProductProps) {
    super(scope, id);
    const { domain, contract } = props;
    if (contract.domain !== domain.domainName) {
      throw new DataMeshError(
        this,
        `Contract "${contract.id}" belongs to domain "${contract.domain}", but this DataProduct is in domain "${domain.domainName}" ` +
          `(${domain.node.path}): add it to the "${contract.domain}" DataDomain, or set the contract's domain to "${domain.domainName}".`,
      );
    }
    this.contract = contract;
    this.domain = domain;
    ({ meshName: this.meshName, domainName: this.domainName, bucket: this.bucket, encryptionKey: this.encryptionKey } = domain);
    ({ databaseName: this.databaseName, databaseArn: this.databaseArn, logBucket: this.accessLogsBucket } = domain);
    this.productName = contract.name;
    this.version = contract.version;
    checkSnakeCase(this, 'product name', this.productName, 'order_placed');
    const names = productNames(this, this);
    this.productId = names.productId;
    recordAppName(this, 'data product', `${this.meshName}/${this.productId}`);
    this.removalPolicy = props.removalPolicy ?? domain.removalPolicy;
    checkRemovalPolicy(this, this.removalPolicy);
    checkDefinedNames(this, this, names);
    ({ streamName: this.streamName, deliveryStreamName: this.deliveryStreamName, tableName: this.tableName, tableArn: this.tableArn } = names);
    ({ dataPrefix: this.dataPrefix, errorPrefix: this.errorPrefix } = names);
    registerOncePerApp(this);
    this.keyGrantTarget = { resourceArns: [domain.encryptionKey.keyArn] };
    const config = productConfig(this, props);
    ({ bufferingInterval: this.bufferingInterval, bufferingSize: this.bufferingSize } = config);
    const removalPolicy = this.removalPolicy;
    const logs = { encryptionKey: domain.encryptionKey, logRetention: config.logRetention, removalPolicy };

    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: this.streamName,
      ...config.stream,
      retentionPeriod: config.stream.retention,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: domain.encryptionKey,
      removalPolicy,
    });
    enforceRetention(this, domain.bucket, contract.spec, config.stream.retention);
    // The parts, in the product's scope (their construct ids are the product's own). `...this` hands each part the
    // product's names, bucket, key and stream assigned above: the parts' props use the product's field names.
    this.productTable = new ProductTable(this, {
      ...this,
      contract,
      database: domain.glueDatabase,
      source: props.source,
      piiReasons: () => piiReasons(this),
      removalPolicy,
    });
    ({ table: this.table, cfnTable: this.cfnTable } = this.productTable);
    ({ schema: this.schema, schemaVersion: this.schemaVersion } = new ProductSchema(this, {
      productId: this.productId, contract, registry: domain.schemaRegistry, schemaName: names.schemaName, removalPolicy,
    }));
    const processor = new ContractProcessor(this, { productId: this.productId, contract: contract.spec, config: config.processor, ...logs });
    this.processor = processor.function;
    const delivery = new ProductDelivery(this, {
      ...this, ...logs, processor: this.processor, dataProcessor: processor.toDataProcessor(), table: this.table, cfnTable: this.cfnTable,
    });
    ({ deliveryStream: this.deliveryStream, role: this.deliveryStreamRole } = delivery);
    if (props.lakeFormation ?? true) {
      this.lakeFormation = new ProductLakeFormation(this, 'LakeFormation', {
        ...this, contract: contract.spec, table: this.table, database: domain.database, firehoseRole: delivery.role, deliveryStream: this.deliveryStream,
      });
    }
    acknowledge(this.stream, {
      [FINDINGS.kinesisCustomerManagedKey]:
        'The domain key is customer-managed on purpose: one key per domain encrypts its streams and data, its ARN (published in SSM for ' +
        'products referenced by name) is what other domains are granted, and its use is audited per domain.',
    });

    this.manifestEntry = recordProduct(this, {
      spec: contract.spec,
      physical: {
        streamName: names.streamName,
        deliveryStreamName: names.deliveryStreamName,
        databaseName: names.databaseName,
        tableName: names.tableName,
        dataPrefix: names.dataPrefix,
        errorPrefix: names.errorPrefix,
      },
      explicitRemovalPolicy: props.removalPolicy,
      transformEntry: config.processor.transformEntry,
      source: props.source,
    });
    this.entry = this.manifestEntry;

    const derived = props.derivation?.bind(this, this);
    ({ streamingPipeline: this.streamingPipeline, sqlPipeline: this.sqlPipeline, pipelineAccess: this.pipelineAccess } = derived ?? {});
    this.pipelineReadGrants = derived?.readGrants ?? [];
    this.pipelineWriteGrant = derived?.writeGrant;
    if (props.operations !== false) this.operations = operateProduct(this, { ...this, derived }, props.operations);
    this.quality = runProductQuality(this, this.operations, props.quality);
    // The product's own writers may still read its objects when the bucket policy denies everyone else.
    for (const writer of [this.deliveryStreamRole, this.sqlPipeline?.role]) if (writer !== undefined) domain.allowObjectReads(writer);
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
    this.productTable.addLineage(source);
  }
}
