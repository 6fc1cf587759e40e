/**
 * The SQL planner behind `planSqlProduct` (../sql-plan.ts): DuckDB in a worker thread of the synth process.
 *
 * Synth is synchronous and DuckDB's API asynchronous. The plan used to run in a child process (`execFileSync`),
 * which cost a cold synth ~0.45 CPU s: a Node start, tsx, DuckDB's Node API (~0.15 s to load) and the session.
 * A worker thread costs a V8 isolate instead of a process, loads only DuckDB's bindings, and the synth waits for
 * its answer with `Atomics.wait` and takes it with `receiveMessageOnPort`, both synchronous. The worker is started
 * on the first plan, kept for the next ones (each in a fresh in-memory database) and never holds the process open.
 *
 * The worker's code is the JavaScript text below, so the same code runs from source (tsx) and compiled: it needs
 * no file of its own and no TypeScript loader.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { ATHENA_MACROS, ATHENA_SETTINGS } from '../../../lib/athena/session-sql';
import type { PlanRequest, PlanResponse } from './sql-plan-types';

/** How long a synth waits for one plan before it gives up (DuckDB answers an empty-table plan in milliseconds). */
const PLAN_TIMEOUT_MS = 120_000;

/**
 * The worker: answers each request on its port with the output columns of `DESCRIBE <select>` (or DuckDB's error),
 * then bumps the shared counter the synth waits on. A failure that is not the SQL's (DuckDB not loadable, a table
 * that cannot be created) is answered as `failure`, never cached.
 */
const WORKER_SOURCE = `'use strict';
const { workerData } = require('node:worker_threads');
const signal = new Int32Array(workerData.signal);
const port = workerData.port;
const decoder = new TextDecoder();
let duckdb;
let loadError;
try {
  duckdb = require(workerData.bindings);
} catch (error) {
  loadError = error;
}
function quote(name) {
  return '"' + name.replace(/"/g, '""') + '"';
}
// A VARCHAR vector's values: 16-byte string_t entries, inlined up to 12 bytes, else a pointer at offset 8.
function strings(chunk, column, rows) {
  const data = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk, column), rows * 16);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const values = [];
  for (let row = 0; row < rows; row++) {
    const offset = row * 16;
    const length = view.getUint32(offset, true);
    const bytes = length <= 12
      ? new Uint8Array(data.buffer, data.byteOffset + offset + 4, length)
      : duckdb.get_data_from_pointer(data.buffer, data.byteOffset + offset + 8, length);
    values.push(decoder.decode(bytes));
  }
  return values;
}
async function plan(request) {
  const database = await duckdb.open(':memory:');
  const connection = await duckdb.connect(database);
  try {
    const tables = request.tables.map((table) =>
      'CREATE SCHEMA IF NOT EXISTS ' + quote(table.database) + ';\\n' +
      'CREATE TABLE ' + quote(table.database) + '.' + quote(table.table) +
      ' (' + table.columns.map((column) => quote(column.name) + ' ' + column.type).join(', ') + ')');
    await duckdb.query(connection, [...request.setup, ...tables].join(';\\n'));
    let result;
    try {
      result = await duckdb.query(connection, 'DESCRIBE ' + request.select);
    } catch (error) {
      return { error: error.message };
    }
    const columns = [];
    for (let chunk = await duckdb.fetch_chunk(result); chunk; chunk = await duckdb.fetch_chunk(result)) {
      const rows = duckdb.data_chunk_get_size(chunk);
      if (rows === 0) break;
      const names = strings(chunk, 0, rows);
      const types = strings(chunk, 1, rows);
      names.forEach((name, i) => columns.push({ name, type: types[i] }));
    }
    return { columns };
  } finally {
    duckdb.disconnect_sync(connection);
    duckdb.close_sync(database);
  }
}
port.on('message', (request) => {
  const answer = loadError
    ? Promise.resolve({ failure: 'DuckDB could not be loaded: ' + loadError.message })
    : plan(request).catch((error) => ({ failure: String((error && error.message) || error) }));
  answer.then((response) => {
    port.postMessage(response);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});
`;

/**
 * The Athena session's macros as the worker creates them. `athena_type_name` (a Node function in `mesh dev`) is a
 * macro of the same VARCHAR type here: a plan needs its type, not its values.
 */
const MACROS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(ATHENA_MACROS).map(([name, definition]) => [name, `CREATE OR REPLACE MACRO ${name}${definition}`])),
  athena_type_name: 'CREATE OR REPLACE MACRO athena_type_name(t) AS CAST(t AS VARCHAR)',
};

/** What the worker runs before creating the tables: the session's settings, and the macros the SELECT calls. */
function setupFor(select: string): string[] {
  return [...ATHENA_SETTINGS, ...Object.entries(MACROS).filter(([name]) => new RegExp(`\\b${name}\\b`).test(select)).map(([, sql]) => sql)];
}

interface Planner {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

let planner: Planner | undefined;

/** DuckDB's bindings, found from its Node API (our dependency) so that a package manager's layout does not matter. */
function bindingsPath(): string {
  return createRequire(require.resolve('@duckdb/node-api')).resolve('@duckdb/node-bindings');
}

function startPlanner(): Planner {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // Not the synth's loader flags (tsx under `cdk synth`): the worker's code is plain JavaScript.
    execArgv: [],
    workerData: { bindings: bindingsPath(), signal: signal.buffer, port: port2 },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  return { worker, port: port1, signal };
}

/** Plans `request` in the worker, synchronously. Throws when the planner itself fails (not when the SQL does). */
export function planInWorker(request: PlanRequest): PlanResponse {
  planner ??= startPlanner();
  const { port, signal } = planner;
  const answered = Atomics.load(signal, 0);
  port.postMessage({ ...request, setup: setupFor(request.select) });
  if (Atomics.wait(signal, 0, answered, PLAN_TIMEOUT_MS) === 'timed-out') {
    void stopSqlPlanner();
    throw new Error(`The SQL planner (DuckDB in a worker thread) did not answer within ${PLAN_TIMEOUT_MS / 1000} s. Run the synth again; if it persists, report it with the SQL.`);
  }
  const answer = receiveMessageOnPort(port)?.message as (PlanResponse & { failure?: undefined }) | { failure: string } | undefined;
  if (answer === undefined) throw new Error('The SQL planner signalled an answer but sent none: this is a bug of cdk-data-mesh.');
  if (answer.failure !== undefined) throw new Error(`The SQL planner failed: ${answer.failure}`);
  return answer;
}

/**
 * Ends the planner's worker (the next plan starts a new one). A synth need not call it: the worker never holds the
 * process open. The bench calls it so that a cold plan pays for the worker's start, as the first plan of `cdk synth` does.
 */
export async function stopSqlPlanner(): Promise<void> {
  const current = planner;
  planner = undefined;
  if (current !== undefined) {
    current.port.close();
    await current.worker.terminate();
  }
}

/** What a plan depends on besides its request: the worker's code, the session it installs, DuckDB's version. */
export function plannerFingerprint(): string {
  fingerprint ??= computeFingerprint();
  return fingerprint;
}

let fingerprint: string | undefined;

function computeFingerprint(): string {
  const version = (JSON.parse(fs.readFileSync(path.join(path.dirname(bindingsPath()), 'package.json'), 'utf8')) as { version: string }).version;
  return createHash('sha256').update(WORKER_SOURCE).update('\0').update(JSON.stringify([ATHENA_SETTINGS, MACROS])).update('\0').update(version).digest('hex');
}
