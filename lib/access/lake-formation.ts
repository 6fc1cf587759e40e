/**
 * Lake Formation as the templates declare it: SELECT grants (named, column-filtered and LF-Tag based), the
 * LF-Tags on databases, tables and columns, the data-lake administrators and the registered data locations.
 */
import { constructPath, type AssemblyStack, type Json } from './assembly';
import { forEachResource, Resolver, Unresolvable } from './intrinsics';
import { normalizeArn } from './policies';

/** Which tables (and columns) a grant covers. */
export type LfGrantTarget =
  | { readonly kind: 'table'; readonly database: string; readonly table: string | '*'; readonly columns?: readonly string[]; readonly excluded?: readonly string[] }
  | { readonly kind: 'tags'; readonly expression: ReadonlyArray<{ readonly key: string; readonly values: readonly string[] }> }
  | { readonly kind: 'unresolved'; readonly why: string }
  /** Not a table (a database, a data location, database LF-Tags): no column to read. */
  | { readonly kind: 'none' };

export interface LfSelectGrant {
  readonly principal: string;
  readonly target: LfGrantTarget;
  /** Where it is declared: `consumers/Marketing/Read…/Select (AWS::LakeFormation::PrincipalPermissions)`. */
  readonly source: string;
}

/** LF-Tags by resource: `db`, `db.table`, `db.table.column`. */
export type LfTagIndex = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

export interface LakeFormationView {
  readonly selects: readonly LfSelectGrant[];
  readonly tags: LfTagIndex;
  /** The data-lake administrators: who, where they are named, and the account whose data lake they administer. */
  readonly admins: readonly LfAdmin[];
  /** Registered location (bucket ARN) → the role Lake Formation uses for it. */
  readonly registrations: ReadonlyMap<string, string>;
}

const READS = new Set(['SELECT', 'ALL']);


/** A data-lake administrator, in the account whose DataLakeSettings name it (undefined: the stack has no account). */
export interface LfAdmin {
  readonly arn: string;
  readonly source: string;
  readonly account?: string;
}

/** @param unreadable receives the resources whose grants, tags or settings cannot be resolved */
export function readLakeFormation(stacks: readonly AssemblyStack[], resolver: Resolver, unreadable: string[]): LakeFormationView {
  const selects: LfSelectGrant[] = [];
  const tags = new Map<string, Map<string, string[]>>();
  const admins: LfAdmin[] = [];
  const registrations = new Map<string, string>();
  const text = (value: unknown, stack: AssemblyStack) => resolver.string(value, stack);

  // Data cells filters, by `database.table.filter`: a grant on one reads the filter's columns.
  const filters = new Map<string, LfGrantTarget>();
  forEachResource(stacks, unreadable, (stack, _logicalId, r) => {
    if (r.Type !== 'AWS::LakeFormation::DataCellsFilter') return;
    const p: Json = r.Properties ?? {};
    filters.set(`${text(p.DatabaseName, stack)}.${text(p.TableName, stack)}.${text(p.Name, stack)}`, columnsTarget({ ...p, Name: p.TableName }, stack, resolver));
  });

  forEachResource(stacks, unreadable, (stack, logicalId, r) => {
    const p: Json = r.Properties ?? {};
    const source = `${constructPath(stack, logicalId)} (${r.Type})`;
    switch (r.Type) {
      case 'AWS::LakeFormation::PrincipalPermissions':
      case 'AWS::LakeFormation::Permissions': {
        const permissions = [...(p.Permissions ?? []), ...(p.PermissionsWithGrantOption ?? [])] as string[];
        if (!permissions.some((permission) => READS.has(permission))) break;
        const principalValue = r.Type === 'AWS::LakeFormation::Permissions' ? p.DataLakePrincipal?.DataLakePrincipalIdentifier : p.Principal?.DataLakePrincipalIdentifier;
        const principal = normalizeArn(text(principalValue, stack));
        const target = grantTarget(p.Resource, stack, resolver, r.Type === 'AWS::LakeFormation::Permissions', filters);
        if (target.kind !== 'none') selects.push({ principal, target, source });
        break;
      }
      case 'AWS::LakeFormation::TagAssociation': {
        const resource = p.Resource ?? {};
        const keys: string[] = [];
        if (resource.Database) keys.push(text(resource.Database.Name, stack));
        if (resource.Table) keys.push(`${text(resource.Table.DatabaseName, stack)}.${text(resource.Table.Name, stack)}`);
        if (resource.TableWithColumns) {
          const base = `${text(resource.TableWithColumns.DatabaseName, stack)}.${text(resource.TableWithColumns.Name, stack)}`;
          for (const column of resolver.strings(resource.TableWithColumns.ColumnNames, stack)) keys.push(`${base}.${column}`);
        }
        for (const key of keys) {
          const entry = tags.get(key) ?? new Map<string, string[]>();
          for (const tag of p.LFTags ?? []) entry.set(text(tag.TagKey, stack), resolver.strings(tag.TagValues, stack));
          tags.set(key, entry);
        }
        break;
      }
      case 'AWS::LakeFormation::DataLakeSettings':
        for (const admin of p.Admins ?? []) admins.push({ arn: normalizeArn(text(admin.DataLakePrincipalIdentifier, stack)), source, account: stack.account });
        break;
      case 'AWS::LakeFormation::Resource':
        if (p.RoleArn !== undefined) registrations.set(normalizeArn(text(p.ResourceArn, stack)), normalizeArn(text(p.RoleArn, stack)));
        break;
    }
  });
  return { selects, tags, admins, registrations };
}

function grantTarget(resource: Json, stack: AssemblyStack, resolver: Resolver, legacy: boolean, filters: ReadonlyMap<string, LfGrantTarget>): LfGrantTarget {
  try {
    const text = (value: unknown) => resolver.string(value, stack);
    const table = legacy ? resource?.TableResource : resource?.Table;
    const columns = legacy ? resource?.TableWithColumnsResource : resource?.TableWithColumns;
    const filter = resource?.DataCellsFilter ?? resource?.DataCellsFilterResource;
    const tagPolicy = resource?.LFTagPolicy;
    if (table !== undefined) {
      return { kind: 'table', database: text(table.DatabaseName), table: table.TableWildcard !== undefined ? '*' : text(table.Name) };
    }
    if (columns !== undefined) return columnsTarget(columns, stack, resolver);
    if (filter !== undefined) {
      const key = `${text(filter.DatabaseName)}.${text(filter.TableName)}.${text(filter.Name)}`;
      return filters.get(key) ?? { kind: 'unresolved', why: `data cells filter ${key} is not in the assembly` };
    }
    if (tagPolicy !== undefined) {
      if (text(tagPolicy.ResourceType) !== 'TABLE') return { kind: 'none' };
      return {
        kind: 'tags',
        expression: (tagPolicy.Expression ?? []).map((e: { TagKey: unknown; TagValues: unknown }) => ({ key: text(e.TagKey), values: resolver.strings(e.TagValues, stack) })),
      };
    }
    const shapes = Object.keys(resource ?? {});
    if (shapes.length > 0 && shapes.every((shape) => /^(Database|DataLocation|Catalog|LFTag)(Resource)?$/.test(shape))) return { kind: 'none' };
    return { kind: 'unresolved', why: `grant on ${JSON.stringify(resource)} is not a resource the report knows` };
  } catch (error) {
    if (!(error instanceof Unresolvable)) throw error;
    return { kind: 'unresolved', why: error.message };
  }
}

/** A table with a column list or a column wildcard (a `TableWithColumns` resource, or a data cells filter). */
function columnsTarget(columns: Json, stack: AssemblyStack, resolver: Resolver): LfGrantTarget {
  return {
    kind: 'table',
    database: resolver.string(columns.DatabaseName, stack),
    table: resolver.string(columns.Name, stack),
    ...(columns.ColumnNames !== undefined && { columns: resolver.strings(columns.ColumnNames, stack) }),
    ...(columns.ColumnWildcard !== undefined && { excluded: resolver.strings(columns.ColumnWildcard.ExcludedColumnNames ?? [], stack) }),
  };
}

/**
 * The columns of `database.table` a grant lets its principal SELECT. An LF-Tag expression matches a column
 * when, for every key, the column's tag (else its table's, else its database's) has one of the values.
 */
export function grantedColumns(target: LfGrantTarget, database: string, table: string, columns: readonly string[], tags: LfTagIndex): string[] {
  switch (target.kind) {
    case 'none':
      return [];
    case 'unresolved':
      return [...columns];
    case 'table':
      if (target.database !== database || (target.table !== '*' && target.table !== table)) return [];
      if (target.columns !== undefined) return columns.filter((c) => target.columns!.includes(c));
      return columns.filter((c) => !(target.excluded ?? []).includes(c));
    case 'tags':
      return columns.filter((column) =>
        target.expression.every(({ key, values }) => {
          const value =
            tags.get(`${database}.${table}.${column}`)?.get(key) ?? tags.get(`${database}.${table}`)?.get(key) ?? tags.get(database)?.get(key);
          return value !== undefined && value.some((v) => values.includes(v) || values.includes('*'));
        }),
      );
  }
}
