import type { IConstruct } from 'constructs';

/**
 * A derived-product construct was configured in a way that cannot work. The message starts with the
 * construct path and names the bad value and the fix.
 */
export class DerivedProductError extends Error {
  /** Path of the construct the error is about, e.g. `recommendations/ProductViews/Pipeline`. */
  public readonly constructPath: string;

  constructor(scope: IConstruct, message: string) {
    super(`[${scope.node.path}] ${message}`);
    this.name = 'DerivedProductError';
    this.constructPath = scope.node.path;
  }
}
