/**
 * The compliance tools are optional peer dependencies of cdk-data-mesh: an app that never runs the scans does
 * not install them, and nothing loads them until `addComplianceChecks` does.
 */

/** The packages `addComplianceChecks` loads, in the order its message names them. */
export const COMPLIANCE_PEERS = ['cdk-nag', '@cdklabs/cdk-validator-cfnguard'] as const;

export type CompliancePeer = (typeof COMPLIANCE_PEERS)[number];

/**
 * Loads `names` with `load` (Node's `require` by default). Returns the modules by name, or the names that are
 * not installed (`MODULE_NOT_FOUND` for the package itself); any other load error is thrown as it is.
 */
export function loadPeers<N extends string>(
  names: readonly N[],
  load: (id: string) => unknown = require,
): { readonly modules: Partial<Record<N, unknown>>; readonly missing: readonly N[] } {
  const modules: Partial<Record<N, unknown>> = {};
  const missing: N[] = [];
  for (const name of names) {
    try {
      modules[name] = load(name);
    } catch (error) {
      if (!isNotFound(error, name)) throw error;
      missing.push(name);
    }
  }
  return { modules, missing };
}

function isNotFound(error: unknown, name: string): boolean {
  const { code, message } = error as { code?: string; message?: string };
  // A package that is installed but fails on one of ITS imports is a different problem: report that one as is.
  return code === 'MODULE_NOT_FOUND' && (message ?? '').includes(`'${name}'`);
}
