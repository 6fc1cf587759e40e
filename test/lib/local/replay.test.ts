/**
 * `mesh replay` after `mesh dev`: records refused for a cause that is then fixed are sent again from the error
 * location, land in the table once, and a second replay finds only what still fails.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '../../../constructs/contract';
import type { MeshManifest } from '../../../constructs/manifest/manifest';
import { formatReplay, runReplay } from '../../../lib/cli/replay';
import { LocalLake } from '../../../lib/local/lake';
import { LakeDatabase } from '../../../lib/local/lake-database';
import { readErrorLocation, replayLocally } from '../../../lib/local/replay';
import { runDev } from '../../../lib/local/run-dev';
import { orderPlaced, productEntry } from './fake-assembly';

const order = (id: string, placedAt: string) => ({ order_id: id, customer_id: 'c-1', total: '10.00', placed_at: placedAt });

/** 5 recent orders, 3 from 2019 (before the default partitionBy.since), 1 line that is not JSON. */
const FIXTURE = [
  ...['o-1', 'o-2', 'o-3', 'o-4', 'o-5'].map((id) => JSON.stringify(order(id, '2026-11-20T10:00:00Z'))),
  ...['o-2019-1', 'o-2019-2', 'o-2019-3'].map((id) => JSON.stringify(order(id, '2019-06-01T08:00:00Z'))),
  'not json',
];

let root: string;
const dirs = () => ({ lakeDir: path.join(root, 'lake'), buildDir: path.join(root, 'build') });
const original = productEntry(orderPlaced);
/** The fix: the contract now accepts events since 2015 (a backfill). */
const fixed = productEntry(Contract.fromSpec({ ...orderPlaced.spec, partitionBy: { ...orderPlaced.spec.partitionBy, since: '2015-01-01' } }));

async function tableRows(): Promise<string[]> {
  const database = await LakeDatabase.open(new LocalLake(dirs().lakeDir), [fixed]);
  try {
    const result = await database.query('SELECT order_id FROM orders.order_placed_v1 ORDER BY order_id');
    return result.rows.map((row) => String(row[0]));
  } finally {
    database.close();
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));
  fs.mkdirSync(path.join(root, 'fixtures'));
  fs.writeFileSync(path.join(root, 'fixtures', 'orders.order_placed.jsonl'), `${FIXTURE.join('\n')}\n`);
  const report = await runDev([original], { ...dirs(), fixturesDir: path.join(root, 'fixtures') });
  expect(report.deliveries[0]).toMatchObject({ sent: 9, ok: 5, failed: 4 });
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('mesh replay after mesh dev', () => {
  it('counts what is in the error location without sending anything in a dry run', async () => {
    const manifest: MeshManifest = { products: [fixed], consumers: [], grants: [], governance: [] };
    const { lines } = await runReplay(manifest, 'orders.order_placed', { ...dirs(), lake: dirs().lakeDir, dryRun: true });
    expect(lines).toEqual(['orders.order_placed.v1: 4 records in the error location (processing-failed 4)', '  dry run: 4 would be sent again']);
    expect(readErrorLocation(new LocalLake(dirs().lakeDir), fixed)).toHaveLength(4);
  }, 60_000);

  it('sends the refused records again once the cause is fixed: they are in the table, none twice', async () => {
    const report = await replayLocally(fixed, dirs());
    expect(report.resent).toBe(4);
    expect(report.delivery).toMatchObject({ sent: 4, in: 4, ok: 3, failed: 1, partitions: ['2019-06-01'] });
    expect(await tableRows()).toEqual(['o-1', 'o-2', 'o-2019-1', 'o-2019-2', 'o-2019-3', 'o-3', 'o-4', 'o-5']);
    expect(formatReplay(report, false)).toEqual([
      'orders.order_placed.v1: 4 records in the error location (processing-failed 4)',
      '  re-sent 4',
      '  delivered: ok 3, dropped 0, failed again 1, partitions 2019-06-01',
      '  still failing, e.g.: record is not valid JSON: Unexpected token \'o\', "not json" is not valid JSON',
      '  1 error object moved under replayed/',
    ]);
  }, 60_000);

  it('finds only what failed again on a second replay, and adds nothing twice', async () => {
    const again = await replayLocally(fixed, dirs());
    expect(again.found).toEqual({ 'processing-failed': 1 });
    expect(again.delivery).toMatchObject({ ok: 0, failed: 1 });
    expect(await tableRows()).toHaveLength(8);
    const since = await replayLocally(fixed, { ...dirs(), since: new Date(Date.now() + 60_000), dryRun: true });
    expect(since.found).toEqual({});
  }, 60_000);

  it('sends a record found in two error documents once', async () => {
    const [record] = readErrorLocation(new LocalLake(dirs().lakeDir), fixed);
    fs.copyFileSync(record.object, `${record.object}-copy`);
    const report = await replayLocally(fixed, { ...dirs(), dryRun: true });
    expect(report).toMatchObject({ found: { 'processing-failed': 2 }, duplicatesSkipped: 1 });
  }, 60_000);
});
