/**
 * LocalMesh end to end on one small product, through the processor workers and on the main thread: delivery that
 * follows a publish in progress reconciles, and a record the processor accepts but the Parquet conversion refuses
 * ends in a format-conversion-failed document that names its stream record, while the others reach Parquet.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalMesh } from '../../../lib/local/local-mesh';
import { streamPages } from '../../../lib/local/read-stream';
import { orderPlaced, productEntry } from './fake-assembly';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-local-mesh-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const product = productEntry(orderPlaced);

function order(i: number, weight = 1.5): string {
  return JSON.stringify({ order_id: `o-${i}`, customer_id: `c-${i % 7}`, total: '12.50', weight_kg: weight, placed_at: '2026-11-21T10:00:00.000Z' });
}

describe.each([1, 0])('LocalMesh with processorConcurrency %i', (processorConcurrency) => {
  it('delivers while publishing, and sends a record Parquet cannot hold to format-conversion-failed', async () => {
    const dir = path.join(root, String(processorConcurrency));
    const mesh = await LocalMesh.start([product], { lakeDir: path.join(dir, 'lake'), buildDir: path.join(root, 'build'), processorConcurrency });
    try {
      mesh.lake.wipe();
      // 1e39 is a JSON number the processor passes for a float column; a Parquet FLOAT cannot hold it.
      const records = Array.from({ length: 3_000 }, (_, i) => ({ data: order(i, i === 1234 ? 1e39 : 1.5), partitionKey: `o-${i}` }));
      const publishing = mesh.publishTo(product, records);
      const delivery = await mesh.deliver(product, { following: publishing });
      expect(delivery).toMatchObject({ sent: 3_000, in: 3_000, ok: 2_999, dropped: 0, failed: 1, failedBy: { processing: 0, invocation: 0, conversion: 1 } });
      // The bench's account of where the time goes reads each thread's CPU (Linux /proc).
      const cpu = mesh.threadCpu();
      expect(cpu.main).toBeGreaterThan(0);
      expect(cpu.server).toBeGreaterThan(0);
      if (processorConcurrency > 0) expect(cpu.processors).toBeGreaterThan(0);
      else expect(cpu.processors).toBe(0);

      const errorFile = delivery.objects.find((file) => file.includes('format-conversion-failed'));
      expect(errorFile).toBeDefined();
      const [document] = fs.readFileSync(errorFile!, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(Buffer.from(document.rawData as string, 'base64').toString()).toContain('"order_id":"o-1234"');
      expect(document.lastErrorCode).toBe('DataFormatConversion.ConversionFailed');
      // It names the stream record the line came from.
      let source: { sequenceNumber: string; approximateArrivalTimestamp: number } | undefined;
      for await (const page of streamPages(mesh.kinesis.client, product.physical.streamName)) {
        source ??= page.find((record) => Buffer.from(record.data).toString().includes('"order_id":"o-1234"'));
      }
      expect(document).toMatchObject({ sequenceNumber: source?.sequenceNumber, arrivalTimestamp: source?.approximateArrivalTimestamp });

      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      try {
        const rows = await connection.runAndReadAll(`SELECT count(*)::INTEGER, count(DISTINCT order_id)::INTEGER FROM read_parquet('${mesh.lake.dataGlob(product)}')`);
        expect(rows.getRows()).toEqual([[2_999, 2_999]]);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    } finally {
      await mesh.close();
    }
  });

  it('reads on from where the last delivery stopped, and keeps a refused record as its stream record held it', async () => {
    const dir = path.join(root, `arrived-${processorConcurrency}`);
    const mesh = await LocalMesh.start([product], { lakeDir: path.join(dir, 'lake'), buildDir: path.join(root, 'build'), processorConcurrency });
    try {
      mesh.lake.wipe();
      await mesh.publishTo(product, Array.from({ length: 1_500 }, (_, i) => ({ data: order(i), partitionKey: `o-${i}` })));
      expect(await mesh.deliverArrived(product)).toMatchObject({ in: 1_500, ok: 1_500, failed: 0 });
      const refused = ['{"order_id": 5}', 'not json at all'];
      await mesh.publishTo(product, [...refused.map((data, i) => ({ data, partitionKey: `bad-${i}` })), { data: order(9_999), partitionKey: 'o-9999' }]);
      const second = await mesh.deliverArrived(product);
      expect(second).toMatchObject({ in: 3, ok: 1, failed: 2, failedBy: { processing: 2, invocation: 0, conversion: 0 } });
      expect(await mesh.deliverArrived(product)).toMatchObject({ in: 0, ok: 0, failed: 0 });

      const errorFile = second.objects.find((file) => file.includes('processing-failed'));
      const documents = fs.readFileSync(errorFile!, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { rawData: string; arrivalTimestamp: number; errorMessage: string });
      const arrivals = new Map<string, number>();
      for await (const page of streamPages(mesh.kinesis.client, product.physical.streamName)) {
        for (const record of page) arrivals.set(Buffer.from(record.data).toString(), record.approximateArrivalTimestamp);
      }
      expect(documents.map((document) => Buffer.from(document.rawData, 'base64').toString()).sort()).toEqual([...refused].sort());
      for (const document of documents) {
        expect(document.arrivalTimestamp).toBe(arrivals.get(Buffer.from(document.rawData, 'base64').toString()));
        expect(document.errorMessage).not.toBe('');
      }
    } finally {
      await mesh.close();
    }
  });
});
