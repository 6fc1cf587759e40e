import { SNAKE_CASE } from '../../naming/naming';
import { parseGlueType } from '../glue-types';
import type { Classification, ColumnSpec, ColumnType, OdcsImportOptions } from '../types';
import { CLASSIFICATIONS } from '../types';
import { suggestSnakeCase } from '../validation';
import { MESH_CUSTOM } from './names';
import { customProperties, isObject, show, type OdcsNode } from './private/nodes';

/** The ODCS 3.1 logical types. */
export const ODCS_LOGICAL_TYPES = ['string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean'] as const;

/** Which Glue types refine each logical type (a `physicalType` of another kind is documentation only). */
const REFINES: Readonly<Record<string, readonly ColumnType['kind'][]>> = {
  integer: ['int', 'bigint'],
  number: ['int', 'bigint', 'float', 'double', 'decimal'],
  timestamp: ['timestamp'],
};

/**
 * `logicalTypeOptions.minimum` / `maximum` of an int, bigint, float or double property. Other types' bounds (a
 * decimal's, a date's "2021-01-01") stay in the document only: the mesh does not enforce them.
 */
function bounds(options: unknown, type: ColumnType | undefined): { minimum?: number; maximum?: number } {
  if (!isObject(options) || !['int', 'bigint', 'float', 'double'].includes(type?.kind ?? '')) return {};
  return {
    ...(typeof options.minimum === 'number' && { minimum: options.minimum }),
    ...(typeof options.maximum === 'number' && { maximum: options.maximum }),
  };
}

/**
 * Reads ODCS properties (and array items) into contract columns, collecting every problem instead of
 * stopping at the first. Types: `logicalType` (+ `logicalTypeOptions.format`) decides, a `physicalType`
 * that is a Glue type of a compatible kind refines it (`decimal(12,2)`, `bigint`), any other
 * `physicalType` (`varchar(18)`, `NUMBER`, `timestamptz`) is the source system's and is only kept.
 */
export class PropertyReader {
  /** Every problem found, one sentence each, in ODCS terms with the fix. */
  public readonly problems: string[] = [];

  constructor(
    private readonly options: OdcsImportOptions,
    private readonly where: string,
  ) {}

  /** The mesh column name of a property: its `physicalName`, else its `name` (or what `columnNames` says). */
  public columnName(property: OdcsNode, prefix: string): string | undefined {
    const odcsName = typeof property.name === 'string' ? property.name : undefined;
    const named = this.options.columnNames;
    if (typeof named === 'object' && odcsName !== undefined && named[odcsName] !== undefined) return named[odcsName];
    const raw = typeof property.physicalName === 'string' && property.physicalName !== '' ? property.physicalName : odcsName;
    if (raw === undefined || raw === '') return undefined;
    if (SNAKE_CASE.test(raw)) return raw;
    if (named === 'snake_case') return suggestSnakeCase(raw);
    this.problems.push(
      `${this.where}.properties "${prefix}${raw}" is not a column name (lower-case snake_case): set its physicalName: ${suggestSnakeCase(raw)}, or import with { columnNames: 'snake_case' } (or { columnNames: { ${JSON.stringify(odcsName ?? raw)}: '${suggestSnakeCase(raw)}' } }).`,
    );
    return undefined;
  }

  /** Reads a list of properties into columns (struct fields when `prefix` is not empty). */
  public columns(properties: readonly unknown[], prefix: string): Record<string, ColumnSpec> {
    const columns: Record<string, ColumnSpec> = {};
    for (const property of properties) {
      const entry = this.column(property, prefix);
      if (entry !== undefined) columns[entry[0]] = entry[1];
    }
    return columns;
  }

  public column(property: unknown, prefix: string): [string, ColumnSpec] | undefined {
    if (!isObject(property) || typeof property.name !== 'string' || property.name === '') {
      this.problems.push(`${this.where}.properties under "${prefix || '(top level)'}" has a property without name: every ODCS property needs name: <column>.`);
      return undefined;
    }
    const name = this.columnName(property, prefix);
    if (name === undefined) return undefined;
    const path = `${prefix}${name}`;
    const type = this.type(property, path);
    const description = this.description(property, path);
    const classification = this.classification(property.classification, path);
    // A column renamed by `columnNames` keeps reading the key the document names (`DataValue` → data_value).
    const renamed = this.options.columnNames !== undefined && property.physicalName === undefined && name !== property.name;
    const field = customProperties(property.customProperties)[MESH_CUSTOM.field] ?? (renamed ? property.name : undefined);
    if (type === undefined) return undefined;
    return [
      name,
      {
        type,
        required: property.required === true,
        ...(description !== undefined && { description }),
        ...(classification !== undefined && { classification }),
        ...(property.primaryKey === true && { primaryKey: true }),
        ...(Array.isArray(property.examples) && { examples: property.examples }),
        ...bounds(property.logicalTypeOptions, type),
        ...(typeof field === 'string' && { field }),
      },
    ];
  }

  /** `description`, else the option, else `businessName`. */
  private description(property: OdcsNode, path: string): string | undefined {
    if (typeof property.description === 'string' && property.description !== '') return property.description;
    const option = this.options.columnDescriptions?.[path];
    if (option !== undefined) return option;
    if (typeof property.businessName === 'string' && property.businessName !== '') return property.businessName;
    this.problems.push(
      `${this.where}.properties "${path}" has no description: add description: … (or businessName: …) to the property, or import with { columnDescriptions: { ${path}: '…' } }.`,
    );
    return undefined;
  }

  /** A mesh classification: the ODCS value when the mesh knows it (any case), else what `classifications` maps it to. */
  public classification(value: unknown, path: string): Classification | undefined {
    if (value === undefined || value === null) return undefined;
    const known = CLASSIFICATIONS.find((c) => c === String(value).toLowerCase());
    const mapped = known ?? this.options.classifications?.[String(value)];
    if (mapped === undefined) {
      this.problems.push(
        `${this.where}.properties "${path}" has classification ${show(value)}, which the mesh does not know: use one of ${CLASSIFICATIONS.join(', ')}, or import with { classifications: { ${JSON.stringify(String(value))}: 'confidential' } }.`,
      );
    }
    return mapped;
  }

  /** The contract type of a property or array item. */
  public type(node: OdcsNode, path: string): ColumnType | undefined {
    const override = this.options.columnTypes?.[path];
    if (override !== undefined) return this.glueType(override, path, 'columnTypes');
    const physical = this.physical(node.physicalType);
    const format = isObject(node.logicalTypeOptions) ? node.logicalTypeOptions.format : undefined;
    const refined = physical !== undefined && REFINES[node.logicalType]?.includes(physical.kind) ? physical : undefined;
    switch (node.logicalType) {
      case 'string':
      case 'time':
        // Glue has no time of day: it travels as its ISO string ("HH:mm:ss").
        return { kind: 'string' };
      case 'boolean':
      case 'date':
        return { kind: node.logicalType };
      case 'timestamp':
        return { kind: 'timestamp' };
      case 'integer':
        return refined ?? { kind: format === 'i64' || format === 'u32' || format === 'u64' ? 'bigint' : 'int' };
      case 'number':
        return refined ?? { kind: format === 'f32' ? 'float' : 'double' };
      case 'array':
        if (isObject(node.items)) {
          const items = this.type(node.items, `${path}[]`);
          return items === undefined ? undefined : { kind: 'array', items };
        }
        if (physical?.kind === 'array') return physical;
        return this.missing(path, 'is an array without items: add items: { logicalType: … }', `'array<string>'`);
      case 'object':
        return this.objectType(node, physical, path);
      case undefined:
        if (physical !== undefined) return physical;
        return this.missing(path, `has no logicalType: add logicalType: (one of ${ODCS_LOGICAL_TYPES.join(', ')})`, `'string'`);
      default:
        return this.missing(path, `has logicalType ${show(node.logicalType)}: use one of ${ODCS_LOGICAL_TYPES.join(', ')}`, `'string'`);
    }
  }

  private objectType(node: OdcsNode, physical: ColumnType | undefined, path: string): ColumnType | undefined {
    if (physical?.kind === 'map') {
      const values = customProperties(node.customProperties).mapValues;
      if (!isObject(values)) return physical;
      const valueType = this.type(values, `${path}{}`);
      return valueType === undefined ? undefined : { kind: 'map', keys: { kind: 'string' }, values: valueType };
    }
    if (Array.isArray(node.properties) && node.properties.length > 0) {
      return { kind: 'struct', fields: this.columns(node.properties, `${path}.`) };
    }
    if (physical?.kind === 'struct') return physical;
    return this.missing(path, 'is an object without properties: add properties: [ … ]', `'map<string,string>'`);
  }

  private missing(path: string, text: string, example: string): undefined {
    this.problems.push(`${this.where}.properties "${path}" ${text}, or import with { columnTypes: { ${JSON.stringify(path)}: ${example} } }.`);
    return undefined;
  }

  private glueType(text: string, path: string, source: string): ColumnType | undefined {
    try {
      return parseGlueType(text);
    } catch (error) {
      this.problems.push(`${source} of "${path}": ${(error as Error).message}`);
      return undefined;
    }
  }

  private physical(physicalType: unknown): ColumnType | undefined {
    if (typeof physicalType !== 'string') return undefined;
    try {
      return parseGlueType(physicalType);
    } catch {
      return undefined;
    }
  }
}
