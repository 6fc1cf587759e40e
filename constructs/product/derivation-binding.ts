import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { IMeshConsumer } from '../consumer/types';
import type { Contract } from '../contract/contract';
import type { LakeProduct } from '../derived/sql-pipeline';
import type { SqlPipeline } from '../derived/sql-pipeline';
import type { StreamingPipeline } from '../derived/streaming-pipeline';
import { DataMeshError } from '../domain/errors';
import { pipelineReaderName } from '../naming/naming';
import type { ProductReadGrant, ProductWriteGrant } from '../governance/grants';
import type { SqlSource, StreamingSource } from '../manifest/manifest';
import type { IDataProduct } from './types';

/** The product a derivation builds: a product of this app, with its table's data location and its lineage. */
export interface IDerivedProduct extends LakeProduct {
  readonly contract: Contract;
  /** Where the access logs of the buckets its pipeline creates go (the domain's log bucket). */
  readonly accessLogsBucket: s3.IBucket;
  /** Records the product's lineage (manifest `source`, table parameters); a product is derived once. */
  addLineage(source: StreamingSource | SqlSource): void;
}

/** What a derivation created in the product, for the product to expose and operate. */
export interface DerivationConfig {
  /** The pipeline running the team's transform, for a streaming derivation. */
  readonly streamingPipeline?: StreamingPipeline;
  /** The pipeline building the table with Athena, for a SQL derivation. */
  readonly sqlPipeline?: SqlPipeline;
  /** The SQL pipeline's role as a Lake Formation principal. */
  readonly pipelineAccess?: IMeshConsumer;
  /** The pipeline's Lake Formation reads of the upstream products. */
  readonly readGrants: readonly ProductReadGrant[];
  /** The pipeline's Lake Formation write of the product's table. */
  readonly writeGrant?: ProductWriteGrant;
  /** The pipeline's alarms (its dead-letter queues, failed runs): they notify the product's owner. */
  readonly alarms: readonly cloudwatch.Alarm[];
  /** Functions reading the upstream streams, whose lag the product's operations watch. */
  readonly streamingConsumers: readonly { readonly label: string; readonly function: lambda.IFunction }[];
  /** The pipeline's health on the product's dashboard. */
  healthWidget(period: Duration): cloudwatch.IWidget;
}

/**
 * How a product is derived from other products (`DataProductProps.derivation`): `Derivation.streaming(…)` or
 * `Derivation.sql(…)`. `bind` checks the upstream products, creates the pipeline in `scope` (the product),
 * records the lineage on the target and grants the pipeline its reads.
 */
export interface IDerivation {
  /** The upstream products. */
  readonly from: readonly IDataProduct[];
  bind(scope: Construct, target: IDerivedProduct): DerivationConfig;
}

/** What every derivation reads: its upstream products, and why it may read their personal data. */
export interface DerivationSourceProps {
  /**
   * The upstream products. They must be of this product's mesh and come with their contract (PII columns and
   * deprecation are checked on it): a product of another stack or app is referenced with
   * `DataProduct.fromName(this, id, { domain, name, version, contract })`.
   */
  readonly from: readonly IDataProduct[];
  /**
   * Why this product needs the personal data of its sources, recorded with the grants and shown in the catalog.
   * A streaming derivation requires it when a product in `from` has PII columns (a transform reads whole
   * records); a SQL derivation's read grants include the PII columns only with it.
   * @default - none: no PII-bearing source for a streaming derivation; PII columns excluded from a SQL derivation's grants
   */
  readonly piiReason?: string;
}

/** The `GrantEntry.permissions` of a streaming pipeline's read of an upstream stream (IAM, not Lake Formation). */
export { STREAM_READ_GRANT } from '../governance/stream-grant';

/**
 * The name a derived product's pipeline has as a reader in the mesh (grant entries, the catalog), e.g.
 * `recommendations-product_views-v1-pipeline`; without the suffix when that would exceed 64 characters.
 */
export function pipelineConsumerName(product: IDataProduct): string {
  return pipelineReaderName(product.domainName, product.productName, product.version);
}

/**
 * Checks what every derivation needs of its upstream products: at least one, of the target's mesh, each with
 * its contract (PII columns and deprecation are checked on it), and a `piiReason` only where there is PII.
 * Returns the products that carry PII columns.
 */
export function checkUpstream(target: IDataProduct, from: readonly IDataProduct[], piiReason: string | undefined): readonly IDataProduct[] {
  const fail = (message: string): never => {
    throw new DataMeshError(target, message);
  };
  if (from.length === 0) {
    fail('from is empty: list the upstream products this product is derived from (e.g. from: [pageViewed]), or leave derivation out for a source product fed by its producers.');
  }
  for (const source of from) {
    if (source.meshName !== target.meshName) {
      fail(
        `from: ${source.productId} belongs to mesh "${source.meshName}", but this product to mesh "${target.meshName}": derive only from products of mesh "${target.meshName}" ` +
          `(reference it with DataProduct.fromName(this, id, { domain: '${source.domainName}', name: '${source.productName}', version: ${source.version}, meshName: '${target.meshName}', contract }) if it is one).`,
      );
    }
    if (source.contract === undefined) {
      fail(
        `from: ${source.productId} is referenced without its contract, so its PII columns and deprecation are unknown: pass it, e.g. ` +
          `DataProduct.fromName(this, id, { domain: '${source.domainName}', name: '${source.productName}', version: ${source.version}, contract }).`,
      );
    }
  }
  const piiSources = from.filter((source) => (source.contract?.piiColumns.length ?? 0) > 0);
  if (piiReason !== undefined) {
    if (piiReason.trim() === '') {
      fail(`piiReason is empty: say why ${target.productId} needs personal data (it is recorded with its grants and shown in the catalog), or drop piiReason.`);
    }
    if (piiSources.length === 0) {
      fail(`piiReason is set but no product in from (${productIds(from)}) has PII columns: drop piiReason.`);
    }
  }
  return piiSources;
}

/** `a.b.v1, c.d.v1` */
export function productIds(products: readonly IDataProduct[]): string {
  return products.map((p) => p.productId).join(', ');
}
