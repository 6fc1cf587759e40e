import { describe, expect, it } from 'vitest';
import { violations } from '../../../lib/access/access';
import { formatAccessReport } from '../../../lib/access/format';
import { FRAUD_CONSUMER, READER, productStack, readerPolicy, reportOf } from './fixtures';

const withoutEmail = {
  Type: 'AWS::LakeFormation::PrincipalPermissions',
  Properties: {
    Permissions: ['SELECT'],
    Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': ['Reader', 'Arn'] } },
    Resource: { TableWithColumns: { DatabaseName: 'sales', Name: 'customer_v1', ColumnWildcard: { ExcludedColumnNames: ['email'] } } },
  },
};
const dataAccess = readerPolicy({ Effect: 'Allow', Action: 'lakeformation:GetDataAccess', Resource: '*' });

describe('formatAccessReport', () => {
  it('prints one table per product and says when every PII column has a reason', () => {
    const report = reportOf(productStack({ Grant: withoutEmail, P: dataAccess }), [FRAUD_CONSUMER]);
    expect(violations(report)).toEqual([]);
    expect(formatAccessReport(report).split('\n')).toEqual([
      'Who can read what, from the test assembly',
      '',
      'sales.customer.v1  (4 columns; PII: email)',
      '      Principal             Kind      Path                   Columns          PII columns reached and reason',
      `      ${READER}  consumer  Lake Formation SELECT  id, country, dt  -`,
      '',
      'Every PII column that a path reaches has a reason.',
    ]);
  });

  it('marks a violation, names what opens it, and ends with the list and the fix', () => {
    const report = reportOf(productStack({ P: readerPolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mesh-sales-data/customer_v1/*' }) }));
    const text = formatAccessReport(report);
    expect(text).toContain(`  !!  ${READER}  role  S3 object read  all 4    email: NO REASON\n        via sales/P statement 0: s3:GetObject on arn:\${AWS::Partition}:s3:::mesh-sales-data/customer_v1/*`);
    expect(text).toContain(`1 path(s) reach a PII column without a reason (marked !!):\n  ${READER} (role) reaches sales.customer.v1 column(s) email by S3 object read\nFix: `);
  });
});

describe('a resource the report cannot read', () => {
  it('is listed, and the report does not claim the mesh is clean', () => {
    const conditional = {
      Type: 'AWS::LakeFormation::PrincipalPermissions',
      Properties: {
        Permissions: ['SELECT'],
        Principal: { DataLakePrincipalIdentifier: { 'Fn::If': ['IsProd', 'arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b'] } },
        Resource: { Table: { DatabaseName: 'sales', Name: 'customer_v1' } },
      },
    };
    const report = reportOf(productStack({ Conditional: conditional }));
    expect(report.unreadable).toEqual(['sales/Conditional (AWS::LakeFormation::PrincipalPermissions): Fn::If is decided at deploy time']);
    expect(violations(report)).toEqual([]);
    expect(formatAccessReport(report)).toContain(
      '1 resource(s) could not be read, so what they open is unknown:\n  sales/Conditional (AWS::LakeFormation::PrincipalPermissions): Fn::If is decided at deploy time\n\nNo PII column is reachable without a reason by the paths above, but the resources that could not be read may open more.',
    );
  });
});
