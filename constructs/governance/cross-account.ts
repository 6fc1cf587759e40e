import { Lazy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, type IConstruct } from 'constructs';
import type { IMeshConsumer } from '../consumer/types';
import { appNameHolder } from '../naming/app-names';
import type { IDataProductRef } from '../product/data-product-ref';
import { accountOf, differentAccounts } from './accounts';
import { MeshGovernanceError } from './errors';
import { chainLakeFormation, idOf, singleton } from './private/lake-formation';

/**
 * A read that crosses accounts: the producer (its Glue catalog, in `producerAccount`) shares with the
 * consumer's account, which links to the shared database and re-grants to its own roles (see
 * `grantProductRead`). Design: ../../../shared/docs/cross-account.md (B2, B4).
 */
export interface CrossAccountRead {
  /** The account whose catalog holds the product's database and table. */
  readonly producerAccount: string;
  /** The consumer's account (where the resource link and the re-grants live). */
  readonly consumerAccount: string;
  /** The product as this app defines it (in the producer's stack). */
  readonly producer: IConstruct;
}

/** The account of a product: the one a reference by name gives, else its stack's (undefined when unresolved). */
export function productAccountOf(product: IDataProductRef): string | undefined {
  return product.account ?? accountOf(product);
}

/**
 * The cross-account read of `product` by `consumer`, or `undefined` when both are in one account (or either
 * account is unknown). Makes the consumer's stack depend on the producer's: CloudFormation records no
 * dependency for what crosses accounts, and the shares must exist before the links and re-grants.
 */
export function crossAccountReadOf(scope: IConstruct, product: IDataProductRef, consumer: IMeshConsumer): CrossAccountRead | undefined {
  const defined = definedProduct(product);
  const consumerAccount = accountOf(consumer);
  if (product.account === undefined && defined !== undefined && defined !== product && differentAccounts(accountOf(defined), consumerAccount)) {
    throw new MeshGovernanceError(
      scope,
      `Product ${product.productId} is defined in account ${accountOf(defined)} (${defined.node.path}), but referenced by name in account ${consumerAccount} without its account: ` +
        `pass account: '${accountOf(defined)}' to DataProduct.fromName, so its stream, key and catalog are named in the producer's account.`,
    );
  }
  const producerAccount = productAccountOf(product);
  if (!differentAccounts(producerAccount, consumerAccount)) return undefined;
  if (defined === undefined) {
    throw new MeshGovernanceError(
      scope,
      `Product ${product.productId} is in account ${producerAccount} and consumer "${consumer.consumerName}" in account ${consumerAccount}, but this app does not define the product, ` +
        `so it cannot create the producer's share (Lake Formation grants to account ${consumerAccount} with grant option, in the producer's stack): define the producer's stack in this app (cdk deploy --all deploys each account's stacks), ` +
        `or share from the producer's app with shareProductWithAccount(product, '${consumerAccount}', columns).`,
    );
  }
  if (accountOf(defined) !== producerAccount) {
    throw new MeshGovernanceError(
      scope,
      `Product ${product.productId} is referenced in account ${producerAccount}, but this app defines it in account ${accountOf(defined) ?? '(environment-agnostic)'} (${defined.node.path}): pass the account of its stack to DataProduct.fromName.`,
    );
  }
  const consumerStack = Stack.of(consumer);
  const producerStack = Stack.of(defined);
  if (!consumerStack.dependencies.includes(producerStack)) {
    consumerStack.addStackDependency(producerStack, `reads ${product.productId} across accounts (Lake Formation share to account ${consumerAccount}); CloudFormation records no cross-account dependency`);
  }
  return { producerAccount: producerAccount!, consumerAccount: consumerAccount!, producer: defined };
}

/** The `DataProduct` of this app with `product`'s id (`product` itself when it is that one). */
export function definedProduct(product: IDataProductRef): IConstruct | undefined {
  const path = appNameHolder(product, 'data product', `${product.meshName}/${product.productId}`);
  if (path === undefined) return undefined;
  if (path === product.node.path) return product;
  return product.node.root.node.findAll().find((c) => c.node.path === path);
}

/**
 * The producer side of a cross-account read, in the producer's stack: Lake Formation grants to the consumer
 * *account* (it re-grants to its roles), each with grant option:
 *
 * - `DESCRIBE` on the database (explicit: the implicit database DESCRIBE does not cross accounts);
 * - `DESCRIBE` on the table;
 * - `SELECT` on the union of the columns the account's readers are granted (an allow-list: a PII column is
 *   shared only with an account where a grant names it with a reason).
 *
 * One share per consumer account and table; every grant of the account on the table adds its columns.
 */
export class AccountShare extends Construct {
  public readonly consumerAccount: string;
  public readonly databaseDescribe: lakeformation.CfnPrincipalPermissions;
  public readonly tableDescribe: lakeformation.CfnPrincipalPermissions;
  public readonly select: lakeformation.CfnPrincipalPermissions;
  private readonly columns: string[] = [];

  constructor(scope: Construct, id: string, props: { readonly product: IDataProductRef; readonly producer: IConstruct; readonly consumerAccount: string }) {
    super(scope, id);
    const { product, producer, consumerAccount } = props;
    this.consumerAccount = consumerAccount;
    const producerAccount = Stack.of(this).account;
    const principal = { dataLakePrincipalIdentifier: consumerAccount };
    const stack = Stack.of(this);
    this.databaseDescribe = singleton(stack, idOf(`MeshShareDatabase-${product.databaseName}-${consumerAccount}`), () => {
      const grant = new lakeformation.CfnPrincipalPermissions(stack, idOf(`MeshShareDatabase-${product.databaseName}-${consumerAccount}`), {
        principal,
        resource: { database: { catalogId: producerAccount, name: product.databaseName } },
        permissions: ['DESCRIBE'],
        permissionsWithGrantOption: ['DESCRIBE'],
      });
      grant.node.addDependency(producer);
      chainLakeFormation(grant);
      return grant;
    });
    this.tableDescribe = this.grant('TableDescribe', principal, {
      table: { catalogId: producerAccount, databaseName: product.databaseName, name: product.tableName },
    }, 'DESCRIBE');
    this.select = this.grant('Select', principal, {
      tableWithColumns: {
        catalogId: producerAccount,
        databaseName: product.databaseName,
        name: product.tableName,
        columnNames: Lazy.list({ produce: () => [...this.columns] }),
      },
    }, 'SELECT');
    for (const grant of [this.tableDescribe, this.select]) grant.node.addDependency(producer);
  }

  /** Shares `columns` too (the union of every grant's columns, in first-granted order). */
  public addColumns(columns: readonly string[]): void {
    for (const column of columns) if (!this.columns.includes(column)) this.columns.push(column);
  }

  /** The columns shared with the account. */
  public get sharedColumns(): readonly string[] {
    return [...this.columns];
  }

  private grant(id: string, principal: lakeformation.CfnPrincipalPermissions.DataLakePrincipalProperty, resource: lakeformation.CfnPrincipalPermissions.ResourceProperty, permission: string) {
    const grant = new lakeformation.CfnPrincipalPermissions(this, id, {
      principal,
      resource,
      permissions: [permission],
      permissionsWithGrantOption: [permission],
    });
    chainLakeFormation(grant);
    return grant;
  }
}

/**
 * Shares `product` (defined in this app, in the producer's stack) with `consumerAccount`: the account-level
 * grants with grant option of {@link AccountShare}, extended with `columns`. `grantProductRead` calls it for
 * every cross-account read; call it yourself when the consumers live in another app.
 */
export function shareProductWithAccount(product: IDataProductRef, consumerAccount: string, columns: readonly string[]): AccountShare {
  const stack = Stack.of(product);
  const id = idOf(`MeshShare-${product.productId}-${consumerAccount}`);
  const share = singleton(stack, id, () => new AccountShare(stack, id, { product, producer: product, consumerAccount }));
  share.addColumns(columns);
  return share;
}

/**
 * The consumer side's resource link to a shared database, once per consumer stack and database:
 * `AWS::Glue::Database` in the consumer's catalog with `TargetDatabase` in the producer's. The link has the
 * database's own name, so queries (`FROM orders.order_placed_v1`), views and derived products' SQL read the
 * same names in every account.
 */
export function resourceLink(consumer: IConstruct, read: CrossAccountRead, databaseName: string): glue.CfnDatabase {
  const stack = Stack.of(consumer);
  const id = idOf(`MeshLink-${databaseName}`);
  return singleton(stack, id, () => {
    const link = new glue.CfnDatabase(stack, id, {
      catalogId: read.consumerAccount,
      databaseInput: {
        name: databaseName,
        targetDatabase: { catalogId: read.producerAccount, databaseName, region: stack.region },
      },
    });
    return link;
  });
}
