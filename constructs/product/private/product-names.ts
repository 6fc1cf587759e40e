import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkNameLength } from '../../domain/checks';
import {
  NAME_LIMITS,
  dataPrefix,
  deliveryStreamName,
  errorPrefix,
  productId,
  schemaName,
  streamName,
  tableName,
} from '../../naming/naming';

/** Who a product version is: the parts of every physical name. */
export interface ProductIdentity {
  readonly meshName: string;
  readonly domainName: string;
  readonly productName: string;
  readonly version: number;
  /** The Glue database of its domain, e.g. `orders` (or `dev_orders` with a database prefix). */
  readonly databaseName: string;
}

/**
 * Every physical name of a product version, from the naming convention. `DataProduct` creates its resources
 * under these names and `DataProduct.fromName` finds them by the same names: one derivation for both.
 */
export interface ProductNames {
  /** `<domain>.<name>.v<version>` */
  readonly productId: string;
  readonly streamName: string;
  readonly deliveryStreamName: string;
  readonly databaseName: string;
  readonly tableName: string;
  readonly schemaName: string;
  readonly dataPrefix: string;
  readonly errorPrefix: string;
  /** `arn:…:glue:<region>:<account>:database/<database>` in `scope`'s stack. */
  readonly databaseArn: string;
  /** `arn:…:glue:<region>:<account>:table/<database>/<table>` in `scope`'s stack. */
  readonly tableArn: string;
}

/** The names of `identity`'s product, ARNs in `scope`'s account and region. */
export function productNames(scope: IConstruct, identity: ProductIdentity): ProductNames {
  const parts = { mesh: identity.meshName, domain: identity.domainName, product: identity.productName, version: identity.version };
  const database = identity.databaseName;
  const table = tableName(identity.productName, identity.version);
  const stack = Stack.of(scope);
  return {
    productId: productId(identity.domainName, identity.productName, identity.version),
    streamName: streamName(parts),
    deliveryStreamName: deliveryStreamName(parts),
    databaseName: database,
    tableName: table,
    schemaName: schemaName(identity.productName, identity.version),
    dataPrefix: dataPrefix(identity.productName, identity.version),
    errorPrefix: errorPrefix(identity.productName, identity.version),
    databaseArn: stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
    tableArn: stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/${table}` }),
  };
}

/** A product being defined: its names must fit AWS's limits, or the fix is to shorten what they are made of. */
export function checkDefinedNames(scope: IConstruct, identity: ProductIdentity, names: ProductNames): void {
  const shorten = `Shorten the mesh name ("${identity.meshName}"), the domain name ("${identity.domainName}") or the product name ("${identity.productName}").`;
  checkNameLength(scope, { what: 'Kinesis stream name', value: names.streamName, limit: NAME_LIMITS.streamName, fix: shorten });
  checkNameLength(scope, { what: 'Firehose delivery stream name', value: names.deliveryStreamName, limit: NAME_LIMITS.deliveryStreamName, fix: shorten });
  checkNameLength(scope, {
    what: 'Glue table name',
    value: names.tableName,
    limit: NAME_LIMITS.glueName,
    fix: `Shorten the product name ("${identity.productName}").`,
  });
}

/** A product referenced by name: only names a `DataProduct` could have been given exist, anything longer is a typo. */
export function checkReferencedNames(scope: IConstruct, identity: ProductIdentity, names: ProductNames): void {
  checkNameLength(scope, {
    what: 'Firehose delivery stream name',
    value: names.deliveryStreamName,
    limit: NAME_LIMITS.deliveryStreamName,
    fix: `No DataProduct can have it: check the mesh ("${identity.meshName}"), domain ("${identity.domainName}") and product ("${identity.productName}") names.`,
  });
}
