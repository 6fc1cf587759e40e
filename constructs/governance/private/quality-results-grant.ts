import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { isRunnable } from '../../contract/quality';
import type { IDataProductRef } from '../../product/data-product-ref';
import { QUALITY_RESULTS_TABLE } from '../../quality/results-table';
import { idOf, principalPermissions, singleton, tableResource } from './lake-formation';

/** What a product says about its scheduled quality run: a `DataProduct` has `quality` (or not); by name, its contract's rules tell. */
interface MaybeQualityProduct extends IDataProductRef {
  readonly quality?: { readonly role: iam.IRole };
}

/** Does the product's domain hold a quality run of this product, hence a `<database>.quality_results` table with its results? */
export function hasQualityResults(product: IDataProductRef): boolean {
  if ('quality' in product) return (product as MaybeQualityProduct).quality !== undefined;
  return (product.contract?.spec.quality ?? []).some(isRunnable);
}

/**
 * A consumer of a product with quality rules may read the results of its domain's quality runs: DESCRIBE and SELECT
 * on `<database>.quality_results` (rule names, counts and pass/fail, no product data), once per consumer and
 * database, and the Glue reads on that table. Same account only: across accounts the results are not shared yet.
 */
export function grantQualityResults(consumerScope: Construct, grant: Construct, product: IDataProductRef, principal: iam.IRole): void {
  if (!hasQualityResults(product) || (product as MaybeQualityProduct).quality?.role === principal) return;
  const id = idOf(`ReadQualityResults-${product.databaseName}`);
  if (consumerScope.node.tryFindChild(id) !== undefined) return;
  const read = singleton(consumerScope, id, () =>
    principalPermissions(consumerScope, id, { principal, resource: tableResource(grant, product.databaseName, QUALITY_RESULTS_TABLE), permissions: ['SELECT', 'DESCRIBE'] }),
  );
  // The results table is the domain's, created with the product's quality run: deploy after it (and the product).
  read.node.addDependency(grant);
  const results = (product as { readonly domain?: Construct }).domain?.node.tryFindChild('QualityResults');
  if (results !== undefined) read.node.addDependency(results);
  principal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['glue:GetTable', 'glue:GetPartitions', 'glue:GetPartition'],
      resources: [Stack.of(grant).formatArn({ service: 'glue', resource: 'table', resourceName: `${product.databaseName}/${QUALITY_RESULTS_TABLE}` })],
    }),
  );
}
