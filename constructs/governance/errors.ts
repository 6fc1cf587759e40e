import type { IConstruct } from 'constructs';
import { MeshError } from '../errors';

/**
 * A governance construct was configured in a way that cannot deploy or would break a mesh rule.
 * The message starts with the construct path and names the bad value and the fix.
 */
export class MeshGovernanceError extends MeshError {
  /** Path of the construct the error is about, e.g. `consumers/Marketing`. */
  public declare readonly constructPath: string;

  constructor(scope: IConstruct, message: string) {
    super(message, scope);
    this.name = 'MeshGovernanceError';
  }
}
