/**
 * `mesh dev --watch` as a producer team uses it: start it on a free port, publish with the AWS SDK v3 Kinesis client
 * at the printed endpoint, see the records in `mesh query`, then a second batch; on SIGINT the counts reconcile.
 * The process is killed in afterAll whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../lib/cli/query';
import { runProduct } from '../../lib/cli/run';
import { generatedRecords } from '../../lib/local/record-source';
import { readManifest } from '../../lib/manifest/read-manifest';
import type { MeshManifest } from '../../constructs/manifest/manifest';
import { synthSmallMesh } from './small-mesh';

const ROOT = path.resolve(__dirname, '..', '..');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-watch-'));
const lake = path.join(root, 'lake');
let assembly: string;
let manifest: MeshManifest;
let child: ChildProcess | undefined;
let output = '';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}. Output so far:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  assembly = synthSmallMesh(root);
  manifest = readManifest(assembly);
  const port = await freePort();
  child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bin/mesh.ts'), '--assembly', assembly, 'dev', '--watch', '--port', String(port), '--buffer-seconds', '1', '--lake', lake, '--build-dir', path.join(root, 'build')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
});

afterAll(() => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

const count = async () =>
  Number(JSON.parse(await runQuery(manifest, 'SELECT count(*) AS n FROM accounts.customer_registered_v1', { lake, maxRows: 1, json: true })).n);

describe('mesh dev --watch', () => {
  it('serves producers at the printed endpoint, delivers batch after batch, and reconciles on stop', async () => {
    const endpoint = await until('the endpoint', () => /Local Kinesis: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1], 60_000);
    // The endpoint and the environment lines may arrive in separate chunks.
    await until('the producer environment', () => (output.includes(`AWS_ENDPOINT_URL_KINESIS=${endpoint} AWS_REGION=us-east-1`) ? true : undefined));
    const client = new KinesisClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: new NodeHttpHandler() });
    const customers = manifest.products.find((product) => product.id === 'accounts.customer_registered.v1')!;
    const batch = (seed: number) => {
      const { records } = generatedRecords(customers, { count: 40, invalidShare: 0.1, seed });
      return new PutRecordsCommand({ StreamName: customers.physical.streamName, Records: records.map((r) => ({ Data: Buffer.from(r.data), PartitionKey: r.partitionKey })) });
    };
    try {
      expect((await client.send(batch(1))).FailedRecordCount).toBe(0);
      const first = await until('the first batch in mesh query', async () => (fs.existsSync(lake) && (await count().catch(() => 0)) > 0 ? count() : undefined));
      expect(first).toBe(36); // 40 sent, 4 broken on purpose
      expect((await client.send(batch(2))).FailedRecordCount).toBe(0);
      expect(await until('the second batch', async () => ((await count()) > first ? count() : undefined))).toBe(72);
      // The streaming derived product follows its source; the SQL one is built on demand while the watch runs.
      const orders = manifest.products.find((product) => product.id === 'orders.order_placed.v1')!;
      const { records } = generatedRecords(orders, { count: 40, invalidShare: 0, seed: 3 });
      const put = new PutRecordsCommand({ StreamName: orders.physical.streamName, Records: records.map((r) => ({ Data: Buffer.from(r.data), PartitionKey: r.partitionKey })) });
      expect((await client.send(put)).FailedRecordCount).toBe(0);
      const totals = async () => Number(JSON.parse(await runQuery(manifest, 'SELECT count(*) AS n FROM orders.order_totals_v1', { lake, maxRows: 1, json: true })).n);
      expect(await until('order totals derived from the orders', async () => ((await totals().catch(() => 0)) > 0 ? totals() : undefined))).toBeGreaterThan(0);
      expect((await runProduct(manifest, 'orders.daily_orders.v1', { lake })).rows).toBeGreaterThan(0);
    } finally {
      client.destroy();
    }
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child!.kill('SIGINT');
    expect(await exited).toBe(0);
    const row = output.split('\n').find((line) => line.startsWith('| accounts.customer_registered_v1'))!;
    const [inCount, ok, dropped, failed] = row.split('|').slice(2, 6).map((cell) => Number(cell.trim()));
    expect({ inCount, ok, dropped, failed }).toEqual({ inCount: 80, ok: 72, dropped: 0, failed: 8 });
    const derived = output.split('\n').find((line) => line.startsWith('| orders.order_totals_v1'))!;
    const [dIn, dOk, dDropped, dFailed] = derived.split('|').slice(2, 6).map((cell) => Number(cell.trim()));
    expect(dIn).toBeGreaterThan(0);
    expect(dIn).toBe(dOk + dDropped + dFailed);
  });
});
