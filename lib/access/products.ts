/**
 * The data products of an assembly as the access report sees them: each Glue table with a `mesh.product_id`
 * parameter, its columns and PII columns, where its data lives (bucket and prefix, stream), the KMS keys that
 * encrypt them, and the roles that write it (Firehose delivery role and processor).
 */
import { catalogColumns, piiColumnNames } from '../catalog/model';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { TABLE_PARAMETERS } from '../../constructs/product/table-parameters';
import { constructPath, type AssemblyStack, type Json } from './assembly';
import { forEachResource, Resolver, Unresolvable } from './intrinsics';
import { normalizeArn } from './policies';

export interface AccessProduct {
  readonly id: string;
  readonly database: string;
  readonly table: string;
  /** Table columns, then partition keys. */
  readonly columns: readonly string[];
  /** Columns classified `pii` (table parameter `mesh.columns` or the contract in the manifest). */
  readonly piiColumns: readonly string[];
  /** `arn:${AWS::Partition}:s3:::<bucket>/<prefix>`: every object of the product is under it. */
  readonly dataArn?: string;
  readonly streamArn?: string;
  /** The keys that encrypt the product's objects and stream records. */
  readonly keyArns: readonly string[];
  /** The account whose catalog holds its table (its stack's), when the stack names one. */
  readonly account?: string;
  /** The PII reasons its table records (`mesh.pii_reasons`), by consumer. */
  readonly piiReasons: Readonly<Record<string, string>>;
}

export interface ProductView {
  readonly products: readonly AccessProduct[];
  /** Key ARN → its aliases (`alias/shop/accounts`), for `kms:ResourceAliases` conditions. */
  readonly aliases: ReadonlyMap<string, readonly string[]>;
  /** Role ARN → the product it delivers, as its Firehose delivery role or its processor's role, and where. */
  readonly writers: ReadonlyMap<string, ProductWriter>;
}

export interface ProductWriter {
  readonly product: string;
  readonly kind: 'firehose' | 'processor';
  /** The delivery stream that uses the role, as the report cites it. */
  readonly source: string;
}


/** @param unreadable receives the resources whose facts cannot be resolved */
export function readProducts(stacks: readonly AssemblyStack[], resolver: Resolver, manifest: MeshManifest, unreadable: string[]): ProductView {
  const tryString = (value: unknown, stack: AssemblyStack) => {
    try {
      return resolver.string(value, stack);
    } catch (error) {
      if (error instanceof Unresolvable) return undefined;
      throw error;
    }
  };
  const keyArn = (value: unknown, stack: AssemblyStack) => {
    const id = tryString(value, stack);
    if (id === undefined) return undefined;
    if (id.startsWith('arn:')) return normalizeArn(id);
    return `arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:${id.startsWith('alias/') ? id : `key/${id}`}`;
  };

  const bucketKeys = new Map<string, string>();
  const streamKeys = new Map<string, string | undefined>();
  const streamsByProduct = new Map<string, string>();
  const aliases = new Map<string, string[]>();
  const functionRoles = new Map<string, string>();
  forEachResource(stacks, unreadable, (stack, logicalId, r) => {
    const p: Json = r.Properties ?? {};
    if (r.Type === 'AWS::S3::Bucket') {
      const key = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
      const arn = key === undefined ? undefined : keyArn(key, stack);
      if (arn !== undefined) bucketKeys.set(resolver.arnOf(stack, logicalId), arn);
    } else if (r.Type === 'AWS::Kinesis::Stream') {
      const arn = resolver.arnOf(stack, logicalId);
      streamKeys.set(arn, p.StreamEncryption?.KeyId === undefined ? undefined : keyArn(p.StreamEncryption.KeyId, stack));
      const product = (p.Tags ?? []).find((t: { Key: string }) => t.Key === 'mesh:product')?.Value;
      if (typeof product === 'string') streamsByProduct.set(product, arn);
    } else if (r.Type === 'AWS::KMS::Alias') {
      const key = keyArn(p.TargetKeyId, stack);
      const name = tryString(p.AliasName, stack);
      if (key !== undefined && name !== undefined) aliases.set(key, [...(aliases.get(key) ?? []), name]);
    } else if (r.Type === 'AWS::Lambda::Function') {
      const role = tryString(p.Role, stack);
      if (role !== undefined) functionRoles.set(resolver.arnOf(stack, logicalId), normalizeArn(role));
    }
  });

  const writers = new Map<string, ProductWriter>();
  forEachResource(stacks, unreadable, (stack, logicalId, r) => {
    if (r.Type !== 'AWS::KinesisFirehose::DeliveryStream') return;
    const where = constructPath(stack, logicalId);
    const p: Json = r.Properties ?? {};
    const product = (p.Tags ?? []).find((t: { Key: string }) => t.Key === 'mesh:product')?.Value;
    if (typeof product !== 'string') return;
    const destination = p.ExtendedS3DestinationConfiguration ?? p.S3DestinationConfiguration ?? {};
    for (const role of [destination.RoleARN, p.KinesisStreamSourceConfiguration?.RoleARN]) {
      const arn = role === undefined ? undefined : tryString(role, stack);
      if (arn !== undefined) writers.set(normalizeArn(arn), { product, kind: 'firehose', source: `${where} (delivery role)` });
    }
    for (const processor of destination.ProcessingConfiguration?.Processors ?? []) {
      for (const parameter of processor.Parameters ?? []) {
        if (parameter.ParameterName !== 'LambdaArn') continue;
        const fn = tryString(parameter.ParameterValue, stack);
        const role = fn === undefined ? undefined : functionRoles.get(normalizeArn(fn).replace(/:(\$LATEST|\d+)$/, ''));
        if (role !== undefined) writers.set(role, { product, kind: 'processor', source: `${where}: its processor Lambda receives every record` });
      }
    }
  });

  const products: AccessProduct[] = [];
  forEachResource(stacks, unreadable, (stack, logicalId, r) => {
    if (r.Type !== 'AWS::Glue::Table') return;
    const input: Json = r.Properties?.TableInput ?? {};
    const parameters: Record<string, unknown> = input.Parameters ?? {};
    const id = parameters[TABLE_PARAMETERS.productId];
    if (typeof id !== 'string') return;
    const names = (list: Array<{ Name: unknown }> | undefined) => (list ?? []).map((c) => resolver.string(c.Name, stack));
    const columns = [...names(input.StorageDescriptor?.Columns), ...names(input.PartitionKeys)];
    const facts = JSON.parse(String(parameters[TABLE_PARAMETERS.columns] ?? '{}')) as Record<string, { classification?: string }>;
    const entry = manifest.products.find((p) => p.id === id);
    const pii = new Set([
      ...Object.entries(facts).filter(([, f]) => f.classification === 'pii').map(([name]) => name),
      ...(entry === undefined ? [] : piiColumnNames(catalogColumns(entry.contract.columns))),
    ]);
    const location = tryString(input.StorageDescriptor?.Location, stack);
    const match = location === undefined ? null : /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(location);
    const bucketArn = match === null ? undefined : `arn:\${AWS::Partition}:s3:::${match[1]}`;
    // The stream tagged with the product, else the one the manifest names.
    const streamArn =
      streamsByProduct.get(id) ??
      (entry === undefined ? undefined : `arn:\${AWS::Partition}:kinesis:\${AWS::Region}:\${AWS::AccountId}:stream/${entry.physical.streamName}`);
    const keys = [bucketArn === undefined ? undefined : bucketKeys.get(bucketArn), streamArn === undefined ? undefined : streamKeys.get(streamArn)];
    const reasons = parameters[TABLE_PARAMETERS.piiReasons];
    products.push({
      id,
      database: resolver.string(r.Properties?.DatabaseName, stack),
      table: resolver.nameOf(stack, logicalId),
      columns,
      piiColumns: columns.filter((c) => pii.has(c)),
      ...(match !== null && { dataArn: `${bucketArn}/${match[2]}` }),
      ...(streamArn !== undefined && streamKeys.has(streamArn) && { streamArn }),
      keyArns: [...new Set(keys.filter((k): k is string => k !== undefined))],
      piiReasons: typeof reasons === 'string' ? (JSON.parse(reasons) as Record<string, string>) : {},
      ...(stack.account !== undefined && { account: stack.account }),
    });
  });
  return { products: products.sort((a, b) => a.id.localeCompare(b.id)), aliases, writers };
}
