import { parse, stringify } from 'yaml';
import { glueType, parseGlueType } from './glue-types';
import type {
  Classification,
  ColumnSpec,
  ColumnType,
  ContractProps,
  ContractSpec,
  DeprecationSpec,
  ExampleQuery,
  PartitionGranularity,
  SlaSpec,
  VolumeSpec,
} from './types';
import { PARTITION_KEY } from './types';
import { ContractError } from './validation';

/**
 * Open Data Contract Standard (ODCS) v3.1.0 export and import.
 *
 * The mapping, field by field (ODCS names on the left):
 * - `id` `<domain>.<name>.v<version>`, `name` the product name, `version` `<major>.0.0`, `domain`,
 *   `status` `active` or `deprecated`, `description.purpose`, `tags`;
 * - `team` `{ name: owner.team, members: [{ username: owner.contact, role: owner }] }`;
 * - `schema[0]` the product's table (`physicalName` `<name>_v<version>`, `physicalType: table`,
 *   `logicalType: object`), its `properties` the columns: `logicalType` (string, integer, number,
 *   boolean, date, timestamp, array, object), `physicalType` (the Glue type string), `required`,
 *   `primaryKey`/`primaryKeyPosition`, `partitioned`/`partitionKeyPosition` (the partition column),
 *   `classification`, `description`, `examples`, and `items` / `properties` for nested types;
 * - `slaProperties`: `latency` (freshness, minutes) and `retention` (days);
 * - `customProperties` for what ODCS has no field for: the product classification, deprecation
 *   (sunset, successor), declared volume and example queries; on the schema object the partition key
 *   and granularity; on a map column its value type (ODCS 3.1 has no map logical type).
 *
 * Export is deterministic (fixed key order, no timestamps) so that export → import → export is byte-stable
 * and lock files diff cleanly.
 */
export const ODCS_API_VERSION = 'v3.1.0';

/** An ODCS document (or part of it) as plain data. */
type OdcsNode = Record<string, unknown>;

const SLA_LATENCY = 'latency';
const SLA_RETENTION = 'retention';

/** The ODCS v3.1 YAML document of a contract. */
export function contractToOdcs(spec: ContractSpec): string {
  // YAML 1.1 quoting keeps date-like and yes/no strings strings for 1.1 readers (PyYAML) too.
  return stringify(contractToOdcsObject(spec), { lineWidth: 0, version: '1.1' });
}

/** The ODCS v3.1 document of a contract, as plain data (what {@link contractToOdcs} serialises). */
export function contractToOdcsObject(spec: ContractSpec): OdcsNode {
  const table = `${spec.name}_v${spec.version}`;
  const primaryKeys = Object.entries(spec.columns)
    .filter(([, column]) => column.primaryKey === true)
    .map(([name]) => name);
  const properties = Object.entries(spec.columns).map(([name, column]) => ({
    name,
    ...propertyOf(column, {
      primaryKeyPosition: primaryKeys.indexOf(name) + 1,
      partitioned: name === spec.partitionBy.column,
    }),
  }));
  const sla = slaPropertiesOf(spec, table);
  const custom = [
    { property: 'classification', value: spec.classification },
    ...(spec.deprecated !== undefined ? [{ property: 'deprecation', value: { ...spec.deprecated } }] : []),
    ...(spec.volume !== undefined ? [{ property: 'volume', value: { ...spec.volume } }] : []),
    ...(spec.exampleQueries.length > 0
      ? [{ property: 'exampleQueries', value: spec.exampleQueries.map((q) => ({ name: q.name, sql: q.sql })) }]
      : []),
  ];
  return {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: `${spec.domain}.${spec.name}.v${spec.version}`,
    name: spec.name,
    version: `${spec.version}.0.0`,
    status: spec.deprecated !== undefined ? 'deprecated' : 'active',
    domain: spec.domain,
    description: { purpose: spec.description },
    ...(spec.tags.length > 0 && { tags: [...spec.tags] }),
    team: {
      name: spec.owner.team,
      members: [{ username: spec.owner.contact, role: 'owner' }],
    },
    schema: [
      {
        name: table,
        physicalName: table,
        logicalType: 'object',
        physicalType: 'table',
        description: spec.description,
        properties,
        customProperties: [
          { property: 'partitionKey', value: PARTITION_KEY },
          { property: 'partitionGranularity', value: spec.partitionBy.granularity },
        ],
      },
    ],
    ...(sla.length > 0 && { slaProperties: sla }),
    customProperties: custom,
  };
}

function slaPropertiesOf(spec: ContractSpec, table: string): OdcsNode[] {
  const sla: OdcsNode[] = [];
  if (spec.sla.freshnessMinutes !== undefined) {
    sla.push({
      property: SLA_LATENCY,
      value: spec.sla.freshnessMinutes,
      unit: 'min',
      element: `${table}.${spec.partitionBy.column}`,
      description: 'Freshness: maximum age of the newest data in the table.',
    });
  }
  if (spec.sla.retentionDays !== undefined) {
    sla.push({ property: SLA_RETENTION, value: spec.sla.retentionDays, unit: 'd', description: 'How long data is kept.' });
  }
  return sla;
}

/** ODCS logical type of a contract type. */
export function odcsLogicalType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
    case 'boolean':
    case 'date':
    case 'timestamp':
    case 'array':
      return type.kind;
    case 'int':
    case 'bigint':
      return 'integer';
    case 'float':
    case 'double':
    case 'decimal':
      return 'number';
    case 'struct':
    case 'map':
      return 'object';
  }
}

const NUMBER_FORMATS: Partial<Record<ColumnType['kind'], string>> = { int: 'i32', bigint: 'i64', float: 'f32', double: 'f64' };

/** The type part of an ODCS property (or array item): logical and physical type, and nested types. */
function typeNodeOf(type: ColumnType): OdcsNode {
  const format = NUMBER_FORMATS[type.kind];
  const node: OdcsNode = {
    logicalType: odcsLogicalType(type),
    physicalType: glueType(type),
    ...(format !== undefined && { logicalTypeOptions: { format } }),
  };
  switch (type.kind) {
    case 'array':
      return { ...node, items: typeNodeOf(type.items) };
    case 'struct':
      return {
        ...node,
        properties: Object.entries(type.fields).map(([name, field]) => ({ name, ...propertyOf(field) })),
      };
    case 'map':
      return { ...node, customProperties: [{ property: 'mapValues', value: typeNodeOf(type.values) }] };
    default:
      return node;
  }
}

function propertyOf(
  column: ColumnSpec,
  table: { readonly primaryKeyPosition?: number; readonly partitioned?: boolean } = {},
): OdcsNode {
  const { logicalType, physicalType, logicalTypeOptions, ...nested } = typeNodeOf(column.type);
  const primaryKey = column.primaryKey === true;
  return {
    logicalType,
    physicalType,
    ...(logicalTypeOptions !== undefined && { logicalTypeOptions }),
    ...(column.description !== undefined && { description: column.description }),
    required: column.required,
    ...(primaryKey && { primaryKey: true }),
    ...(primaryKey && (table.primaryKeyPosition ?? 0) > 0 && { primaryKeyPosition: table.primaryKeyPosition }),
    ...(table.partitioned === true && { partitioned: true, partitionKeyPosition: 1 }),
    ...(column.classification !== undefined && { classification: column.classification }),
    ...(column.examples !== undefined && { examples: [...column.examples] }),
    ...nested,
  };
}

/**
 * Reads an ODCS v3.x YAML document back into contract props (validate them with `Contract.of`).
 * Reads what {@link contractToOdcs} writes and hand-written documents of the same shape: a
 * property without `physicalType` gets its type from `logicalType` (and `logicalTypeOptions.format`).
 */
export function contractFromOdcs(yaml: string): ContractProps {
  let doc: unknown;
  try {
    doc = parse(yaml);
  } catch (error) {
    throw new ContractError(`ODCS document is not valid YAML: ${(error as Error).message}`);
  }
  const label = isObject(doc) && typeof doc.id === 'string' ? doc.id : '(ODCS document)';
  const fail = (text: string): never => {
    throw new ContractError(`${label}: ${text}`);
  };
  if (!isObject(doc)) return fail(`the document is not a YAML mapping: write an ODCS DataContract (apiVersion: ${ODCS_API_VERSION}, kind: DataContract, …).`);
  if (doc.kind !== 'DataContract') fail(`kind ${show(doc.kind)} is not supported: an ODCS contract has kind: DataContract.`);
  if (typeof doc.apiVersion !== 'string' || !/^v3\.\d+\.\d+$/.test(doc.apiVersion)) {
    fail(`apiVersion ${show(doc.apiVersion)} is not supported: use ${ODCS_API_VERSION} (any v3.x is read).`);
  }
  const schemas = Array.isArray(doc.schema) ? doc.schema : [];
  if (schemas.length !== 1 || !isObject(schemas[0])) {
    fail(`the document has ${schemas.length} schema objects: a product contract describes exactly one table in schema: [ … ].`);
  }
  const table = schemas[0] as OdcsNode;
  const properties = Array.isArray(table.properties) ? (table.properties as unknown[]) : [];
  const reader = new PropertyReader(label);
  const columns: Record<string, ColumnSpec> = {};
  for (const property of properties) {
    const [name, column] = reader.column(property, '');
    columns[name] = column;
  }

  const custom = customProperties(doc.customProperties);
  const tableCustom = customProperties(table.customProperties);
  const partitioned = properties
    .filter((p): p is OdcsNode => isObject(p) && p.partitioned === true)
    .sort((a, b) => Number(a.partitionKeyPosition ?? 1) - Number(b.partitionKeyPosition ?? 1));
  const team = isObject(doc.team) ? doc.team : {};
  const members = Array.isArray(team.members) ? team.members.filter(isObject) : [];
  const owner = members.find((m) => m.role === 'owner') ?? members[0];
  const description = isObject(doc.description) ? doc.description.purpose : doc.description;

  const props: ContractProps = {
    name: asString(doc.name),
    domain: asString(doc.domain),
    version: majorOf(doc.version, fail),
    owner: { team: asString(team.name), contact: asString(owner?.username) },
    description: asString(description ?? table.description),
    ...(custom.classification !== undefined && { classification: custom.classification as Classification }),
    sla: slaOf(doc.slaProperties, fail),
    tags: Array.isArray(doc.tags) ? (doc.tags as string[]) : [],
    columns,
    partitionBy: {
      column: asString(partitioned[0]?.name),
      ...(tableCustom.partitionGranularity !== undefined && {
        granularity: tableCustom.partitionGranularity as PartitionGranularity,
      }),
    },
    ...(custom.deprecation !== undefined && { deprecated: custom.deprecation as DeprecationSpec }),
    ...(custom.volume !== undefined && { volume: custom.volume as VolumeSpec }),
    ...(custom.exampleQueries !== undefined && { exampleQueries: custom.exampleQueries as ExampleQuery[] }),
  };
  return props;
}

/** Reads ODCS properties (and array items) back into contract columns and types. */
class PropertyReader {
  constructor(private readonly label: string) {}

  public column(property: unknown, prefix: string): [string, ColumnSpec] {
    if (!isObject(property) || typeof property.name !== 'string' || property.name === '') {
      throw new ContractError(`${this.label}: a property under "${prefix || 'schema[0]'}" has no name: every ODCS property needs name: <column>.`);
    }
    const path = `${prefix}${property.name}`;
    const column: ColumnSpec = {
      type: this.type(property, path),
      required: property.required === true,
      ...(typeof property.description === 'string' && { description: property.description }),
      ...(property.classification !== undefined && { classification: property.classification as Classification }),
      ...(property.primaryKey === true && { primaryKey: true }),
      ...(Array.isArray(property.examples) && { examples: property.examples }),
    };
    return [property.name, column];
  }

  private type(node: OdcsNode, path: string): ColumnType {
    const physical = typeof node.physicalType === 'string' ? this.parsePhysical(node.physicalType, path) : undefined;
    switch (node.logicalType) {
      case 'array': {
        if (isObject(node.items)) return { kind: 'array', items: this.type(node.items, `${path}[]`) };
        if (physical?.kind === 'array') return physical;
        return this.fail(path, 'is an array without items: add items: { logicalType: …, physicalType: … }');
      }
      case 'object': {
        if (physical?.kind === 'map') {
          const values = customProperties(node.customProperties).mapValues;
          return isObject(values)
            ? { kind: 'map', keys: { kind: 'string' }, values: this.type(values, `${path}{}`) }
            : physical;
        }
        if (Array.isArray(node.properties)) {
          const fields: Record<string, ColumnSpec> = {};
          for (const property of node.properties) {
            const [name, field] = this.column(property, `${path}.`);
            fields[name] = field;
          }
          return { kind: 'struct', fields };
        }
        if (physical?.kind === 'struct') return physical;
        return this.fail(path, 'is an object without properties: add properties: [ … ] (or physicalType: map<string,…>)');
      }
      default:
        return physical ?? this.fromLogical(node, path);
    }
  }

  private parsePhysical(physicalType: string, path: string): ColumnType {
    try {
      return parseGlueType(physicalType);
    } catch (error) {
      return this.fail(path, `has physicalType "${physicalType}" that is not a Glue type (${(error as Error).message})`);
    }
  }

  private fromLogical(node: OdcsNode, path: string): ColumnType {
    const format = isObject(node.logicalTypeOptions) ? node.logicalTypeOptions.format : undefined;
    switch (node.logicalType) {
      case 'string':
      case 'boolean':
      case 'date':
      case 'timestamp':
        return { kind: node.logicalType };
      case 'integer':
        return { kind: format === 'i64' || format === 'u32' || format === 'u64' ? 'bigint' : 'int' };
      case 'number':
        return { kind: format === 'f32' ? 'float' : 'double' };
      default:
        return this.fail(
          path,
          `has logicalType ${show(node.logicalType)}: use string, integer, number, boolean, date, timestamp, array or object (or give physicalType)`,
        );
    }
  }

  private fail(path: string, text: string): never {
    throw new ContractError(`${this.label}: property "${path}" ${text}.`);
  }
}

const MINUTES_PER_UNIT: Readonly<Record<string, number>> = {
  min: 1, m: 1, minute: 1, minutes: 1, h: 60, hr: 60, hour: 60, hours: 60, d: 1440, day: 1440, days: 1440,
};
const DAYS_PER_UNIT: Readonly<Record<string, number>> = {
  d: 1, day: 1, days: 1, w: 7, week: 7, weeks: 7, y: 365, yr: 365, year: 365, years: 365,
};

function slaOf(value: unknown, fail: (text: string) => never): SlaSpec {
  const sla: { freshnessMinutes?: number; retentionDays?: number } = {};
  for (const item of Array.isArray(value) ? value.filter(isObject) : []) {
    const property = String(item.property).toLowerCase();
    const unit = String(item.unit ?? '').toLowerCase();
    if ((property === SLA_LATENCY || property === 'ly' || property === 'freshness') && typeof item.value === 'number') {
      const factor = MINUTES_PER_UNIT[unit || 'min'] ?? fail(`slaProperties latency has unit ${show(item.unit)}: use min, h or d.`);
      sla.freshnessMinutes = item.value * factor;
    } else if ((property === SLA_RETENTION || property === 're') && typeof item.value === 'number') {
      const factor = DAYS_PER_UNIT[unit || 'd'] ?? fail(`slaProperties retention has unit ${show(item.unit)}: use d, w or y.`);
      sla.retentionDays = item.value * factor;
    }
  }
  return sla;
}

function majorOf(version: unknown, fail: (text: string) => never): number {
  const match = /^(\d+)(\.\d+){0,2}$/.exec(String(version ?? ''));
  if (match === null) return fail(`version ${show(version)} is not a semantic version: use e.g. version: 1.0.0.`);
  return Number(match[1]);
}

function customProperties(value: unknown): Record<string, unknown> {
  const entries = Array.isArray(value) ? value.filter(isObject) : [];
  return Object.fromEntries(entries.filter((e) => typeof e.property === 'string').map((e) => [e.property as string, e.value]));
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : (undefined as unknown as string);
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
