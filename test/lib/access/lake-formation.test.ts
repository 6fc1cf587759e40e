import { describe, expect, it } from 'vitest';
import { violations } from '../../../lib/access/access';
import { TAG_GRANT_METADATA_TYPE } from '../../../constructs/governance/tag-grant';
import { FRAUD_CONSUMER, PRODUCT, READER, productStack, reportOf } from './fixtures';

const readerArn = { 'Fn::GetAtt': ['Reader', 'Arn'] };
const tags = (resource: Record<string, unknown>, key: string, values: string[]) => ({
  Type: 'AWS::LakeFormation::TagAssociation',
  Properties: { LFTags: [{ TagKey: key, TagValues: values }], Resource: resource },
});
const tagged = {
  DatabaseTags: tags({ Database: { Name: 'sales' } }, 'domain', ['sales']),
  TableTags: tags({ Table: { DatabaseName: 'sales', Name: 'customer_v1' } }, 'classification', ['internal']),
  PiiColumn: tags({ TableWithColumns: { DatabaseName: 'sales', Name: 'customer_v1', ColumnNames: ['email'] } }, 'classification', ['pii']),
};
const tagGrant = (classifications: string[]) => ({
  Type: 'AWS::LakeFormation::PrincipalPermissions',
  Properties: {
    Permissions: ['SELECT'],
    Principal: { DataLakePrincipalIdentifier: readerArn },
    Resource: {
      LFTagPolicy: { ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['sales'] }, { TagKey: 'classification', TagValues: classifications }] },
    },
  },
});
const lfRow = (report: ReturnType<typeof reportOf>) => report.rows.find((r) => r.principal.name === READER && r.path === 'lake-formation-select');

describe('Lake Formation grants in the access report', () => {
  it('evaluates an LF-Tag grant against column, table and database tags', () => {
    const report = reportOf(productStack({ ...tagged, Grant: tagGrant(['internal']) }));
    // dt has no tag of its own: it inherits the table's.
    expect(lfRow(report)).toMatchObject({ product: PRODUCT, columns: ['id', 'country', 'dt'], pii: [], violation: false });
  });

  it('takes the reason of a tag grant that includes pii from its recorded metadata, and flags one without', () => {
    const record = { kind: 'tag-grant', consumer: 'fraud', mesh: 'm', domains: ['sales'], classifications: ['internal', 'pii'] };
    const metadata = (piiReason?: string) => ({ '/sales/Fraud': [{ type: TAG_GRANT_METADATA_TYPE, data: { ...record, piiReason } }] });
    const stack = (piiReason?: string) => productStack({ ...tagged, Grant: tagGrant(['internal', 'pii']) }, metadata(piiReason));
    expect(lfRow(reportOf(stack('Fraud investigations (SEC-12).'), [FRAUD_CONSUMER]))).toMatchObject({
      principal: { kind: 'consumer', consumers: ['fraud'] },
      columns: ['id', 'email', 'country', 'dt'],
      pii: [{ column: 'email', reason: 'Fraud investigations (SEC-12).' }],
      violation: false,
    });
    expect(lfRow(reportOf(stack(undefined), [FRAUD_CONSUMER]))).toMatchObject({ pii: [{ column: 'email' }], violation: true });
  });

  it('reads column allow-lists, wildcards with exclusions and whole-table grants', () => {
    const grant = (resource: Record<string, unknown>, permissions = ['SELECT']) => ({
      Type: 'AWS::LakeFormation::PrincipalPermissions',
      Properties: { Permissions: permissions, Principal: { DataLakePrincipalIdentifier: readerArn }, Resource: resource },
    });
    const table = { DatabaseName: 'sales', Name: 'customer_v1' };
    expect(lfRow(reportOf(productStack({ G: grant({ TableWithColumns: { ...table, ColumnNames: ['id', 'dt'] } }) })))?.columns).toEqual(['id', 'dt']);
    expect(lfRow(reportOf(productStack({ G: grant({ TableWithColumns: { ...table, ColumnWildcard: { ExcludedColumnNames: ['email'] } } }) })))?.columns).toEqual([
      'id',
      'country',
      'dt',
    ]);
    const all = reportOf(productStack({ G: grant({ Table: table }, ['ALL']) }));
    expect(lfRow(all)).toMatchObject({ columns: ['id', 'email', 'country', 'dt'], violation: true });
    expect(lfRow(all)?.notes).toEqual(['no lakeformation:GetDataAccess in its IAM policies: the grant is latent until one is added, and counted as reaching']);
    expect(lfRow(reportOf(productStack({ G: grant({ Table: table }, ['DESCRIBE']) })))).toBeUndefined();
    expect(violations(reportOf(productStack({ G: grant({ Table: { DatabaseName: 'sales', TableWildcard: {} } }) })))).toHaveLength(1);
  });

  it('reads a grant on a data cells filter as the filter\'s columns, and one on an unknown filter as every column', () => {
    const filter = {
      Type: 'AWS::LakeFormation::DataCellsFilter',
      Properties: { TableCatalogId: '1', DatabaseName: 'sales', TableName: 'customer_v1', Name: 'eu_only', RowFilter: { FilterExpression: "country = 'DE'" }, ColumnNames: ['id', 'country'] },
    };
    const onFilter = (name: string) => ({
      Type: 'AWS::LakeFormation::PrincipalPermissions',
      Properties: {
        Permissions: ['SELECT'],
        Principal: { DataLakePrincipalIdentifier: readerArn },
        Resource: { DataCellsFilter: { TableCatalogId: '1', DatabaseName: 'sales', TableName: 'customer_v1', Name: name } },
      },
    });
    expect(lfRow(reportOf(productStack({ F: filter, G: onFilter('eu_only') })))).toMatchObject({ columns: ['id', 'country'], violation: false });
    const unknown = lfRow(reportOf(productStack({ F: filter, G: onFilter('elsewhere') })));
    expect(unknown).toMatchObject({ columns: ['id', 'email', 'country', 'dt'], violation: true });
    expect(unknown?.notes[0]).toBe("the grant's table could not be resolved (data cells filter sales.customer_v1.elsewhere is not in the assembly): treated as reaching");
  });

  it('reads the older AWS::LakeFormation::Permissions resource too', () => {
    const legacy = {
      Type: 'AWS::LakeFormation::Permissions',
      Properties: {
        DataLakePrincipal: { DataLakePrincipalIdentifier: readerArn },
        Permissions: ['SELECT'],
        Resource: { TableWithColumnsResource: { DatabaseName: 'sales', Name: 'customer_v1', ColumnNames: ['id', 'email'] } },
      },
    };
    expect(lfRow(reportOf(productStack({ G: legacy })))).toMatchObject({ columns: ['id', 'email'], pii: [{ column: 'email' }], violation: true });
  });
});
