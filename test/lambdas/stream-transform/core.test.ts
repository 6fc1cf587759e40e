import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PublishRecord, PublishResult } from '../../../lambdas/publisher';
import { processKinesisRecords, resolveTransformModule, type RejectedRecord, type TransformModule } from '../../../lambdas/stream-transform';
import { kinesisEvent, SOURCE_ARN } from './events';

/** A publisher double: records what it was given; `fail(i)` decides which outputs fail. */
function fakePublish(fail: (index: number, record: PublishRecord) => string | undefined = () => undefined) {
  const calls: PublishRecord[][] = [];
  const publish = async (records: PublishRecord[]): Promise<PublishResult> => {
    calls.push(records);
    const failed = records.flatMap((record, index) => {
      const code = fail(index, record);
      return code ? [{ index, record, errorCode: code, errorMessage: `${code} (test)`, attempts: 5 }] : [];
    });
    return { delivered: records.length - failed.length, failed, requests: 1, rounds: 1 };
  };
  return { publish, calls };
}

const payloads = (records: PublishRecord[]) => records.map((r) => JSON.parse(String(r.data)));

describe('processKinesisRecords', () => {
  it('maps, filters and fans out, keeping the upstream partition key, and reports no failure', async () => {
    const module: TransformModule = {
      transform: (view: any) => {
        if (view.page === '/home') return null;
        if (view.page === '/cart') return [];
        if (view.page === '/bundle') return [{ product: 'a' }, null, { product: 'b' }];
        return { product: view.page.split('/')[2] };
      },
    };
    const { publish, calls } = fakePublish();
    const event = kinesisEvent([
      { value: { page: '/products/p1' }, partitionKey: 'session-1' },
      { value: { page: '/home' } },
      { value: { page: '/cart' } },
      { value: { page: '/bundle' }, partitionKey: 'session-2' },
    ]);
    const outcome = await processKinesisRecords(event.Records, { module, publish });
    expect(calls).toHaveLength(1);
    expect(payloads(calls[0])).toEqual([{ product: 'p1' }, { product: 'a' }, { product: 'b' }]);
    expect(calls[0].map((r) => r.partitionKey)).toEqual(['session-1', 'session-2', 'session-2']);
    expect(outcome).toMatchObject({ batchItemFailures: [], received: 4, filtered: 2, published: 3, skipped: [], failures: [] });
  });

  it('isolates a record whose transform throws: the batch carries on, the record goes to the error location with its payload', async () => {
    const module: TransformModule = {
      transform: (r: any) => {
        if (r.n === 2) throw new RangeError('price must be positive');
        return { n: r.n };
      },
    };
    const { publish, calls } = fakePublish();
    const written: RejectedRecord[] = [];
    const event = kinesisEvent([0, 1, 2, 3, 4].map((n) => ({ value: { n } })));
    const outcome = await processKinesisRecords(event.Records, { module, publish, reject: async (records) => void written.push(...records) });
    expect(payloads(calls[0])).toEqual([{ n: 0 }, { n: 1 }, { n: 3 }, { n: 4 }]);
    expect(outcome.batchItemFailures).toEqual([]);
    expect(outcome.failures).toEqual([]);
    expect(written).toEqual([
      {
        index: 2,
        sequenceNumber: 'seq-002',
        eventSourceArn: SOURCE_ARN,
        partitionKey: 'pk-2',
        approximateArrivalTimestamp: 1_795_000_002_500,
        data: event.Records[2].kinesis.data,
        errorCode: 'RangeError',
        errorMessage: 'price must be positive',
      },
    ]);
    expect(outcome.rejected).toEqual(written);
  });

  it('reports a rejected record from itself when there is no error location, or when writing to it fails', async () => {
    const module: TransformModule = { transform: (r: any) => (r.n % 2 === 1 ? Promise.reject(new Error(`odd ${r.n}`)) : r) };
    const event = kinesisEvent([0, 1, 2, 3].map((n) => ({ value: { n } })));
    const none = await processKinesisRecords(event.Records, { module, publish: fakePublish().publish });
    expect(none.batchItemFailures).toEqual([{ itemIdentifier: 'seq-001' }]);
    expect(none.failures.map((f) => [f.index, f.stage])).toEqual([[1, 'transform'], [3, 'transform']]);
    const broken = await processKinesisRecords(event.Records, {
      module,
      publish: fakePublish().publish,
      reject: async () => {
        throw new Error('Access Denied');
      },
    });
    expect(broken.batchItemFailures).toEqual([{ itemIdentifier: 'seq-001' }]);
    expect(broken.failures[0]).toMatchObject({
      stage: 'error-location',
      errorMessage: 'Could not write the rejected record to the error location (Access Denied); it was rejected because: odd 1',
    });
  });

  it('reports the input record of any output the publisher could not deliver, once, with the publisher error code', async () => {
    const module: TransformModule = { transform: (r: any) => [{ n: r.n, part: 1 }, { n: r.n, part: 2 }] };
    const { publish } = fakePublish((_, record) => {
      const out = JSON.parse(String(record.data));
      return out.n === 1 ? 'ProvisionedThroughputExceededException' : undefined;
    });
    const outcome = await processKinesisRecords(kinesisEvent([0, 1, 2].map((n) => ({ value: { n } }))).Records, { module, publish });
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: 'seq-001' }]);
    expect(outcome.failures).toEqual([
      expect.objectContaining({ index: 1, stage: 'publish', errorCode: 'ProvisionedThroughputExceededException' }),
    ]);
    expect(outcome.published).toBe(4);
  });

  it('skips records that are not JSON (no retry can fix them) and carries on', async () => {
    const { publish, calls } = fakePublish();
    const outcome = await processKinesisRecords(
      kinesisEvent([{ raw: '{"n":' }, { raw: '' }, { value: { n: 2 } }]).Records,
      { module: { transform: (r) => r }, publish },
    );
    expect(payloads(calls[0])).toEqual([{ n: 2 }]);
    expect(outcome.batchItemFailures).toEqual([]);
    expect(outcome.skipped.map((s) => [s.sequenceNumber, s.reason.split(':')[0]])).toEqual([
      ['seq-000', 'The record is not JSON'],
      ['seq-001', 'The record is empty.'],
    ]);
  });

  it('gives the transform its context and uses the module partitionKey export', async () => {
    const seen: unknown[] = [];
    const module: TransformModule = {
      transform: (r: any, ctx) => {
        seen.push(ctx);
        return { customer: r.customer };
      },
      partitionKey: (out: any) => out.customer,
    };
    const { publish, calls } = fakePublish();
    await processKinesisRecords(kinesisEvent([{ value: { customer: 'c-9' }, partitionKey: 'session-1' }]).Records, {
      module,
      publish,
      sources: new Map([[SOURCE_ARN, 'storefront.page_viewed.v1']]),
    });
    expect(calls[0][0].partitionKey).toBe('c-9');
    expect(seen[0]).toEqual({
      sourceProductId: 'storefront.page_viewed.v1',
      eventSourceArn: SOURCE_ARN,
      partitionKey: 'session-1',
      sequenceNumber: 'seq-000',
      approximateArrivalTimestamp: 1_795_000_000_500,
    });
  });

  it('rejects an output that is not JSON, too large for a Kinesis record, or without a valid partition key', async () => {
    const { publish, calls } = fakePublish();
    const written: RejectedRecord[] = [];
    const outcome = await processKinesisRecords(kinesisEvent([{ value: { k: 'fn' } }, { value: { k: 'big' } }, { value: { k: 'key' } }, { value: { k: 'ok' } }]).Records, {
      module: {
        transform: (r: any) => (r.k === 'fn' ? (() => 1) : r.k === 'big' ? { pad: 'x'.repeat(1024 * 1024) } : r),
        partitionKey: (output: any) => (output.k === 'key' ? '' : 'pk'),
      },
      publish,
      reject: async (records) => void written.push(...records),
    });
    expect(written.map((r) => [r.index, r.errorCode, r.errorMessage])).toEqual([
      [0, 'OutputNotJson', 'Output 0 of the record is not JSON-serialisable (got function).'],
      [1, 'RecordTooLarge', 'Output 0 of the record is 1048588 bytes with its partition key; a Kinesis record holds at most 1048576.'],
      [2, 'InvalidPartitionKey', 'Output 0 of the record has partition key ""; Kinesis needs a string of 1-256 characters.'],
    ]);
    expect(payloads(calls[0])).toEqual([{ k: 'ok' }]);
    expect(outcome.batchItemFailures).toEqual([]);
  });

  it('accounts for every record under random transform failures, fan-outs and publish failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            kind: fc.constantFrom('map', 'map', 'fanout', 'filter', 'throw', 'garbage'),
            fanout: fc.integer({ min: 0, max: 4 }),
          }),
          { maxLength: 40 },
        ),
        fc.func(fc.boolean()),
        async (plan, publishFails) => {
          const module: TransformModule = {
            transform: (r: any) => {
              const step = plan[r.i];
              if (step.kind === 'throw') throw new Error(`boom ${r.i}`);
              if (step.kind === 'filter') return null;
              if (step.kind === 'fanout') return Array.from({ length: step.fanout }, (_, k) => ({ i: r.i, k }));
              return { i: r.i, k: 0 };
            },
          };
          const { publish, calls } = fakePublish((index, record) =>
            publishFails(index, String(record.data)) ? 'InternalFailure' : undefined,
          );
          const written: RejectedRecord[] = [];
          const event = kinesisEvent(plan.map((step, i) => (step.kind === 'garbage' ? { raw: 'not json' } : { value: { i } })));
          const outcome = await processKinesisRecords(event.Records, { module, publish, reject: async (records) => void written.push(...records) });

          const published = (calls[0] ?? []).map((r) => JSON.parse(String(r.data)).i as number);
          const failedOutputsOf = new Set(
            (calls[0] ?? []).filter((r, idx) => publishFails(idx, String(r.data))).map((r) => JSON.parse(String(r.data)).i as number),
          );
          // Every record is accounted for: its outputs published, filtered, rejected with its payload, or skipped.
          plan.forEach((step, i) => {
            const outputs = published.filter((p) => p === i).length;
            expect(outputs).toBe(step.kind === 'fanout' ? step.fanout : step.kind === 'map' ? 1 : 0);
            expect(written.some((r) => r.index === i && r.data === event.Records[i].kinesis.data)).toBe(step.kind === 'throw');
            expect(outcome.skipped.some((s) => s.index === i)).toBe(step.kind === 'garbage');
          });
          // Only infrastructure failures are reported, and only from the first: innocent records are not held back.
          const infra = [...failedOutputsOf].sort((a, b) => a - b);
          expect(outcome.batchItemFailures).toEqual(infra.length > 0 ? [{ itemIdentifier: event.Records[infra[0]].kinesis.sequenceNumber }] : []);
          expect(outcome.failures.map((f) => f.index)).toEqual(infra);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('resolveTransformModule', () => {
  it('takes the named export and the optional partitionKey export', () => {
    const transform = () => null;
    const partitionKey = () => 'k';
    expect(resolveTransformModule({ handler: transform, partitionKey }, 'handler')).toEqual({ transform, partitionKey });
  });

  it('names the missing export, what the module exports instead, and the fix', () => {
    expect(() => resolveTransformModule({ transform: () => null, __esModule: true }, 'handler', 'src/views.ts')).toThrow(
      'src/views.ts must export a function named "handler" (the streaming transform); it exports "transform". ' +
        "Export it, or set handler: { handler: '<name>' } to the export to use.",
    );
    expect(() => resolveTransformModule({ handler: () => null, partitionKey: 'id' }, 'handler')).toThrow(
      'the transform module exports "partitionKey", but it is a string, not a function (output, context) => string.',
    );
  });
});
