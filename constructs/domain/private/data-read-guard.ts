import { Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** The object reads the data bucket denies to everyone but the principals a guard allows. */
export const OBJECT_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes'] as const;

/** Sid of the deny statement, as tests and `mesh access` find it. */
export const DENY_OBJECT_READS_SID = 'DenyObjectReadsExceptLakeFormationAndWriters';
/** Sid of the key policy's deny of decrypting the bucket's objects. */
export const DENY_OBJECT_DECRYPT_SID = 'DenyDecryptOfDataObjectsExceptLakeFormationAndWriters';

/**
 * The side-door guard of a domain's data bucket: one bucket-policy statement that denies object reads to every
 * IAM principal whose ARN (`aws:PrincipalArn`, the role for its sessions) is not listed — so an IAM statement
 * added by mistake cannot read product data around Lake Formation. Listed: the Lake Formation registration role
 * (credential vending reads as it), the products' own writers, and break-glass principals the platform names.
 * AWS services acting as themselves (`aws:PrincipalIsAWSService`) are not concerned; none reads objects here.
 *
 * The list is read when the app is synthesized, so products register their writers after the domain.
 * Kept in one place so that other statements (cross-account readers) can extend the bucket policy beside it.
 */
export class DataReadGuard {
  private readonly allowed: string[] = [];

  /**
   * @param bucketName the bucket's name: the key policy names the bucket by it, as a reference to the bucket
   *   would make the key depend on the bucket it encrypts.
   */
  constructor(bucket: s3.IBucket, key: kms.IKey, bucketName: string) {
    const notListed = {
      ArnNotLike: { 'aws:PrincipalArn': Lazy.list({ produce: () => [...this.allowed] }) },
      Bool: { 'aws:PrincipalIsAWSService': 'false' },
    };
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: DENY_OBJECT_READS_SID,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...OBJECT_READ_ACTIONS],
        resources: [bucket.arnForObjects('*')],
        conditions: notListed,
      }),
    );
    // The same principals only may have S3 decrypt the bucket's objects with the domain key (the encryption
    // context is the bucket ARN with an S3 bucket key, the object ARN without one). Stream readers are not concerned.
    const bucketArn = `arn:${Stack.of(key).partition}:s3:::${bucketName}`;
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: DENY_OBJECT_DECRYPT_SID,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'], // in a key policy, "*" is this key
        conditions: { ...notListed, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] } },
      }),
    );
  }

  /** Lets `principalArn` (a role ARN, or an ARN pattern) read objects; listed once. */
  public allow(principalArn: string): void {
    if (!this.allowed.includes(principalArn)) this.allowed.push(principalArn);
  }
}
