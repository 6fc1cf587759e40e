/**
 * Revokes the `IAM_ALLOWED_PRINCIPALS` default grant from one Glue table (or database), so that Lake
 * Formation, not IAM alone, decides who reads it. CloudFormation cannot clear these defaults
 * (coverage roadmap #2197), hence this custom resource.
 *
 * Idempotent: a grant that is already gone ("No permissions revoked") and a table that does not exist
 * both count as success. `ConcurrentModificationException` (Lake Formation serialises permission
 * changes) is retried with exponential backoff and jitter.
 */
import { RevokePermissionsCommand, type RevokePermissionsCommandInput } from '@aws-sdk/client-lakeformation';

/** The Lake Formation principal standing for "whoever IAM allows" (the pre-Lake-Formation default). */
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';

export interface RevokeTarget {
  /** @default - the caller's account */
  readonly catalogId?: string;
  readonly databaseName: string;
  /** @default - the database itself (its IAM_ALLOWED_PRINCIPALS grant) */
  readonly tableName?: string;
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'not-found';

/** The one method of `LakeFormationClient` used here (a fake in tests). */
export interface LakeFormationSender {
  send(command: RevokePermissionsCommand): Promise<unknown>;
}

export interface RetryOptions {
  /** @default 8 */
  readonly maxAttempts?: number;
  /** First backoff delay. @default 250 */
  readonly baseDelayMs?: number;
  /** @default 8000 */
  readonly maxDelayMs?: number;
  /** @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** Called before each retry (for logging). */
  readonly onRetry?: (attempt: number, delayMs: number, error: Error) => void;
}

/** Errors Lake Formation raises when another permission change is in flight: worth waiting for. */
const RETRYABLE = new Set(['ConcurrentModificationException', 'OperationTimeoutException']);

/** The RevokePermissions request for `target`. */
export function revokeRequest(target: RevokeTarget): RevokePermissionsCommandInput {
  const resource =
    target.tableName === undefined
      ? { Database: { CatalogId: target.catalogId, Name: target.databaseName } }
      : { Table: { CatalogId: target.catalogId, DatabaseName: target.databaseName, Name: target.tableName } };
  return {
    ...(target.catalogId !== undefined && { CatalogId: target.catalogId }),
    Principal: { DataLakePrincipalIdentifier: IAM_ALLOWED_PRINCIPALS },
    Resource: resource,
    Permissions: ['ALL'],
  };
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** Lake Formation's answer when the principal holds nothing on the resource any more. */
function isAlreadyRevoked(error: unknown): boolean {
  return errorName(error) === 'InvalidInputException' && /no permissions revoked/i.test((error as Error).message);
}

export function describeTarget(target: RevokeTarget): string {
  return target.tableName === undefined ? `database ${target.databaseName}` : `table ${target.databaseName}.${target.tableName}`;
}

/** Revokes IAM_ALLOWED_PRINCIPALS on `target`; resolves with what happened, rejects on any other error. */
export async function revokeIamAllowedPrincipals(
  client: LakeFormationSender,
  target: RevokeTarget,
  options: RetryOptions = {},
): Promise<RevokeOutcome> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 8000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const request = revokeRequest(target);

  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new RevokePermissionsCommand(request));
      return 'revoked';
    } catch (error) {
      if (isAlreadyRevoked(error)) return 'already-revoked';
      if (errorName(error) === 'EntityNotFoundException') return 'not-found';
      if (!RETRYABLE.has(errorName(error) ?? '') || attempt >= maxAttempts) {
        throw new Error(
          `Revoking ${IAM_ALLOWED_PRINCIPALS} on ${describeTarget(target)} failed after ${attempt} attempt(s): ${
            error instanceof Error ? `${error.name}: ${error.message}` : String(error)
          }`,
          { cause: error },
        );
      }
      // Exponential backoff with "equal jitter": half fixed, half random, capped.
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(ceiling / 2 + (random() * ceiling) / 2);
      options.onRetry?.(attempt, delayMs, error as Error);
      await sleep(delayMs);
    }
  }
}
