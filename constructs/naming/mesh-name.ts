import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { MeshError } from '../errors';
import { MESH_NAME, NAME_LIMITS } from './naming';

/** The context key holding the app's mesh name (`cdk.json` → `context`: `"cdk-data-mesh:meshName": "shop"`). */
export const MESH_NAME_CONTEXT = 'cdk-data-mesh:meshName';
/** The mesh name when neither the prop nor the context sets one. */
export const DEFAULT_MESH_NAME = 'mesh';

/**
 * The mesh a construct belongs to: `explicit`, else the `cdk-data-mesh:meshName` context, else `mesh`;
 * validated. Domains, products, consumers and the governance resolve it alike, so that they meet in the
 * same mesh whether or not the app names it.
 */
export function resolveMeshName(scope: IConstruct, explicit: string | undefined): string {
  const fromContext = scope.node.tryGetContext(MESH_NAME_CONTEXT) as unknown;
  const meshName = explicit ?? (typeof fromContext === 'string' ? fromContext : undefined) ?? DEFAULT_MESH_NAME;
  checkMeshName(scope, meshName);
  return meshName;
}

/** Mesh names: known at synth, 1-20 lower-case letters, digits and hyphens, starting with a letter. */
export function checkMeshName(scope: IConstruct, meshName: string): void {
  if (Token.isUnresolved(meshName)) {
    throw new MeshError(`The mesh name must be known at synth (it is part of every physical name), not a token: use a literal such as "shop".`, scope);
  }
  if (!MESH_NAME.test(meshName) || meshName.length > NAME_LIMITS.meshName) {
    throw new MeshError(
      `Mesh name "${meshName}" must be 1-${NAME_LIMITS.meshName} lower-case letters, digits and hyphens, starting with a letter (e.g. "shop"): ` +
        `set the meshName prop or the "${MESH_NAME_CONTEXT}" context in cdk.json.`,
      scope,
    );
  }
}
