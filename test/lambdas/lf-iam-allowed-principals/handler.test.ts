import {
  ConcurrentModificationException,
  EntityNotFoundException,
  InvalidInputException,
  AccessDeniedException,
  type RevokePermissionsCommand,
  type RevokePermissionsCommandInput,
} from '@aws-sdk/client-lakeformation';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createOnEvent, physicalIdOf, targetOf } from '../../../lambdas/lf-iam-allowed-principals/handler';
import { revokeIamAllowedPrincipals, revokeRequest, type LakeFormationSender } from '../../../lambdas/lf-iam-allowed-principals/revoke';

/** A fake Lake Formation client: answers each RevokePermissions call with the next scripted outcome. */
class FakeLakeFormation implements LakeFormationSender {
  public readonly requests: RevokePermissionsCommandInput[] = [];
  /** Principals currently holding permissions, by resource key. */
  private readonly granted = new Set<string>();

  constructor(private readonly script: (Error | 'ok')[] = []) {}

  grant(database: string, table: string): void {
    this.granted.add(`${database}.${table}`);
  }

  async send(command: RevokePermissionsCommand): Promise<unknown> {
    this.requests.push(command.input);
    const next = this.script.shift();
    if (next instanceof Error) throw next;
    if (next === 'ok') return {};
    // Unscripted: behave like Lake Formation on a table that exists.
    const table = command.input.Resource?.Table;
    const key = `${table?.DatabaseName}.${table?.Name}`;
    if (!this.granted.has(key)) {
      throw new InvalidInputException({
        message: 'No permissions revoked. Grantee has no permissions and no grantable permissions on resource.',
        $metadata: {},
      });
    }
    this.granted.delete(key);
    return {};
  }
}

const busy = () => new ConcurrentModificationException({ message: 'Concurrent modification of permissions', $metadata: {} });
const noSleep = async () => undefined;

function event(requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown>): CloudFormationCustomResourceEvent {
  const base = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
    ResponseURL: 'https://example.com',
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/accounts/1',
    RequestId: 'r-1',
    LogicalResourceId: 'IamAllowedPrincipals',
    ResourceType: 'Custom::LakeFormationIamAllowedPrincipals',
    ResourceProperties: { ServiceToken: 'x', ...properties },
  };
  if (requestType === 'Create') return { ...base, RequestType: 'Create' } as CloudFormationCustomResourceEvent;
  return {
    ...base,
    RequestType: requestType,
    PhysicalResourceId: 'iam-allowed-principals:111111111111:accounts.customer_registered_v1',
    OldResourceProperties: {},
  } as CloudFormationCustomResourceEvent;
}

const TABLE = { CatalogId: '111111111111', DatabaseName: 'accounts', TableName: 'customer_registered_v1' };

describe('revokeIamAllowedPrincipals', () => {
  it('revokes ALL from IAM_ALLOWED_PRINCIPALS on the table', async () => {
    const client = new FakeLakeFormation();
    client.grant('accounts', 'customer_registered_v1');
    const outcome = await revokeIamAllowedPrincipals(client, { catalogId: '111111111111', databaseName: 'accounts', tableName: 'customer_registered_v1' });
    expect(outcome).toBe('revoked');
    expect(client.requests).toEqual([
      {
        CatalogId: '111111111111',
        Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' },
        Resource: { Table: { CatalogId: '111111111111', DatabaseName: 'accounts', Name: 'customer_registered_v1' } },
        Permissions: ['ALL'],
      },
    ]);
  });

  it('is idempotent: a second run finds nothing to revoke and succeeds', async () => {
    const client = new FakeLakeFormation();
    client.grant('accounts', 'customer_registered_v1');
    const target = { databaseName: 'accounts', tableName: 'customer_registered_v1' };
    expect(await revokeIamAllowedPrincipals(client, target)).toBe('revoked');
    expect(await revokeIamAllowedPrincipals(client, target)).toBe('already-revoked');
    expect(client.requests).toHaveLength(2);
  });

  it('treats a table that does not exist as nothing to do', async () => {
    const client = new FakeLakeFormation([new EntityNotFoundException({ message: 'Table not found', $metadata: {} })]);
    expect(await revokeIamAllowedPrincipals(client, { databaseName: 'accounts', tableName: 'gone_v1' })).toBe('not-found');
  });

  it('retries ConcurrentModificationException with growing, jittered delays, then succeeds', async () => {
    const client = new FakeLakeFormation([busy(), busy(), busy(), 'ok']);
    const delays: number[] = [];
    const outcome = await revokeIamAllowedPrincipals(
      client,
      { databaseName: 'accounts', tableName: 'customer_registered_v1' },
      { sleep: async (ms) => void delays.push(ms), random: () => 1, baseDelayMs: 100 },
    );
    expect(outcome).toBe('revoked');
    expect(client.requests).toHaveLength(4);
    expect(delays).toEqual([100, 200, 400]);
  });

  it('jitter keeps each delay between half and all of the exponential ceiling, capped', async () => {
    const client = new FakeLakeFormation([busy(), busy(), busy(), busy(), 'ok']);
    const delays: number[] = [];
    await revokeIamAllowedPrincipals(
      client,
      { databaseName: 'd', tableName: 't' },
      { sleep: async (ms) => void delays.push(ms), random: () => 0, baseDelayMs: 1000, maxDelayMs: 3000 },
    );
    expect(delays).toEqual([500, 1000, 1500, 1500]);
  });

  it('gives up after maxAttempts with an error naming the table and the cause', async () => {
    const client = new FakeLakeFormation([busy(), busy(), busy()]);
    const promise = revokeIamAllowedPrincipals(client, { databaseName: 'accounts', tableName: 'customer_registered_v1' }, { sleep: noSleep, maxAttempts: 3 });
    await expect(promise).rejects.toThrow(
      'Revoking IAM_ALLOWED_PRINCIPALS on table accounts.customer_registered_v1 failed after 3 attempt(s): ConcurrentModificationException: Concurrent modification of permissions',
    );
    expect(client.requests).toHaveLength(3);
  });

  it('does not retry other errors (e.g. missing grant option)', async () => {
    const client = new FakeLakeFormation([new AccessDeniedException({ message: 'Insufficient Lake Formation permission(s)', $metadata: {} })]);
    await expect(revokeIamAllowedPrincipals(client, { databaseName: 'd', tableName: 't' }, { sleep: noSleep })).rejects.toThrow(
      'failed after 1 attempt(s): AccessDeniedException: Insufficient Lake Formation permission(s)',
    );
    expect(client.requests).toHaveLength(1);
  });

  it('an InvalidInputException other than "nothing revoked" is an error', async () => {
    const client = new FakeLakeFormation([new InvalidInputException({ message: 'Invalid principal', $metadata: {} })]);
    await expect(revokeIamAllowedPrincipals(client, { databaseName: 'd', tableName: 't' }, { sleep: noSleep })).rejects.toThrow(
      'InvalidInputException: Invalid principal',
    );
  });

  it('targets the database when no table is given', () => {
    expect(revokeRequest({ databaseName: 'orders' }).Resource).toEqual({ Database: { CatalogId: undefined, Name: 'orders' } });
  });
});

describe('onEvent handler', () => {
  it('Create revokes and returns a physical id naming the table and the outcome', async () => {
    const client = new FakeLakeFormation();
    client.grant('accounts', 'customer_registered_v1');
    const response = await createOnEvent(client, { sleep: noSleep })(event('Create', TABLE));
    expect(response).toEqual({
      PhysicalResourceId: 'iam-allowed-principals:111111111111:accounts.customer_registered_v1',
      Data: { Outcome: 'revoked' },
    });
  });

  it('Update of an already governed table succeeds (idempotent)', async () => {
    const response = await createOnEvent(new FakeLakeFormation(), { sleep: noSleep })(event('Update', TABLE));
    expect(response.Data).toEqual({ Outcome: 'already-revoked' });
  });

  it('Update retries while Lake Formation is busy', async () => {
    const client = new FakeLakeFormation([busy(), 'ok']);
    const response = await createOnEvent(client, { sleep: noSleep })(event('Update', TABLE));
    expect(response.Data).toEqual({ Outcome: 'revoked' });
    expect(client.requests).toHaveLength(2);
  });

  it('Delete calls nothing and keeps the physical id', async () => {
    const client = new FakeLakeFormation();
    const response = await createOnEvent(client)(event('Delete', TABLE));
    expect(response).toEqual({ PhysicalResourceId: 'iam-allowed-principals:111111111111:accounts.customer_registered_v1' });
    expect(client.requests).toHaveLength(0);
  });

  it('rejects a missing database name with a sentence naming the property', async () => {
    await expect(createOnEvent(new FakeLakeFormation())(event('Create', { TableName: 't' }))).rejects.toThrow(
      'Property DatabaseName is required (a Glue database name), got undefined.',
    );
  });

  it('reads the properties CloudFormation sends', () => {
    expect(targetOf(TABLE)).toEqual({ catalogId: '111111111111', databaseName: 'accounts', tableName: 'customer_registered_v1' });
    expect(physicalIdOf({ databaseName: 'orders' })).toBe('iam-allowed-principals:default:orders');
  });
});
