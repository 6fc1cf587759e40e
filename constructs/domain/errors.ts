import type { IConstruct } from 'constructs';
import { MeshError } from '../errors';

/**
 * A `DataDomain` or `DataProduct` was configured in a way that cannot deploy or would break the mesh
 * convention. The message starts with the construct path and names the bad value and the fix.
 */
export class DataMeshError extends MeshError {
  /** Path of the construct the error is about, e.g. `orders/OrderPlaced`. */
  public declare readonly constructPath: string;

  constructor(scope: IConstruct, message: string) {
    super(message, scope);
    this.name = 'DataMeshError';
  }
}
