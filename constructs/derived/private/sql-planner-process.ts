/**
 * The child process behind `planSelect` (../sql-plan.ts): reads a plan request as JSON on stdin, creates empty
 * DuckDB tables with exactly the given columns in a session prepared for translated Athena SQL, and writes the
 * output columns of `DESCRIBE <select>` (or DuckDB's error) as JSON on stdout.
 *
 * A process of its own because synth is synchronous and DuckDB's Node API is asynchronous.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { installAthenaSession } from '../../../lib/athena/session';
import type { PlanRequest, PlanResponse } from './sql-plan-types';

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function plan(request: PlanRequest): Promise<PlanResponse> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await installAthenaSession(connection);
    for (const table of request.tables) {
      await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(table.database)}`);
      const columns = table.columns.map((column) => `${quote(column.name)} ${column.type}`).join(', ');
      await connection.run(`CREATE TABLE ${quote(table.database)}.${quote(table.table)} (${columns})`);
    }
    try {
      const reader = await connection.runAndReadAll(`DESCRIBE ${request.select}`);
      return { columns: reader.getRowsJson().map((row) => ({ name: String(row[0]), type: String(row[1]) })) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => (input += chunk));
process.stdin.on('end', () => {
  plan(JSON.parse(input) as PlanRequest).then(
    (response) => process.stdout.write(JSON.stringify(response)),
    (error: Error) => {
      process.stderr.write(error.stack ?? error.message);
      process.exitCode = 1;
    },
  );
});
