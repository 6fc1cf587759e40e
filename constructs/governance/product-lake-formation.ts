import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, type IConstruct } from 'constructs';
import type { ContractSpec } from '../contract/types';
import { RevokeIamAllowedPrincipals } from './iam-allowed-principals';
import { LF_TAG_KEYS, columnsByClassification, defaultColumnClassification } from './lf-tags';
import {
  catalogId,
  chainLakeFormation,
  idOf,
  principalPermissions,
  singleton,
  tableResource,
  type TablePermission,
} from './private/lake-formation';

const LF_TAG_USER = Symbol.for('cdk-data-mesh.lf-tag-user');

/** Something that attaches or grants on the mesh's LF-Tags: it must be created after the tags. */
export interface ILfTagUser extends IConstruct {
  readonly meshName: string;
  /** The `domain` tag values it uses. */
  readonly lfTagDomains: readonly string[];
  /** The `classification` tag values it uses. */
  readonly lfTagClassifications: readonly string[];
  /** The Lake Formation resources that use the tags (each must depend on the tags). */
  readonly lfTagResources: readonly IConstruct[];
}

/** Marks `construct` as an LF-Tag user; `MeshGovernance` orders it after the tags and checks its values. */
export function registerLfTagUser(construct: ILfTagUser): void {
  Object.defineProperty(construct, LF_TAG_USER, { value: true });
}

export function isLfTagUser(construct: IConstruct): construct is ILfTagUser {
  return (construct as unknown as Record<symbol, unknown>)[LF_TAG_USER] === true;
}

export interface ProductLakeFormationProps {
  readonly meshName: string;
  readonly domainName: string;
  /** The Glue database of the domain, e.g. `orders`. */
  readonly databaseName: string;
  /** The product's Glue table, e.g. `order_placed_v1`. */
  readonly tableName: string;
  /** The contract spec: the table classification and each column's classification come from it. */
  readonly contract: ContractSpec;
  /** The Glue table resource (or construct holding it): every LF resource here waits for it. */
  readonly table: IConstruct;
  /**
   * The Glue database resource: the database tag association waits for it.
   * @default - the association waits for `table` only
   */
  readonly database?: IConstruct;
  /** The Firehose delivery stream's role: it needs DESCRIBE + SELECT on the table or format conversion fails. */
  readonly firehoseRole: iam.IRole;
  /**
   * The delivery stream: it is made to wait for the Firehose role's Lake Formation grant.
   * @default - no dependency is added (add `deliveryStream.node.addDependency(lf.firehoseGrant)` yourself)
   */
  readonly deliveryStream?: IConstruct;
  /**
   * Other service roles that read the table (e.g. a derived product's pipeline), each granted DESCRIBE + SELECT.
   * @default - none
   */
  readonly serviceRoles?: readonly iam.IRole[];
  /**
   * Remove the IAM_ALLOWED_PRINCIPALS default grant from the table, so Lake Formation decides who reads it.
   * @default true
   */
  readonly revokeIamAllowedPrincipals?: boolean;
}

/**
 * Puts one data product under Lake Formation:
 *
 * 1. LF-Tags: `domain=<domain>` on the domain's database (once per database and stack),
 *    `classification` on the table (the classification of its ordinary columns) and on every column
 *    (the column's classification from the contract; the `dt` partition key included), so that tag
 *    grants see a `pii` column only when they include `pii`;
 * 2. the Firehose role's DESCRIBE + SELECT on the table (format conversion reads the table through LF),
 *    and the same for other service roles;
 * 3. the IAM_ALLOWED_PRINCIPALS default removed from the table (`RevokeIamAllowedPrincipals`).
 *
 * Every Lake Formation resource waits for the previous one (see `chainLakeFormation`), and for the
 * table. In an app holding a `MeshGovernance`, the tag associations also wait for the LF-Tags (a stack
 * dependency on the governance stack); across apps, deploy the governance stack first.
 *
 * @example
 * const lf = new ProductLakeFormation(this, 'LakeFormation', {
 *   meshName: 'shop', domainName: 'orders', databaseName: 'orders', tableName: 'order_placed_v1',
 *   contract: contract.spec, table, database, firehoseRole, deliveryStream,
 * });
 */
export class ProductLakeFormation extends Construct implements ILfTagUser {
  public readonly meshName: string;
  public readonly databaseName: string;
  public readonly tableName: string;
  /** `domain=<domain>` on the database (shared by the domain's products in this stack). */
  public readonly databaseTags: lakeformation.CfnTagAssociation;
  /** `classification=<the classification of the table's ordinary columns>` on the table (see `defaultColumnClassification`). */
  public readonly tableTags: lakeformation.CfnTagAssociation;
  /** One association per column classification. */
  public readonly columnTags: readonly lakeformation.CfnTagAssociation[];
  /** DESCRIBE + SELECT on the table for the Firehose role. */
  public readonly firehoseGrant: lakeformation.CfnPrincipalPermissions;
  /** The IAM_ALLOWED_PRINCIPALS removal, when enabled. */
  public readonly iamAllowedPrincipals?: RevokeIamAllowedPrincipals;

  public readonly lfTagDomains: readonly string[];
  public readonly lfTagClassifications: readonly string[];
  public readonly lfTagResources: readonly IConstruct[];

  private readonly table: IConstruct;
  private serviceGrants = 0;

  constructor(scope: Construct, id: string, props: ProductLakeFormationProps) {
    super(scope, id);
    this.meshName = props.meshName;
    this.databaseName = props.databaseName;
    this.tableName = props.tableName;
    this.table = props.table;

    this.databaseTags = tagDomainDatabase(this, {
      databaseName: props.databaseName,
      domainName: props.domainName,
      database: props.database ?? props.table,
    });

    const tableClassification = defaultColumnClassification(props.contract);
    this.tableTags = new lakeformation.CfnTagAssociation(this, 'TableTags', {
      resource: tableResource(this, props.databaseName, props.tableName),
      lfTags: [{ catalogId: catalogId(this), tagKey: LF_TAG_KEYS.classification, tagValues: [tableClassification] }],
    });
    this.waitForTable(this.tableTags);

    const groups = columnsByClassification(props.contract);
    this.columnTags = Object.entries(groups).map(([classification, columnNames]) => {
      const association = new lakeformation.CfnTagAssociation(this, `ColumnTags-${classification}`, {
        resource: {
          tableWithColumns: { catalogId: catalogId(this), databaseName: props.databaseName, name: props.tableName, columnNames },
        },
        lfTags: [{ catalogId: catalogId(this), tagKey: LF_TAG_KEYS.classification, tagValues: [classification] }],
      });
      this.waitForTable(association);
      return association;
    });

    this.firehoseGrant = this.grantServiceRole(props.firehoseRole, ['DESCRIBE', 'SELECT'], 'FirehoseGrant');
    if (props.deliveryStream !== undefined) props.deliveryStream.node.addDependency(this.firehoseGrant);
    for (const role of props.serviceRoles ?? []) this.grantServiceRole(role);

    if (props.revokeIamAllowedPrincipals ?? true) {
      this.iamAllowedPrincipals = new RevokeIamAllowedPrincipals(this, 'IamAllowedPrincipals', {
        databaseName: props.databaseName,
        tableName: props.tableName,
        dependsOn: [props.table],
      });
    }

    this.lfTagDomains = [props.domainName];
    this.lfTagClassifications = [...new Set([tableClassification, ...Object.keys(groups)])];
    this.lfTagResources = [this.databaseTags, this.tableTags, ...this.columnTags];
    registerLfTagUser(this);
  }

  /**
   * Grants a service role (not a consumer: consumers go through `grantProductRead`) table permissions
   * through Lake Formation, chained after the previous grants.
   */
  public grantServiceRole(
    role: iam.IRole,
    permissions: readonly TablePermission[] = ['DESCRIBE', 'SELECT'],
    id = `ServiceGrant${++this.serviceGrants}`,
  ): lakeformation.CfnPrincipalPermissions {
    const grant = principalPermissions(this, id, {
      principal: role,
      resource: tableResource(this, this.databaseName, this.tableName),
      permissions,
    });
    grant.node.addDependency(this.table);
    return grant;
  }

  private waitForTable(resource: IConstruct): void {
    resource.node.addDependency(this.table);
    chainLakeFormation(resource);
  }
}

/**
 * Tags a domain's Glue database `domain=<domain>`, once per database and stack (every product of
 * the domain in the stack shares the association). A `DataDomain` may call it directly.
 */
export function tagDomainDatabase(
  scope: IConstruct,
  props: { readonly databaseName: string; readonly domainName: string; readonly database: IConstruct },
): lakeformation.CfnTagAssociation {
  const stack = Stack.of(scope);
  return singleton(stack, idOf(`MeshLfDatabaseTags-${props.databaseName}`), () => {
    const association = new lakeformation.CfnTagAssociation(stack, idOf(`MeshLfDatabaseTags-${props.databaseName}`), {
      resource: { database: { catalogId: stack.account, name: props.databaseName } },
      lfTags: [{ catalogId: stack.account, tagKey: LF_TAG_KEYS.domain, tagValues: [props.domainName] }],
    });
    association.node.addDependency(props.database);
    chainLakeFormation(association);
    return association;
  });
}
