import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import type { ContractSpec } from '../../contract/types';
import { DataMeshError } from '../../domain/errors';
import { ERROR_PREFIX_ROOT, tableName } from '../../naming/naming';

/** The longest a product's Firehose error output is kept (it holds raw records): the contract's retention if shorter. */
export const MAX_ERROR_RETENTION_DAYS = 30;

/** The lifecycle rules a product's contract asks for on its domain's bucket (ids are unique per product version). */
export function retentionRules(spec: Pick<ContractSpec, 'name' | 'version' | 'sla'>): s3.LifecycleRule[] {
  const days = spec.sla?.retentionDays;
  if (days === undefined) return [];
  const table = tableName(spec.name, spec.version);
  return [
    {
      // Current versions expire (a delete marker) after the contract's retention; the versions they leave behind go a day later.
      id: `retention-${table}`,
      prefix: `${table}/`,
      expiration: Duration.days(days),
      noncurrentVersionExpiration: Duration.days(1),
    },
    { id: `retention-errors-${table}`, prefix: `${ERROR_PREFIX_ROOT}${table}/`, expiration: Duration.days(Math.min(days, MAX_ERROR_RETENTION_DAYS)) },
  ];
}

/**
 * Enforces `sla.retentionDays` of the contract: lifecycle rules on the product's data prefix and error prefix in
 * the domain bucket, and a stream that keeps records no longer than the contract allows.
 */
export function enforceRetention(product: IConstruct & { readonly productId: string }, bucket: s3.IBucket, spec: Pick<ContractSpec, 'name' | 'version' | 'sla'>, streamRetention: Duration): void {
  const days = spec.sla?.retentionDays;
  if (days === undefined) return; // MESH-005 reports a contract without retention.
  if (!streamRetention.isUnresolved() && streamRetention.toHours() > days * 24) {
    throw new DataMeshError(
      product,
      `retention ${streamRetention.toHumanString()} keeps records in the stream of ${product.productId} longer than its contract allows (sla.retentionDays ${days}): ` +
        `set retention to at most Duration.days(${days}), or raise sla.retentionDays in the contract.`,
    );
  }
  if (!(bucket instanceof s3.Bucket)) {
    throw new DataMeshError(product, `The bucket of ${product.productId} (${bucket.node.path}) is imported, so its lifecycle cannot enforce sla.retentionDays: use the bucket of a DataDomain of this app.`);
  }
  for (const rule of retentionRules(spec)) bucket.addLifecycleRule(rule);
}
