import { describe, expect, it } from 'vitest';
import type { AssemblyStack } from '../../../lib/access/assembly';
import { Resolver, Unresolvable } from '../../../lib/access/intrinsics';

const platform: AssemblyStack = {
  stackName: 'platform',
  metadata: {},
  template: {
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'shop-data-${AWS::AccountId}' } } },
      Unnamed: { Type: 'AWS::S3::Bucket', Properties: {} },
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'reader' } },
      KeyParameter: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/mesh/key', Value: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    },
    Outputs: { BucketArn: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] }, Export: { Name: 'platform-bucket' } } },
  },
};
const consumer: AssemblyStack = {
  stackName: 'consumer',
  metadata: {},
  template: { Parameters: { KeyArn: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/mesh/key' }, Free: { Type: 'String' } } },
};
const resolver = new Resolver([platform, consumer]);

describe('Resolver', () => {
  it('resolves Ref, Fn::GetAtt, Fn::Join and Fn::Sub, keeping account, region and partition symbolic', () => {
    expect(resolver.string({ Ref: 'Bucket' }, platform)).toBe('shop-data-${AWS::AccountId}');
    expect(resolver.string({ 'Fn::GetAtt': ['Bucket', 'Arn'] }, platform)).toBe('arn:${AWS::Partition}:s3:::shop-data-${AWS::AccountId}');
    expect(resolver.string({ 'Fn::GetAtt': 'Role.Arn' }, platform)).toBe('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/reader');
    expect(resolver.string({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Unnamed', 'Arn'] }, '/x/*']] }, platform)).toBe('arn:${AWS::Partition}:s3:::<platform/Unnamed>/x/*');
    expect(resolver.string({ 'Fn::Sub': ['${Bucket.Arn}/${Prefix}/*', { Prefix: 'orders_v1' }] }, platform)).toBe(
      'arn:${AWS::Partition}:s3:::shop-data-${AWS::AccountId}/orders_v1/*',
    );
    expect(resolver.string({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, platform)).toBe('b');
  });

  it('follows Fn::ImportValue to the exporting stack and SSM parameters to the stack that writes them', () => {
    expect(resolver.string({ 'Fn::ImportValue': 'platform-bucket' }, consumer)).toBe('arn:${AWS::Partition}:s3:::shop-data-${AWS::AccountId}');
    expect(resolver.string({ Ref: 'KeyArn' }, consumer)).toBe('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/<platform/Key>');
    expect(resolver.string('{{resolve:ssm:/mesh/key}}', consumer)).toBe('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/<platform/Key>');
  });

  it('refuses what only deployment decides', () => {
    expect(() => resolver.string({ Ref: 'Free' }, consumer)).toThrow(new Unresolvable('parameter Free is set at deploy time'));
    expect(() => resolver.string({ 'Fn::ImportValue': 'elsewhere' }, consumer)).toThrow(Unresolvable);
    expect(() => resolver.string({ 'Fn::If': ['C', 'a', 'b'] }, consumer)).toThrow('Fn::If is decided at deploy time');
    expect(() => resolver.string('{{resolve:secretsmanager:s}}', consumer)).toThrow(Unresolvable);
  });
});
