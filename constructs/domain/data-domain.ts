import { Annotations, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { claimAppName } from '../naming/app-names';
import { databaseName as conventionDatabaseName, keyAlias, registryName as conventionRegistryName } from '../naming/naming';
import type { IDataProduct } from '../product/types';
import { DataMeshError } from './errors';
import { resolveMeshName } from '../naming/mesh-name';
import { checkDescription, checkNotReserved, checkRemovalPolicy, checkSnakeCase } from './checks';
import { checkWholeDays } from './private/lifecycle';
import { registerDataLocation } from './private/data-location';
import { domainBuckets } from './private/domain-buckets';
import { domainKey } from './private/domain-key';
import { DataReadGuard } from './private/data-read-guard';
import { checkDomainNames } from './private/domain-names';
import { checkRegion } from './private/region';

/**
 * Acknowledgement id of the warning a domain with `removalPolicy: DESTROY` raises. Under strict validation
 * (`@aws-cdk/core:annotationsInValidationReport`) the synth stops until it is acknowledged:
 * `Validations.of(domain).acknowledge({ id: DOMAIN_DESTROY_WARNING, reason: '…' })`.
 */
export const DOMAIN_DESTROY_WARNING = 'Annotation::cdk-data-mesh:domain-removal-policy-destroy';

/** CloudFormation refuses a template declaring more resources than this. */
const CLOUDFORMATION_RESOURCE_LIMIT = 500;

/**
 * The most CloudFormation resources a stack holding a `DataDomain` or its products may declare; more fails the
 * synth with the fix. CloudFormation's limit is 500: the 50 left are headroom for resources a stack gains without
 * a new product — a library upgrade adding resources to every product (operations added 9 per product), a
 * derived pipeline, a consumer's grants — so that a stack accepted today is not one upgrade away from a template
 * CloudFormation refuses, with stateful products (named streams, tables) that are hard to move by then.
 */
export const DOMAIN_STACK_RESOURCE_LIMIT = 450;

export interface DataDomainProps {
  /**
   * The mesh this domain belongs to: it prefixes every physical name (streams, bucket, key alias).
   * @default - the `cdk-data-mesh:meshName` context value, else `mesh`
   */
  readonly meshName?: string;
  /** The domain, lower-case snake_case, e.g. `orders`. It names the Glue database. */
  readonly domainName: string;
  /**
   * Prefix of the Glue database name (lower-case letters, digits, `_`), e.g. `dev_` → `dev_orders`.
   * @default '' (the database is named after the domain)
   */
  readonly databasePrefix?: string;
  /**
   * What the domain is about, for people (Glue database description).
   * @default - `Data products of the <domain> domain.`
   */
  readonly description?: string;
  /**
   * What happens to the key, buckets, Glue database, schema registry and Lake Formation registration when
   * they leave the stack. DESTROY is an explicit opt-out of data safety and is reported as a warning; a
   * bucket still holding objects cannot be deleted by CloudFormation and must be emptied first.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * How long Firehose error output (`errors/…`: records that failed processing or Parquet conversion) is kept.
   * @default Duration.days(30)
   */
  readonly errorRetention?: Duration;
  /**
   * How long overwritten or deleted object versions of the data bucket are kept.
   * @default Duration.days(30)
   */
  readonly noncurrentVersionRetention?: Duration;
  /**
   * How long S3 server access logs are kept.
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;
  /**
   * Break-glass principals (role ARNs or ARN patterns, e.g. an SSO administrator role) that may still read
   * the data bucket's objects directly. Everyone else but the Lake Formation registration role and the products'
   * own writers is denied object reads by the bucket policy, whatever IAM allows.
   * @default - none
   */
  readonly breakGlassPrincipalArns?: readonly string[];
}

/**
 * What one domain owns and its products share: a customer-managed KMS key, the data bucket (with a
 * separate access-log bucket), the Glue database, the Glue Schema Registry registry, and the bucket's
 * Lake Formation registration through a registration role.
 *
 * @example
 * const domain = new DataDomain(this, 'Domain', { domainName: 'orders' });
 * new DataProduct(this, 'OrderPlaced', { domain, contract: orderPlaced });
 */
export class DataDomain extends Construct {
  /** The mesh name, e.g. `shop`. */
  public readonly meshName: string;
  /** The domain name, e.g. `orders`. */
  public readonly domainName: string;
  /** The Glue database name, e.g. `orders`. */
  public readonly databaseName: string;
  /** The Glue database (L1). */
  public readonly database: glue.CfnDatabase;
  /** The Glue database as an L2 reference, for `glue` constructs that need an `IDatabase`. */
  public readonly glueDatabase: glue.IDatabase;
  /** `arn:…:glue:<region>:<account>:database/<databaseName>` */
  public readonly databaseArn: string;
  /** The data bucket: SSE-KMS with the domain key, versioned, TLS-only, no public access. */
  public readonly bucket: s3.IBucket;
  /** The server access log bucket of the data bucket (SSE-S3: S3 cannot deliver access logs to an SSE-KMS bucket). */
  public readonly logBucket: s3.IBucket;
  /** The domain key (rotation on): encrypts the streams, the data, the log groups of the domain's products. */
  public readonly encryptionKey: kms.IKey;
  /** `alias/<mesh>/<domain>`: how other domains find the key by name. */
  public readonly keyAlias: string;
  /** The role Lake Formation uses to read and write the registered bucket. */
  public readonly registrationRole: iam.IRole;
  /** The Lake Formation registration of the data bucket. */
  public readonly dataLocation: lakeformation.CfnResource;
  /** The Glue Schema Registry registry of the domain; each product version adds one schema. */
  public readonly schemaRegistry: glue.CfnRegistry;
  /** `<mesh>-<domain>`, e.g. `shop-orders`. */
  public readonly schemaRegistryName: string;
  /** The removal policy of the domain's stateful resources (products inherit it). */
  public readonly removalPolicy: RemovalPolicy;

  private readonly registeredProducts: IDataProduct[] = [];
  private readonly dataReadGuard: DataReadGuard;

  constructor(scope: Construct, id: string, props: DataDomainProps) {
    super(scope, id);
    this.meshName = resolveMeshName(this, props.meshName);
    checkSnakeCase(this, 'domain name', props.domainName, 'orders');
    this.domainName = props.domainName;
    const databasePrefix = props.databasePrefix ?? '';
    if (databasePrefix !== '' && !/^[a-z][a-z0-9_]*$/.test(databasePrefix)) {
      throw new DataMeshError(
        this,
        `databasePrefix "${databasePrefix}" must be lower-case letters, digits and _ starting with a letter (e.g. "dev_"): Glue and Athena names allow nothing else.`,
      );
    }
    checkNotReserved(this, 'domain name', this.domainName, `rename the domain, e.g. "${this.domainName}_domain".`);
    this.databaseName = conventionDatabaseName(this.domainName, databasePrefix);
    checkNotReserved(this, 'Glue database name', this.databaseName, `databasePrefix "${databasePrefix}" and domain "${this.domainName}" spell it: change the prefix (e.g. "${databasePrefix}db_").`);
    claimAppName(this, 'domain', `${this.meshName}/${this.domainName}`, 'a mesh has one DataDomain per domain; define it once and pass it to the stacks that need it (or reference its products with DataProduct.fromName).');
    claimAppName(this, 'Glue database', this.databaseName, `give one of the domains another name or databasePrefix (database names are the prefix followed by the domain name).`);
    checkDescription(this, { what: `description of domain "${this.domainName}"`, value: props.description, limit: 2048, resource: 'Glue database', noControlCharacters: true });
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    checkRemovalPolicy(this, this.removalPolicy);
    const stack = Stack.of(this);
    checkRegion(this, stack.region, stack.stackName);
    checkWholeDays(this, 'errorRetention', props.errorRetention, 'Duration.days(30)');
    checkWholeDays(this, 'noncurrentVersionRetention', props.noncurrentVersionRetention, 'Duration.days(30)');
    checkWholeDays(this, 'accessLogRetention', props.accessLogRetention, 'Duration.days(365)');

    this.schemaRegistryName = conventionRegistryName(this.meshName, this.domainName);
    const bucketName = checkDomainNames(this, { databasePrefix, databaseName: this.databaseName, schemaRegistryName: this.schemaRegistryName });
    this.keyAlias = keyAlias(this.meshName, this.domainName);
    this.encryptionKey = domainKey(this, this.removalPolicy);
    ({ logBucket: this.logBucket, bucket: this.bucket } = domainBuckets(this, { ...props, bucketName, encryptionKey: this.encryptionKey, removalPolicy: this.removalPolicy }));

    // --- Glue database and schema registry --------------------------------------------------------------
    const database = new glue.Database(this, 'Database', {
      databaseName: this.databaseName,
      description: props.description ?? `Data products of the ${this.domainName} domain (mesh ${this.meshName}).`,
      removalPolicy: this.removalPolicy,
    });
    this.glueDatabase = database;
    this.database = database.node.defaultChild as glue.CfnDatabase;
    this.databaseArn = stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName });

    this.schemaRegistry = new glue.CfnRegistry(this, 'SchemaRegistry', {
      name: this.schemaRegistryName,
      description: `JSON Schemas of the data products of domain ${this.domainName} (mesh ${this.meshName}), one schema per product version.`,
    });
    this.schemaRegistry.applyRemovalPolicy(this.removalPolicy);

    ({ registrationRole: this.registrationRole, dataLocation: this.dataLocation } = registerDataLocation(this, this.bucket, this.encryptionKey));
    this.dataReadGuard = new DataReadGuard(this.bucket, this.encryptionKey, bucketName);
    for (const arn of [this.registrationRole.roleArn, ...(props.breakGlassPrincipalArns ?? [])]) this.dataReadGuard.allow(arn);

    if (this.removalPolicy === RemovalPolicy.DESTROY) {
      Annotations.of(this).addWarningV2(
        'cdk-data-mesh:domain-removal-policy-destroy',
        `DataDomain ${this.node.path} has removalPolicy DESTROY: deleting the stack deletes its key (after 7 days), data bucket, ` +
          `Glue database and schema registry, and with them every product's data. Keep the default RemovalPolicy.RETAIN for real data.`,
      );
    }

    // Products are added after the domain, from anywhere in the app: count once the tree is complete.
    this.node.addValidation({ validate: () => this.validateStackSizes() });
  }

  /**
   * Lets `role` read the data bucket's objects despite the bucket policy's deny (a product's own writer:
   * its Firehose role, its pipeline). A role of another stack is not listed: its ARN would make the domain's
   * stack depend on the product's, which already depends on the domain's.
   */
  public allowObjectReads(role: iam.IRole): void {
    if (Stack.of(role) === Stack.of(this)) this.dataReadGuard.allow(role.roleArn);
  }

  /** The products registered in this domain (in this app), in creation order. */
  public get products(): readonly IDataProduct[] {
    return [...this.registeredProducts];
  }

  /**
   * Registers a product with its domain. Called by `DataProduct`; not for direct use.
   * @internal
   */
  public _registerProduct(product: IDataProduct): void {
    this.registeredProducts.push(product);
  }

  /**
   * The domain's stack and every stack holding one of its products (another stack, a nested stack) must stay
   * within `DOMAIN_STACK_RESOURCE_LIMIT` resources of their own (a nested stack's resources are in its template).
   */
  private validateStackSizes(): string[] {
    const stacks = new Set([Stack.of(this), ...this.registeredProducts.map((product) => Stack.of(product))]);
    const errors: string[] = [];
    for (const stack of stacks) {
      const count = stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
      if (count <= DOMAIN_STACK_RESOURCE_LIMIT) continue;
      errors.push(
        `Stack ${stack.node.path} holds ${count} CloudFormation resources with DataDomain ${this.node.path} ("${this.domainName}") or its products; ` +
          `a domain stack may hold at most ${DOMAIN_STACK_RESOURCE_LIMIT} (CloudFormation refuses more than ${CLOUDFORMATION_RESOURCE_LIMIT} per template, ` +
          `the rest is headroom for resources products gain in library upgrades). Split the products across stacks: create some of them ` +
          `in another stack (new Stack(app, '${stack.node.id}-2')) or in a nested stack (new NestedStack(this, 'MoreProducts')), with this domain as their domain.`,
      );
    }
    return errors;
  }
}
