import type { Duration } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { DataMeshError } from '../errors';

/**
 * S3 lifecycle rules count in whole days: `Duration.hours(12)` would only fail at synth, deep inside the
 * bucket, with no hint of which prop caused it. Tokens are skipped.
 */
export function checkWholeDays(scope: IConstruct, prop: string, duration: Duration | undefined, example: string): void {
  if (duration === undefined || duration.isUnresolved()) return;
  const days = duration.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw new DataMeshError(
      scope,
      `${prop} is ${duration.toHumanString()}, but S3 lifecycle rules expire objects after a whole number of days (at least 1): use e.g. ${prop}: ${example}.`,
    );
  }
}
