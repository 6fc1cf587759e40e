import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';

/** The data-lake settings parameter naming the cross-account version (spelled exactly so; `CrossAccountVersion` is rejected). */
export const CROSS_ACCOUNT_VERSION_PARAMETER = 'CROSS_ACCOUNT_VERSION';
/**
 * The Lake Formation cross-account version the mesh shares with (a string). Version 4 is the newest the
 * CloudFormation documentation lists; 3 or later is needed for grants to roles in other accounts and for
 * tag-based grants through RAM.
 */
export const CROSS_ACCOUNT_VERSION = '4';

const LAST_LF_RESOURCE = new WeakMap<Stack, IConstruct>();

/**
 * Makes `resource` wait for the Lake Formation resource created before it in the same stack.
 *
 * Lake Formation throttles and fails concurrent grants (ConcurrentModificationException, "AlreadyExists"
 * on many PrincipalPermissions at once, CloudFormation coverage roadmap #2500), so every LF resource a
 * mesh construct creates joins one chain per stack instead of being created in parallel.
 */
export function chainLakeFormation(resource: IConstruct): void {
  const stack = Stack.of(resource);
  const previous = LAST_LF_RESOURCE.get(stack);
  if (previous !== undefined) resource.node.addDependency(previous);
  LAST_LF_RESOURCE.set(stack, resource);
}

export type TablePermission = 'ALL' | 'ALTER' | 'DELETE' | 'DESCRIBE' | 'DROP' | 'INSERT' | 'SELECT';

/** A chained `AWS::LakeFormation::PrincipalPermissions` of `principal` on one resource. */
export function principalPermissions(
  scope: Construct,
  id: string,
  props: {
    readonly principal: iam.IRole;
    readonly resource: lakeformation.CfnPrincipalPermissions.ResourceProperty;
    readonly permissions: readonly string[];
    readonly permissionsWithGrantOption?: readonly string[];
  },
): lakeformation.CfnPrincipalPermissions {
  const grant = new lakeformation.CfnPrincipalPermissions(scope, id, {
    principal: { dataLakePrincipalIdentifier: props.principal.roleArn },
    resource: props.resource,
    permissions: [...props.permissions],
    permissionsWithGrantOption: [...(props.permissionsWithGrantOption ?? [])],
  });
  chainLakeFormation(grant);
  return grant;
}

/** The Data Catalog id of the stack's account. */
export function catalogId(scope: IConstruct): string {
  return Stack.of(scope).account;
}

/** `{ Table: { CatalogId, DatabaseName, Name } }` */
export function tableResource(scope: IConstruct, databaseName: string, tableName: string) {
  return { table: { catalogId: catalogId(scope), databaseName, name: tableName } };
}

/** `{ Database: { CatalogId, Name } }` */
export function databaseResource(scope: IConstruct, databaseName: string) {
  return { database: { catalogId: catalogId(scope), name: databaseName } };
}

/** The child `id` of `scope`, created by `create` the first time only. */
export function singleton<T extends Construct>(scope: Construct, id: string, create: () => T): T {
  return (scope.node.tryFindChild(id) as T | undefined) ?? create();
}

/** Construct ids from arbitrary labels: keeps letters, digits, `.`, `-` and `_`. */
export function idOf(label: string): string {
  return label.replace(/[^A-Za-z0-9._-]/g, '_');
}
