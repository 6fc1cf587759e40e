import { describe, expect, it } from 'vitest';
import { matchesAction, matchesPattern, matchesSomeUnder } from '../../../lib/access/patterns';

describe('IAM wildcard patterns', () => {
  it('match whole values with * and ?', () => {
    expect(matchesPattern('arn:aws:kms:*:*:key/*', 'arn:aws:kms:eu-west-1:1:key/abc')).toBe(true);
    expect(matchesPattern('arn:aws:kms:*:*:key/?bc', 'arn:aws:kms:eu-west-1:1:key/abc')).toBe(true);
    expect(matchesPattern('arn:aws:kms:*:*:alias/*', 'arn:aws:kms:eu-west-1:1:key/abc')).toBe(false);
  });

  it('tell whether a pattern names some object under a prefix', () => {
    const prefix = 'arn:aws:s3:::data/customer_v1/';
    expect(matchesSomeUnder('arn:aws:s3:::data/*', prefix)).toBe(true);
    expect(matchesSomeUnder('arn:aws:s3:::data/customer_v1/*', prefix)).toBe(true);
    expect(matchesSomeUnder('arn:aws:s3:::data/customer_v1/dt=2026-*', prefix)).toBe(true);
    expect(matchesSomeUnder('arn:aws:s3:::data/cust*', prefix)).toBe(true);
    expect(matchesSomeUnder('*', prefix)).toBe(true);
    expect(matchesSomeUnder('arn:aws:s3:::data/orders_v1/*', prefix)).toBe(false);
    expect(matchesSomeUnder('arn:aws:s3:::data', prefix)).toBe(false);
    expect(matchesSomeUnder('arn:aws:s3:::data/customer_v2/*', prefix)).toBe(false);
  });

  it('match actions without regard to case', () => {
    expect(matchesAction(['S3:get*'], 's3:GetObject')).toBe(true);
    expect(matchesAction(['s3:List*', 's3:PutObject'], 's3:GetObject')).toBe(false);
    expect(matchesAction(['*'], 'kms:Decrypt')).toBe(true);
  });
});
