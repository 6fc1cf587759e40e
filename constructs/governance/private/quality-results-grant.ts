import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { isRunnable } from '../../contract/quality';
import type { IDataProductRef } from '../../product/data-product-ref';
import { QUALITY_RESULTS_TABLE } from '../../quality/results-table';
import { idOf, principalPermissions, tableResource } from './lake-formation';

/**
 * Does the product's domain hold a quality run of this product, hence a `<database>.quality_results` table with its
 * results? A `DataProduct` says so with `quality` (set when it is built); a product referenced by name, by its
 * contract's rules.
 */
export function hasQualityResults(product: IDataProductRef): boolean {
  if ('quality' in product) return (product as { readonly quality?: unknown }).quality !== undefined;
  return (product.contract?.spec.quality ?? []).some(isRunnable);
}

/**
 * A consumer of a product with quality rules may read the results of its domain's quality runs: DESCRIBE and SELECT
 * on `<database>.quality_results` (rule names, counts and pass/fail, no product data), once per consumer and
 * database, and the Glue reads on that table. Same account only: across accounts the results are not shared yet.
 */
export function grantQualityResults(consumerScope: Construct, grant: Construct, product: IDataProductRef, principal: iam.IRole): void {
  if (!hasQualityResults(product)) return;
  const id = idOf(`ReadQualityResults-${product.databaseName}`);
  // Once per consumer and database (the second product of the domain finds it granted).
  if (consumerScope.node.tryFindChild(id) !== undefined) return;
  const read = principalPermissions(consumerScope, id, { principal, resource: tableResource(grant, product.databaseName, QUALITY_RESULTS_TABLE), permissions: ['SELECT', 'DESCRIBE'] });
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
