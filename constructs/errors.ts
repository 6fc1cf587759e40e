import type { IConstruct } from 'constructs';

/**
 * The base of every error the library throws: catch `MeshError` to catch them all. An error about a
 * construct starts with the construct's path (`[orders/OrderPlaced] …`) and keeps it in `constructPath`; an
 * error about plain data (a contract, a SQL text) names that data in its message instead. Every message
 * names the bad value and the fix.
 */
export class MeshError extends Error {
  /** Path of the construct the error is about, e.g. `orders/OrderPlaced`; undefined for an error about plain data. */
  public readonly constructPath?: string;

  constructor(message: string, scope?: IConstruct) {
    super(scope === undefined ? message : `[${scope.node.path}] ${message}`);
    this.name = 'MeshError';
    if (scope !== undefined) this.constructPath = scope.node.path;
  }
}
