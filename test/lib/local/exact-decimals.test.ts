/**
 * A decimal sent as a JSON number with more digits than a double holds reaches the local lake's Parquet exactly.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Contract, col } from '../../../constructs/contract';
import { LocalLake } from '../../../lib/local/lake';
import { LakeDatabase } from '../../../lib/local/lake-database';
import { runDev } from '../../../lib/local/run-dev';
import { productEntry } from './fake-assembly';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exact-decimals-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const ledger = productEntry(
  Contract.of({
    name: 'ledger_entry',
    domain: 'finance',
    owner: { team: 'finance-team', contact: 'finance@example.com' },
    description: 'Exact amounts.',
    columns: {
      entry_id: col.string({ required: true, primaryKey: true, description: 'Entry id.' }),
      amount: col.decimal(20, 0, { required: true, description: 'Twenty digits.' }),
      booked_at: col.timestamp({ required: true, description: 'Booking time.' }),
    },
    partitionBy: { column: 'booked_at' },
  }),
);

it('stores 12345678901234567891 into decimal(20,0) exactly in Parquet, and refuses 21 digits', async () => {
  fs.mkdirSync(path.join(root, 'fixtures'));
  fs.writeFileSync(
    path.join(root, 'fixtures', 'finance.ledger_entry.jsonl'),
    '{"entry_id":"e-1","amount":12345678901234567891,"booked_at":"2026-11-20T10:00:00Z"}\n' +
      '{"entry_id":"e-2","amount":123456789012345678901,"booked_at":"2026-11-20T10:00:00Z"}\n',
  );
  const dirs = { lakeDir: path.join(root, 'lake'), buildDir: path.join(root, 'build') };
  const report = await runDev([ledger], { ...dirs, fixturesDir: path.join(root, 'fixtures') });
  expect(report.deliveries[0]).toMatchObject({ ok: 1, failed: 1 });
  expect(report.deliveries[0].sampleReasons).toEqual(['"amount": must match decimal(20,0) (got 123456789012345678901)']);
  const database = await LakeDatabase.open(new LocalLake(dirs.lakeDir), [ledger]);
  try {
    const result = await database.query('SELECT entry_id, CAST(amount AS VARCHAR) AS amount FROM finance.ledger_entry_v1');
    expect(result.rows.map((row) => row.map(String))).toEqual([['e-1', '12345678901234567891']]);
  } finally {
    database.close();
  }
}, 120_000);
