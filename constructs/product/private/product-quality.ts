import { Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { MeshConsumer } from '../../consumer/mesh-consumer';
import { isRunnable, qualityRules } from '../../contract/quality';
import { grantProductRead } from '../../governance/grants';
import type { ProductOperations } from '../../operations/product-operations';
import { QualityRun } from '../../quality/quality-run';
import type { DataDomain } from '../../domain/data-domain';
import type { IDataProductRef } from '../data-product-ref';
import type { Contract } from '../../contract/contract';
import type * as kms from 'aws-cdk-lib/aws-kms';

/** Why the quality run may read the PII columns its rules name. */
const PII_REASON = 'The scheduled quality run counts nulls, duplicates and invalid values of these columns; only counts and pass/fail leave the run.';

/**
 * The product's scheduled quality run (`Quality`), when its contract declares quality rules (or `enabled` is true):
 * the rules the contract declares and those it implies, run by `QualityRun` with a Lake Formation SELECT grant on
 * this product only (the PII columns the rules name included, with a reason), alarms to the owner's topic.
 */
export function runProductQuality(
  product: IDataProductRef & Construct & { readonly contract: Contract; readonly domain: DataDomain; readonly encryptionKey: kms.IKey },
  operations: ProductOperations | undefined,
  enabled: boolean | undefined,
): QualityRun | undefined {
  const spec = product.contract.spec;
  const rules = qualityRules(spec).filter(isRunnable);
  if (!(enabled ?? (spec.quality ?? []).some(isRunnable)) || rules.length === 0) return undefined;
  const run = new QualityRun(product, 'Quality', {
    product: { productId: product.productId, contract: product.contract, databaseName: product.databaseName, tableName: product.tableName, encryptionKey: product.encryptionKey },
    domain: product.domain,
    ...(operations !== undefined && { alarmTopic: operations.topic }),
  });
  const consumerName = `${product.productId.replace(/\./g, '-')}-quality`;
  const reader = MeshConsumer.fromRole(run, 'Reader', { consumerName, role: run.role });
  // `mesh access` finds the grants (and the PII reason) of the role under this name.
  Tags.of(run.role).add('mesh:consumer', consumerName);
  const read = new Set(rules.flatMap((r) => [r.column, ...(r.arguments?.properties ?? [])]).filter((c): c is string => c !== undefined));
  // A SQL rule may read any column: it gets the PII columns too.
  const pii = product.contract.piiColumns.filter((c) => read.has(c) || rules.some((r) => r.type === 'sql'));
  grantProductRead(product, reader, pii.length > 0 ? { pii: { columns: pii, reason: PII_REASON } } : {});
  return run;
}
