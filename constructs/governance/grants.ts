import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, type IConstruct } from 'constructs';
import type { IMeshConsumer } from '../consumer/types';
import { MANIFEST_METADATA_TYPE, type GrantEntry } from '../manifest/manifest';
import type { GrantReadOptions, IDataProductRef } from '../product/data-product-ref';
import { MeshGovernanceError } from './errors';
import { acknowledge } from '../compliance/acknowledge';
import { FINDINGS } from '../private/findings';
import { catalogId, databaseResource, idOf, principalPermissions, singleton, tableResource } from './private/lake-formation';
import { grantQualityResults } from './private/quality-results-grant';
import { registerLfTagUser, type ILfTagUser } from './product-lake-formation';
import { crossAccountReadOf, resourceLink, shareProductWithAccount, type AccountShare, type CrossAccountRead } from './cross-account';

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
 * - SELECT on an allow-list of columns (`TableWithColumns.ColumnNames`), computed from the contract at
 *   synth: every non-PII column (partition keys included), plus the PII columns that `options.pii.columns`
 *   names with `options.pii.reason` (recorded in the grant's manifest entry and the product's metadata).
 *   A column added to the contract later is granted on the next synth if it is not PII, and only when a
 *   grant names it if it is;
 * - the Glue reads on that table and `lakeformation:GetDataAccess` in the consumer role's IAM policy.
 *
 * The grants live in the consumer (its stack), chained after the Lake Formation resources created
 * before them, and wait for the product's own resources (a stack dependency when they are in
 * different stacks of one app).
 *
 * @example
 * grantProductRead(customerRegistered, management);                        // no email
 * grantProductRead(customerRegistered, marketing, { pii: { columns: ['email'], reason: 'Newsletter sign-up campaigns (consent recorded at sign-up).' } });
 */
export function grantProductRead(product: IDataProductRef, consumer: IMeshConsumer, options: GrantReadOptions = {}): ProductReadGrant {
  const id = idOf(`Read-${product.productId}`);
  const existing = consumer.node.tryFindChild(id);
  if (existing !== undefined) {
    throw new MeshGovernanceError(
      consumer,
      `Consumer "${consumer.consumerName}" is already granted ${product.productId} (at "${existing.node.path}"): grant each product once per consumer (pass { pii: { columns, reason } } in that one grant if PII is needed).`,
    );
  }
  return new ProductReadGrant(consumer, id, { product, consumer, options });
}

interface ProductReadGrantProps {
  readonly product: IDataProductRef;
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
  /** SELECT on the table's columns, an allow-list: PII columns only when named with a reason. */
  public readonly select: lakeformation.CfnPrincipalPermissions;
  /** Columns withheld from this consumer (the PII columns the grant does not name). */
  public readonly excludedColumns: readonly string[];
  /** Columns the SELECT grant names: every non-PII column of the contract (partition keys included) and the PII columns granted. */
  public readonly columnNames: readonly string[];
  /** The manifest entry (`kind: 'grant'`). */
  public readonly entry: GrantEntry;
  /** The accounts, when the product and the consumer are in different ones. */
  public readonly crossAccount?: CrossAccountRead;
  /** Across accounts: the producer's grants to the consumer's account (in the producer's stack). */
  public readonly share?: AccountShare;
  /** Across accounts: the resource link to the product's database in the consumer's catalog. */
  public readonly link?: glue.CfnDatabase;
  /** Across accounts: DESCRIBE on the resource link (shared by the consumer's grants on that database). */
  public readonly linkDescribe?: lakeformation.CfnPrincipalPermissions;

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
    if (product.contract === undefined) {
      throw new MeshGovernanceError(
        this,
        `Product ${product.productId} has no contract here (referenced by name), so its PII columns are unknown: pass its contract when referencing it, or grant by LF-Tags with governance.grantByTags(consumer, { domain: ['${product.domainName}'], classification: [...] }).`,
      );
    }
    const piiColumns = product.contract.piiColumns;
    const granted = grantedPiiColumns(this, product, consumer, options);
    const reason = options.pii?.reason;
    this.excludedColumns = piiColumns.filter((column) => !granted.includes(column));
    this.columnNames = [...product.contract.toGlueColumns(), ...product.contract.toGluePartitionKeys()]
      .map((column) => column.name)
      .filter((column) => !this.excludedColumns.includes(column));

    const principal = consumer.role;
    // Across accounts: the producer shares these columns with the consumer's account (grant option), which
    // links to the database and re-grants below, on the producer's catalog (see ./cross-account.ts).
    this.crossAccount = crossAccountReadOf(this, product, consumer);
    const catalog = this.crossAccount?.producerAccount ?? catalogId(this);
    const linkResources: IConstruct[] = [];
    if (this.crossAccount !== undefined) {
      const share = shareProductWithAccount(this.crossAccount.producer as IDataProductRef, this.crossAccount.consumerAccount, this.columnNames);
      this.link = resourceLink(consumer, this.crossAccount, product.databaseName);
      this.linkDescribe = singleton(consumer as unknown as Construct, idOf(`DescribeLink-${product.databaseName}`), () => {
        const grant = principalPermissions(consumer as unknown as Construct, idOf(`DescribeLink-${product.databaseName}`), {
          principal,
          resource: databaseResource(this, product.databaseName),
          permissions: ['DESCRIBE'],
        });
        grant.node.addDependency(this.link!);
        return grant;
      });
      linkResources.push(this.linkDescribe);
      this.share = share;
    }
    this.databaseDescribe = singleton(consumer as unknown as Construct, idOf(`DescribeDatabase-${product.databaseName}`), () =>
      principalPermissions(consumer as unknown as Construct, idOf(`DescribeDatabase-${product.databaseName}`), {
        principal,
        resource: { database: { catalogId: catalog, name: product.databaseName } },
        permissions: ['DESCRIBE'],
      }),
    );
    this.tableDescribe = principalPermissions(this, 'DescribeTable', {
      principal,
      resource: { table: { catalogId: catalog, databaseName: product.databaseName, name: product.tableName } },
      permissions: ['DESCRIBE'],
    });
    this.select = principalPermissions(this, 'Select', {
      principal,
      resource: {
        tableWithColumns: {
          catalogId: catalog,
          databaseName: product.databaseName,
          name: product.tableName,
          columnNames: [...this.columnNames],
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
    // Consumers read the domain's quality results; not pipelines, nor the product's own quality run (a grant inside it).
    if (this.crossAccount === undefined && consumer.derives === undefined && !isAncestorOrSelf(product, this)) {
      grantQualityResults(consumer as unknown as Construct, this, product, principal);
    }
    this.lfTagResources = [...linkResources, this.databaseDescribe, this.tableDescribe, this.select];
    registerLfTagUser(this);

    this.entry = {
      kind: 'grant',
      product: product.productId,
      consumer: consumer.consumerName,
      permissions: [...PRODUCT_READ_PERMISSIONS],
      excludedColumns: [...this.excludedColumns],
      ...(reason !== undefined && { piiReason: reason }),
      ...(consumer.derives !== undefined && { forProduct: consumer.derives }),
    };
    this.node.addMetadata(MANIFEST_METADATA_TYPE, this.entry);
    if (reason !== undefined) {
      const record: PiiAccessRecord = { consumer: consumer.consumerName, grantPath: this.node.path, columns: granted, reason };
      product.node.addMetadata(PII_ACCESS_METADATA_TYPE, record);
    }
  }

  private grantGlueReads(principal: iam.IRole, product: IDataProductRef): void {
    const stack = Stack.of(this);
    // Across accounts, Glue is called on the link (this account) and on the target (the producer's catalog).
    const accounts = this.crossAccount === undefined ? [{}] : [{}, { account: this.crossAccount.producerAccount }];
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: GLUE_TABLE_READ_ACTIONS,
        resources: accounts.flatMap((account) => [
          stack.formatArn({ service: 'glue', resource: 'catalog', ...account }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: product.databaseName, ...account }),
          stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${product.databaseName}/${product.tableName}`, ...account }),
        ]),
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

/** The PII columns `options.pii` names, checked against the contract: each one a PII column, the reason not empty. */
function grantedPiiColumns(scope: Construct, product: IDataProductRef, consumer: IMeshConsumer, options: GrantReadOptions): readonly string[] {
  if (options.pii === undefined) return [];
  const { columns, reason } = options.pii;
  const piiColumns = product.contract!.piiColumns;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new MeshGovernanceError(
      scope,
      `PII grant of ${product.productId} to "${consumer.consumerName}" has an empty reason: say why this consumer needs personal data, e.g. { pii: { columns: ['${piiColumns[0] ?? 'email'}'], reason: 'Newsletter campaigns to customers who opted in.' } }, or drop the pii option to leave the PII columns out.`,
    );
  }
  const notPii = (columns ?? []).filter((column) => !piiColumns.includes(column));
  if (!Array.isArray(columns) || columns.length === 0 || notPii.length > 0) {
    const named = Array.isArray(columns) && columns.length > 0 ? `names ${notPii.map((c) => `"${c}"`).join(', ')}, not a PII column of the contract` : 'names no column';
    throw new MeshGovernanceError(
      scope,
      `PII grant of ${product.productId} to "${consumer.consumerName}" ${named}: list in pii.columns the PII columns this consumer needs, among ${piiColumns.map((c) => `"${c}"`).join(', ') || '(none: drop the pii option)'}.`,
    );
  }
  return [...new Set(columns)];
}

/** What a product write grant gives (a SQL pipeline's `INSERT INTO`), in Lake Formation terms. */
export const PRODUCT_WRITE_PERMISSIONS = ['DESCRIBE', 'SELECT', 'INSERT'] as const;

/**
 * Lets `writer` add data to `product`'s table through Lake Formation, for a pipeline that builds the
 * product with Athena `INSERT INTO` (a SQL derived product):
 *
 * - DESCRIBE on the product's database (shared with the writer's read grants on that database);
 * - DESCRIBE, SELECT and INSERT on the table: Athena reads the table's metadata and the partition it
 *   checks, then adds the new partition's objects.
 *
 * Only Lake Formation: the S3 writes, the KMS key and the Glue partition creation are IAM
 * (`SqlPipeline` grants them to its role). No manifest entry is recorded: a write grant reads nothing
 * of another product. The grants are chained with the others of the stack and wait for the product —
 * or, when the writer is inside the product (its own pipeline), for the product's other parts, its
 * table among them.
 *
 * @example
 * const writer = MeshConsumer.fromRole(this, 'PipelineAccess', { consumerName: 'marketing-customer_orders-v1-pipeline', role: pipeline.role });
 * grantProductWrite(customerOrders, writer);
 */
export function grantProductWrite(product: IDataProductRef, writer: IMeshConsumer): ProductWriteGrant {
  const id = idOf(`Write-${product.productId}`);
  const existing = writer.node.tryFindChild(id);
  if (existing !== undefined) {
    throw new MeshGovernanceError(
      writer,
      `"${writer.consumerName}" is already granted to write ${product.productId} (at "${existing.node.path}"): grant each product once per writer.`,
    );
  }
  return new ProductWriteGrant(writer, id, { product, writer });
}

interface ProductWriteGrantProps {
  readonly product: IDataProductRef;
  readonly writer: IMeshConsumer;
}

/** The Lake Formation grants of one writer on one product (see `grantProductWrite`). */
export class ProductWriteGrant extends Construct implements ILfTagUser {
  public readonly meshName: string;
  public readonly lfTagDomains: readonly string[] = [];
  public readonly lfTagClassifications: readonly string[] = [];
  public readonly lfTagResources: readonly IConstruct[];
  /** DESCRIBE on the product's database (shared by the writer's grants on that database). */
  public readonly databaseDescribe: lakeformation.CfnPrincipalPermissions;
  /** DESCRIBE, SELECT and INSERT on the table. */
  public readonly tableWrite: lakeformation.CfnPrincipalPermissions;

  constructor(scope: Construct, id: string, props: ProductWriteGrantProps) {
    super(scope, id);
    const { product, writer } = props;
    this.meshName = writer.meshName;
    if (product.meshName !== writer.meshName) {
      throw new MeshGovernanceError(
        this,
        `Product ${product.productId} belongs to mesh "${product.meshName}" but writer "${writer.consumerName}" to mesh "${writer.meshName}": grant writes only on products of the writer's own mesh.`,
      );
    }
    const principal = writer.role;
    this.databaseDescribe = singleton(writer as unknown as Construct, idOf(`DescribeDatabase-${product.databaseName}`), () => {
      const describe = principalPermissions(writer as unknown as Construct, idOf(`DescribeDatabase-${product.databaseName}`), {
        principal,
        resource: databaseResource(this, product.databaseName),
        permissions: ['DESCRIBE'],
      });
      waitForProduct(describe, product);
      return describe;
    });
    this.tableWrite = principalPermissions(this, 'TableWrite', {
      principal,
      resource: tableResource(this, product.databaseName, product.tableName),
      permissions: [...PRODUCT_WRITE_PERMISSIONS],
    });
    waitForProduct(this, product);
    this.lfTagResources = [this.databaseDescribe, this.tableWrite];
    registerLfTagUser(this);
  }
}

/**
 * Makes `dependent` wait for `product`'s resources: the whole product, or — when `dependent` is inside the
 * product (e.g. under its own pipeline) — every part of the product that does not contain `dependent`.
 */
function waitForProduct(dependent: IConstruct, product: IDataProductRef): void {
  if (!isAncestorOrSelf(product, dependent)) {
    dependent.node.addDependency(product);
    return;
  }
  for (const part of product.node.children) {
    if (!dependent.node.scopes.includes(part)) dependent.node.addDependency(part);
  }
}

function isAncestorOrSelf(ancestor: IConstruct, node: IConstruct): boolean {
  return node.node.scopes.includes(ancestor);
}
