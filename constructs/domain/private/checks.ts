import { RemovalPolicy, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { MESH_NAME, NAME_LIMITS, SNAKE_CASE } from '../../naming/naming';
import { DataMeshError } from '../errors';

/** The context key holding the app's mesh name (`cdk.json` → `context`). */
export const MESH_NAME_CONTEXT = 'cdk-data-mesh:meshName';
/** The mesh name when neither the prop nor the context sets one. */
export const DEFAULT_MESH_NAME = 'mesh';

/** `explicit`, else the `cdk-data-mesh:meshName` context, else `mesh`; validated. */
export function resolveMeshName(scope: IConstruct, explicit: string | undefined): string {
  const fromContext = scope.node.tryGetContext(MESH_NAME_CONTEXT) as unknown;
  const meshName = explicit ?? (typeof fromContext === 'string' ? fromContext : undefined) ?? DEFAULT_MESH_NAME;
  checkMeshName(scope, meshName);
  return meshName;
}

export function checkMeshName(scope: IConstruct, meshName: string): void {
  if (Token.isUnresolved(meshName)) {
    throw new DataMeshError(scope, `The mesh name must be known at synth (it is part of every physical name), not a token: use a literal such as "shop".`);
  }
  if (!MESH_NAME.test(meshName) || meshName.length > NAME_LIMITS.meshName) {
    throw new DataMeshError(
      scope,
      `Mesh name "${meshName}" must be 1-${NAME_LIMITS.meshName} lower-case letters, digits and hyphens, starting with a letter (e.g. "shop"): ` +
        `set the meshName prop or the "${MESH_NAME_CONTEXT}" context in cdk.json.`,
    );
  }
}

/** Domain and product names: lower-case snake_case (they become Glue names, where `-` is not allowed). */
export function checkSnakeCase(scope: IConstruct, what: string, value: string, example: string): void {
  if (Token.isUnresolved(value)) {
    throw new DataMeshError(scope, `The ${what} must be known at synth (it is part of physical names), not a token: use a literal such as "${example}".`);
  }
  if (!SNAKE_CASE.test(value)) {
    const suggestion = value
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    throw new DataMeshError(
      scope,
      `The ${what} "${value}" must be lower-case snake_case: a letter, then letters, digits and single underscores ` +
        `(e.g. "${SNAKE_CASE.test(suggestion) ? suggestion : example}").`,
    );
  }
}

/**
 * Checks one physical name against its AWS length limit. Names containing tokens are skipped unless
 * `assumedLength` says how long they can get once deployed.
 */
export function checkNameLength(
  scope: IConstruct,
  options: { what: string; value: string; limit: number; fix: string; assumedLength?: number; assumption?: string },
): void {
  const { what, value, limit, fix } = options;
  let length: number;
  let shown: string;
  if (Token.isUnresolved(value)) {
    if (options.assumedLength === undefined) return;
    length = options.assumedLength;
    shown = `can reach ${length} characters${options.assumption !== undefined ? ` (${options.assumption})` : ''}`;
  } else {
    length = value.length;
    shown = `"${value}" is ${length} characters`;
  }
  if (length > limit) {
    throw new DataMeshError(scope, `The ${what} ${shown}; AWS allows at most ${limit}. ${fix}`);
  }
}

/** RETAIN and DESTROY are the only removal policies that apply to every stateful resource of the mesh. */
export function checkRemovalPolicy(scope: IConstruct, removalPolicy: RemovalPolicy): void {
  if (removalPolicy !== RemovalPolicy.RETAIN && removalPolicy !== RemovalPolicy.DESTROY) {
    throw new DataMeshError(
      scope,
      `removalPolicy "${removalPolicy}" is not supported here (streams, tables and keys have no snapshots): use RemovalPolicy.RETAIN (the default) or RemovalPolicy.DESTROY.`,
    );
  }
}
