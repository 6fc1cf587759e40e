import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ATHENA_SHIMS, installAthenaShims } from '../../../lib/local/athena-shims';

describe('Athena shims', () => {
  it.each(ATHENA_SHIMS.map((shim) => [shim.name, shim.example.sql, shim.example.result]))(
    '%s: %s returns %s in the local lake',
    async (_name, sql, result) => {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      try {
        await installAthenaShims(connection);
        const rows = (await connection.runAndReadAll(sql)).getRows();
        expect(rows.map((row) => row.map(String))).toEqual([[result]]);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    },
  );

  it('never shadows a DuckDB function', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const names = ATHENA_SHIMS.map((shim) => `'${shim.name}'`).join(', ');
      const builtIn = await connection.runAndReadAll(`SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_name IN (${names})`);
      // If DuckDB gains one of these names, the shim is skipped and its own function answers: this test then says which.
      expect(builtIn.getRows()).toEqual([]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
