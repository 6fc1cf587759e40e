import { Validations } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { col, Contract, type ColumnSpec } from '../../../constructs/contract';
import { databaseName, dataPrefix, productId, streamName, tableName } from '../../../constructs/naming/naming';
import type { IMeshConsumer } from '../../../constructs/consumer/types';
import { grantProductRead, type ProductReadGrant } from '../../../constructs/governance/grants';
import type { GrantReadOptions, IDataProduct } from '../../../constructs/product/types';

export interface StubProductProps {
  readonly domain: string;
  readonly name: string;
  /** @default 1 */
  readonly version?: number;
  /** @default 'shop' */
  readonly mesh?: string;
  /** @default - id + created_at columns */
  readonly columns?: Record<string, ColumnSpec>;
  /** @default 'day' */
  readonly granularity?: 'day' | 'hour';
  /** @default 'created_at' */
  readonly partitionColumn?: string;
  /** @default true */
  readonly withContract?: boolean;
}

/**
 * A minimal product for derived-product tests: a KMS key, an encrypted stream and a bucket, named by the
 * mesh convention, implementing IDataProduct without the DataProduct class.
 */
export class StubProduct extends Construct implements IDataProduct {
  public readonly productId: string;
  public readonly meshName: string;
  public readonly domainName: string;
  public readonly productName: string;
  public readonly version: number;
  public readonly contract?: Contract;
  public readonly databaseName: string;
  public readonly tableName: string;
  public readonly stream: kinesis.Stream;
  public readonly encryptionKey: kms.Key;
  public readonly bucket: s3.Bucket;
  public readonly dataPrefix: string;

  constructor(scope: Construct, id: string, props: StubProductProps) {
    super(scope, id);
    this.meshName = props.mesh ?? 'shop';
    this.domainName = props.domain;
    this.productName = props.name;
    this.version = props.version ?? 1;
    this.productId = productId(props.domain, props.name, this.version);
    this.databaseName = databaseName(props.domain);
    this.tableName = tableName(props.name, this.version);
    this.dataPrefix = dataPrefix(props.name, this.version);
    this.encryptionKey = new kms.Key(this, 'Key', { enableKeyRotation: true });
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: streamName({ mesh: this.meshName, domain: props.domain, product: props.name, version: this.version }),
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: this.encryptionKey,
    });
    this.bucket = new s3.Bucket(this, 'Data', { encryption: s3.BucketEncryption.KMS, encryptionKey: this.encryptionKey, enforceSSL: true });
    // A test double: its own findings are not what the derived-product tests check.
    const reason = 'Test double standing in for a DataProduct; the derived-product tests check only the pipeline resources.';
    Validations.of(this).acknowledge(
      ...[
        'AwsSolutions::AwsSolutions-KDS3',
        'AwsSolutions::AwsSolutions-S1',
        'cdk-validator-cfnguard::kms_create_grant_aws_service_check',
        'cdk-validator-cfnguard::s3_bucket_level_public_access_prohibited_check',
        'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
        'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        'cdk-validator-cfnguard::s3_bucket_versioning_enabled_check',
        'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
        'cdk-validator-cfnguard::s3_lifecycle_policy_check',
      ].map((id) => ({ id, reason })),
    );
    if (props.withContract ?? true) {
      this.contract = Contract.of({
        name: props.name,
        domain: props.domain,
        version: this.version,
        owner: { team: `${props.domain}-team`, contact: `${props.domain}@example.com` },
        description: `The ${props.name} product.`,
        columns: props.columns ?? {
          id: col.string({ required: true, primaryKey: true, description: 'Identifier.' }),
          created_at: col.timestamp({ required: true, description: 'When it happened (UTC).' }),
        },
        partitionBy: { column: props.partitionColumn ?? 'created_at', granularity: props.granularity ?? 'day' },
      });
    }
  }

  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.stream.grantWrite(grantee);
  }

  public grantReadStream(grantee: iam.IGrantable): iam.Grant {
    return this.stream.grantRead(grantee);
  }

  public grantRead(consumer: IMeshConsumer, options?: GrantReadOptions): ProductReadGrant {
    return grantProductRead(this, consumer, options);
  }
}
