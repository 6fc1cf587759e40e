import { Stack, Token } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { Contract } from '../../contract/contract';
import { checkSnakeCase } from '../../domain/checks';
import { DataMeshError } from '../../domain/errors';
import { appNameHolder, claimedAppNames, closeNames, governedDomains } from '../../naming/app-names';
import { resolveMeshName } from '../../naming/mesh-name';
import { dataBucketName, databaseName, keyAlias, keyArnParameterName } from '../../naming/naming';
import { DataProductBase, type KeyGrantTarget } from '../data-product-base';
import type { DataProductNameAttributes } from '../data-product-props';
import { checkReferencedNames, productNames } from './product-names';

/** A product of another app (or stack), known by name only (`DataProduct.fromName`). */
export class ImportedDataProduct extends DataProductBase {
  public readonly productId: string;
  public readonly meshName: string;
  public readonly domainName: string;
  public readonly productName: string;
  public readonly version: number;
  public readonly contract?: Contract;
  public readonly databaseName: string;
  public readonly databaseArn: string;
  public readonly tableName: string;
  public readonly tableArn: string;
  public readonly streamName: string;
  public readonly deliveryStreamName: string;
  /** The domain's data bucket, by its conventional name in this stack's account and region. */
  public readonly bucket: s3.IBucket;
  public readonly dataPrefix: string;
  /** The account the product lives in, when `fromName` names one. */
  public readonly account?: string;
  private importedKey?: kms.IKey;
  private importedStream?: kinesis.IStream;

  constructor(scope: Construct, id: string, attrs: DataProductNameAttributes) {
    super(scope, id);
    this.meshName = resolveMeshName(this, attrs.meshName);
    checkSnakeCase(this, 'domain name', attrs.domain, 'orders');
    checkSnakeCase(this, 'product name', attrs.name, 'order_placed');
    if (!Number.isInteger(attrs.version) || attrs.version < 1) {
      throw new DataMeshError(this, `version ${attrs.version} must be a positive integer, the product's major version (e.g. 1).`);
    }
    this.domainName = attrs.domain;
    this.productName = attrs.name;
    this.version = attrs.version;
    const databasePrefix = attrs.databasePrefix ?? '';
    const identity = { meshName: this.meshName, domainName: this.domainName, productName: this.productName, version: this.version, databaseName: databaseName(this.domainName, databasePrefix) };
    const names = productNames(this, identity);
    this.productId = names.productId;
    if (attrs.contract !== undefined && attrs.contract.id !== this.productId) {
      throw new DataMeshError(
        this,
        `The contract passed is "${attrs.contract.id}", but the product referenced is "${this.productId}": pass the contract of that product version, or none.`,
      );
    }
    this.contract = attrs.contract;
    checkReferencedNames(this, identity, names);
    // The governance and the products of the app may be defined after this reference: check once the tree is complete.
    this.node.addValidation({ validate: () => this.unknownNames() });
    if (databasePrefix !== '' && !/^[a-z][a-z0-9_]*$/.test(databasePrefix)) {
      throw new DataMeshError(
        this,
        `databasePrefix "${databasePrefix}" must be lower-case letters, digits and _ starting with a letter (e.g. "dev_"), as on the product's DataDomain.`,
      );
    }
    ({ streamName: this.streamName, deliveryStreamName: this.deliveryStreamName, databaseName: this.databaseName, tableName: this.tableName } = names);
    ({ databaseArn: this.databaseArn, tableArn: this.tableArn, dataPrefix: this.dataPrefix } = names);

    const stack = Stack.of(this);
    // Without an explicit account, a product this app already defines in another account is found there.
    const account = attrs.account ?? definedAccount(this, `${this.meshName}/${this.productId}`);
    if (account !== undefined && !Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
      throw new DataMeshError(this, `account "${account}" is not a 12-digit AWS account id: pass the account of the product's domain, e.g. '111122223333'.`);
    }
    this.account = account;
    this.bucket = s3.Bucket.fromBucketName(this, 'Bucket', dataBucketName(this.meshName, this.domainName, account ?? stack.account, stack.region));
  }

  /** In another account than this stack's (an explicit `account` that differs). */
  private get crossAccount(): boolean {
    return this.account !== undefined && this.account !== Stack.of(this).account;
  }

  /** `{ account }` for ARNs in the product's account, `{}` in this stack's. */
  private get inAccount(): { account?: string } {
    return this.account !== undefined ? { account: this.account } : {};
  }

  /**
   * The domain key. In this account its id is unknown at synth: the domain publishes the key's ARN in SSM, which
   * this stack reads at deploy time (a template parameter, added on first use only), so grants name that one key,
   * never `key/*`. In another account SSM cannot be read: the key is known by its alias, and grants are limited to
   * the stream's encryption context (see keyGrantTarget).
   */
  public get encryptionKey(): kms.IKey {
    this.importedKey ??= this.crossAccount
      ? kms.Alias.fromAliasName(this, 'Key', keyAlias(this.meshName, this.domainName))
      : kms.Key.fromKeyArn(this, 'Key', ssm.StringParameter.valueForStringParameter(this, keyArnParameterName(this.meshName, this.domainName)));
    return this.importedKey;
  }

  /** The product's stream, by its conventional name in the product's account and this stack's region. */
  public get stream(): kinesis.IStream {
    this.importedStream ??= kinesis.Stream.fromStreamAttributes(this, 'Stream', {
      streamArn: Stack.of(this).formatArn({ service: 'kinesis', resource: 'stream', resourceName: this.streamName, ...this.inAccount }),
      // In another account the key is known by alias only, and an alias's grants (as an event source mapping's
      // `stream.grantRead` makes) name this account's keys: the reader's decrypt is granted by keyGrantTarget instead.
      ...(!this.crossAccount && { encryptionKey: this.encryptionKey }),
    });
    return this.importedStream;
  }

  protected get keyGrantTarget(): KeyGrantTarget {
    if (!this.crossAccount) return { resourceArns: [this.encryptionKey.keyArn] };
    // In another account: that account's keys, only under the stream's encryption context (the producer's key policy says the same).
    const stack = Stack.of(this);
    return {
      resourceArns: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*', ...this.inAccount })],
      conditions: {
        StringEquals: { 'kms:EncryptionContext:aws:kinesis:arn': stack.formatArn({ service: 'kinesis', resource: 'stream', resourceName: this.streamName, ...this.inAccount }) },
      },
    };
  }

  /** The domain must be one the app's MeshGovernance registers, and a product of a domain defined in this app one of its products. */
  private unknownNames(): string[] {
    const governance = governedDomains(this, this.meshName);
    if (governance !== undefined && !governance.domains.includes(this.domainName)) {
      return [`DataProduct.fromName: domain "${this.domainName}" is not a domain of mesh "${this.meshName}" (MeshGovernance ${governance.path} registers ${governance.domains.join(', ')}): fix the domain, or add it to the governance's domains.${didYouMean(this.domainName, governance.domains)}`];
    }
    if (!claimedAppNames(this, 'domain').includes(`${this.meshName}/${this.domainName}`)) return [];
    const prefix = `${this.meshName}/${this.domainName}.`;
    const products = claimedAppNames(this, 'data product').filter((name) => name.startsWith(prefix)).map((name) => name.slice(this.meshName.length + 1));
    if (products.includes(this.productId)) return [];
    return [`DataProduct.fromName: ${this.productId} is not a product of domain ${this.domainName}, which this app defines with ${products.length > 0 ? products.join(', ') : 'no products'}: fix the name or version.${didYouMean(this.productId, products)}`];
  }
}

/** The resolved account of the stack of the `DataProduct` this app defines as `name` (`<mesh>/<id>`), if any. */
function definedAccount(scope: Construct, name: string): string | undefined {
  const path = appNameHolder(scope, 'data product', name);
  if (path === undefined) return undefined;
  const defined = scope.node.root.node.findAll().find((c) => c.node.path === path);
  const account = defined === undefined ? undefined : Stack.of(defined).account;
  return account === undefined || Token.isUnresolved(account) || account === Stack.of(scope).account ? undefined : account;
}

function didYouMean(name: string, known: readonly string[]): string {
  const close = closeNames(name, known);
  return close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
}
