/**
 * `mesh replay` of a streaming derived product after `mesh dev`: records its transform rejected are in the error
 * location with their payload; once the transform is fixed, the replay sends them through it again, their outputs
 * land in the derived table once, and a second replay finds nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, col } from '../../../constructs/contract';
import type { MeshManifest } from '../../../constructs/manifest/manifest';
import { runReplay } from '../../../lib/cli/replay';
import { LocalLake } from '../../../lib/local/lake';
import { LakeDatabase } from '../../../lib/local/lake-database';
import { readErrorLocation, replayLocally } from '../../../lib/local/replay';
import { runDev } from '../../../lib/local/run-dev';
import { orderPlaced, productEntry } from './fake-assembly';

const orders = productEntry(orderPlaced);
const orderValue = productEntry(
  Contract.of({
    name: 'order_value',
    domain: 'orders',
    owner: { team: 'orders-team', contact: 'orders@example.com' },
    description: 'The value of each order.',
    columns: {
      order_id: col.string({ required: true, primaryKey: true, description: 'Order id.' }),
      total: col.decimal(12, 2, { required: true, description: 'Order total.' }),
      placed_at: col.timestamp({ required: true, description: 'When the order was placed (UTC).' }),
    },
    partitionBy: { column: 'placed_at' },
  }),
  { source: { kind: 'stream', from: [orders.id], handlerEntry: 'transforms/order-value.js' } },
);

const BROKEN = `exports.handler = (order) => {
  if (order.customer_id === 'c-guest') throw new Error('guest orders are not supported yet');
  return { order_id: order.order_id, total: order.total, placed_at: order.placed_at };
};
`;
const FIXED = `exports.handler = (order) => ({ order_id: order.order_id, total: order.total, placed_at: order.placed_at });
`;

let root: string;
const dirs = () => ({ lakeDir: path.join(root, 'lake'), buildDir: path.join(root, 'build'), appDir: root });
const transformFile = () => path.join(root, 'transforms', 'order-value.js');

async function orderValueRows(): Promise<string[]> {
  const database = await LakeDatabase.open(new LocalLake(dirs().lakeDir), [orders, orderValue]);
  try {
    const result = await database.query('SELECT order_id FROM orders.order_value_v1 ORDER BY order_id');
    return result.rows.map((row) => String(row[0]));
  } finally {
    database.close();
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-transform-'));
  fs.mkdirSync(path.join(root, 'fixtures'));
  fs.mkdirSync(path.join(root, 'transforms'));
  fs.writeFileSync(transformFile(), BROKEN);
  const records = ['o-1', 'o-2', 'o-3', 'o-4', 'o-5'].map((id, n) =>
    JSON.stringify({ order_id: id, customer_id: n % 2 === 0 ? 'c-1' : 'c-guest', total: `${n + 1}0.00`, placed_at: '2026-11-20T10:00:00Z' }),
  );
  fs.writeFileSync(path.join(root, 'fixtures', 'orders.order_placed.jsonl'), `${records.join('\n')}\n`);
  const report = await runDev([orders, orderValue], { ...dirs(), fixturesDir: path.join(root, 'fixtures') });
  expect(report.pipelines[0]).toMatchObject({ read: 5, transformed: 3, rejected: 2, deadLettered: 0 });
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('mesh replay of a streaming derived product', () => {
  it('finds the rejected records in the error location with their payload and reason', () => {
    // One object per shard's batch, named with a random suffix: sorted by order id for a stable comparison.
    const found = readErrorLocation(new LocalLake(dirs().lakeDir), orderValue).sort((a, b) => a.origin!.partitionKey.localeCompare(b.origin!.partitionKey));
    expect(found.map((r) => [r.errorOutputType, JSON.parse(r.data.toString()).order_id, r.reason])).toEqual([
      ['transform-failed', 'o-2', 'guest orders are not supported yet'],
      ['transform-failed', 'o-4', 'guest orders are not supported yet'],
    ]);
    expect(found[0].origin).toMatchObject({ sourceProductId: orders.id, partitionKey: 'o-2' });
  });

  it('sends them through the fixed transform: their outputs are in the table once, and a second replay finds nothing', async () => {
    expect(await orderValueRows()).toEqual(['o-1', 'o-3', 'o-5']);
    fs.writeFileSync(transformFile(), FIXED);
    const manifest: MeshManifest = { products: [orders, orderValue], consumers: [], grants: [], governance: [] };
    const { lines, exitCode } = await runReplay(manifest, orderValue.id, { lake: dirs().lakeDir, buildDir: dirs().buildDir, appDir: root });
    expect(exitCode).toBe(0);
    expect(lines).toEqual([
      'orders.order_value.v1: 2 records in the error location (transform-failed 2)',
      '  re-sent 0',
      '  transform: 2 replayed, 2 outputs published, 0 rejected again',
      '  delivered: ok 2, dropped 0, failed again 0, partitions 2026-11-20',
      // Two objects: the local mesh has two shards, and the transform writes one object per batch.
      '  2 error objects moved under replayed/',
    ]);
    expect(await orderValueRows()).toEqual(['o-1', 'o-2', 'o-3', 'o-4', 'o-5']);
    const again = await replayLocally(orderValue, dirs());
    expect(again).toMatchObject({ found: {}, resent: 0, moved: [] });
    expect(await orderValueRows()).toHaveLength(5);
  }, 60_000);
});
