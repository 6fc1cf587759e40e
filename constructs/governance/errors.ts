import type { IConstruct } from 'constructs';

/**
 * A governance construct was configured in a way that cannot deploy or would break a mesh rule.
 * The message starts with the construct path and names the bad value and the fix.
 */
export class MeshGovernanceError extends Error {
  /** Path of the construct the error is about, e.g. `consumers/Marketing`. */
  public readonly constructPath: string;

  constructor(scope: IConstruct, message: string) {
    super(`[${scope.node.path}] ${message}`);
    this.name = 'MeshGovernanceError';
    this.constructPath = scope.node.path;
  }
}
