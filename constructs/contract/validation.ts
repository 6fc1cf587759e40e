import type { ContractSpec } from './types';

/** A contract that breaks a rule. The message names the product, the column, the bad value and the fix. */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
}

/** Checks every contract rule; throws a `ContractError` on the first violation. (Full rule set: issue #2.) */
export function validateContract(spec: ContractSpec): void {
  if (spec.columns === undefined || Object.keys(spec.columns).length === 0) {
    throw new ContractError(`Contract "${spec.domain}.${spec.name}" has no columns: declare at least one in "columns".`);
  }
}
