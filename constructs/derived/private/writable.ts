/**
 * Whether a column of a SELECT's output (a DuckDB type, as the planner describes it) can be written by Athena's
 * `INSERT INTO` into a column of the product's contract without loss: the same type, or a widening that Athena
 * (Trino) performs implicitly on insert. See docs/sql-products.md for the table.
 */
import type { ColumnType } from '../../contract/types';

/** Integer types by width, and the decimal precision that holds each exactly. */
const INTEGERS: Readonly<Record<string, number>> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 19 };
const INTEGER_RANK = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'];
const TARGET_INTEGER: Readonly<Record<string, string>> = { int: 'INTEGER', bigint: 'BIGINT' };

/**
 * The DuckDB type as Athena sees it: DuckDB sums integers into HUGEINT where Athena returns bigint, and the
 * precision of a timestamp does not matter to a Glue `timestamp` column.
 */
function normalise(duckdb: string): string {
  const type = duckdb.trim().toUpperCase();
  if (type === 'HUGEINT') return 'BIGINT';
  if (/^TIMESTAMP(_S|_MS|_NS)?$/.test(type)) return 'TIMESTAMP';
  if (type === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMPTZ';
  return type.replace(/\s+/g, ' ');
}

function decimalOf(type: string): { precision: number; scale: number } | undefined {
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return { precision: Number(decimal[1]), scale: Number(decimal[2]) };
  const digits = INTEGERS[type];
  return digits === undefined ? undefined : { precision: digits, scale: 0 };
}

/** `output` (DuckDB) fits `target` (contract) without loss, or by a widening Athena applies on insert. */
export function writableWithoutLoss(output: string, target: ColumnType, targetDuckdb: string): boolean {
  const type = normalise(output);
  if (type === 'NULL' || type === normalise(targetDuckdb)) return true;
  switch (target.kind) {
    case 'int':
    case 'bigint': {
      const rank = INTEGER_RANK.indexOf(type);
      return rank >= 0 && rank <= INTEGER_RANK.indexOf(TARGET_INTEGER[target.kind]);
    }
    case 'float':
      return INTEGERS[type] !== undefined || type.startsWith('DECIMAL');
    case 'double':
      return INTEGERS[type] !== undefined || type.startsWith('DECIMAL') || type === 'FLOAT';
    case 'decimal': {
      const source = decimalOf(type);
      return source !== undefined && source.scale <= target.scale && source.precision - source.scale <= target.precision - target.scale;
    }
    case 'timestamp':
      return type === 'TIMESTAMP' || type === 'DATE';
    default:
      return false;
  }
}
