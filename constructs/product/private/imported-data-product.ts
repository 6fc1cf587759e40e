import { Stack, Token } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { Contract } from '../../contract/contract';
import { checkSnakeCase } from '../../domain/checks';
import { DataMeshError } from '../../domain/errors';
import { appNameHolder, claimedAppNames, closeNames, governedDomains } from '../../naming/app-names';
import { resolveMeshName } from '../../naming/mesh-name';
import { dataBucketName, databaseName, keyAlias } from '../../naming/naming';
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
  public readonly stream: kinesis.IStream;
  public readonly encryptionKey: kms.IKey;
  /** The domain's data bucket, by its conventional name in this stack's account and region. */
  public readonly bucket: s3.IBucket;
  public readonly dataPrefix: string;
  /** The account the product lives in, when `fromName` names one. */
  public readonly account?: string;
  protected readonly keyGrantTarget: KeyGrantTarget;

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
    attrs = account !== undefined ? { ...attrs, account } : attrs;
    this.account = attrs.account;
    if (attrs.account !== undefined && !Token.isUnresolved(attrs.account) && !/^\d{12}$/.test(attrs.account)) {
      throw new DataMeshError(this, `account "${attrs.account}" is not a 12-digit AWS account id: pass the account of the product's domain, e.g. '111122223333'.`);
    }
    // In the product's account (this stack's unless `account` says otherwise), this stack's region.
    const inAccount = attrs.account !== undefined ? { account: attrs.account } : {};
    const alias = keyAlias(this.meshName, this.domainName);
    this.encryptionKey = kms.Alias.fromAliasName(this, 'Key', alias);
    // Key ids are unknown here; any key of this account and region carrying the domain's alias qualifies.
    this.keyGrantTarget = {
      resourceArns: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*', ...inAccount })],
      conditions:
        attrs.account !== undefined && attrs.account !== stack.account
          ? // In another account: only under the stream's encryption context (the producer's key policy says the same).
            { StringEquals: { 'kms:EncryptionContext:aws:kinesis:arn': stack.formatArn({ service: 'kinesis', resource: 'stream', resourceName: this.streamName, ...inAccount }) } }
          : { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
    };
    this.stream = kinesis.Stream.fromStreamAttributes(this, 'Stream', {
      streamArn: stack.formatArn({ service: 'kinesis', resource: 'stream', resourceName: this.streamName, ...inAccount }),
      encryptionKey: this.encryptionKey,
    });
    this.bucket = s3.Bucket.fromBucketName(this, 'Bucket', dataBucketName(this.meshName, this.domainName, attrs.account ?? stack.account, stack.region));
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
