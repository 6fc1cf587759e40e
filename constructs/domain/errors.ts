import type { IConstruct } from 'constructs';

/**
 * A `DataDomain` or `DataProduct` was configured in a way that cannot deploy or would break the mesh
 * convention. The message starts with the construct path and names the bad value and the fix.
 */
export class DataMeshError extends Error {
  /** Path of the construct the error is about, e.g. `orders/OrderPlaced`. */
  public readonly constructPath: string;

  constructor(scope: IConstruct, message: string) {
    super(`[${scope.node.path}] ${message}`);
    this.name = 'DataMeshError';
    this.constructPath = scope.node.path;
  }
}
