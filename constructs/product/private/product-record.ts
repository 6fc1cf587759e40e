import * as path from 'node:path';
import { Annotations, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ContractSpec } from '../../contract/types';
import { DataMeshError } from '../../domain/errors';
import { PII_ACCESS_METADATA_TYPE } from '../../governance/grants';
import { MANIFEST_METADATA_TYPE, type ProductEntry, type ProductPhysicalNames, type SqlSource, type StreamingSource } from '../../manifest/manifest';
import type { IDataProductRef } from '../data-product-ref';

/** Id of the warning a product with `removalPolicy: DESTROY` raises. */
const DESTROY_WARNING = 'cdk-data-mesh:product-removal-policy-destroy';
/** Acknowledgement id of that warning (see `DOMAIN_DESTROY_WARNING`). */
export const PRODUCT_DESTROY_WARNING = `Annotation::${DESTROY_WARNING}`;

/** Ids of the products defined in each app, to catch a product defined twice. */
const DEFINED_PRODUCTS = new WeakMap<IConstruct, Map<string, string>>();

/** A manifest entry a product still completes (its lineage, once its pipeline exists). */
export type MutableProductEntry = { -readonly [K in keyof ProductEntry]: ProductEntry[K] };

/** Refuses a product version defined twice in one app (of one mesh): the second one says where the first is. */
export function registerOncePerApp(product: IDataProductRef): void {
  const root = product.node.root;
  const defined = DEFINED_PRODUCTS.get(root) ?? new Map<string, string>();
  DEFINED_PRODUCTS.set(root, defined);
  const key = `${product.meshName}/${product.productId}`;
  const existing = defined.get(key);
  if (existing !== undefined) {
    throw new DataMeshError(
      product,
      `Data product ${product.productId} (mesh "${product.meshName}") is already defined at "${existing}": define each product version once per app, ` +
        `and reference it elsewhere with DataProduct.fromName(this, id, { domain: '${product.domainName}', name: '${product.productName}', version: ${product.version} }).`,
    );
  }
  defined.set(key, product.node.path);
}

export interface ProductRecordProps {
  readonly spec: ContractSpec;
  readonly physical: ProductPhysicalNames;
  /** The removal policy the props set explicitly (an inherited DESTROY is reported on the domain). */
  readonly explicitRemovalPolicy?: RemovalPolicy;
  /** The team's transform module, absolute. */
  readonly transformEntry?: string;
  readonly source?: StreamingSource | SqlSource;
}

/**
 * What the app records of a product besides its resources: its tags (product, owner, deprecation), the
 * warning of an explicit `removalPolicy: DESTROY`, and its mesh manifest entry (the catalog and `mesh dev`
 * read it), returned so that the lineage can still be added.
 */
export function recordProduct(product: IDataProductRef, props: ProductRecordProps): MutableProductEntry {
  const { spec } = props;
  Tags.of(product).add('mesh:product', product.productId);
  Tags.of(product).add('mesh:owner', spec.owner.team);
  if (spec.deprecated !== undefined) {
    Tags.of(product).add('mesh:deprecated-sunset', spec.deprecated.sunset);
    if (spec.deprecated.successor !== undefined) Tags.of(product).add('mesh:successor', spec.deprecated.successor);
  }
  if (props.explicitRemovalPolicy === RemovalPolicy.DESTROY) {
    Annotations.of(product).addWarningV2(
      DESTROY_WARNING,
      `DataProduct ${product.node.path} (${product.productId}) has removalPolicy DESTROY: deleting the stack deletes its stream (with unread records), ` +
        `Glue table, registry schema and log groups. Keep the default RemovalPolicy.RETAIN for real data.`,
    );
  }
  const entry: MutableProductEntry = {
    kind: 'product',
    id: product.productId,
    mesh: product.meshName,
    path: product.node.path,
    stackName: Stack.of(product).stackName,
    ...(!Token.isUnresolved(Stack.of(product).account) && { account: Stack.of(product).account }),
    contract: spec,
    physical: props.physical,
    ...(props.transformEntry !== undefined && { transformEntry: path.relative(process.cwd(), props.transformEntry) }),
    ...(props.source !== undefined && { source: props.source }),
  };
  product.node.addMetadata(MANIFEST_METADATA_TYPE, entry, { stackTrace: false });
  return entry;
}

/** Why each consumer was granted the product's PII columns, from the records its grants left on it. */
export function piiReasons(product: IConstruct): Record<string, string> {
  const reasons: Record<string, string> = {};
  for (const entry of product.node.metadata) {
    if (entry.type !== PII_ACCESS_METADATA_TYPE) continue;
    const record = entry.data as { consumer?: string; reason?: string };
    if (typeof record.consumer === 'string' && typeof record.reason === 'string') reasons[record.consumer] = record.reason;
  }
  return reasons;
}
