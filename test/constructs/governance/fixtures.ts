/**
 * Test stand-ins for the domain team's constructs: a product that owns a Glue table, a Firehose role and
 * a stream, records its manifest entry and is put under Lake Formation with `ProductLakeFormation`, the
 * way `DataProduct` does. Lets the governance tests run without the product's Lambda bundling.
 */
import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Contract, col, type ContractProps } from '../../../constructs/contract';
import { ProductLakeFormation } from '../../../constructs/governance/product-lake-formation';
import { MANIFEST_METADATA_TYPE, type ProductEntry } from '../../../constructs/manifest/manifest';
import * as naming from '../../../constructs/naming/naming';
import type { IMeshConsumer } from '../../../constructs/consumer/types';
import { grantProductRead, type ProductReadGrant } from '../../../constructs/governance/grants';
import type { GrantReadOptions, IDataProduct } from '../../../constructs/product/types';

export const MESH = 'shop';

export const customerRegistered: ContractProps = {
  name: 'customer_registered',
  domain: 'accounts',
  version: 1,
  owner: { team: 'accounts-team', contact: 'accounts-team@example.com' },
  description: 'A customer created an account.',
  sla: { freshnessMinutes: 30, retentionDays: 730 },
  columns: {
    customer_id: col.string({ required: true, primaryKey: true, description: 'Customer identifier.' }),
    email: col.string({ required: true, classification: 'pii', description: 'E-mail address given at sign-up.' }),
    country: col.string({ required: true, description: 'ISO 3166-1 alpha-2 country code.' }),
    registered_at: col.timestamp({ required: true, description: 'When the account was created (UTC).' }),
  },
  partitionBy: { column: 'registered_at' },
};

export const orderPlaced: ContractProps = {
  name: 'order_placed',
  domain: 'orders',
  version: 1,
  owner: { team: 'orders-team', contact: 'orders-team@example.com' },
  description: 'An order a customer placed in the web shop.',
  sla: { retentionDays: 365 },
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order identifier.' }),
    customer_id: col.string({ required: true, description: 'The customer who placed the order.' }),
    total: col.decimal(12, 2, { required: true, description: 'Order total.' }),
    placed_at: col.timestamp({ required: true, description: 'When the order was placed (UTC).' }),
  },
  partitionBy: { column: 'placed_at' },
};

export interface StubProductProps {
  readonly contract: ContractProps;
  /** @default MESH */
  readonly meshName?: string;
  /** Put the product under Lake Formation (bundles the custom-resource handler once per stack). @default true */
  readonly lakeFormation?: boolean;
}

/** A product with the public surface of `DataProduct` (IDataProduct), for governance tests. */
export class StubProduct extends Construct implements IDataProduct {
  public readonly contract: Contract;
  public readonly productId: string;
  public readonly meshName: string;
  public readonly domainName: string;
  public readonly productName: string;
  public readonly version: number;
  public readonly databaseName: string;
  public readonly tableName: string;
  public readonly stream: kinesis.Stream;
  public readonly encryptionKey: kms.Key;
  public readonly deliveryStreamRole: iam.Role;
  public readonly table: glue.CfnTable;
  public readonly lakeFormation?: ProductLakeFormation;

  constructor(scope: Construct, id: string, props: StubProductProps) {
    super(scope, id);
    this.contract = Contract.of(props.contract);
    this.meshName = props.meshName ?? MESH;
    this.domainName = this.contract.domain;
    this.productName = this.contract.name;
    this.version = this.contract.version;
    this.productId = this.contract.id;
    this.databaseName = naming.databaseName(this.domainName);
    this.tableName = naming.tableName(this.productName, this.version);
    this.encryptionKey = new kms.Key(this, 'Key', { enableKeyRotation: true });
    this.stream = new kinesis.Stream(this, 'Stream', { encryptionKey: this.encryptionKey });
    this.deliveryStreamRole = new iam.Role(this, 'DeliveryRole', { assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com') });
    const stack = Stack.of(this);
    const database = singletonDatabase(stack, this.databaseName);
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        storageDescriptor: { columns: this.contract.toGlueColumns().map((c) => ({ name: c.name, type: c.type })) },
      },
    });
    this.table.node.addDependency(database);
    if (props.lakeFormation ?? true) {
      this.lakeFormation = new ProductLakeFormation(this, 'LakeFormation', {
        meshName: this.meshName,
        domainName: this.domainName,
        databaseName: this.databaseName,
        tableName: this.tableName,
        contract: this.contract.spec,
        table: this.table,
        database,
        firehoseRole: this.deliveryStreamRole,
      });
    }
    const entry: ProductEntry = {
      kind: 'product',
      id: this.productId,
      mesh: this.meshName,
      path: this.node.path,
      stackName: stack.stackName,
      contract: this.contract.spec,
      physical: {
        streamName: naming.streamName({ mesh: this.meshName, domain: this.domainName, product: this.productName, version: this.version }),
        deliveryStreamName: naming.deliveryStreamName({ mesh: this.meshName, domain: this.domainName, product: this.productName, version: this.version }),
        databaseName: this.databaseName,
        tableName: this.tableName,
        dataPrefix: naming.dataPrefix(this.productName, this.version),
        errorPrefix: naming.errorPrefix(this.productName, this.version),
      },
    };
    this.node.addMetadata(MANIFEST_METADATA_TYPE, entry);
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

function singletonDatabase(stack: Stack, name: string): glue.CfnDatabase {
  const id = `Database-${name}`;
  return (
    (stack.node.tryFindChild(id) as glue.CfnDatabase | undefined) ??
    new glue.CfnDatabase(stack, id, { catalogId: stack.account, databaseInput: { name } })
  );
}
