import type { ContractSpec } from '../contract/types';
import type { ProductEntry } from '../manifest/manifest';

/** `error` stops `cdk synth`; `warning` is shown (and fails `cdk synth --strict`). */
export type PolicySeverity = 'error' | 'warning';

/** What a product rule learns about the product besides its contract spec. */
export interface ProductPolicyContext {
  /** `<domain>.<name>.v<version>` */
  readonly productId: string;
  /** Construct path of the product. */
  readonly path: string;
  readonly mesh: string;
  /** The classifications of the product's mesh (from its `MeshGovernance`, else the four defaults). */
  readonly classifications: readonly string[];
  /** The product's whole manifest entry (physical names, source of a derived product…). */
  readonly entry: ProductEntry;
}

/**
 * A policy over one product's contract spec. Built-in rules are `MESH-001`…; a platform team adds its
 * own with `MeshPolicies.of(app).addRule({...})`.
 *
 * @example
 * MeshPolicies.of(app).addRule({
 *   id: 'SHOP-001', name: 'tags-declared', severity: 'error',
 *   description: 'Every product declares at least one tag for the catalog.',
 *   check: (spec) => (spec.tags.length === 0 ? "declares no tags: add tags: ['sales'] to its contract." : undefined),
 * });
 */
export interface MeshRule {
  /** Stable id quoted in findings and acknowledgements, e.g. `SHOP-001`. */
  readonly id: string;
  /** A short kebab-case name shown next to the id, e.g. `tags-declared`. @default - none */
  readonly name?: string;
  /** One sentence: what the rule demands and why. */
  readonly description: string;
  readonly severity: PolicySeverity;
  /**
   * Returns `undefined` when the product complies, else the problem and its fix in one sentence,
   * phrased after the product's name: `"declares no tags: add tags: ['sales'] to its contract."`.
   */
  check(spec: ContractSpec, context: ProductPolicyContext): string | undefined;
}

/** One rule broken by one construct. */
export interface PolicyFinding {
  readonly ruleId: string;
  readonly severity: PolicySeverity;
  /** Path of the construct the finding is about (a product, a grant, a consumer). */
  readonly path: string;
  /** The full message: rule id and name, subject, construct path, problem and fix. */
  readonly message: string;
  /** Set when the finding was acknowledged on the construct (or an enclosing construct). */
  readonly acknowledged?: { readonly reason: string; readonly path: string };
}

/** Metadata type of an acknowledgement (`MeshPolicies.acknowledge`), kept in the cloud assembly for audit. */
export const POLICY_ACK_METADATA_TYPE = 'cdk-data-mesh:policy-acknowledgement';

export interface PolicyAcknowledgement {
  readonly rule: string;
  readonly reason: string;
}
