import type { ColumnSpec, ContractSpec, OdcsImportOptions } from '../types';
import { ownerOf, partitionOf, pickTable } from './import';
import { MESH_CUSTOM, ODCS_API_VERSION } from './names';
import { customProperties, isObject, majorOf, sameData, withCustomProperties, type OdcsNode } from './private/nodes';
import { PropertyReader } from './property-reader';
import { mergeQuality } from './quality';
import { mergeSlaProperties } from './sla';

type Options = { -readonly [K in keyof OdcsImportOptions]: OdcsImportOptions[K] };

/** Custom properties the mesh owns at the root: rewritten from the contract on every export. */
const ROOT_CUSTOM = [MESH_CUSTOM.classification, MESH_CUSTOM.fields, MESH_CUSTOM.deprecation, MESH_CUSTOM.volume, MESH_CUSTOM.exampleQueries, MESH_CUSTOM.importOptions];

/**
 * The document a contract was imported from, with the contract's values merged in.
 *
 * Every field of the document stays as written where it already says what the contract says (so
 * `physicalType: varchar(18)`, `businessName`, `quality`, `servers`, `roles`, `price`, `support`, other
 * team members and SLA items, unknown custom properties… all come back unchanged). Where the contract says
 * something else (it was edited in code), or the document is silent, the mesh's value is written; where an
 * import option supplied the value, the option is updated instead. The options still needed are recorded
 * in the custom property `meshImport`, so that the export imports again, without options, to the same
 * contract.
 */
export function mergeIntoSource(spec: ContractSpec, mesh: OdcsNode): OdcsNode {
  const source = spec.odcs!;
  const doc = structuredClone(source.document) as OdcsNode;
  const options: Options = structuredClone(source.options) as Options;
  doc.apiVersion = ODCS_API_VERSION;
  doc.kind = 'DataContract';
  for (const key of ['id', 'version', 'status'] as const) if (doc[key] === undefined) doc[key] = mesh[key];
  if (spec.deprecated !== undefined) doc.status = 'deprecated';

  settle(options, 'name', doc.name, spec.name, () => (doc.name = spec.name));
  settle(options, 'domain', doc.domain, spec.domain, () => (doc.domain = spec.domain));
  settle(options, 'version', majorOf(doc.version), spec.version, () => (doc.version = mesh.version));
  const purpose = isObject(doc.description) ? doc.description.purpose : doc.description;
  const table = pickTable(doc, options, () => undefined as never);
  settle(options, 'description', purpose ?? table.description, spec.description, () => {
    doc.description = { ...(isObject(doc.description) ? doc.description : {}), purpose: spec.description };
  });
  mergeOwner(doc, options, spec, mesh);
  if (!sameData(Array.isArray(doc.tags) ? doc.tags : [], spec.tags)) doc.tags = [...spec.tags];

  const index = (doc.schema as unknown[]).indexOf(table);
  (doc.schema as unknown[])[index] = mergeTable(table, spec, (mesh.schema as OdcsNode[])[0], options);

  const sla = mergeSlaProperties(doc.slaProperties, spec, `${spec.name}_v${spec.version}`);
  if (sla.length > 0 || doc.slaProperties !== undefined) doc.slaProperties = sla;

  const needed = Object.entries(options).filter(([, value]) => value !== undefined && !(isObject(value) && Object.keys(value).length === 0));
  const recorded = needed.length > 0 ? [{ property: MESH_CUSTOM.importOptions, value: Object.fromEntries(needed) }] : [];
  doc.customProperties = withCustomProperties(doc.customProperties, [...(mesh.customProperties as OdcsNode[]), ...recorded], ROOT_CUSTOM);
  return doc;
}

/**
 * Where the contract's value goes: nowhere when the document already says it; into the document when
 * the document is silent (the option that supplied it is then no longer needed); into the option when an
 * option overrode what the document says; into the document otherwise (the contract was edited in code).
 */
function settle<K extends keyof Options>(options: Options, key: K, fromDocument: unknown, value: Options[K], write: () => void): void {
  if (sameData(fromDocument, value)) {
    options[key] = undefined;
  } else if (fromDocument === undefined || options[key] === undefined) {
    write();
    options[key] = undefined;
  } else {
    options[key] = value;
  }
}

/** `team.name` and an owner member with the contract's contact (ODCS 3.0 `team: [members]` stays an array). */
function mergeOwner(doc: OdcsNode, options: Options, spec: ContractSpec, mesh: OdcsNode): void {
  if (doc.team === undefined || doc.team === null) doc.team = mesh.team;
  const current = ownerOf(doc, {}, []);
  const owner: { team?: string; contact?: string } = {};
  if (current.team !== spec.owner.team) {
    if (isObject(doc.team) && (current.team === undefined || options.owner?.team === undefined)) doc.team.name = spec.owner.team;
    else owner.team = spec.owner.team;
  }
  if (current.contact !== spec.owner.contact) {
    if (options.owner?.contact !== undefined) owner.contact = spec.owner.contact;
    else {
      const members: unknown[] = Array.isArray(doc.team) ? doc.team : (doc.team.members = Array.isArray(doc.team.members) ? doc.team.members : []);
      members.push({ username: spec.owner.contact, role: 'owner' });
    }
  }
  options.owner = Object.keys(owner).length > 0 ? owner : undefined;
}

/** The product's schema object: its properties merged column by column, the mesh's partition facts added. */
function mergeTable(table: OdcsNode, spec: ContractSpec, meshTable: OdcsNode, options: Options): OdcsNode {
  const reader = new PropertyReader(options, '');
  const byColumn = new Map<string, OdcsNode>();
  for (const property of (table.properties as unknown[]).filter(isObject)) {
    const name = reader.columnName(property, '');
    if (name !== undefined) byColumn.set(name, property);
  }
  const meshProperties = new Map((meshTable.properties as OdcsNode[]).map((p) => [p.name as string, p]));
  const properties = Object.entries(spec.columns).map(([name, column]) => {
    const property = byColumn.get(name);
    const merged = property === undefined ? meshProperties.get(name)! : mergeProperty(property, column, meshProperties.get(name)!, name, reader, options);
    return mergeQuality(merged, spec.quality, name);
  });
  options.addColumns = undefined; // written as properties now

  const partition = partitionOf({ properties }, spec.columns as Record<string, ColumnSpec>, reader, { ...options, partitionBy: undefined }, '', []);
  // The granularity is written on the schema object (below); the option is needed only to pick the column.
  options.partitionBy = partition === spec.partitionBy.column ? undefined : { column: spec.partitionBy.column };
  return {
    ...mergeQuality(table, spec.quality, undefined),
    properties,
    customProperties: withCustomProperties(table.customProperties, meshTable.customProperties as OdcsNode[]),
  };
}

/** Type keys of a property, replaced together when the contract's type differs from the document's. */
const TYPE_KEYS = ['logicalType', 'physicalType', 'logicalTypeOptions', 'items', 'properties'];

function mergeProperty(property: OdcsNode, column: ColumnSpec, meshProperty: OdcsNode, path: string, reader: PropertyReader, options: Options): OdcsNode {
  const [, read] = reader.column(property, '') ?? [];
  if (read !== undefined && sameData(read, column)) return property;
  const merged: OdcsNode = { ...property };
  if (!sameData(reader.type(property, path), column.type)) {
    for (const key of TYPE_KEYS) delete merged[key];
    const custom = customProperties(property.customProperties);
    const mapValues = customProperties(meshProperty.customProperties)[MESH_CUSTOM.mapValues];
    for (const key of TYPE_KEYS) if (meshProperty[key] !== undefined) merged[key] = meshProperty[key];
    if (mapValues !== undefined || custom[MESH_CUSTOM.mapValues] !== undefined) {
      merged.customProperties = withCustomProperties(property.customProperties, mapValues === undefined ? [] : [{ property: MESH_CUSTOM.mapValues, value: mapValues }], [MESH_CUSTOM.mapValues]);
    }
    if (options.columnTypes?.[path] !== undefined) options.columnTypes = without(options.columnTypes, path);
  }
  if ((property.required === true) !== column.required) merged.required = column.required;
  if (read?.description !== column.description) {
    merged.description = column.description;
    if (options.columnDescriptions?.[path] !== undefined) options.columnDescriptions = without(options.columnDescriptions, path);
  }
  if (read?.classification !== column.classification) setOrDelete(merged, 'classification', column.classification);
  if ((property.primaryKey === true) !== (column.primaryKey === true)) setOrDelete(merged, 'primaryKey', column.primaryKey);
  if (!sameData(read?.examples, column.examples)) setOrDelete(merged, 'examples', column.examples);
  if (read?.minimum !== column.minimum || read?.maximum !== column.maximum) {
    const { minimum: _min, maximum: _max, ...options } = (isObject(merged.logicalTypeOptions) ? merged.logicalTypeOptions : {}) as OdcsNode;
    const range = { ...(column.minimum !== undefined && { minimum: column.minimum }), ...(column.maximum !== undefined && { maximum: column.maximum }) };
    setOrDelete(merged, 'logicalTypeOptions', Object.keys(options).length + Object.keys(range).length > 0 ? { ...options, ...range } : undefined);
  }
  if (read?.field !== column.field) {
    const entries = column.field === undefined ? [] : [{ property: MESH_CUSTOM.field, value: column.field }];
    setOrDelete(merged, 'customProperties', withCustomProperties(merged.customProperties, entries, [MESH_CUSTOM.field]));
  }
  return merged;
}

function setOrDelete(node: OdcsNode, key: string, value: unknown): void {
  if (value === undefined) delete node[key];
  else node[key] = value;
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> | undefined {
  const rest = Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
  return Object.keys(rest).length > 0 ? rest : undefined;
}
