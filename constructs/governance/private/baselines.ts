import type { IConstruct } from 'constructs';

/** The Lake Formation baseline of one account: the LF admin settings, and the LF-Tags when the account holds products. */
export interface AccountBaselineRecord {
  /** Path of the construct holding the account's `DataLakeSettings`. */
  readonly path: string;
  /** What every Lake Formation resource of the account waits for: the settings, then the LF-Tags (if any). */
  readonly dependables: readonly IConstruct[];
}

const BASELINES = new WeakMap<IConstruct, Map<string, AccountBaselineRecord>>();

/**
 * Records the baseline of `account` for `meshName` in the app of `scope`; returns the one already recorded
 * for that account, if any (a second `DataLakeSettings` in one account is an error).
 */
export function recordBaseline(scope: IConstruct, meshName: string, account: string, record: AccountBaselineRecord): AccountBaselineRecord | undefined {
  const registry = BASELINES.get(scope.node.root) ?? new Map<string, AccountBaselineRecord>();
  BASELINES.set(scope.node.root, registry);
  const key = `${meshName}\u0000${account}`;
  const existing = registry.get(key);
  if (existing !== undefined) return existing;
  registry.set(key, record);
  return undefined;
}

/** The baseline recorded for `account` and `meshName` in the app of `scope`. */
export function baselineOf(scope: IConstruct, meshName: string, account: string): AccountBaselineRecord | undefined {
  return BASELINES.get(scope.node.root)?.get(`${meshName}\u0000${account}`);
}
