import type { ColumnSpec, ColumnType, ContractSpec } from './types';
import { PARTITION_KEY } from './types';

/** A Glue/Hive column, as `AWS::Glue::Table` `Columns` expects it. */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

/** The Hive type string of a contract type, e.g. `array<struct<sku:string,qty:int>>`. */
export function glueType(type: ColumnType): string {
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${glueType(type.items)}>`;
    case 'map':
      return `map<${glueType(type.keys)},${glueType(type.values)}>`;
    case 'struct':
      return `struct<${Object.entries(type.fields)
        .map(([name, field]) => `${name}:${glueType(field.type)}`)
        .join(',')}>`;
    default:
      return type.kind;
  }
}

function glueColumn(name: string, column: ColumnSpec): GlueColumn {
  return {
    name,
    type: glueType(column.type),
    ...(column.description !== undefined && { comment: column.description.slice(0, 255) }),
  };
}

/** The table's data columns, in contract order. */
export function toGlueColumns(contract: ContractSpec): GlueColumn[] {
  return Object.entries(contract.columns).map(([name, column]) => glueColumn(name, column));
}

/** The table's partition keys: always one `dt` string in `yyyy-MM-dd` (or `yyyy-MM-dd-HH` for hourly). */
export function toGluePartitionKeys(contract: ContractSpec): GlueColumn[] {
  const format = partitionFormat(contract);
  return [{ name: PARTITION_KEY, type: 'string', comment: `Event-time partition (${format}) from ${contract.partitionBy.column}` }];
}

/** The Java date format of the `dt` partition values (Athena partition projection syntax). */
export function partitionFormat(contract: ContractSpec): string {
  return contract.partitionBy.granularity === 'hour' ? 'yyyy-MM-dd-HH' : 'yyyy-MM-dd';
}
