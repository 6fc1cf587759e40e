/** The corpus's view of an answer: rows as Trino's CLI prints them and the Athena name of the first column's type. */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { translate } from '../../../lib/athena/translate';
import { athenaTypeName } from '../../../lib/athena/types';
import { CORPUS_CATALOG } from './fixture';

/** A DuckDB value of a DuckDB type (`DOUBLE`, `INTEGER[]`…) as Trino's CLI prints it. */
export function render(value: DuckDBValue, type = ''): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isInteger(value) && /^(DOUBLE|FLOAT)$/.test(type) ? `${value}.0` : String(value);
  if (typeof value !== 'object') return String(value);
  const kind = value.constructor.name;
  if (kind === 'DuckDBListValue' || kind === 'DuckDBArrayValue') return `[${(value as { items: DuckDBValue[] }).items.map((item) => render(item, type.replace(/\[\d*\]$/, ''))).join(', ')}]`;
  if (kind === 'DuckDBMapValue') {
    return `{${(value as { entries: Array<{ key: DuckDBValue; value: DuckDBValue }> }).entries.map((e) => `${render(e.key)}=${render(e.value)}`).join(', ')}}`;
  }
  if (kind === 'DuckDBStructValue') {
    const entries = Object.entries((value as { entries: Record<string, DuckDBValue> }).entries);
    return `{${entries.map(([name, field]) => (name === '' ? render(field) : `${name}=${render(field)}`)).join(', ')}}`;
  }
  if (kind === 'DuckDBBlobValue') return [...(value as { bytes: Uint8Array }).bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  if (kind === 'DuckDBTimestampValue') return milliseconds(String(value));
  if (kind === 'DuckDBTimestampTZValue') return `${milliseconds(String(value).replace(/\+00$/, ''))} UTC`;
  return String(value);
}

const milliseconds = (timestamp: string) => {
  const [seconds, fraction = ''] = timestamp.split('.');
  return `${seconds}.${fraction.padEnd(3, '0').slice(0, 3)}`;
};

export interface Answer {
  readonly rows: string[][];
  readonly type: string;
  readonly warnings: readonly string[];
}

/** Runs an Athena query translated (or, to show what DuckDB would answer, as it is) and renders the answer. */
export async function answer(connection: DuckDBConnection, sql: string, translated: boolean): Promise<Answer> {
  const translation = translated ? translate(sql, CORPUS_CATALOG) : { sql, warnings: [] };
  const reader = await connection.runAndReadAll(translation.sql);
  return {
    rows: reader.getRows().map((row) => row.map((value, i) => render(value, reader.columnTypes()[i].toString()))),
    // JSON is a VARCHAR with an alias in DuckDB's types.
    type: athenaTypeName(reader.columnTypes()[0].alias ?? reader.columnTypes()[0].toString()),
    warnings: translation.warnings.map((warning) => `${warning.construct}: ${warning.message}`),
  };
}

