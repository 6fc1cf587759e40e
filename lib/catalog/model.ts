/**
 * The catalog model: what the catalog site shows, independent of where the facts come from
 * (the mesh manifest of a cloud assembly, or a live AWS account through Glue and Lake Formation).
 * Everything is plain data, sorted, so that the same mesh always renders the same site.
 */
import { catalogRules, type CatalogRule } from './quality';
import type { ColumnSpec, DeprecationSpec, ExampleQuery, SlaSpec } from '../../constructs/contract/types';
import { glueType } from '../../constructs/contract/glue-types';
import type { MeshManifest, ProductEntry } from '../../constructs/manifest/manifest';
import { dataBucketName } from '../../constructs/naming/naming';

/** One row of a product's contract table; struct fields appear as their own rows (`experiment.name`). */
export interface CatalogColumn {
  /** Dotted path for struct fields, e.g. `line_items.sku`. */
  readonly name: string;
  /** Nesting depth: 0 for top-level columns. */
  readonly depth: number;
  /** Hive/Glue type, e.g. `decimal(12,2)` or `array<struct<sku:string>>`. */
  readonly type: string;
  /** `undefined` when the source does not say (live mode without the column parameter). */
  readonly required?: boolean;
  readonly description?: string;
  readonly classification?: string;
  /** The column is (or contains) personal data. */
  readonly pii: boolean;
  readonly primaryKey: boolean;
  readonly examples?: readonly unknown[];
}

export interface CatalogGrant {
  readonly product: string;
  readonly consumer: string;
  readonly permissions: readonly string[];
  readonly excludedColumns: readonly string[];
  /** The grant lets the consumer read at least one PII column. */
  readonly includesPii: boolean;
  readonly piiReason?: string;
  /** The derived product whose pipeline holds this grant. */
  readonly forProduct?: string;
}

export interface CatalogSource {
  readonly kind: 'stream' | 'sql';
  readonly from: readonly string[];
  readonly schedule?: string;
  readonly sql?: string;
  readonly handlerEntry?: string;
}

export interface CatalogNames {
  readonly stream?: string;
  readonly deliveryStream?: string;
  readonly database: string;
  readonly table: string;
  /** Where the table's data lives, e.g. `s3://shop-orders-data-<account>-<region>/order_placed_v1/`. */
  readonly dataLocation?: string;
  readonly errorPrefix?: string;
}

export interface CatalogProduct {
  /** `<domain>.<name>.v<version>` */
  readonly id: string;
  readonly domain: string;
  readonly name: string;
  readonly version: number;
  readonly description: string;
  readonly owner: { readonly team: string; readonly contact: string };
  readonly classification: string;
  readonly sla: SlaSpec;
  readonly tags: readonly string[];
  readonly columns: readonly CatalogColumn[];
  readonly partition?: { readonly column: string; readonly granularity: string };
  readonly deprecated?: DeprecationSpec;
  readonly exampleQueries: readonly ExampleQuery[];
  readonly names: CatalogNames;
  /** Set for derived products: where their data comes from. */
  readonly source?: CatalogSource;
  /** The contract's quality rules, in words, with their latest results when known. */
  readonly quality?: readonly CatalogRule[];
  /** The AWS account of the product's stack, in a multi-account mesh. */
  readonly account?: string;
}

export interface CatalogConsumer {
  readonly name: string;
  readonly description?: string;
  readonly workgroupName?: string;
  /** The consumer's AWS account, in a multi-account mesh. */
  readonly account?: string;
}

export interface CatalogModel {
  readonly mesh: string;
  /** Where the facts were read from, shown in the site's footer, e.g. `cloud assembly cdk.out`. */
  readonly origin: string;
  readonly products: readonly CatalogProduct[];
  readonly consumers: readonly CatalogConsumer[];
  readonly grants: readonly CatalogGrant[];
}

/** Top-level column names that are, or contain, PII (the columns a non-PII grant withholds). */
export function piiColumnNames(columns: readonly CatalogColumn[]): string[] {
  const top = new Set<string>();
  for (const column of columns) if (column.pii) top.add(column.name.split('.')[0]);
  return [...top];
}

/** Flattens contract columns (and struct fields, recursively) into catalog rows. */
export function catalogColumns(columns: Readonly<Record<string, ColumnSpec>>, prefix = '', depth = 0): CatalogColumn[] {
  const rows: CatalogColumn[] = [];
  for (const [name, column] of Object.entries(columns)) {
    const path = `${prefix}${name}`;
    const nested = structFields(column);
    const nestedRows = nested === undefined ? [] : catalogColumns(nested, `${path}.`, depth + 1);
    rows.push({
      name: path,
      depth,
      type: glueType(column.type),
      required: column.required,
      ...(column.description !== undefined && { description: column.description }),
      ...(column.classification !== undefined && { classification: column.classification }),
      pii: column.classification === 'pii' || nestedRows.some((row) => row.pii),
      primaryKey: column.primaryKey ?? false,
      ...(column.examples !== undefined && { examples: column.examples }),
    });
    rows.push(...nestedRows);
  }
  return rows;
}

/** The fields of a struct column, or of the struct inside an array or map column. */
function structFields(column: ColumnSpec): Readonly<Record<string, ColumnSpec>> | undefined {
  let type = column.type;
  while (type.kind === 'array' || type.kind === 'map') type = type.kind === 'array' ? type.items : type.values;
  return type.kind === 'struct' ? type.fields : undefined;
}

function productFromEntry(entry: ProductEntry): CatalogProduct {
  const spec = entry.contract;
  const columns = catalogColumns(spec.columns);
  return {
    id: entry.id,
    domain: spec.domain,
    name: spec.name,
    version: spec.version,
    description: spec.description,
    owner: { team: spec.owner.team, contact: spec.owner.contact },
    classification: spec.classification,
    sla: spec.sla,
    tags: spec.tags,
    columns,
    partition: { column: spec.partitionBy.column, granularity: spec.partitionBy.granularity },
    ...(spec.deprecated !== undefined && { deprecated: spec.deprecated }),
    exampleQueries: spec.exampleQueries,
    quality: catalogRules(spec),
    names: {
      stream: entry.physical.streamName,
      deliveryStream: entry.physical.deliveryStreamName,
      database: entry.physical.databaseName,
      table: entry.physical.tableName,
      // The region (and, in a single-account mesh, the account) is only known at deploy time; the name shows where they go.
      dataLocation: `s3://${dataBucketName(entry.mesh, spec.domain, entry.account ?? '<account>', '<region>')}/${entry.physical.dataPrefix}`,
      errorPrefix: entry.physical.errorPrefix,
    },
    ...(entry.account !== undefined && { account: entry.account }),
    ...(entry.source !== undefined && {
      source:
        entry.source.kind === 'sql'
          ? { kind: 'sql', from: entry.source.from, schedule: entry.source.schedule, sql: entry.source.sql }
          : { kind: 'stream', from: entry.source.from, handlerEntry: entry.source.handlerEntry },
    }),
  };
}

/** The catalog of a mesh, from the manifest the constructs recorded in the cloud assembly. */
export function catalogFromManifest(manifest: MeshManifest, origin = 'mesh manifest'): CatalogModel {
  const products = manifest.products.map(productFromEntry);
  const byId = new Map(products.map((product) => [product.id, product]));
  const grants = manifest.grants.map((grant): CatalogGrant => {
    const product = byId.get(grant.product);
    const pii = product === undefined ? [] : piiColumnNames(product.columns);
    return {
      product: grant.product,
      consumer: grant.consumer,
      permissions: grant.permissions,
      excludedColumns: grant.excludedColumns,
      includesPii: pii.some((column) => !grant.excludedColumns.includes(column)),
      ...(grant.piiReason !== undefined && { piiReason: grant.piiReason }),
      ...(grant.forProduct !== undefined && { forProduct: grant.forProduct }),
    };
  });
  const meshes = [...new Set([...manifest.products.map((p) => p.mesh), ...manifest.consumers.map((c) => c.mesh)])];
  return sortModel({
    mesh: meshes.join(', ') || '(empty mesh)',
    origin,
    products,
    consumers: manifest.consumers.map((consumer) => ({
      name: consumer.name,
      ...(consumer.description !== undefined && { description: consumer.description }),
      workgroupName: consumer.workgroupName,
      ...(consumer.account !== undefined && { account: consumer.account }),
    })),
    grants,
  });
}

/** Sorts products by id, consumers by name and grants by product then consumer. */
export function sortModel(model: CatalogModel): CatalogModel {
  return {
    ...model,
    products: [...model.products].sort((a, b) => compareIds(a.id, b.id)),
    consumers: [...model.consumers].sort((a, b) => a.name.localeCompare(b.name)),
    grants: [...model.grants].sort((a, b) => a.product.localeCompare(b.product) || a.consumer.localeCompare(b.consumer)),
  };
}

/** Orders `orders.order_placed.v2` after `orders.order_placed.v1` and before `…v10`. */
function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The domains of the mesh, sorted, each with its product ids. */
export function domainsOf(model: CatalogModel): Array<{ name: string; products: string[] }> {
  const domains = new Map<string, string[]>();
  for (const product of model.products) domains.set(product.domain, [...(domains.get(product.domain) ?? []), product.id]);
  return [...domains.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, products]) => ({ name, products }));
}

/** Every version of the same product (same domain and name) in the mesh, oldest first. */
export function versionsOf(model: CatalogModel, product: CatalogProduct): CatalogProduct[] {
  return model.products
    .filter((p) => p.domain === product.domain && p.name === product.name)
    .sort((a, b) => a.version - b.version);
}

/** Products derived from `productId` (its direct downstream). */
export function derivedFrom(model: CatalogModel, productId: string): CatalogProduct[] {
  return model.products.filter((p) => p.source?.from.includes(productId) ?? false);
}
