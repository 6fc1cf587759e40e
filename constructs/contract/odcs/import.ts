import { parse } from 'yaml';
import { SNAKE_CASE } from '../../naming/naming';
import type { ColumnSpec, ContractProps, ContractSpec, FieldConvention, DeprecationSpec, ExampleQuery, OdcsImportOptions, PartitionGranularity, VolumeSpec } from '../types';
import { ContractError, suggestSnakeCase } from '../validation';
import { MESH_CUSTOM, ODCS_API_VERSION } from './names';
import { customProperties, isObject, majorOf, sameData, show, withCustomProperties, type OdcsNode } from './private/nodes';
import { meshDocument } from './render';
import { withoutMeshServers } from './servers';
import { PropertyReader } from './property-reader';
import { readQuality } from './quality';
import { slaOf } from './sla';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Reads an ODCS v3.x YAML document into contract props (validate them with `Contract.of`).
 *
 * Any valid single-table document imports: `options` pick the schema object and supply what the mesh
 * needs and the document does not say. When something needed is in neither, one `ContractError` lists
 * every missing item, in ODCS terms, with the document field to set and the option that would supply it.
 * The whole document travels in the props (`odcs`), so the export gives everything back.
 * Options a previous import needed are recorded in the document (custom property `meshImport`) and apply
 * again; `options` given here win over them.
 */
export function contractFromOdcs(yaml: string, options: OdcsImportOptions = {}): ContractProps {
  return contractFromOdcsObject(parseOdcs(yaml), options);
}

/** {@link contractFromOdcs} for an already parsed document. */
export function contractFromOdcsObject(doc: unknown, options: OdcsImportOptions = {}): ContractProps {
  const { props, problems } = readOdcsObject(doc, options);
  if (problems.length > 0) {
    const list = problems.map((p) => `- ${p}`).join('\n');
    const label = isObject(doc) && typeof doc.id === 'string' ? doc.id : '(ODCS document)';
    throw new ContractError(`${label}: the ODCS document cannot be imported as a product contract (${problems.length} ${problems.length === 1 ? 'item' : 'items'} to fix):\n${list}`, problems);
  }
  return props;
}

/**
 * Reads an ODCS document leniently: the props as far as the document gives them, and the items it lacks.
 * For tools that must compare a hand-edited document that may break rules (the lock check). Throws only
 * when the document is no contract at all (not YAML, another kind, no table).
 */
export function readOdcs(yaml: string, options: OdcsImportOptions = {}): { readonly props: ContractProps; readonly problems: readonly string[] } {
  return readOdcsObject(parseOdcs(yaml), options);
}

function parseOdcs(yaml: string): unknown {
  try {
    return parse(yaml);
  } catch (error) {
    throw new ContractError(`ODCS document is not valid YAML: ${(error as Error).message}`);
  }
}

function readOdcsObject(doc: unknown, explicit: OdcsImportOptions): { props: ContractProps; problems: string[] } {
  const label = isObject(doc) && typeof doc.id === 'string' ? doc.id : '(ODCS document)';
  const refuse = (text: string): never => {
    throw new ContractError(`${label}: ${text}`);
  };
  if (!isObject(doc)) return refuse(`the document is not a YAML mapping: write an ODCS DataContract (apiVersion: ${ODCS_API_VERSION}, kind: DataContract, …).`);
  if (doc.kind !== 'DataContract') refuse(`kind ${show(doc.kind)} is not supported: an ODCS contract has kind: DataContract.`);
  if (typeof doc.apiVersion !== 'string' || !/^v3\.\d+\.\d+$/.test(doc.apiVersion)) {
    refuse(`apiVersion ${show(doc.apiVersion)} is not supported: use ${ODCS_API_VERSION} (any v3.x is read).`);
  }
  const recorded = customProperties(doc.customProperties)[MESH_CUSTOM.importOptions];
  const options: OdcsImportOptions = { ...(isObject(recorded) ? recorded : {}), ...explicit };
  const table = pickTable(doc, options, refuse);
  const where = `schema "${table.name}"`;
  const reader = new PropertyReader(options, where);
  const problems = reader.problems;
  const columns: Record<string, ColumnSpec> = { ...reader.columns(table.properties as unknown[], ''), ...options.addColumns };

  const custom = customProperties(doc.customProperties);
  const tableCustom = customProperties(table.customProperties);
  const name = productName(doc, options, problems);
  const domain = options.domain ?? (typeof doc.domain === 'string' ? doc.domain : undefined);
  if (domain === undefined || !SNAKE_CASE.test(domain)) {
    const hint = domain === undefined ? 'orders' : suggestSnakeCase(domain);
    problems.push(`domain ${domain === undefined ? 'is missing' : `${show(domain)} is not lower-case snake_case`}: set domain: ${hint} in the document, or import with { domain: '${hint}' }.`);
  }
  const version = options.version ?? majorOf(doc.version);
  if (version === undefined || version < 1) {
    problems.push(`version ${show(doc.version)} has no major version ≥ 1 (the mesh versions tables by it): set version: 1.0.0, or import with { version: 1 }.`);
  }
  const owner = ownerOf(doc, options, problems);
  const purpose = isObject(doc.description) ? doc.description.purpose : doc.description;
  const description = options.description ?? (typeof purpose === 'string' ? purpose : typeof table.description === 'string' ? table.description : undefined);
  if (description === undefined) {
    problems.push(`description.purpose is missing (and ${where} has no description): add description: { purpose: … }, or import with { description: '…' }.`);
  }
  const partition = partitionOf(table, columns, reader, options, where, problems);
  const sla = slaOf(doc.slaProperties, problems);
  const classification = custom.classification !== undefined ? reader.classification(custom.classification, '(product)') : undefined;
  const quality = readQuality(table, new PropertyReader(options, where));
  const props: ContractProps = {
    name: name!,
    domain: domain!,
    version: version!,
    owner: owner as ContractProps['owner'],
    description: description!,
    ...(classification !== undefined && { classification }),
    sla,
    tags: Array.isArray(doc.tags) ? doc.tags.filter((t): t is string => typeof t === 'string') : [],
    columns: partition !== undefined && columns[partition] !== undefined ? { ...columns, [partition]: { ...columns[partition], required: true } } : columns,
    partitionBy: {
      column: partition!,
      ...((options.partitionBy?.granularity ?? tableCustom.partitionGranularity) !== undefined && {
        granularity: (options.partitionBy?.granularity ?? tableCustom.partitionGranularity) as PartitionGranularity,
      }),
    },
    ...(custom.fields !== undefined && { fields: custom.fields as FieldConvention }),
    ...(custom.deprecation !== undefined && { deprecated: custom.deprecation as DeprecationSpec }),
    ...(custom.volume !== undefined && { volume: custom.volume as VolumeSpec }),
    ...(custom.exampleQueries !== undefined && { exampleQueries: custom.exampleQueries as ExampleQuery[] }),
    ...(quality.length > 0 && { quality }),
  };
  // A document the mesh wrote itself, unchanged, adds nothing: the contract is its props alone.
  const own = problems.length === 0 && Object.keys(options).length === 0 && isOwnRendering(doc, props);
  // The recorded options travel as `options` (and are written again on export), not twice.
  const document = recorded === undefined ? doc : { ...doc, customProperties: withCustomProperties(doc.customProperties, [], [MESH_CUSTOM.importOptions]) };
  return { props: own ? props : { ...props, odcs: { document, options } }, problems };
}

/** Whether `doc` is exactly what the mesh writes for `props` (then there is nothing else to keep). */
function isOwnRendering(doc: OdcsNode, props: ContractProps): boolean {
  if (props.classification === undefined) return false;
  const spec: ContractSpec = {
    ...props,
    version: props.version!,
    classification: props.classification,
    sla: props.sla ?? {},
    tags: props.tags ?? [],
    partitionBy: { column: props.partitionBy.column, granularity: props.partitionBy.granularity ?? 'day' },
    exampleQueries: props.exampleQueries ?? [],
  };
  // The mesh's own servers are facts of the deployment, written again on export: they are not the contract.
  return sameData(meshDocument(spec), { ...doc, servers: withoutMeshServers(doc.servers) });
}

/** The schema object that is the product's table: the only one, or the one `options.schema` names. */
export function pickTable(doc: OdcsNode, options: OdcsImportOptions, refuse: (text: string) => never): OdcsNode {
  const schemas = (Array.isArray(doc.schema) ? doc.schema : []).filter(isObject);
  const names = schemas.map((s) => String(s.name));
  const tables = schemas.filter((s) => Array.isArray(s.properties) && s.properties.length > 0);
  if (tables.length === 0) {
    refuse(
      `the document describes no table: ${schemas.length === 0 ? 'schema: [ … ] is empty or missing' : `no schema object (${names.join(', ')}) has properties`}. A product contract needs one schema object with properties: [ … ], its columns.`,
    );
  }
  if (options.schema !== undefined) {
    const table = schemas.find((s) => s.name === options.schema);
    if (table === undefined) refuse(`no schema object is named "${options.schema}": import with { schema: … } naming one of ${names.join(', ')}.`);
    return table!;
  }
  if (schemas.length > 1) {
    refuse(`the document has ${schemas.length} schema objects (${names.join(', ')}) and a product is one table: import with { schema: '${tables[0].name}' } (any of them).`);
  }
  return tables[0];
}

function productName(doc: OdcsNode, options: OdcsImportOptions, problems: string[]): string | undefined {
  const name = options.name ?? (typeof doc.name === 'string' ? doc.name : undefined);
  if (name !== undefined && SNAKE_CASE.test(name)) return name;
  const hint = suggestSnakeCase(name ?? (typeof doc.dataProduct === 'string' ? doc.dataProduct : 'order_placed'));
  problems.push(`name ${show(name)} is ${name === undefined ? 'missing' : 'not a product name (lower-case snake_case)'}: set name: ${hint}, or import with { name: '${hint}' }.`);
  return undefined;
}

/**
 * The owner: `team.name` and the e-mail of the current member with role owner (any case; a member with
 * `dateOut` has left). ODCS 3.0's `team: [members]` form is read too; it has no team name.
 */
export function ownerOf(doc: OdcsNode, options: OdcsImportOptions, problems: string[]): Partial<ContractProps['owner']> {
  const team = isObject(doc.team) ? doc.team : {};
  const members = (Array.isArray(doc.team) ? doc.team : Array.isArray(team.members) ? team.members : []).filter(isObject);
  const current = members.filter((m) => m.dateOut === undefined || m.dateOut === null);
  const owners = current.filter((m) => String(m.role ?? '').toLowerCase() === 'owner');
  const candidates = owners.length > 0 ? owners : current.length === 1 ? current : [];
  const teamName = options.owner?.team ?? (typeof team.name === 'string' ? team.name : undefined);
  const contact = options.owner?.contact ?? candidates.map((m) => m.username).find((u) => typeof u === 'string' && EMAIL.test(u));
  if (teamName === undefined) {
    problems.push(`team.name is missing: add team: { name: …, members: [ … ] }, or import with { owner: { team: '…' } }.`);
  }
  if (contact === undefined) {
    const seen = candidates.map((m) => show(m.username)).join(', ');
    problems.push(
      `no current team member with role: owner has an e-mail address as username${seen === '' ? '' : ` (found ${seen})`}: add a member { username: owner@example.com, role: owner }, or import with { owner: { contact: 'owner@example.com' } }.`,
    );
  }
  return { team: teamName, contact };
}

/**
 * The partition column: `options.partitionBy`, else the first `partitioned: true` property (by
 * `partitionKeyPosition`) that is a date or timestamp. The mesh requires it in every record.
 */
export function partitionOf(
  table: OdcsNode,
  columns: Record<string, ColumnSpec>,
  reader: PropertyReader,
  options: OdcsImportOptions,
  where: string,
  problems: string[],
): string | undefined {
  if (options.partitionBy?.column !== undefined) return options.partitionBy.column;
  const partitioned = (table.properties as unknown[])
    .filter((p): p is OdcsNode => isObject(p) && p.partitioned === true)
    .sort((a, b) => Number(a.partitionKeyPosition ?? 1) - Number(b.partitionKeyPosition ?? 1))
    .map((p) => reader.columnName(p, ''))
    .filter((name): name is string => name !== undefined && ['date', 'timestamp'].includes(columns[name]?.type.kind));
  if (partitioned.length > 0) return partitioned[0];
  const candidates = Object.entries(columns).filter(([, c]) => c.type.kind === 'date' || c.type.kind === 'timestamp').map(([n]) => n);
  problems.push(
    candidates.length > 0
      ? `${where} has no date or timestamp property with partitioned: true (the mesh partitions by event time): set partitioned: true on one of ${candidates.join(', ')}, or import with { partitionBy: { column: '${candidates[0]}' } }.`
      : `${where} has no date or timestamp property to partition by (the mesh partitions by event time): add one with partitioned: true, or import with { addColumns: { event_time: col.timestamp({ required: true, description: '…' }) }, partitionBy: { column: 'event_time' } }.`,
  );
  return undefined;
}
