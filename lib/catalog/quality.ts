/**
 * The quality rules of a product as the catalog shows them: in words, with the latest result when one is known
 * (`mesh test` leaves the local results beside the lake; see lib/quality/run-local.ts).
 */
import type { ContractSpec } from '../../constructs/contract/types';
import { isRunnable, qualityRules, ruleSummary } from '../../constructs/contract/quality';

/** The latest outcome of a rule. */
export interface CatalogRuleResult {
  /** The partition checked, or `all`. */
  readonly dt: string;
  readonly measured?: number;
  readonly status: 'pass' | 'fail' | 'error' | 'skipped';
  /** Where the result comes from, e.g. `mesh test (local lake), 2026-12-03T12:00:00Z`. */
  readonly source: string;
}

export interface CatalogRule {
  readonly name: string;
  readonly column?: string;
  readonly dimension?: string;
  readonly severity: string;
  /** The rule in words. */
  readonly description: string;
  readonly threshold: string;
  /** `primaryKey` or `required` when the contract implies the rule. */
  readonly implied?: string;
  /** False for text and custom rules, which the mesh keeps but does not run. */
  readonly runnable: boolean;
  readonly latest?: CatalogRuleResult;
}

/** Every rule of the contract (implied ones included), without results. */
export function catalogRules(spec: Pick<ContractSpec, 'columns' | 'quality'>): CatalogRule[] {
  return qualityRules(spec).map((rule) => ({
    ...ruleSummary(rule),
    ...(rule.implied !== undefined && { implied: rule.implied }),
    runnable: isRunnable(rule),
  }));
}

/** One known result of a rule (the shape `mesh test` records). */
export interface KnownResult {
  readonly product: string;
  readonly rule: string;
  readonly dt: string;
  readonly measured?: number;
  readonly status: CatalogRuleResult['status'];
}

/** The rules with their latest results attached (by product id and rule name). */
export function withResults<T extends { readonly id: string; readonly quality?: readonly CatalogRule[] }>(
  products: readonly T[],
  results: Readonly<Record<string, readonly KnownResult[]>>,
  source: string,
): T[] {
  return products.map((product) => {
    const known = results[product.id];
    if (known === undefined || product.quality === undefined) return product;
    const quality = product.quality.map((rule) => {
      const result = known.find((r) => r.rule === rule.name);
      return result === undefined
        ? rule
        : { ...rule, latest: { dt: result.dt, ...(result.measured !== undefined && { measured: result.measured }), status: result.status, source } };
    });
    return { ...product, quality };
  });
}
