/**
 * Athena (Trino) type names and DuckDB's.
 *
 * | Athena                              | DuckDB                   |
 * |-------------------------------------|--------------------------|
 * | varchar, varchar(n), char(n)        | VARCHAR                  |
 * | tinyint, smallint, integer, bigint  | same                     |
 * | real / double                       | FLOAT / DOUBLE           |
 * | decimal(p,s)                        | DECIMAL(p,s)             |
 * | date, timestamp(p)                  | DATE, TIMESTAMP          |
 * | timestamp(p) with time zone         | TIMESTAMPTZ              |
 * | varbinary, json                     | BLOB, JSON               |
 * | array(t), map(k,v), row(a t, …)     | t[], MAP(k, v), STRUCT(a t, …) |
 */
import { AthenaSqlError } from './errors';

const SCALARS: Record<string, string> = {
  varchar: 'VARCHAR',
  char: 'VARCHAR',
  string: 'VARCHAR',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  integer: 'INTEGER',
  int: 'INTEGER',
  bigint: 'BIGINT',
  real: 'FLOAT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  varbinary: 'BLOB',
  json: 'JSON',
  uuid: 'UUID',
};

/** Translates an Athena type (`array(row(sku varchar, qty integer))`) into DuckDB's (`STRUCT(sku VARCHAR, qty INTEGER)[]`). */
export function duckdbTypeOf(athenaType: string): string {
  const reader = new TypeReader(athenaType);
  const type = reader.type();
  reader.end();
  return type;
}

class TypeReader {
  private at = 0;
  constructor(private readonly source: string) {}

  type(): string {
    const name = this.word().toLowerCase();
    if (name === 'array') {
      this.expect('(');
      const items = this.type();
      this.expect(')');
      return `${items}[]`;
    }
    if (name === 'map') {
      this.expect('(');
      const keys = this.type();
      this.expect(',');
      const values = this.type();
      this.expect(')');
      return `MAP(${keys}, ${values})`;
    }
    if (name === 'row') {
      this.expect('(');
      const fields: string[] = [];
      do {
        const field = this.word();
        fields.push(`${field.startsWith('"') ? field : `"${field}"`} ${this.type()}`);
      } while (this.accept(','));
      this.expect(')');
      return `STRUCT(${fields.join(', ')})`;
    }
    if (name === 'decimal') {
      if (!this.accept('(')) return 'DECIMAL(38,0)';
      const precision = this.word();
      const scale = this.accept(',') ? this.word() : '0';
      this.expect(')');
      return `DECIMAL(${precision},${scale})`;
    }
    if (name === 'timestamp' || name === 'time') {
      if (this.accept('(')) {
        this.word();
        this.expect(')');
      }
      if (this.acceptWords('with', 'time', 'zone')) return name === 'time' ? 'TIMETZ' : 'TIMESTAMPTZ';
      this.acceptWords('without', 'time', 'zone');
      return name.toUpperCase();
    }
    const scalar = SCALARS[name];
    if (scalar === undefined) {
      throw new AthenaSqlError(`type ${name}`, `the Athena type "${name}" (in "${this.source}") has no local equivalent`, 'use one of varchar, bigint, double, decimal(p,s), date, timestamp, array(…), map(…), row(…)');
    }
    if ((name === 'varchar' || name === 'char') && this.accept('(')) {
      this.word();
      this.expect(')');
    }
    return scalar;
  }

  end(): void {
    this.skip();
    if (this.at < this.source.length) this.fail();
  }

  private skip(): void {
    while (/\s/.test(this.source[this.at] ?? '')) this.at++;
  }

  private word(): string {
    this.skip();
    const match = /^("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*|\d+)/.exec(this.source.slice(this.at));
    if (!match) return this.fail();
    this.at += match[0].length;
    return match[0];
  }

  private accept(symbol: string): boolean {
    this.skip();
    if (this.source[this.at] !== symbol) return false;
    this.at++;
    return true;
  }

  private acceptWords(...words: string[]): boolean {
    const start = this.at;
    for (const word of words) {
      this.skip();
      const match = /^[A-Za-z]+/.exec(this.source.slice(this.at));
      if (match?.[0].toLowerCase() !== word) {
        this.at = start;
        return false;
      }
      this.at += match[0].length;
    }
    return true;
  }

  private expect(symbol: string): void {
    if (!this.accept(symbol)) this.fail();
  }

  private fail(): never {
    throw new SyntaxError(`Cannot read the type "${this.source}" at position ${this.at + 1}.`);
  }
}

/** The Athena name of a DuckDB type as DuckDB prints it (`STRUCT(a INTEGER, b VARCHAR)[]` → `array(row(a integer, b varchar))`). */
export function athenaTypeName(duckdbType: string): string {
  const type = duckdbType.trim();
  if (type.endsWith('[]')) return `array(${athenaTypeName(type.slice(0, -2))})`;
  const call = /^(STRUCT|MAP)\((.*)\)$/s.exec(type);
  if (call) {
    const parts = splitTopLevel(call[2]);
    if (call[1] === 'MAP') return `map(${parts.map(athenaTypeName).join(', ')})`;
    return `row(${parts
      .map((part) => {
        const field = /^("(?:[^"]|"")*"|\S+)\s+(.*)$/s.exec(part.trim());
        if (!field) return athenaTypeName(part);
        const name = field[1].startsWith('"') ? field[1].slice(1, -1) : field[1];
        return `${name === '' ? '' : `${name} `}${athenaTypeName(field[2])}`;
      })
      .join(', ')})`;
  }
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  const names: Record<string, string> = {
    VARCHAR: 'varchar',
    BOOLEAN: 'boolean',
    TINYINT: 'tinyint',
    SMALLINT: 'smallint',
    INTEGER: 'integer',
    BIGINT: 'bigint',
    // sum() of integers: DuckDB widens to HUGEINT where Trino returns bigint (and fails on overflow).
    HUGEINT: 'bigint',
    FLOAT: 'real',
    DOUBLE: 'double',
    DATE: 'date',
    TIMESTAMP: 'timestamp(3)',
    'TIMESTAMP WITH TIME ZONE': 'timestamp(3) with time zone',
    TIMESTAMPTZ: 'timestamp(3) with time zone',
    BLOB: 'varbinary',
    JSON: 'json',
    UUID: 'uuid',
    INTERVAL: 'interval day to second',
  };
  return names[type] ?? type.toLowerCase();
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map((part) => part.trim());
}
