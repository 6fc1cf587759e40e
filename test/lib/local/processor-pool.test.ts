/**
 * The processor workers (processor-pool.ts running processor-worker.ts): an event goes to a worker, which runs the
 * bundle's handler and Firehose's checks of its answer, and comes back as the checked answer — or as the handler's
 * error, or as an `InvalidProcessorResponse` when the answer breaks Firehose's rules.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidProcessorResponse } from '../../../lib/local/firehose-batches';
import { ProcessorPool } from '../../../lib/local/processor-pool';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-pool-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A bundle whose handler answers by the record's data: "ok", "fail", "drop"; "throw" throws, "skip" is left out. */
const BUNDLE = `
exports.handler = async (event, context) => {
  if (event.records.some((r) => Buffer.from(r.data, 'base64').toString() === 'throw')) throw new Error('boom in ' + context.functionName);
  const records = [];
  for (const r of event.records) {
    const text = Buffer.from(r.data, 'base64').toString();
    if (text === 'skip') continue;
    if (text === 'fail') records.push({ recordId: r.recordId, result: 'ProcessingFailed', data: r.data });
    else if (text === 'drop') records.push({ recordId: r.recordId, result: 'Dropped', data: r.data });
    else records.push({ recordId: r.recordId, result: 'Ok', data: Buffer.from('{"t":"' + text + '"}\\n').toString('base64'), metadata: { partitionKeys: { dt: '2026-11-21' } } });
  }
  return { records };
};
`;

function event(texts: string[]): FirehoseTransformationEvent {
  return {
    invocationId: 'test',
    deliveryStreamArn: 'arn:ds',
    region: 'us-east-1',
    records: texts.map((text, i) => ({ recordId: `r${i}`, approximateArrivalTimestamp: 1, data: Buffer.from(text).toString('base64') })),
  };
}

describe('ProcessorPool', () => {
  it("answers with the checked answer, the handler's error, or an InvalidProcessorResponse", async () => {
    const bundlePath = path.join(dir, 'bundle.js');
    fs.writeFileSync(bundlePath, BUNDLE);
    const pool = new ProcessorPool(bundlePath, 2, { functionName: 'orders-processor' });
    try {
      const [answer, thrown, invalid] = await Promise.allSettled([
        pool.invoke(event(['a', 'fail', 'drop', 'b'])),
        pool.invoke(event(['a', 'throw'])),
        pool.invoke(event(['a', 'skip'])),
      ]);
      expect(answer).toEqual({
        status: 'fulfilled',
        value: {
          ok: [{ dt: '2026-11-21', indexes: [0, 3], text: '{"t":"a"}\n{"t":"b"}', length: 18 }],
          dropped: 1,
          failed: [{ index: 1, reason: 'The processor returned ProcessingFailed for the record.' }],
        },
      });
      expect(thrown).toMatchObject({ status: 'rejected', reason: { message: 'boom in orders-processor' } });
      expect((thrown as PromiseRejectedResult).reason).not.toBeInstanceOf(InvalidProcessorResponse);
      expect((invalid as PromiseRejectedResult).reason).toBeInstanceOf(InvalidProcessorResponse);
      expect((invalid as PromiseRejectedResult).reason.message).toContain('recordId r1 missing from the response');
    } finally {
      await pool.close();
    }
  });
});
