import { Stack, Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { MESH_NAME, NAME_LIMITS } from '../../naming/naming';
import { MeshGovernanceError } from '../errors';

/** Context key holding the mesh name (`cdk.json`: `"cdk-data-mesh:meshName": "shop"`). */
export const MESH_NAME_CONTEXT_KEY = 'cdk-data-mesh:meshName';

/** The explicit mesh name, else the app's context value; errors name the fix when neither is set. */
export function resolveMeshName(scope: IConstruct, explicit: string | undefined): string {
  const meshName = explicit ?? (scope.node.tryGetContext(MESH_NAME_CONTEXT_KEY) as string | undefined);
  if (meshName === undefined) {
    throw new MeshGovernanceError(
      scope,
      `No mesh name: pass meshName: 'shop' or set the context value "${MESH_NAME_CONTEXT_KEY}" in cdk.json.`,
    );
  }
  if (Token.isUnresolved(meshName)) {
    throw new MeshGovernanceError(scope, `The mesh name must be known at synth (it is part of physical names), not a token: use a literal such as "shop".`);
  }
  // The same rule as DataDomain's: consumers and governance must accept exactly the meshes domains can be in.
  if (!MESH_NAME.test(meshName) || meshName.length > NAME_LIMITS.meshName) {
    throw new MeshGovernanceError(
      scope,
      `Mesh name "${meshName}" must be 1-${NAME_LIMITS.meshName} lower-case letters, digits and hyphens, starting with a letter (e.g. "shop"): ` +
        `set the meshName prop or the "${MESH_NAME_CONTEXT_KEY}" context in cdk.json.`,
    );
  }
  return meshName;
}

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
