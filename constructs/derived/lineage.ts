/**
 * Lineage of derived products: what a derived product was computed from, recorded where the tooling
 * looks — the product's mesh manifest entry (`source.from`) and its Glue table parameters.
 */

/** Glue table parameters a derived product carries (comma-separated upstream product ids and how it is derived). */
export const LINEAGE_PARAMETERS = {
  /** e.g. `orders.order_placed.v1,accounts.customer_registered.v1` */
  inputs: 'mesh.derived_from',
  /** `stream` or `sql` */
  kind: 'mesh.derivation',
} as const;

export type DerivationKind = 'stream' | 'sql';

/** The table parameters recording that a product derives from `inputs` (product ids). */
export function lineageTableParameters(kind: DerivationKind, inputs: readonly string[]): Record<string, string> {
  return { [LINEAGE_PARAMETERS.inputs]: inputs.join(','), [LINEAGE_PARAMETERS.kind]: kind };
}
