import { glueType } from '../glue-types';
import type { ColumnSpec, ColumnType, ContractSpec } from '../types';
import { PARTITION_KEY } from '../types';
import { MESH_CUSTOM, ODCS_API_VERSION } from './names';
import type { OdcsNode } from './private/nodes';
import { rulesAt } from './quality';
import { meshSlaProperties } from './sla';

/** The contract as the mesh writes it when there is no imported document. */
export function meshDocument(spec: ContractSpec): OdcsNode {
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
    ...(rulesAt(spec.quality, name).length > 0 && { quality: rulesAt(spec.quality, name) }),
  }));
  const tableQuality = rulesAt(spec.quality, undefined);
  const sla = meshSlaProperties(spec, table);
  const custom = [
    { property: MESH_CUSTOM.classification, value: spec.classification },
    ...(spec.fields !== undefined ? [{ property: MESH_CUSTOM.fields, value: spec.fields }] : []),
    ...(spec.deprecated !== undefined ? [{ property: MESH_CUSTOM.deprecation, value: { ...spec.deprecated } }] : []),
    ...(spec.volume !== undefined ? [{ property: MESH_CUSTOM.volume, value: { ...spec.volume } }] : []),
    ...(spec.exampleQueries.length > 0
      ? [{ property: MESH_CUSTOM.exampleQueries, value: spec.exampleQueries.map((q) => ({ name: q.name, sql: q.sql })) }]
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
        ...(tableQuality.length > 0 && { quality: tableQuality }),
        customProperties: [
          { property: MESH_CUSTOM.partitionKey, value: PARTITION_KEY },
          { property: MESH_CUSTOM.partitionGranularity, value: spec.partitionBy.granularity },
        ],
      },
    ],
    ...(sla.length > 0 && { slaProperties: sla }),
    customProperties: custom,
  };
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
      return { ...node, customProperties: [{ property: MESH_CUSTOM.mapValues, value: typeNodeOf(type.values) }] };
    default:
      return node;
  }
}

export function propertyOf(
  column: ColumnSpec,
  table: { readonly primaryKeyPosition?: number; readonly partitioned?: boolean } = {},
): OdcsNode {
  const { logicalType, physicalType, logicalTypeOptions: typeOptions, ...nested } = typeNodeOf(column.type);
  const primaryKey = column.primaryKey === true;
  // A numeric column's range is ODCS's own `logicalTypeOptions.minimum` / `maximum`.
  const logicalTypeOptions = column.minimum === undefined && column.maximum === undefined
    ? typeOptions
    : { ...(typeOptions as OdcsNode | undefined), ...(column.minimum !== undefined && { minimum: column.minimum }), ...(column.maximum !== undefined && { maximum: column.maximum }) };
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
    // The record key, when the column has its own (ODCS has no field for it; the `fields` convention is on the root).
    ...(column.field !== undefined && {
      customProperties: [...((nested.customProperties as OdcsNode[] | undefined) ?? []), { property: MESH_CUSTOM.field, value: column.field }],
    }),
  };
}

