import type { ColumnSpec, ColumnType, ContractSpec, ScalarType } from './types';
import { PARTITION_KEY } from './types';
import { ContractError } from './validation';

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

/** Hive spellings of scalar types the parser accepts, mapped to contract kinds (others write them too). */
const SCALAR_ALIASES: Readonly<Record<string, ScalarType['kind']>> = {
  string: 'string',
  varchar: 'string',
  char: 'string',
  boolean: 'boolean',
  tinyint: 'int',
  smallint: 'int',
  int: 'int',
  integer: 'int',
  bigint: 'bigint',
  long: 'bigint',
  float: 'float',
  real: 'float',
  double: 'double',
  date: 'date',
  timestamp: 'timestamp',
};

/**
 * Parses a Glue/Hive type string back into a contract type: the inverse of {@link glueType}
 * (`array<struct<sku:string,qty:int>>` → `{ kind: 'array', items: { kind: 'struct', … } }`).
 * Struct fields come back optional and undescribed: the string holds types only.
 * Also reads the Hive aliases `integer`, `long`, `tinyint`, `smallint`, `real`, `varchar(n)` and `char(n)`.
 */
export function parseGlueType(text: string): ColumnType {
  let pos = 0;
  const fail = (expected: string): never => {
    throw new ContractError(
      `Glue type "${text}" cannot be read at position ${pos}: expected ${expected} (e.g. "array<struct<sku:string,qty:int>>").`,
    );
  };
  const skipSpaces = () => {
    while (text[pos] === ' ') pos++;
  };
  const expect = (token: string) => {
    skipSpaces();
    if (text.slice(pos, pos + token.length) !== token) fail(`"${token}"`);
    pos += token.length;
  };
  const word = (): string => {
    skipSpaces();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (match === null) return fail('a type or field name');
    pos += match[0].length;
    return match[0];
  };
  const integer = (): number => {
    skipSpaces();
    const match = /^\d+/.exec(text.slice(pos));
    if (match === null) return fail('a number');
    pos += match[0].length;
    return Number(match[0]);
  };
  const parse = (): ColumnType => {
    const name = word().toLowerCase();
    switch (name) {
      case 'array': {
        expect('<');
        const items = parse();
        expect('>');
        return { kind: 'array', items };
      }
      case 'map': {
        expect('<');
        const keys = parse();
        expect(',');
        const values = parse();
        expect('>');
        if (keys.kind !== 'string') fail('string map keys');
        return { kind: 'map', keys: { kind: 'string' }, values };
      }
      case 'struct': {
        expect('<');
        const fields: Record<string, ColumnSpec> = {};
        do {
          const field = word();
          expect(':');
          fields[field] = { type: parse(), required: false };
          skipSpaces();
        } while (text[pos] === ',' && ++pos);
        expect('>');
        return { kind: 'struct', fields };
      }
      case 'decimal': {
        skipSpaces();
        if (text[pos] !== '(') return { kind: 'decimal', precision: 10, scale: 0 };
        expect('(');
        const precision = integer();
        expect(',');
        const scale = integer();
        expect(')');
        return { kind: 'decimal', precision, scale };
      }
      default: {
        const kind = SCALAR_ALIASES[name];
        if (kind === undefined) return fail(`a Glue type (${Object.keys(SCALAR_ALIASES).join(', ')}, decimal, array, map, struct)`);
        skipSpaces();
        if ((name === 'varchar' || name === 'char') && text[pos] === '(') {
          expect('(');
          integer();
          expect(')');
        }
        return { kind };
      }
    }
  };
  const type = parse();
  skipSpaces();
  if (pos !== text.length) fail('the end of the type');
  return type;
}
