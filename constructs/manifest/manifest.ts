import type { ContractSpec } from '../contract/types';

/**
 * The mesh manifest: what the constructs record in the cloud assembly at synth, so that the CLI
 * (`mesh dev`, `mesh catalog`, `mesh contract check`, `mesh cost`) learns the mesh from the CDK app
 * itself and never from a second, hand-kept description.
 *
 * Each construct adds one metadata entry of type {@link MANIFEST_METADATA_TYPE} to itself, holding one
 * {@link ManifestEntry}; `lib/manifest/read-manifest.ts` collects them from `cdk.out/manifest.json`.
 */
export const MANIFEST_METADATA_TYPE = 'cdk-data-mesh:manifest';

/** Physical names of a product version, all derived from mesh / domain / product / version (see naming). */
export interface ProductPhysicalNames {
  readonly streamName: string;
  readonly deliveryStreamName: string;
  readonly databaseName: string;
  readonly tableName: string;
  /** Key prefix of the table's data in the domain bucket, ending in `/` (e.g. `order_placed_v1/`). */
  readonly dataPrefix: string;
  /** Firehose error output prefix (contains `!{firehose:error-output-type}`). */
  readonly errorPrefix: string;
}

export interface StreamingSource {
  readonly kind: 'stream';
  /** Upstream product ids, e.g. `storefront.page_viewed.v1`. */
  readonly from: readonly string[];
  /** Path of the team's transform handler, relative to the CDK app's directory. */
  readonly handlerEntry: string;
  /** The handler module's export, recorded when it is not the default `handler`. */
  readonly handlerExport?: string;
}

export interface SqlSource {
  readonly kind: 'sql';
  readonly from: readonly string[];
  readonly sql: string;
  /** Schedule expression, e.g. `rate(1 day)` or `cron(0 2 * * ? *)`. */
  readonly schedule: string;
  /** The IANA time zone Scheduler evaluates `schedule` in, when it is not UTC (e.g. `Europe/Berlin`). */
  readonly timeZone?: string;
}

export interface ProductEntry {
  readonly kind: 'product';
  /** `<domain>.<name>.v<version>` */
  readonly id: string;
  readonly mesh: string;
  /** Construct path, e.g. `orders/OrderPlaced`. */
  readonly path: string;
  readonly stackName: string;
  /** The AWS account of the product's stack, when the stack names one (a multi-account mesh). */
  readonly account?: string;
  readonly contract: ContractSpec;
  readonly physical: ProductPhysicalNames;
  /** Per-record transform applied by the Firehose processor, relative to the CDK app's directory. */
  readonly transformEntry?: string;
  /** Set for derived products. */
  readonly source?: StreamingSource | SqlSource;
}

export interface GrantEntry {
  readonly kind: 'grant';
  /** The product id granted on. */
  readonly product: string;
  /** The consumer name (or principal description) granted to. */
  readonly consumer: string;
  readonly permissions: readonly string[];
  /** Columns withheld from the grant (PII unless granted with a reason). */
  readonly excludedColumns: readonly string[];
  /** Why PII was granted, when it was. */
  readonly piiReason?: string;
  /**
   * The derived product this read feeds, when the reader is that product's pipeline (its lineage edge
   * already shows the read).
   */
  readonly forProduct?: string;
}

export interface ConsumerEntry {
  readonly kind: 'consumer';
  readonly name: string;
  readonly mesh: string;
  readonly path: string;
  readonly stackName: string;
  /** The AWS account of the consumer's stack, when the stack names one (a multi-account mesh). */
  readonly account?: string;
  readonly workgroupName: string;
  readonly description?: string;
}

export interface GovernanceEntry {
  readonly kind: 'governance';
  readonly mesh: string;
  readonly path: string;
  readonly domains: readonly string[];
  readonly classifications: readonly string[];
}

export type ManifestEntry = ProductEntry | GrantEntry | ConsumerEntry | GovernanceEntry;

/** The whole mesh, as `readManifest()` assembles it from a cloud assembly. */
export interface MeshManifest {
  readonly products: readonly ProductEntry[];
  readonly consumers: readonly ConsumerEntry[];
  readonly grants: readonly GrantEntry[];
  readonly governance: readonly GovernanceEntry[];
}
