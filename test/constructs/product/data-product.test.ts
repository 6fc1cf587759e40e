import * as path from 'node:path';
import { Duration, RemovalPolicy, Size, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '../../../constructs/contract';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { PII_ACCESS_METADATA_TYPE } from '../../../constructs/governance/grants';
import { MANIFEST_METADATA_TYPE, type ProductEntry } from '../../../constructs/manifest/manifest';
import { DataProduct, PRODUCT_DESTROY_WARNING } from '../../../constructs/product/data-product';
import { PROCESSOR_METRICS } from '../../../constructs/product/data-product-base';
import { REGISTRY_JSON_SCHEMA_DIALECT } from '../../../constructs/product/schema-registry';
import { testApp } from '../domain/test-app';
import { customerRegistered, orderPlacedV1, orderPlacedV2, orderShipped } from './fixtures/contracts';
import { latestNodeRuntime } from '../../../constructs/private/node-runtime';

const TRANSFORM = path.join(__dirname, 'fixtures', 'uppercase-transform.ts');

let stack: Stack;
let template: Template;
let domain: DataDomain;
let v1: DataProduct;
let v2: DataProduct;
let shipped: DataProduct;
let producer: iam.Role;
let reader: iam.Role;

const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

beforeAll(() => {
  stack = new Stack(testApp(), 'orders');
  domain = new DataDomain(stack, 'Domain', { domainName: 'orders' });
  v1 = new DataProduct(stack, 'OrderPlacedV1', { domain, contract: orderPlacedV1 });
  v2 = new DataProduct(stack, 'OrderPlacedV2', {
    domain,
    contract: orderPlacedV2,
    streamMode: kinesis.StreamMode.PROVISIONED,
    shardCount: 2,
    retention: Duration.days(7),
    buffering: { interval: Duration.seconds(60), size: Size.mebibytes(64) },
    processor: { memorySize: 1024, timeout: Duration.minutes(2), bufferSize: Size.kibibytes(256), bufferInterval: Duration.seconds(30), retries: 5 },
  });
  shipped = new DataProduct(stack, 'OrderShipped', { domain, contract: orderShipped, transform: { entry: TRANSFORM }, lakeFormation: false });
  producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  v1.grantWrite(producer);
  v1.grantReadStream(reader);
  template = Template.fromStack(stack);
});

describe('DataProduct names', () => {
  it('derives every physical name from mesh, domain, product and version', () => {
    expect(v1.productId).toBe('orders.order_placed.v1');
    expect(v1.streamName).toBe('shop-orders-order_placed-v1');
    expect(v1.deliveryStreamName).toBe('shop-orders-order_placed-v1');
    expect(v1.databaseName).toBe('orders');
    expect(v1.tableName).toBe('order_placed_v1');
    expect(v1.dataPrefix).toBe('order_placed_v1/');
    expect(v1.errorPrefix).toBe('errors/order_placed_v1/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/');
    expect(v1.meshName).toBe('shop');
    expect(v1.domain).toBe(domain);
    expect(domain.products).toEqual([v1, v2, shipped]);
  });
});

describe('DataProduct stream', () => {
  it('is on-demand by default, encrypted with the domain key, retained 24 hours', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'shop-orders-order_placed-v1',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': [id(domain.encryptionKey), 'Arn'] } },
    });
  });

  it('takes provisioned shards and a longer retention when asked', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'shop-orders-order_placed-v2',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      ShardCount: 2,
      RetentionPeriodHours: 168,
      StreamEncryption: { EncryptionType: 'KMS' },
    });
  });
});

describe('DataProduct delivery stream', () => {
  const delivery = (product: DataProduct) => template.findResources('AWS::KinesisFirehose::DeliveryStream')[id(product.deliveryStream)];

  it('reads the product stream and converts to Parquet with the product table, partitioned by the processor dt', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'shop-orders-order_placed-v1',
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: {
        KinesisStreamARN: { 'Fn::GetAtt': [id(v1.stream), 'Arn'] },
        RoleARN: { 'Fn::GetAtt': [id(v1.deliveryStreamRole), 'Arn'] },
      },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: { 'Fn::GetAtt': [id(domain.bucket), 'Arn'] },
        Prefix: 'order_placed_v1/dt=!{partitionKeyFromLambda:dt}/',
        ErrorOutputPrefix: 'errors/order_placed_v1/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/',
        DynamicPartitioningConfiguration: { Enabled: true },
        CompressionFormat: 'UNCOMPRESSED',
        BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 128 },
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [id(domain.encryptionKey), 'Arn'] } } },
        DataFormatConversionConfiguration: {
          Enabled: true,
          InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
          OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
          SchemaConfiguration: {
            CatalogId: { Ref: 'AWS::AccountId' },
            DatabaseName: { Ref: id(domain.glueDatabase) },
            TableName: { Ref: id(v1.table) },
            Region: { Ref: 'AWS::Region' },
            RoleARN: { 'Fn::GetAtt': [id(v1.deliveryStreamRole), 'Arn'] },
            VersionId: 'LATEST',
          },
        },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'Lambda',
              Parameters: [
                { ParameterName: 'LambdaArn', ParameterValue: { 'Fn::GetAtt': [id(v1.processor), 'Arn'] } },
                { ParameterName: 'RoleArn', ParameterValue: { 'Fn::GetAtt': [id(v1.deliveryStreamRole), 'Arn'] } },
                { ParameterName: 'BufferSizeInMBs', ParameterValue: '1' },
                { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '60' },
                { ParameterName: 'NumberOfRetries', ParameterValue: '3' },
              ],
            },
          ],
        },
      }),
    });
  });

  it('logs to a log group encrypted with the domain key', () => {
    const logging = delivery(v1).Properties.ExtendedS3DestinationConfiguration.CloudWatchLoggingOptions;
    expect(logging.Enabled).toBe(true);
    const logGroup = template.findResources('AWS::Logs::LogGroup')[logging.LogGroupName.Ref];
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [id(domain.encryptionKey), 'Arn'] });
    expect(logGroup.Properties.RetentionInDays).toBe(365);
  });

  it('takes configured buffering and fractional processor buffers', () => {
    const destination = delivery(v2).Properties.ExtendedS3DestinationConfiguration;
    expect(destination.BufferingHints).toEqual({ IntervalInSeconds: 60, SizeInMBs: 64 });
    expect(destination.ProcessingConfiguration.Processors[0].Parameters.slice(2)).toEqual([
      { ParameterName: 'BufferSizeInMBs', ParameterValue: '0.25' },
      { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '30' },
      { ParameterName: 'NumberOfRetries', ParameterValue: '5' },
    ]);
  });

  it('is created only after its role policy, its table and its Lake Formation grant exist', () => {
    const dependsOn = delivery(v1).DependsOn as string[];
    expect(dependsOn).toEqual(
      expect.arrayContaining([
        stack.getLogicalId(v1.node.findChild('DeliveryPolicy').node.defaultChild as CfnElement),
        id(v1.table),
        stack.getLogicalId(v1.lakeFormation!.firehoseGrant),
      ]),
    );
  });

  it('leaves no unreferenced Firehose CIDR mapping behind (strict CloudFormation validation)', () => {
    expect(template.toJSON().Mappings ?? {}).toEqual({});
  });
});

describe('DataProduct processor', () => {
  it('runs on the latest Node.js runtime on ARM64 with its own log group and the processor metrics settings', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: latestNodeRuntime().name,
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 60,
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^OrderPlacedV1ProcessorLogs') } },
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: PROCESSOR_METRICS.service, POWERTOOLS_METRICS_NAMESPACE: PROCESSOR_METRICS.namespace } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Timeout: 120 });
  });

  it('may only write its own logs', () => {
    const role = id(v1.processor.role!);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrderPlacedV1ProcessorLogs/), 'Arn'] },
      },
    ]);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });
});

describe('DataProduct table', () => {
  const table = (product: DataProduct) => template.findResources('AWS::Glue::Table')[id(product.table)].Properties;

  it('is a Parquet table in the domain database with the contract columns', () => {
    const properties = table(v1);
    expect(properties.DatabaseName).toEqual({ Ref: id(domain.glueDatabase) });
    expect(properties.TableInput.Name).toBe('order_placed_v1');
    expect(properties.TableInput.TableType).toBe('EXTERNAL_TABLE');
    expect(properties.TableInput.StorageDescriptor).toMatchObject({
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      Location: { 'Fn::Join': ['', ['s3://', { Ref: id(domain.bucket) }, '/order_placed_v1/']] },
    });
    expect(properties.TableInput.StorageDescriptor.Columns).toEqual(
      orderPlacedV1.toGlueColumns().map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
    );
    expect(properties.TableInput.StorageDescriptor.Columns[2].Type).toBe('array<struct<sku:string,quantity:int,unit_price:decimal(10,2)>>');
    expect(properties.TableInput.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string', Comment: 'Event-time partition (yyyy-MM-dd) from placed_at' }]);
  });

  it('projects the dt partition (no crawler) onto the data prefix', () => {
    expect(table(v1).TableInput.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2020-01-01,NOW+24HOURS',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'storage.location.template': { 'Fn::Join': ['', ['s3://', { Ref: id(domain.bucket) }, '/order_placed_v1/dt=${dt}/']] },
    });
  });

  it('projects hourly partitions for an hourly contract', () => {
    expect(table(shipped).TableInput.Parameters).toMatchObject({
      'projection.dt.format': 'yyyy-MM-dd-HH',
      'projection.dt.range': '2020-01-01-00,NOW+24HOURS',
      'projection.dt.interval.unit': 'HOURS',
    });
  });

  it('starts the projection at the contract\'s partitionBy.since and ends it at its future tolerance', () => {
    const backfill = Contract.fromSpec({
      ...orderPlacedV1.spec,
      name: 'order_backfilled',
      partitionBy: { ...orderPlacedV1.spec.partitionBy, since: '2015-01-01', futureToleranceHours: 2 },
    });
    const other = new Stack(testApp(), 'backfill');
    const product = new DataProduct(other, 'OrderBackfilled', {
      domain: new DataDomain(other, 'Domain', { domainName: 'orders' }),
      contract: backfill,
      lakeFormation: false,
    });
    const properties = Template.fromStack(other).findResources('AWS::Glue::Table')[other.getLogicalId(product.table.node.defaultChild as CfnElement)].Properties;
    // 2019-06-01 (refused by the default contract) is inside this range.
    expect(properties.TableInput.Parameters).toMatchObject({ 'projection.dt.range': '2015-01-01,NOW+2HOURS' });
  });

  it('carries owner, contact, description, classification, SLA, contract version, deprecation and columns as parameters', () => {
    expect(table(v1).TableInput.Parameters).toMatchObject({
      classification: 'parquet',
      'mesh.product_id': 'orders.order_placed.v1',
      'mesh.mesh': 'shop',
      'mesh.owner': 'orders-team',
      'mesh.contact': 'orders-team@example.com',
      'mesh.description': 'An order a customer placed.',
      'mesh.classification': 'internal',
      'mesh.contract_version': '1',
      'mesh.sla.freshness_minutes': '15',
      'mesh.sla.retention_days': '365',
      'mesh.tags': 'sales',
      'mesh.deprecated.sunset': '2027-03-01',
      'mesh.deprecated.successor': 'orders.order_placed.v2',
      'mesh.partition.column': 'placed_at',
      'mesh.partition.granularity': 'day',
      'mesh.example_queries': JSON.stringify(orderPlacedV1.spec.exampleQueries),
      'mesh.pii_reasons': '{}',
    });
    expect(JSON.parse(table(v1).TableInput.Parameters['mesh.columns'])).toMatchObject({
      order_id: { required: true, primaryKey: true },
      total: { required: true },
    });
    expect(table(v2).TableInput.Parameters['mesh.deprecated.sunset']).toBeUndefined();
  });
});

describe('DataProduct versions side by side', () => {
  it('gives each major version its own stream, delivery stream, table, schema and role', () => {
    expect(v2.streamName).toBe('shop-orders-order_placed-v2');
    expect(v2.tableName).toBe('order_placed_v2');
    template.resourceCountIs('AWS::Kinesis::Stream', 3);
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 3);
    template.resourceCountIs('AWS::Glue::Table', 3);
    template.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'order_placed_v1' }) });
    template.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'order_placed_v2' }) });
    template.hasResourceProperties('AWS::Glue::Schema', { Name: 'order_placed_v1' });
    template.hasResourceProperties('AWS::Glue::Schema', { Name: 'order_placed_v2' });
    expect(id(v1.deliveryStreamRole)).not.toBe(id(v2.deliveryStreamRole));
  });

  it('marks the deprecated version in its tags and manifest entry', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'shop-orders-order_placed-v1',
      Tags: Match.arrayWith([
        { Key: 'mesh:deprecated-sunset', Value: '2027-03-01' },
        { Key: 'mesh:successor', Value: 'orders.order_placed.v2' },
      ]),
    });
    expect(v1.entry.contract.deprecated).toEqual({ sunset: '2027-03-01', successor: 'orders.order_placed.v2' });
    expect(v2.entry.contract.deprecated).toBeUndefined();
  });
});

describe('DataProduct schema registry', () => {
  it('registers one JSON schema per product version with BACKWARD compatibility in the domain registry', () => {
    template.resourceCountIs('AWS::Glue::Registry', 1);
    template.resourceCountIs('AWS::Glue::Schema', 3);
    const schema = template.findResources('AWS::Glue::Schema')[stack.getLogicalId(v1.schema)];
    expect(schema.Properties).toMatchObject({
      Name: 'order_placed_v1',
      DataFormat: 'JSON',
      Compatibility: 'BACKWARD',
      Registry: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(domain.schemaRegistry), 'Arn'] } },
    });
    // The definition lives in schema versions: a Schema's own definition cannot be updated in place.
    expect(schema.Properties.SchemaDefinition).toBeUndefined();
  });

  it("holds the contract's JSON Schema, valid under draft-07, in a retained schema version", () => {
    const version = template.findResources('AWS::Glue::SchemaVersion')[stack.getLogicalId(v1.schemaVersion)];
    expect(version.Properties.Schema).toEqual({ SchemaArn: { 'Fn::GetAtt': [stack.getLogicalId(v1.schema), 'Arn'] } });
    expect(version.DeletionPolicy).toBe('Retain');
    const definition = JSON.parse(version.Properties.SchemaDefinition);
    expect(definition).toEqual({ ...orderPlacedV1.toJsonSchema(), $schema: REGISTRY_JSON_SCHEMA_DIALECT });
    const ajv = new Ajv({ strict: true, allErrors: true, validateFormats: false });
    expect(ajv.validateSchema(definition), JSON.stringify(ajv.errors)).toBe(true);
    const validate = ajv.compile(definition);
    expect(validate({ order_id: 'o-1', customer_id: 'c-1', line_items: [], total: '1.00', currency: 'EUR', placed_at: '2026-11-21T10:00:00Z' })).toBe(true);
    expect(validate({ order_id: 'o-1' })).toBe(false);
  });

  it('registers a new schema version when the contract changes (and keeps the old one)', () => {
    const versionId = (description: string) => {
      const s = new Stack(testApp(), 'orders');
      const d = new DataDomain(s, 'Domain', { domainName: 'orders' });
      const p = new DataProduct(s, 'OrderPlaced', { domain: d, contract: orderShippedWith(description), lakeFormation: false });
      return p.schemaVersion.node.id;
    };
    expect(versionId('An order left the warehouse.')).toBe(versionId('An order left the warehouse.'));
    expect(versionId('An order left the warehouse.')).not.toBe(versionId('A parcel left the warehouse.'));
  });
});

describe('DataProduct least privilege', () => {
  it('gives the Firehose role exactly what delivery needs', () => {
    const bucketArn = { 'Fn::GetAtt': [id(domain.bucket), 'Arn'] };
    const keyArn = { 'Fn::GetAtt': [id(domain.encryptionKey), 'Arn'] };
    const processorArn = { 'Fn::GetAtt': [id(v1.processor), 'Arn'] };
    const glueArn = (resource: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
    });
    const policy = template.findResources('AWS::IAM::Policy')[stack.getLogicalId(v1.node.findChild('DeliveryPolicy').node.defaultChild as CfnElement)];
    expect(policy.Properties.Roles).toEqual([{ Ref: id(v1.deliveryStreamRole) }]);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'ReadSourceStream',
        Effect: 'Allow',
        Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
        Resource: { 'Fn::GetAtt': [id(v1.stream), 'Arn'] },
      },
      {
        Sid: 'DecryptSourceStream',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['kinesis.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      },
      {
        Sid: 'ReadTableSchema',
        Effect: 'Allow',
        Action: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        Resource: [glueArn('catalog'), glueArn('database/orders'), glueArn('table/orders/order_placed_v1')],
      },
      {
        Sid: 'InvokeProcessor',
        Effect: 'Allow',
        Action: ['lambda:GetFunctionConfiguration', 'lambda:InvokeFunction'],
        Resource: [processorArn, { 'Fn::Join': ['', [processorArn, ':*']] }],
      },
      {
        Sid: 'LocateBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: bucketArn,
      },
      {
        Sid: 'WriteDataAndErrors',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: [
          { 'Fn::Join': ['', [bucketArn, '/errors/order_placed_v1/*']] },
          { 'Fn::Join': ['', [bucketArn, '/order_placed_v1/*']] },
        ],
      },
      {
        Sid: 'EncryptObjects',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      },
      {
        Sid: 'WriteDeliveryLogs',
        Effect: 'Allow',
        Action: 'logs:PutLogEvents',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrderPlacedV1DeliveryLogs/), 'Arn'] },
      },
    ]);
  });

  it('trusts only Firehose, with the account as external id', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' }, Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } } },
        ],
      },
    });
  });

  it('has no "*" resource, and wildcards only where AWS requires a pattern (object keys, versions, log streams)', () => {
    const productRoles = new Set([v1, v2, shipped].flatMap((p) => [id(p.deliveryStreamRole), id(p.processor.role!)]));
    productRoles.add(id(domain.registrationRole));
    const allowedPatterns = [/\/order_placed_v[12]\/\*$/, /\/errors\/order_placed_v[12]\/\*$/, /\/order_shipped_v1\/\*$/, /\/errors\/order_shipped_v1\/\*$/, /^:\*$/, /^\/\*$/];
    let checked = 0;
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      const roles = (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref);
      if (!roles.some((r) => productRoles.has(r))) continue;
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        for (const resource of [statement.Resource].flat()) {
          checked++;
          expect(resource, JSON.stringify(statement)).not.toBe('*');
          const literalParts = typeof resource === 'string' ? [resource] : ((resource['Fn::Join']?.[1] ?? []) as unknown[]).filter((x) => typeof x === 'string');
          for (const part of literalParts as string[]) {
            if (part.includes('*')) expect(allowedPatterns.some((p) => p.test(part)), `${part} in ${JSON.stringify(statement)}`).toBe(true);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('DataProduct grants', () => {
  const statementsOf = (role: iam.Role) =>
    Object.values(template.findResources('AWS::IAM::Policy')).find((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === id(role)))!
      .Properties.PolicyDocument.Statement;

  it('grantWrite: PutRecord(s) on the stream and a data key from the domain key', () => {
    expect(statementsOf(producer)).toEqual([
      {
        Effect: 'Allow',
        Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'],
        Resource: { 'Fn::GetAtt': [id(v1.stream), 'Arn'] },
      },
      { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [id(domain.encryptionKey), 'Arn'] } },
    ]);
  });

  it('grantReadStream: GetRecords and friends on the stream and Decrypt on the domain key', () => {
    expect(statementsOf(reader)).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamConsumer',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:ListShards',
          'kinesis:SubscribeToShard',
        ],
        Resource: { 'Fn::GetAtt': [id(v1.stream), 'Arn'] },
      },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [id(domain.encryptionKey), 'Arn'] } },
    ]);
  });
});

describe('DataProduct metrics', () => {
  it('measures the stream, the delivery and the processor of the product', () => {
    expect(stack.resolve(v1.metricIncomingRecords())).toMatchObject({
      namespace: 'AWS/Kinesis',
      metricName: 'IncomingRecords',
      dimensions: { StreamName: 'shop-orders-order_placed-v1' },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    expect(v1.metricDeliveryFreshness()).toMatchObject({
      namespace: 'AWS/Firehose',
      metricName: 'DeliveryToS3.DataFreshness',
      dimensions: { DeliveryStreamName: 'shop-orders-order_placed-v1' },
      statistic: 'Maximum',
    });
    expect(v1.metricFormatConversionFailures()).toMatchObject({ metricName: 'FailedConversion.Records', statistic: 'Sum' });
    expect(v1.metricProcessingFailures({ period: Duration.minutes(1) })).toMatchObject({
      namespace: 'DataMesh',
      metricName: 'RecordsFailed',
      dimensions: { service: 'firehose-processor', product: 'orders.order_placed.v1' },
      period: Duration.minutes(1),
    });
    expect(v1.metricDroppedRecords().metricName).toBe('RecordsDropped');
    expect(v1.metricProcessedRecords().metricName).toBe('RecordsOk');
    expect(v1.metricDeliveredRecords().metricName).toBe('DeliveryToS3.Records');
    expect(v1.metricIncomingBytes().metricName).toBe('IncomingBytes');
  });
});

describe('DataProduct manifest and lineage', () => {
  it('records its manifest entry on the construct', () => {
    const entries = v1.node.metadata.filter((m) => m.type === MANIFEST_METADATA_TYPE).map((m) => m.data as ProductEntry);
    expect(entries).toEqual([
      {
        kind: 'product',
        id: 'orders.order_placed.v1',
        mesh: 'shop',
        path: 'orders/OrderPlacedV1',
        stackName: 'orders',
        contract: orderPlacedV1.spec,
        physical: {
          streamName: 'shop-orders-order_placed-v1',
          deliveryStreamName: 'shop-orders-order_placed-v1',
          databaseName: 'orders',
          tableName: 'order_placed_v1',
          dataPrefix: 'order_placed_v1/',
          errorPrefix: 'errors/order_placed_v1/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/',
        },
      },
    ]);
    expect(shipped.entry.transformEntry).toBe(path.relative(process.cwd(), TRANSFORM));
  });

  it('writes the entry into the cloud assembly', () => {
    const assembly = (stack.node.root as ReturnType<typeof testApp>).synth();
    const records = assembly.getStackArtifact('orders').findMetadataByType(MANIFEST_METADATA_TYPE);
    const products = records.filter((r) => (r.data as unknown as ProductEntry).kind === 'product');
    expect(products.map((r) => [r.path, (r.data as unknown as ProductEntry).id])).toEqual([
      ['/orders/OrderPlacedV1', 'orders.order_placed.v1'],
      ['/orders/OrderPlacedV2', 'orders.order_placed.v2'],
      ['/orders/OrderShipped', 'orders.order_shipped.v1'],
    ]);
    // grantReadStream records the read like a table grant, under the reader role's construct path.
    expect(records.filter((r) => !products.includes(r)).map((r) => [r.path, r.data])).toEqual([
      ['/orders/Reader', { kind: 'grant', product: 'orders.order_placed.v1', consumer: 'orders/Reader', permissions: ['STREAM_READ'], excludedColumns: [] }],
    ]);
  });

  it('records lineage of a derived product in the manifest and the table parameters, once', () => {
    const s = new Stack(testApp(), 'marketing');
    const d = new DataDomain(s, 'Domain', { domainName: 'orders' });
    const p = new DataProduct(s, 'OrderShipped', { domain: d, contract: orderShipped, lakeFormation: false });
    p.addLineage({ kind: 'stream', from: ['orders.order_placed.v1'], handlerEntry: 'lib/reference/x.ts' });
    expect(p.entry.source).toEqual({ kind: 'stream', from: ['orders.order_placed.v1'], handlerEntry: 'lib/reference/x.ts' });
    Template.fromStack(s).hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({ Parameters: Match.objectLike({ 'mesh.derived_from': 'orders.order_placed.v1', 'mesh.derivation': 'stream' }) }),
    });
    expect(() => p.addLineage({ kind: 'sql', from: ['a.b.v1'], sql: 'SELECT 1', schedule: 'rate(1 day)' })).toThrow(
      '[marketing/OrderShipped] orders.order_shipped.v1 already has a source (stream from orders.order_placed.v1): a product is derived by one pipeline at most.',
    );
  });

  it('publishes the PII grant reasons the governance module records on it', () => {
    const s = new Stack(testApp(), 'accounts2');
    const d = new DataDomain(s, 'Domain', { domainName: 'orders' });
    const p = new DataProduct(s, 'OrderShipped', { domain: d, contract: orderShipped, lakeFormation: false });
    p.node.addMetadata(PII_ACCESS_METADATA_TYPE, { consumer: 'marketing', grantPath: 'x', columns: ['email'], reason: 'Campaigns.' });
    Template.fromStack(s).hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({ Parameters: Match.objectLike({ 'mesh.pii_reasons': '{"marketing":"Campaigns."}' }) }),
    });
  });
});

describe('DataProduct grantReadStream with PII (issue 15)', () => {
  it('records the reason like a table grant: manifest entry on the reader, reason in the table parameters', () => {
    const app = testApp();
    const s = new Stack(app, 'accounts');
    const d = new DataDomain(s, 'Domain', { domainName: 'accounts' });
    const p = new DataProduct(s, 'CustomerRegistered', { domain: d, contract: customerRegistered, lakeFormation: false });
    const mailer = new iam.Role(s, 'Mailer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    p.grantReadStream(mailer, { pii: { columns: ['email'], reason: 'Sends the welcome e-mail at sign-up.' }, consumerName: 'welcome-mailer' });
    Template.fromStack(s).hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({ Parameters: Match.objectLike({ 'mesh.pii_reasons': '{"welcome-mailer":"Sends the welcome e-mail at sign-up."}' }) }),
    });
    const grants = app.synth().getStackArtifact('accounts').findMetadataByType(MANIFEST_METADATA_TYPE).filter((r) => r.path === '/accounts/Mailer');
    expect(grants.map((r) => r.data)).toEqual([
      { kind: 'grant', product: 'accounts.customer_registered.v1', consumer: 'welcome-mailer', permissions: ['STREAM_READ'], excludedColumns: [], piiReason: 'Sends the welcome e-mail at sign-up.' },
    ]);
  });
});

describe('DataProduct Lake Formation', () => {
  it('grants the Firehose role DESCRIBE and SELECT on its table', () => {
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [id(v1.deliveryStreamRole), 'Arn'] } },
      Resource: { Table: Match.objectLike({ DatabaseName: 'orders', Name: 'order_placed_v1' }) },
      Permissions: ['DESCRIBE', 'SELECT'],
    });
    expect(shipped.lakeFormation).toBeUndefined();
  });
});

describe('DataProduct retention', () => {
  it('retains stream, table, schema and log groups by default', () => {
    for (const product of [v1, v2, shipped]) {
      for (const construct of [product.stream.node.defaultChild, product.table.node.defaultChild, product.schema, product.schemaVersion]) {
        const logicalId = stack.getLogicalId(construct as CfnElement);
        const resource = template.toJSON().Resources[logicalId];
        expect(resource.DeletionPolicy, logicalId).toBe('Retain');
        expect(resource.UpdateReplacePolicy, logicalId).toBe('Retain');
      }
    }
    for (const [logicalId, logGroup] of Object.entries(template.findResources('AWS::Logs::LogGroup'))) {
      if (logicalId.startsWith('OrderPlaced') || logicalId.startsWith('OrderShipped')) expect(logGroup.DeletionPolicy, logicalId).toBe('Retain');
    }
  });

  it('deletes them on an explicit DESTROY and warns naming the construct; acknowledging lets a strict synth pass', () => {
    const lenient = new Stack(testApp({ '@aws-cdk/core:annotationsInValidationReport': false }), 'orders');
    const d = new DataDomain(lenient, 'Domain', { domainName: 'orders' });
    const p = new DataProduct(lenient, 'OrderShipped', { domain: d, contract: orderShipped, lakeFormation: false, removalPolicy: RemovalPolicy.DESTROY });
    const t = Template.fromStack(lenient);
    expect(t.toJSON().Resources[lenient.getLogicalId(p.stream.node.defaultChild as CfnElement)].DeletionPolicy).toBe('Delete');
    expect(t.toJSON().Resources[lenient.getLogicalId(p.table.node.defaultChild as CfnElement)].DeletionPolicy).toBe('Delete');
    Annotations.fromStack(lenient).hasWarning(
      '/orders/OrderShipped',
      Match.stringLikeRegexp('^DataProduct orders/OrderShipped \\(orders.order_shipped.v1\\) has removalPolicy DESTROY'),
    );

    const strict = new Stack(testApp(), 'orders');
    const sd = new DataDomain(strict, 'Domain', { domainName: 'orders' });
    const sp = new DataProduct(strict, 'OrderShipped', { domain: sd, contract: orderShipped, lakeFormation: false, removalPolicy: RemovalPolicy.DESTROY });
    expect(() => (strict.node.root as ReturnType<typeof testApp>).synth()).toThrow(/Acknowledge with 'Annotation::cdk-data-mesh:product-removal-policy-destroy'/);
    const acknowledged = new Stack(testApp(), 'orders');
    const ad = new DataDomain(acknowledged, 'Domain', { domainName: 'orders' });
    const ap = new DataProduct(acknowledged, 'OrderShipped', { domain: ad, contract: orderShipped, lakeFormation: false, removalPolicy: RemovalPolicy.DESTROY });
    Validations.of(ap).acknowledge({ id: PRODUCT_DESTROY_WARNING, reason: 'Throw-away test environment.' });
    expect(() => Template.fromStack(acknowledged)).not.toThrow();
    expect(sp.removalPolicy).toBe(RemovalPolicy.DESTROY);
  });

  it('inherits a DESTROY domain without a second warning', () => {
    const s = new Stack(testApp({ '@aws-cdk/core:annotationsInValidationReport': false }), 'orders');
    const d = new DataDomain(s, 'Domain', { domainName: 'orders', removalPolicy: RemovalPolicy.DESTROY });
    const p = new DataProduct(s, 'OrderShipped', { domain: d, contract: orderShipped, lakeFormation: false });
    expect(p.removalPolicy).toBe(RemovalPolicy.DESTROY);
    Annotations.fromStack(s).hasNoWarning('/orders/OrderShipped', Match.anyValue());
  });
});

function orderShippedWith(description: string): Contract {
  return Contract.fromSpec({ ...orderShipped.spec, description });
}
