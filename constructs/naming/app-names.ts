import type { IConstruct } from 'constructs';
import { MeshError } from '../errors';

/**
 * Names that must be unique across the whole app, not only per stack (two stacks each with a `DataDomain`
 * named `orders` synthesise, then collide at deploy): per app (the construct tree's root), the construct
 * path that claimed each name of a kind.
 */
const CLAIMED = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Claims `name` of `kind` (e.g. `Glue database`) for `scope` in its app; throws naming the other construct
 * and `fix` when another construct of the app holds it.
 */
export function claimAppName(scope: IConstruct, kind: string, name: string, fix: string): void {
  const root = scope.node.root;
  const claimed = CLAIMED.get(root) ?? new Map<string, string>();
  CLAIMED.set(root, claimed);
  const key = `${kind}\u0000${name}`;
  const holder = claimed.get(key);
  if (holder !== undefined && holder !== scope.node.path) {
    throw new MeshError(`The ${kind} "${name}" is already defined by ${holder} in this app: ${fix}`, scope);
  }
  claimed.set(key, scope.node.path);
}

/** Records `name` of `kind` for `scope` without checking it (uniqueness is checked elsewhere), for {@link claimedAppNames}. */
export function recordAppName(scope: IConstruct, kind: string, name: string): void {
  const claimed = CLAIMED.get(scope.node.root) ?? new Map<string, string>();
  CLAIMED.set(scope.node.root, claimed);
  claimed.set(`${kind}\u0000${name}`, scope.node.path);
}

/** The names of `kind` claimed in the app of `scope` (e.g. every `data product`), as they were claimed. */
export function claimedAppNames(scope: IConstruct, kind: string): string[] {
  const claimed = CLAIMED.get(scope.node.root) ?? new Map<string, string>();
  return [...claimed.keys()].filter((key) => key.startsWith(`${kind}\u0000`)).map((key) => key.slice(kind.length + 1));
}

/** The path of the construct that claimed (or recorded) `name` of `kind` in the app of `scope`, if one did. */
export function appNameHolder(scope: IConstruct, kind: string, name: string): string | undefined {
  return CLAIMED.get(scope.node.root)?.get(`${kind}\u0000${name}`);
}

/** The domains a `MeshGovernance` of the app registered, per mesh name. */
const GOVERNED_DOMAINS = new WeakMap<IConstruct, Map<string, { readonly path: string; readonly domains: readonly string[] }>>();

/** Records the domains the `MeshGovernance` at `scope` registers for `meshName`. */
export function declareGovernedDomains(scope: IConstruct, meshName: string, domains: readonly string[]): void {
  const registry = GOVERNED_DOMAINS.get(scope.node.root) ?? new Map();
  GOVERNED_DOMAINS.set(scope.node.root, registry);
  registry.set(meshName, { path: scope.node.path, domains });
}

/** The domains the app's `MeshGovernance` of `meshName` registers, if the app has one. */
export function governedDomains(scope: IConstruct, meshName: string): { readonly path: string; readonly domains: readonly string[] } | undefined {
  return GOVERNED_DOMAINS.get(scope.node.root)?.get(meshName);
}

/** The known names closest to `name` (edit distance at most 2, or one contains the other): the "did you mean" candidates. */
export function closeNames(name: string, known: readonly string[]): string[] {
  return known.filter((candidate) => candidate !== name && (editDistance(name, candidate) <= 2 || candidate.includes(name) || name.includes(candidate)));
}

/** Levenshtein distance: the edits (insert, delete, substitute one character) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
