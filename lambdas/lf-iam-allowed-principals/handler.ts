/**
 * onEvent handler of the `RevokeIamAllowedPrincipals` custom resource (custom-resources Provider
 * framework). Create/Update revoke IAM_ALLOWED_PRINCIPALS on the table; Delete leaves the table
 * governed by Lake Formation (re-opening IAM-only access on stack deletion would be a silent
 * security regression, and the table is usually retained).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describeTarget, revokeIamAllowedPrincipals, type LakeFormationSender, type RetryOptions, type RevokeTarget } from './revoke';

/** What the Provider framework expects back from onEvent. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'lf-iam-allowed-principals' });

/** Reads and checks the resource properties; throws a sentence naming the missing property. */
export function targetOf(properties: Record<string, unknown>): RevokeTarget {
  const { CatalogId, DatabaseName, TableName } = properties;
  if (typeof DatabaseName !== 'string' || DatabaseName === '') {
    throw new Error(`Property DatabaseName is required (a Glue database name), got ${JSON.stringify(DatabaseName)}.`);
  }
  if (TableName !== undefined && (typeof TableName !== 'string' || TableName === '')) {
    throw new Error(`Property TableName must be a Glue table name when set, got ${JSON.stringify(TableName)}.`);
  }
  return {
    ...(typeof CatalogId === 'string' && CatalogId !== '' && { catalogId: CatalogId }),
    databaseName: DatabaseName,
    ...(TableName !== undefined && { tableName: TableName }),
  };
}

export function physicalIdOf(target: RevokeTarget): string {
  return `iam-allowed-principals:${target.catalogId ?? 'default'}:${target.databaseName}${target.tableName === undefined ? '' : `.${target.tableName}`}`;
}

/** The handler logic with its client injected (unit tests pass a fake). */
export function createOnEvent(client: LakeFormationSender, retry: RetryOptions = {}) {
  return async (event: CloudFormationCustomResourceEvent): Promise<OnEventResponse> => {
    if (event.RequestType === 'Delete') {
      logger.info('Delete: leaving the resource governed by Lake Formation', { physicalResourceId: event.PhysicalResourceId });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const target = targetOf(event.ResourceProperties);
    const outcome = await revokeIamAllowedPrincipals(client, target, {
      ...retry,
      onRetry:
        retry.onRetry ??
        ((attempt, delayMs, error) =>
          logger.warn('Lake Formation busy, retrying', { target: describeTarget(target), attempt, delayMs, error: error.name })),
    });
    if (outcome === 'not-found') {
      logger.warn('Nothing to revoke: the resource does not exist', { target: describeTarget(target) });
    } else {
      logger.info('IAM_ALLOWED_PRINCIPALS removed', { target: describeTarget(target), outcome });
    }
    return { PhysicalResourceId: physicalIdOf(target), Data: { Outcome: outcome } };
  };
}

export const handler = createOnEvent(new LakeFormationClient({}));
