import type { IConstruct } from 'constructs';
import { MeshError } from '../errors';

/**
 * A derived-product construct was configured in a way that cannot work. The message starts with the
 * construct path and names the bad value and the fix.
 */
export class DerivedProductError extends MeshError {
  /** Path of the construct the error is about, e.g. `recommendations/ProductViews/Pipeline`. */
  public declare readonly constructPath: string;

  constructor(scope: IConstruct, message: string) {
    super(message, scope);
    this.name = 'DerivedProductError';
  }
}
