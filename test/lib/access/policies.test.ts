import { describe, expect, it } from 'vitest';
import { FRAUD_CONSUMER, PRODUCT, READER, productStack, readerPolicy, reportOf } from './fixtures';

const paths = (report: ReturnType<typeof reportOf>, name = READER) =>
  report.rows.filter((r) => r.principal.name === name).map((r) => `${r.path}${r.violation ? ' (violation)' : ''}`);
const objects = 'arn:aws:s3:::mesh-sales-data/customer_v1/*';

describe('IAM and resource policies in the access report', () => {
  it('opens S3 object read and KMS decrypt from identity policies, whatever the intrinsic or wildcard', () => {
    const report = reportOf(
      productStack({
        P: readerPolicy(
          { Effect: 'Allow', Action: 's3:Get*', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Data', 'Arn'] }, '/*']] } },
          { Effect: 'Allow', Action: 'kms:*', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*' } },
        ),
      }),
      [FRAUD_CONSUMER],
    );
    expect(paths(report)).toEqual(['s3-object-read (violation)', 'kms-decrypt (violation)']);
  });

  it('narrows key/* to the keys a kms:ResourceAliases condition names', () => {
    const statement = (alias: string) => ({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: 'arn:aws:kms:eu-west-1:111122223333:key/*',
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
    });
    expect(paths(reportOf(productStack({ P: readerPolicy(statement('alias/mesh/other')) })))).toEqual([]);
    const row = reportOf(productStack({ P: readerPolicy(statement('alias/mesh/sales')) })).rows.find((r) => r.path === 'kms-decrypt');
    expect(row?.notes).toEqual(['condition ForAnyValue:StringEquals kms:ResourceAliases alias/mesh/sales selects this key']);
  });

  it('does not open a path for other prefixes, NotAction or a Deny', () => {
    expect(paths(reportOf(productStack({ P: readerPolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mesh-sales-data/orders_v1/*' }) })))).toEqual([]);
    expect(paths(reportOf(productStack({ P: readerPolicy({ Effect: 'Allow', NotAction: 's3:GetObject*', Resource: objects }) })))).toEqual([]);
    const denied = readerPolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: objects }, { Effect: 'Deny', Action: 's3:*', Resource: '*' });
    expect(paths(reportOf(productStack({ P: denied })))).toEqual([]);
  });

  it('honours a bucket deny for everyone but named principals, and ignores denies under other conditions', () => {
    const bucketPolicy = (condition: Record<string, unknown>) => ({
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Data' },
        PolicyDocument: {
          Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Data', 'Arn'] }, '/*']] }, Condition: condition }],
        },
      },
    });
    const reader = readerPolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: objects });
    const writerOnly = { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/writer' } };
    // Denied today by the bucket, but one policy edit away from a side door: still reported, with a note.
    const denied = reportOf(productStack({ P: reader, B: bucketPolicy(writerOnly) }));
    expect(paths(denied)).toEqual(['s3-object-read (violation)']);
    expect(denied.rows.find((row) => row.path === 's3-object-read')!.notes.join(' ')).toContain('denied today by the resource policy of the bucket');
    const readerToo = { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/writer', { 'Fn::GetAtt': ['Reader', 'Arn'] }] } };
    expect(paths(reportOf(productStack({ P: reader, B: bucketPolicy(readerToo) })))).toEqual(['s3-object-read (violation)']);
    expect(paths(reportOf(productStack({ P: reader, B: bucketPolicy({ Bool: { 'aws:SecureTransport': 'false' } }) })))).toEqual(['s3-object-read (violation)']);
  });

  it('reads grants in resource policies: bucket policies and key policies naming a role, and anyone', () => {
    const report = reportOf(
      productStack({
        B: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: { Bucket: { Ref: 'Data' }, PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: objects }] } },
        },
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Statement: [
                { Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' },
                { Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['Reader', 'Arn'] } }, Action: 'kms:Decrypt', Resource: '*' },
                { Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' },
              ],
            },
          },
        },
      }),
    );
    expect(paths(report, '* (anyone)')).toEqual(['s3-object-read (violation)']);
    expect(paths(report)).toEqual(['kms-decrypt (violation)']);
    expect(report.rows).toHaveLength(2); // the account root delegates to IAM; services act for a caller
  });

  it('reads a Kinesis resource policy on the product stream', () => {
    const report = reportOf(
      productStack({
        Stream: { Type: 'AWS::Kinesis::Stream', Properties: { Tags: [{ Key: 'mesh:product', Value: PRODUCT }], StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } } },
        StreamPolicy: {
          Type: 'AWS::Kinesis::ResourcePolicy',
          Properties: {
            ResourceArn: { 'Fn::GetAtt': ['Stream', 'Arn'] },
            ResourcePolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['Reader', 'Arn'] } }, Action: ['kinesis:GetRecords', 'kinesis:GetShardIterator'], Resource: { 'Fn::GetAtt': ['Stream', 'Arn'] } }] },
          },
        },
      }),
    );
    expect(paths(report)).toEqual(['kinesis-read (violation)']);
  });

  it('assumes an attached managed policy that is not in the assembly reaches everything', () => {
    const report = reportOf(
      productStack({
        Reader: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] }, Metadata: { 'aws:cdk:path': `${READER}/Resource` } },
      }),
    );
    expect(paths(report)).toEqual(['s3-object-read (violation)', 'kms-decrypt (violation)']);
    const harmless = reportOf(
      productStack({
        Reader: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] } },
      }),
    );
    expect(harmless.rows).toEqual([]);
  });
});

describe('IAM groups in the access report', () => {
  it('reports a policy attached to a group as the group', () => {
    const report = reportOf(
      productStack({
        Analysts: { Type: 'AWS::IAM::Group', Properties: { GroupName: 'analysts' } },
        P: {
          Type: 'AWS::IAM::Policy',
          Properties: { PolicyName: 'p', Groups: [{ Ref: 'Analysts' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: objects }] } },
        },
      }),
    );
    expect(paths(report, 'sales/Analysts')).toEqual(['s3-object-read (violation)']);
  });
});
