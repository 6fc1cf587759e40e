/**
 * `mesh catalog --live` cannot reach AWS here (no credentials): these tests replace the SDK clients'
 * `send` with fakes answering from a recorded-shape account, and check the mapping to the catalog model.
 */
import { GetTablesCommand, GlueClient, type Table } from '@aws-sdk/client-glue';
import {
  GetResourceLFTagsCommand,
  LakeFormationClient,
  ListLFTagsCommand,
  ListPermissionsCommand,
  type PrincipalResourcePermissions,
} from '@aws-sdk/client-lakeformation';
import { describe, expect, it } from 'vitest';
import { LINEAGE_PARAMETERS } from '../../../constructs/derived/lineage';
import { TABLE_PARAMETERS } from '../../../constructs/product/table-parameters';
import { catalogFromAws, principalName } from '../../../lib/catalog/live';

const ACCOUNT = '123456789012';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

const TABLES: Record<string, Table[]> = {
  accounts: [
    {
      Name: 'customer_registered_v1',
      DatabaseName: 'accounts',
      Owner: 'accounts-team',
      Description: 'A customer created an account.',
      StorageDescriptor: {
        Location: 's3://shop-accounts-data-123456789012-eu-west-1/customer_registered_v1/',
        Columns: [
          { Name: 'customer_id', Type: 'string', Comment: 'Customer identifier.' },
          { Name: 'email', Type: 'string', Comment: 'E-mail address given at sign-up.' },
          { Name: 'country', Type: 'string', Comment: 'ISO 3166-1 alpha-2 country code.' },
        ],
      },
      Parameters: {
        [TABLE_PARAMETERS.productId]: 'accounts.customer_registered.v1',
        [TABLE_PARAMETERS.mesh]: 'shop',
        [TABLE_PARAMETERS.ownerContact]: 'accounts-team@example.com',
        [TABLE_PARAMETERS.freshnessMinutes]: '30',
        [TABLE_PARAMETERS.retentionDays]: '730',
        [TABLE_PARAMETERS.partitionColumn]: 'registered_at',
        // Column facts travel in one table parameter (CloudFormation's Glue Column has no Parameters);
        // country is left out to show an unknown "required".
        [TABLE_PARAMETERS.columns]: JSON.stringify({
          customer_id: { required: true, primaryKey: true },
          email: { required: true, classification: 'pii' },
        }),
        [TABLE_PARAMETERS.piiReasons]: JSON.stringify({ marketing: 'Newsletter campaigns.' }),
        [TABLE_PARAMETERS.exampleQueries]: JSON.stringify([{ name: 'Sign-ups', sql: 'SELECT count(*) FROM accounts.customer_registered_v1' }]),
        classification: 'parquet',
      },
    },
    // Not a mesh product (no product id parameter): left out.
    { Name: 'scratch', DatabaseName: 'accounts', Parameters: {} },
  ],
  marketing: [
    {
      Name: 'customer_orders_v1',
      DatabaseName: 'marketing',
      StorageDescriptor: { Columns: [{ Name: 'customer_id', Type: 'string' }, { Name: 'revenue', Type: 'decimal(14,2)' }] },
      Parameters: {
        [TABLE_PARAMETERS.productId]: 'marketing.customer_orders.v1',
        [TABLE_PARAMETERS.ownerTeam]: 'marketing-team',
        [TABLE_PARAMETERS.description]: 'Orders per customer.',
        [LINEAGE_PARAMETERS.inputs]: 'accounts.customer_registered.v1',
        [LINEAGE_PARAMETERS.kind]: 'sql',
        [TABLE_PARAMETERS.deprecatedSunset]: '2027-01-31',
      },
    },
  ],
};

const PERMISSIONS: Record<string, PrincipalResourcePermissions[]> = {
  'accounts.customer_registered_v1': [
    // marketing: DESCRIBE on the table + SELECT on every column (PII granted with a reason).
    { Principal: { DataLakePrincipalIdentifier: role('shop-marketing') }, Resource: { Table: { DatabaseName: 'accounts', Name: 'customer_registered_v1' } }, Permissions: ['DESCRIBE'] },
    {
      Principal: { DataLakePrincipalIdentifier: role('shop-marketing') },
      Resource: { TableWithColumns: { DatabaseName: 'accounts', Name: 'customer_registered_v1', ColumnWildcard: {} } },
      Permissions: ['SELECT'],
    },
    // management: every column but email.
    {
      Principal: { DataLakePrincipalIdentifier: role('shop-management') },
      Resource: { TableWithColumns: { DatabaseName: 'accounts', Name: 'customer_registered_v1', ColumnWildcard: { ExcludedColumnNames: ['email'] } } },
      Permissions: ['SELECT'],
    },
    // analysts: an explicit column list.
    {
      Principal: { DataLakePrincipalIdentifier: role('path/to/analysts') },
      Resource: { TableWithColumns: { DatabaseName: 'accounts', Name: 'customer_registered_v1', ColumnNames: ['customer_id', 'country'] } },
      Permissions: ['SELECT'],
    },
    // The product's Firehose role only describes the table: not a reader.
    { Principal: { DataLakePrincipalIdentifier: role('shop-accounts-firehose') }, Resource: { Table: { DatabaseName: 'accounts', Name: 'customer_registered_v1' } }, Permissions: ['DESCRIBE'] },
  ],
  'marketing.customer_orders_v1': [],
};

function fakeClients() {
  const calls: string[] = [];
  const glue = new GlueClient({ region: 'eu-west-1' });
  const lakeFormation = new LakeFormationClient({ region: 'eu-west-1' });
  (glue as unknown as { send: (c: unknown) => Promise<unknown> }).send = async (command: unknown) => {
    if (!(command instanceof GetTablesCommand)) throw new Error(`unexpected Glue call ${String(command)}`);
    const db = command.input.DatabaseName!;
    calls.push(`GetTables ${db} ${command.input.NextToken ?? ''}`.trim());
    const tables = TABLES[db] ?? [];
    // Page one table at a time, to exercise pagination.
    const index = Number(command.input.NextToken ?? 0);
    return { TableList: tables.slice(index, index + 1), NextToken: index + 1 < tables.length ? String(index + 1) : undefined };
  };
  (lakeFormation as unknown as { send: (c: unknown) => Promise<unknown> }).send = async (command: unknown) => {
    if (command instanceof ListLFTagsCommand) {
      calls.push('ListLFTags');
      return {
        LFTags: [
          { TagKey: 'classification', TagValues: ['public', 'internal', 'confidential', 'pii'] },
          { TagKey: 'domain', TagValues: ['marketing', 'accounts'] },
        ],
      };
    }
    if (command instanceof GetResourceLFTagsCommand) {
      const table = command.input.Resource!.Table!;
      calls.push(`GetResourceLFTags ${table.DatabaseName}.${table.Name}`);
      expect(command.input.ShowAssignedLFTags).toBe(true);
      return table.Name === 'customer_registered_v1'
        ? {
            LFTagsOnTable: [{ TagKey: 'classification', TagValues: ['pii'] }],
            LFTagsOnColumns: [
              { Name: 'customer_id', LFTags: [{ TagKey: 'classification', TagValues: ['internal'] }] },
              { Name: 'email', LFTags: [{ TagKey: 'classification', TagValues: ['pii'] }] },
              { Name: 'country', LFTags: [{ TagKey: 'classification', TagValues: ['internal'] }] },
            ],
          }
        : { LFTagsOnTable: [{ TagKey: 'classification', TagValues: ['internal'] }] };
    }
    if (command instanceof ListPermissionsCommand) {
      const table = command.input.Resource!.Table!;
      calls.push(`ListPermissions ${table.DatabaseName}.${table.Name}`);
      expect(command.input.IncludeRelated).toBe('TRUE');
      return { PrincipalResourcePermissions: PERMISSIONS[`${table.DatabaseName}.${table.Name}`] };
    }
    throw new Error(`unexpected Lake Formation call ${String(command)}`);
  };
  return { glue, lakeFormation, calls };
}

describe('catalog --live (mocked AWS SDK clients)', () => {
  it('discovers the mesh databases from the domain LF-Tag and reads every table page', async () => {
    const { glue, lakeFormation, calls } = fakeClients();
    const model = await catalogFromAws({
      glue,
      lakeFormation,
      consumerName: (principal) => (principal.endsWith('-firehose') ? undefined : principalName(principal)),
    });
    expect(calls).toEqual([
      'ListLFTags',
      'GetTables accounts',
      'GetTables accounts 1',
      'GetResourceLFTags accounts.customer_registered_v1',
      'ListPermissions accounts.customer_registered_v1',
      'GetTables marketing',
      'GetResourceLFTags marketing.customer_orders_v1',
      'ListPermissions marketing.customer_orders_v1',
    ]);
    expect(model.products.map((p) => p.id)).toEqual(['accounts.customer_registered.v1', 'marketing.customer_orders.v1']);
    expect(model.mesh).toBe('shop');
  });

  it('maps tables, LF-Tags and parameters to catalog products', async () => {
    const { glue, lakeFormation } = fakeClients();
    const model = await catalogFromAws({ glue, lakeFormation, databases: ['accounts', 'marketing'] });
    const accounts = model.products[0];
    expect(accounts).toMatchObject({
      id: 'accounts.customer_registered.v1',
      domain: 'accounts',
      name: 'customer_registered',
      version: 1,
      description: 'A customer created an account.',
      owner: { team: 'accounts-team', contact: 'accounts-team@example.com' },
      classification: 'pii',
      sla: { freshnessMinutes: 30, retentionDays: 730 },
      partition: { column: 'registered_at', granularity: 'day' },
      exampleQueries: [{ name: 'Sign-ups', sql: 'SELECT count(*) FROM accounts.customer_registered_v1' }],
      names: {
        stream: 'shop-accounts-customer_registered-v1',
        deliveryStream: 'shop-accounts-customer_registered-v1',
        database: 'accounts',
        table: 'customer_registered_v1',
        dataLocation: 's3://shop-accounts-data-123456789012-eu-west-1/customer_registered_v1/',
      },
    });
    expect(accounts.columns).toEqual([
      { name: 'customer_id', depth: 0, type: 'string', required: true, description: 'Customer identifier.', classification: 'internal', pii: false, primaryKey: true },
      { name: 'email', depth: 0, type: 'string', required: true, description: 'E-mail address given at sign-up.', classification: 'pii', pii: true, primaryKey: false },
      { name: 'country', depth: 0, type: 'string', description: 'ISO 3166-1 alpha-2 country code.', classification: 'internal', pii: false, primaryKey: false },
    ]);
    const marketing = model.products[1];
    expect(marketing).toMatchObject({
      owner: { team: 'marketing-team', contact: 'unknown' },
      description: 'Orders per customer.',
      classification: 'internal',
      deprecated: { sunset: '2027-01-31' },
      source: { kind: 'sql', from: ['accounts.customer_registered.v1'] },
    });
    expect(marketing.names.stream).toBeUndefined();
  });

  it('maps Lake Formation permissions to grants, with withheld columns and PII reasons', async () => {
    const { glue, lakeFormation } = fakeClients();
    const model = await catalogFromAws({ glue, lakeFormation, databases: ['accounts'] });
    expect(model.grants).toEqual([
      { product: 'accounts.customer_registered.v1', consumer: 'analysts', permissions: ['SELECT'], excludedColumns: ['email'], includesPii: false },
      { product: 'accounts.customer_registered.v1', consumer: 'shop-management', permissions: ['SELECT'], excludedColumns: ['email'], includesPii: false },
      {
        product: 'accounts.customer_registered.v1',
        consumer: 'shop-marketing',
        permissions: ['DESCRIBE', 'SELECT'],
        excludedColumns: [],
        includesPii: true,
        // No reason: it is recorded under the consumer name "marketing" (see the next test).
      },
    ]);
    expect(model.consumers.map((c) => c.name)).toEqual(['analysts', 'shop-management', 'shop-marketing']);
  });

  it('finds PII reasons recorded under the consumer name', async () => {
    const { glue, lakeFormation } = fakeClients();
    const model = await catalogFromAws({
      glue,
      lakeFormation,
      databases: ['accounts'],
      consumerName: (principal) => principalName(principal)?.replace(/^shop-/, ''),
    });
    expect(model.grants.find((g) => g.consumer === 'marketing')).toMatchObject({ includesPii: true, piiReason: 'Newsletter campaigns.' });
  });

  it('names the principal of an ARN', () => {
    expect(principalName(`arn:aws:iam::${ACCOUNT}:role/shop/marketing-consumer`)).toBe('marketing-consumer');
    expect(principalName(`arn:aws-cn:iam::${ACCOUNT}:user/alice`)).toBe('alice');
    expect(principalName(`arn:aws:iam::${ACCOUNT}:saml-provider/x`)).toBeUndefined();
    expect(principalName('IAM_ALLOWED_PRINCIPALS')).toBe('IAM_ALLOWED_PRINCIPALS');
  });

  it('says what to do when no mesh database is found', async () => {
    const { glue, lakeFormation } = fakeClients();
    (lakeFormation as unknown as { send: () => Promise<unknown> }).send = async () => ({ LFTags: [] });
    await expect(catalogFromAws({ glue, lakeFormation })).rejects.toThrow(
      'No mesh databases found: the LF-Tag "domain" has no values in this account and region. Deploy the governance stack first, or pass --databases <name,…>.',
    );
  });

  it('names the table and parameter of a malformed product id', async () => {
    const { lakeFormation } = fakeClients();
    const glue = new GlueClient({ region: 'eu-west-1' });
    (glue as unknown as { send: () => Promise<unknown> }).send = async () => ({
      TableList: [{ Name: 't', DatabaseName: 'orders', Parameters: { [TABLE_PARAMETERS.productId]: 'Orders/Placed' } }],
    });
    await expect(catalogFromAws({ glue, lakeFormation, databases: ['orders'] })).rejects.toThrow(
      'Table orders.t: parameter "mesh.product_id" is "Orders/Placed", expected <domain>.<name>.v<version> (e.g. orders.order_placed.v1).',
    );
  });
});
