/**
 * `mesh catalog --live`: the same catalog model, read from an AWS account instead of a cloud assembly.
 *
 * - Glue `GetTables` over the mesh databases (by default the values of the `domain` LF-Tag, which
 *   `MeshGovernance` creates from the registered domains): columns, types, comments, the S3 location, and
 *   the product facts DataProduct records as table parameters (`TABLE_PARAMETERS` of
 *   constructs/product/table-parameters.ts; lineage from `LINEAGE_PARAMETERS` of the derived constructs).
 *   Absent parameters fall back to the Glue fields (`Description`, `Owner`) or show as unknown.
 * - Lake Formation `GetResourceLFTags`: the `classification` LF-Tag of each table and column (what access
 *   decisions actually use, so it wins over the parameters).
 * - Lake Formation `ListPermissions` on each table: who may SELECT, and which columns are withheld.
 *
 * Only read-only calls. Needs `glue:GetTables`, `lakeformation:ListLFTags`, `lakeformation:GetResourceLFTags`,
 * `lakeformation:ListPermissions` (and Lake Formation DESCRIBE on the tables, or data-lake-admin rights).
 */
import { GetTablesCommand, type Column, type GlueClient, type Table } from '@aws-sdk/client-glue';
import {
  GetResourceLFTagsCommand,
  ListLFTagsCommand,
  ListPermissionsCommand,
  type LakeFormationClient,
  type PrincipalResourcePermissions,
} from '@aws-sdk/client-lakeformation';
import type { ExampleQuery } from '../../constructs/contract/types';
import { LINEAGE_PARAMETERS } from '../../constructs/derived/lineage';
import { LF_TAG_KEYS } from '../../constructs/governance/lf-tags';
import { streamName, deliveryStreamName } from '../../constructs/naming/naming';
import { TABLE_PARAMETERS, type ColumnFacts } from '../../constructs/product/table-parameters';
import { piiColumnNames, sortModel, type CatalogColumn, type CatalogGrant, type CatalogModel, type CatalogProduct, type CatalogSource } from './model';

export interface LiveCatalogOptions {
  readonly glue: GlueClient;
  readonly lakeFormation: LakeFormationClient;
  /** @default - the values of the `domain` LF-Tag */
  readonly databases?: readonly string[];
  /** Shown in the footer. @default 'AWS account (live)' */
  readonly origin?: string;
  /**
   * The consumer name of a Lake Formation principal, or `undefined` to leave the principal out (e.g. the
   * product's own Firehose role). @default - the IAM role or user name of the principal ARN
   */
  readonly consumerName?: (principal: string) => string | undefined;
}

/** Reads the mesh from Glue and Lake Formation and maps it to the catalog model. */
export async function catalogFromAws(options: LiveCatalogOptions): Promise<CatalogModel> {
  const databases = options.databases ?? (await domainTagValues(options.lakeFormation));
  if (databases.length === 0) {
    throw new Error(
      `No mesh databases found: the LF-Tag "${LF_TAG_KEYS.domain}" has no values in this account and region. ` +
        'Deploy the governance stack first, or pass --databases <name,…>.',
    );
  }
  const consumerName = options.consumerName ?? principalName;
  const products: CatalogProduct[] = [];
  const grants: CatalogGrant[] = [];
  const meshes = new Set<string>();
  for (const database of databases) {
    for (const table of await getTables(options.glue, database)) {
      const params = table.Parameters ?? {};
      if (params[TABLE_PARAMETERS.productId] === undefined) continue;
      const tags = await options.lakeFormation.send(
        new GetResourceLFTagsCommand({ Resource: { Table: { DatabaseName: database, Name: table.Name } }, ShowAssignedLFTags: true }),
      );
      const product = productFromTable(database, table, {
        table: tagValue(tags.LFTagsOnTable, LF_TAG_KEYS.classification),
        columns: new Map(
          (tags.LFTagsOnColumns ?? []).map((c) => [c.Name ?? '', tagValue(c.LFTags, LF_TAG_KEYS.classification)]),
        ),
      });
      if (params[TABLE_PARAMETERS.mesh] !== undefined) meshes.add(params[TABLE_PARAMETERS.mesh]);
      products.push(product);
      const reasons = parseJson<Record<string, string>>(params[TABLE_PARAMETERS.piiReasons], TABLE_PARAMETERS.piiReasons, table) ?? {};
      const permissions = await listPermissions(options.lakeFormation, database, table.Name!);
      grants.push(...grantsFromPermissions(product, permissions, consumerName, reasons));
    }
  }
  const consumers = [...new Set(grants.map((g) => g.consumer))].map((name) => ({ name }));
  return sortModel({
    mesh: [...meshes].join(', ') || databases.join(', '),
    origin: options.origin ?? 'AWS account (live)',
    products,
    consumers,
    grants,
  });
}

async function domainTagValues(lakeFormation: LakeFormationClient): Promise<string[]> {
  const values: string[] = [];
  let token: string | undefined;
  do {
    const page = await lakeFormation.send(new ListLFTagsCommand({ NextToken: token }));
    for (const tag of page.LFTags ?? []) if (tag.TagKey === LF_TAG_KEYS.domain) values.push(...(tag.TagValues ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return values.sort();
}

async function getTables(glue: GlueClient, database: string): Promise<Table[]> {
  const tables: Table[] = [];
  let token: string | undefined;
  do {
    const page = await glue.send(new GetTablesCommand({ DatabaseName: database, NextToken: token }));
    tables.push(...(page.TableList ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return tables;
}

async function listPermissions(lakeFormation: LakeFormationClient, database: string, table: string): Promise<PrincipalResourcePermissions[]> {
  const permissions: PrincipalResourcePermissions[] = [];
  let token: string | undefined;
  do {
    const page = await lakeFormation.send(
      new ListPermissionsCommand({
        Resource: { Table: { DatabaseName: database, Name: table } },
        // Column-level grants are TableWithColumns resources: "related" permissions include them.
        IncludeRelated: 'TRUE',
        NextToken: token,
      }),
    );
    permissions.push(...(page.PrincipalResourcePermissions ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return permissions;
}

function tagValue(tags: ReadonlyArray<{ TagKey?: string; TagValues?: string[] }> | undefined, key: string): string | undefined {
  return tags?.find((t) => t.TagKey === key)?.TagValues?.[0];
}

function parseJson<T>(value: string | undefined, key: string, table: Table): T | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch (error) {
    throw new Error(
      `Table ${table.DatabaseName}.${table.Name}: parameter "${key}" is not valid JSON (${(error as Error).message}): ${value.slice(0, 80)}`,
    );
  }
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '' || !Number.isFinite(Number(value))) return undefined;
  return Number(value);
}

interface LfClassifications {
  readonly table?: string;
  readonly columns: ReadonlyMap<string, string | undefined>;
}

/** Maps one Glue table (plus its LF-Tags) to a catalog product. */
export function productFromTable(database: string, table: Table, classifications: LfClassifications): CatalogProduct {
  const params = table.Parameters ?? {};
  const id = params[TABLE_PARAMETERS.productId];
  const match = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.v(\d+)$/.exec(id ?? '');
  if (match === null) {
    throw new Error(
      `Table ${database}.${table.Name}: parameter "${TABLE_PARAMETERS.productId}" is "${id}", expected <domain>.<name>.v<version> (e.g. orders.order_placed.v1).`,
    );
  }
  const [, domain, name, version] = match;
  const facts = parseJson<Record<string, ColumnFacts>>(params[TABLE_PARAMETERS.columns], TABLE_PARAMETERS.columns, table) ?? {};
  const columns = (table.StorageDescriptor?.Columns ?? []).map((c) =>
    columnFromGlue(c, facts[c.Name ?? ''], classifications.columns.get(c.Name ?? '')),
  );
  const mesh = params[TABLE_PARAMETERS.mesh];
  const parts = mesh === undefined ? undefined : { mesh, domain, product: name, version: Number(version) };
  const sunset = params[TABLE_PARAMETERS.deprecatedSunset];
  const successor = params[TABLE_PARAMETERS.deprecatedSuccessor];
  const source = sourceOf(params);
  const partitionColumn = params[TABLE_PARAMETERS.partitionColumn];
  return {
    id: id!,
    domain,
    name,
    version: Number(version),
    description: params[TABLE_PARAMETERS.description] ?? table.Description ?? '',
    owner: { team: params[TABLE_PARAMETERS.ownerTeam] ?? table.Owner ?? 'unknown', contact: params[TABLE_PARAMETERS.ownerContact] ?? 'unknown' },
    classification: classifications.table ?? params[TABLE_PARAMETERS.classification] ?? 'unknown',
    sla: {
      ...(number(params[TABLE_PARAMETERS.freshnessMinutes]) !== undefined && { freshnessMinutes: number(params[TABLE_PARAMETERS.freshnessMinutes]) }),
      ...(number(params[TABLE_PARAMETERS.retentionDays]) !== undefined && { retentionDays: number(params[TABLE_PARAMETERS.retentionDays]) }),
    },
    tags: (params[TABLE_PARAMETERS.tags] ?? '').split(',').map((t) => t.trim()).filter((t) => t !== ''),
    columns,
    ...(partitionColumn !== undefined && {
      partition: { column: partitionColumn, granularity: params[TABLE_PARAMETERS.partitionGranularity] ?? 'day' },
    }),
    ...(sunset !== undefined && { deprecated: { sunset, ...(successor !== undefined && { successor }) } }),
    exampleQueries: parseJson<ExampleQuery[]>(params[TABLE_PARAMETERS.exampleQueries], TABLE_PARAMETERS.exampleQueries, table) ?? [],
    names: {
      ...(parts !== undefined && { stream: streamName(parts), deliveryStream: deliveryStreamName(parts) }),
      database,
      table: table.Name!,
      ...(table.StorageDescriptor?.Location !== undefined && { dataLocation: table.StorageDescriptor.Location }),
    },
    ...(source !== undefined && { source }),
  };
}

/** A derived product's inputs, from the lineage parameters the derived constructs write. */
function sourceOf(params: Record<string, string>): CatalogSource | undefined {
  const inputs = params[LINEAGE_PARAMETERS.inputs];
  if (inputs === undefined) return undefined;
  const kind = params[LINEAGE_PARAMETERS.kind] === 'sql' ? 'sql' : 'stream';
  return { kind, from: inputs.split(',').map((id) => id.trim()).filter((id) => id !== '') };
}

function columnFromGlue(column: Column, facts: ColumnFacts | undefined, lfClassification: string | undefined): CatalogColumn {
  const classification = lfClassification ?? facts?.classification;
  return {
    name: column.Name!,
    depth: 0,
    type: column.Type ?? 'unknown',
    ...(facts !== undefined && { required: facts.required }),
    ...(column.Comment !== undefined && { description: column.Comment }),
    ...(classification !== undefined && { classification }),
    pii: classification === 'pii',
    primaryKey: facts?.primaryKey ?? false,
  };
}

/** `arn:aws:iam::123456789012:role/shop/marketing-consumer` → `marketing-consumer`. */
export function principalName(principal: string): string | undefined {
  const match = /^arn:aws[a-z-]*:iam::\d{12}:(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(principal);
  return match?.[1] ?? (principal.startsWith('arn:') ? undefined : principal);
}

/**
 * The Lake Formation permissions on one product table → catalog grants, one per consumer that may SELECT.
 * A consumer's DESCRIBE (on the table) and SELECT (on columns) arrive as separate entries and are merged;
 * a column counts as withheld only if every SELECT entry of the consumer withholds it.
 */
export function grantsFromPermissions(
  product: CatalogProduct,
  permissions: readonly PrincipalResourcePermissions[],
  consumerName: (principal: string) => string | undefined,
  piiReasons: Readonly<Record<string, string>>,
): CatalogGrant[] {
  const topLevel = product.columns.filter((c) => c.depth === 0).map((c) => c.name);
  const pii = piiColumnNames(product.columns);
  const byConsumer = new Map<string, { principal: string; permissions: Set<string>; excluded?: string[] }>();
  for (const permission of permissions) {
    const principal = permission.Principal?.DataLakePrincipalIdentifier;
    if (principal === undefined) continue;
    const consumer = consumerName(principal);
    if (consumer === undefined) continue;
    const entry = byConsumer.get(consumer) ?? { principal, permissions: new Set<string>() };
    byConsumer.set(consumer, entry);
    const granted = permission.Permissions ?? [];
    granted.forEach((p) => entry.permissions.add(p));
    if (!granted.some((p) => p === 'SELECT' || p === 'ALL')) continue;
    const withColumns = permission.Resource?.TableWithColumns;
    const excluded =
      withColumns?.ColumnNames !== undefined
        ? topLevel.filter((c) => !withColumns.ColumnNames!.includes(c))
        : (withColumns?.ColumnWildcard?.ExcludedColumnNames ?? []);
    entry.excluded = entry.excluded === undefined ? [...excluded] : entry.excluded.filter((c) => excluded.includes(c));
  }
  const grants: CatalogGrant[] = [];
  for (const [consumer, entry] of byConsumer) {
    if (entry.excluded === undefined) continue; // DESCRIBE only: not a reader
    const includesPii = pii.some((c) => !entry.excluded!.includes(c));
    const reason = piiReasons[consumer] ?? piiReasons[entry.principal];
    grants.push({
      product: product.id,
      consumer,
      permissions: [...entry.permissions].sort(),
      excludedColumns: entry.excluded,
      includesPii,
      ...(includesPii && reason !== undefined && { piiReason: reason }),
    });
  }
  return grants;
}
