import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, type IConstruct } from 'constructs';
import type { IMeshConsumer } from '../consumer/types';
import { MANIFEST_METADATA_TYPE, type GrantEntry } from '../manifest/manifest';
import type { GrantReadOptions, IDataProduct } from '../product/types';
import { MeshGovernanceError } from './errors';
import { acknowledge, FINDINGS } from './private/compliance';
import { catalogId, databaseResource, idOf, principalPermissions, singleton, tableResource } from './private/lake-formation';
import { registerLfTagUser, type ILfTagUser } from './product-lake-formation';

/**
 * Metadata a PII grant leaves on the product it reads (besides the grant's own manifest entry), so the
 * product's construct tree says who reads its personal data and why.
 */
export const PII_ACCESS_METADATA_TYPE = 'cdk-data-mesh:pii-access';

export interface PiiAccessRecord {
  readonly consumer: string;
  /** Path of the grant construct. */
  readonly grantPath: string;
  readonly columns: readonly string[];
  readonly reason: string;
}

/** Glue reads a consumer needs on a granted table (Lake Formation still decides what it sees). */
const GLUE_TABLE_READ_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetTableVersion',
  'glue:GetTableVersions',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
];

/** What a product read grant gives, in Lake Formation terms. */
export const PRODUCT_READ_PERMISSIONS = ['SELECT', 'DESCRIBE'] as const;

/**
 * Lets `consumer` read `product` through Lake Formation:
 *
 * - DESCRIBE on the product's database (once per consumer and database) and on its table;
 * - SELECT on the table's columns **except the PII columns** of the contract
 *   (`TableWithColumns` + `ColumnWildcard.ExcludedColumnNames`), unless `options.pii.reason` says why
 *   this consumer needs them: then every column, and the reason is recorded in the grant's manifest
 *   entry and in the product's metadata;
 * - the Glue reads on that table and `lakeformation:GetDataAccess` in the consumer role's IAM policy.
 *
 * The grants live in the consumer (its stack), chained after the Lake Formation resources created
 * before them, and wait for the product's own resources (a stack dependency when they are in
 * different stacks of one app).
 *
 * @example
 * grantProductRead(customerRegistered, management);                        // no email
 * grantProductRead(customerRegistered, marketing, { pii: { reason: 'Newsletter sign-up campaigns (consent recorded at sign-up).' } });
 */
export function grantProductRead(product: IDataProduct, consumer: IMeshConsumer, options: GrantReadOptions = {}): ProductReadGrant {
  const id = idOf(`Read-${product.productId}`);
  const existing = consumer.node.tryFindChild(id);
  if (existing !== undefined) {
    throw new MeshGovernanceError(
      consumer,
      `Consumer "${consumer.consumerName}" is already granted ${product.productId} (at "${existing.node.path}"): grant each product once per consumer (pass { pii: { reason } } in that one grant if PII is needed).`,
    );
  }
  return new ProductReadGrant(consumer, id, { product, consumer, options });
}

interface ProductReadGrantProps {
  readonly product: IDataProduct;
  readonly consumer: IMeshConsumer;
  readonly options: GrantReadOptions;
}

/**
 * The Lake Formation grants of one consumer on one product (see `grantProductRead`).
 *
 * Uses no LF-Tag itself, but registers as a tag user so that, in an app with a `MeshGovernance`, its
 * grants wait for the governance (its Lake Formation admin settings): the role that deploys them must
 * be an LF admin first, even when the product is only referenced by name.
 */
export class ProductReadGrant extends Construct implements ILfTagUser {
  public readonly meshName: string;
  public readonly lfTagDomains: readonly string[] = [];
  public readonly lfTagClassifications: readonly string[] = [];
  public readonly lfTagResources: readonly IConstruct[];
  /** DESCRIBE on the product's database (shared by the consumer's grants on that database). */
  public readonly databaseDescribe: lakeformation.CfnPrincipalPermissions;
  /** DESCRIBE on the table. */
  public readonly tableDescribe: lakeformation.CfnPrincipalPermissions;
  /** SELECT on the table's columns, PII excluded unless granted with a reason. */
  public readonly select: lakeformation.CfnPrincipalPermissions;
  /** Columns withheld from this consumer. */
  public readonly excludedColumns: readonly string[];
  /** The manifest entry (`kind: 'grant'`). */
  public readonly entry: GrantEntry;

  constructor(scope: Construct, id: string, props: ProductReadGrantProps) {
    super(scope, id);
    const { product, consumer, options } = props;
    this.meshName = consumer.meshName;
    if (product.meshName !== consumer.meshName) {
      throw new MeshGovernanceError(
        this,
        `Product ${product.productId} belongs to mesh "${product.meshName}" but consumer "${consumer.consumerName}" to mesh "${consumer.meshName}": grant only products of the consumer's own mesh (or share across meshes outside the mesh constructs).`,
      );
    }
    const reason = options.pii?.reason;
    if (options.pii !== undefined && (typeof reason !== 'string' || reason.trim() === '')) {
      throw new MeshGovernanceError(
        this,
        `PII grant of ${product.productId} to "${consumer.consumerName}" has an empty reason: say why this consumer needs personal data, e.g. { pii: { reason: 'Newsletter campaigns to customers who opted in.' } }, or drop the pii option to leave the PII columns out.`,
      );
    }
    if (product.contract === undefined) {
      throw new MeshGovernanceError(
        this,
        `Product ${product.productId} has no contract here (referenced by name), so its PII columns are unknown: pass its contract when referencing it, or grant by LF-Tags with governance.grantByTags(consumer, { domain: ['${product.domainName}'], classification: [...] }).`,
      );
    }
    const piiColumns = product.contract.piiColumns;
    this.excludedColumns = options.pii === undefined ? piiColumns : [];

    const principal = consumer.role;
    this.databaseDescribe = singleton(consumer as unknown as Construct, idOf(`DescribeDatabase-${product.databaseName}`), () =>
      principalPermissions(consumer as unknown as Construct, idOf(`DescribeDatabase-${product.databaseName}`), {
        principal,
        resource: databaseResource(this, product.databaseName),
        permissions: ['DESCRIBE'],
      }),
    );
    this.tableDescribe = principalPermissions(this, 'DescribeTable', {
      principal,
      resource: tableResource(this, product.databaseName, product.tableName),
      permissions: ['DESCRIBE'],
    });
    this.select = principalPermissions(this, 'Select', {
      principal,
      resource: {
        tableWithColumns: {
          catalogId: catalogId(this),
          databaseName: product.databaseName,
          name: product.tableName,
          columnWildcard: this.excludedColumns.length > 0 ? { excludedColumnNames: [...this.excludedColumns] } : {},
        },
      },
      permissions: ['SELECT'],
    });
    if (!isAncestorOrSelf(product, this)) {
      // Wait for the product's table, tags and IAM_ALLOWED_PRINCIPALS removal (no-op for a product referenced by name).
      this.databaseDescribe.node.addDependency(product);
      this.node.addDependency(product);
    }

    this.grantGlueReads(principal, product);
    this.lfTagResources = [this.databaseDescribe, this.tableDescribe, this.select];
    registerLfTagUser(this);

    this.entry = {
      kind: 'grant',
      product: product.productId,
      consumer: consumer.consumerName,
      permissions: [...PRODUCT_READ_PERMISSIONS],
      excludedColumns: [...this.excludedColumns],
      ...(reason !== undefined && { piiReason: reason }),
    };
    this.node.addMetadata(MANIFEST_METADATA_TYPE, this.entry);
    if (reason !== undefined) {
      const record: PiiAccessRecord = { consumer: consumer.consumerName, grantPath: this.node.path, columns: piiColumns, reason };
      product.node.addMetadata(PII_ACCESS_METADATA_TYPE, record);
    }
  }

  private grantGlueReads(principal: iam.IRole, product: IDataProduct): void {
    const stack = Stack.of(this);
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: GLUE_TABLE_READ_ACTIONS,
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: product.databaseName }),
          stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${product.databaseName}/${product.tableName}` }),
        ],
      }),
    );
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lakeformation:GetDataAccess'],
        // No resource-level permissions for GetDataAccess ("*" is what AWS requires); the LF grants above decide.
        resources: ['*'],
      }),
    );
    acknowledge(principal, {
      [FINDINGS.iamWildcardResource]:
        'lakeformation:GetDataAccess has no resource-level IAM permissions; Lake Formation grants decide which data the vended credentials open.',
    });
  }
}

function isAncestorOrSelf(ancestor: IConstruct, node: IConstruct): boolean {
  return node.node.scopes.includes(ancestor);
}
