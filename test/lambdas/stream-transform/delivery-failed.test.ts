/**
 * What still ends in the dead-letter queue points to its payloads: the transform runtime, under a simulated event
 * source mapping, keeps the failed records of a reported checkpoint in the delivery-failed object that the DLQ
 * message (KinesisBatchInfo) names, and deletes it once a retry gets past the checkpoint.
 */
import type { PutRecordsCommand, PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { DELIVERY_FAILED, deliveryFailedKey, type DeliveryFailedDocument, type PendingFailureStore } from '../../../lambdas/stream-transform/delivery-failed';
import { createStreamTransformHandler, type StreamTransformHandler } from '../../../lambdas/stream-transform/handler';
import { parseErrorObject } from '../../../lib/replay/error-documents';
import { SOURCE_ARN, kinesisEvent } from './events';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const PREFIX = 'errors/product_views_v1/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/';

class MemoryStore implements PendingFailureStore {
  public readonly objects = new Map<string, string>();
  public async write(key: string, body: string) {
    this.objects.set(key, body);
  }
  public async remove(key: string) {
    this.objects.delete(key);
  }
}

/** A target stream that refuses an entry while `refuse(n, request)` says so. */
function targetStream(refuse: (n: number, request: number) => boolean) {
  const accepted: number[] = [];
  let request = 0;
  const client = {
    send: async (command: PutRecordsCommand): Promise<PutRecordsCommandOutput> => {
      request += 1;
      const entries = command.input.Records ?? [];
      const results = entries.map((entry) => {
        const { n } = JSON.parse(Buffer.from(entry.Data!).toString('utf8')) as { n: number };
        if (refuse(n, request)) return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' };
        accepted.push(n);
        return { SequenceNumber: String(accepted.length), ShardId: 'shardId-000000000000' };
      });
      return { FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length, Records: results, $metadata: {} };
    },
  };
  return { client, accepted };
}

/** Lambda's Kinesis event source mapping (ReportBatchItemFailures, retries, an on-failure destination). */
async function eventSourceMapping(records: readonly KinesisStreamRecord[], handler: StreamTransformHandler, batchSize: number, maxRetryAttempts: number) {
  const dlq: Array<{ shardId: string; startSequenceNumber: string; endSequenceNumber: string; approximateArrivalOfFirstRecord: string; streamArn: string }> = [];
  let position = 0;
  let retries = 0;
  while (position < records.length) {
    const batch = records.slice(position, position + batchSize);
    const { batchItemFailures } = await handler.handler({ Records: batch });
    if (batchItemFailures.length === 0) {
      position += batch.length;
      retries = 0;
      continue;
    }
    const failed = batch.findIndex((r) => r.kinesis.sequenceNumber === batchItemFailures[0].itemIdentifier);
    if (failed > 0) retries = 0;
    position += failed;
    if (retries === maxRetryAttempts) {
      const rest = batch.slice(failed);
      // The on-failure destination's KinesisBatchInfo of the batch given up on.
      dlq.push({
        shardId: rest[0].eventID.split(':')[0],
        startSequenceNumber: rest[0].kinesis.sequenceNumber,
        endSequenceNumber: rest[rest.length - 1].kinesis.sequenceNumber,
        approximateArrivalOfFirstRecord: new Date(rest[0].kinesis.approximateArrivalTimestamp * 1000).toISOString(),
        streamArn: rest[0].eventSourceARN,
      });
      position += rest.length;
      retries = 0;
    } else {
      retries += 1;
    }
  }
  return { dlq };
}

const transform = { transform: (r: any) => ({ n: r.n }) };
const env = { MESH_TARGET_STREAM: 'shop-recommendations-product_views-v1', MESH_ERROR_PREFIX: PREFIX, MESH_PUBLISH_MAX_ATTEMPTS: '2', MESH_SOURCES: JSON.stringify([{ arn: SOURCE_ARN, productId: 'storefront.page_viewed.v1' }]) };

describe('dead-lettered records point to their payloads', () => {
  it('a record the stream never accepts: the DLQ message names the object holding its payload and reason', async () => {
    const { client, accepted } = targetStream((n) => n === 42);
    const store = new MemoryStore();
    const handler = createStreamTransformHandler(transform, { client, env, pendingFailures: store, publishOptions: { sleep: async () => {} } });
    const records = kinesisEvent(Array.from({ length: 100 }, (_, n) => ({ value: { n } }))).Records;

    const { dlq } = await eventSourceMapping(records, handler, 50, 2);

    expect(dlq).toHaveLength(1);
    expect(new Set(accepted).size).toBe(99);
    const message = dlq[0];
    const key = deliveryFailedKey(PREFIX, message.shardId, message.startSequenceNumber, new Date(message.approximateArrivalOfFirstRecord));
    expect(key).toBe(`errors/product_views_v1/${DELIVERY_FAILED}/2026-11-18/shardId-000000000000-seq-042.jsonl`);
    // The only object left: the checkpoints passed were cleared.
    expect([...store.objects.keys()]).toEqual([key]);
    const documents = store.objects.get(key)!.trim().split('\n').map((line) => JSON.parse(line) as DeliveryFailedDocument);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      errorCode: 'InternalFailure',
      sequenceNumber: 'seq-042',
      shardId: 'shardId-000000000000',
      eventSourceArn: SOURCE_ARN,
      sourceProductId: 'storefront.page_viewed.v1',
      rawData: records[42].kinesis.data,
    });
    // mesh replay reads it as a record to send through the transform again.
    const [replayable] = parseErrorObject(store.objects.get(key)!, DELIVERY_FAILED, key);
    expect(JSON.parse(replayable.data.toString())).toEqual({ n: 42 });
    expect(replayable.origin).toEqual({ eventSourceArn: SOURCE_ARN, partitionKey: 'pk-42', sequenceNumber: 'seq-042', sourceProductId: 'storefront.page_viewed.v1' });
  });

  it('a throttling episode the retries get past: nothing dead-lettered, no object left behind', async () => {
    const { client, accepted } = targetStream((n, request) => request <= 4 && n % 3 === 0);
    const store = new MemoryStore();
    const writes: string[] = [];
    const handler = createStreamTransformHandler(transform, {
      client,
      env,
      pendingFailures: { write: (key, body) => (writes.push(key), store.write(key, body)), remove: (key) => store.remove(key) },
      publishOptions: { sleep: async () => {} },
    });
    const records = kinesisEvent(Array.from({ length: 100 }, (_, n) => ({ value: { n } }))).Records;

    const { dlq } = await eventSourceMapping(records, handler, 50, 5);

    expect(dlq).toEqual([]);
    expect(new Set(accepted).size).toBe(100);
    expect(writes.length).toBeGreaterThan(0);
    expect(store.objects.size).toBe(0);
  });

  it('a failure to record the payloads does not change the batch response', async () => {
    const { client } = targetStream((n) => n === 3);
    const failing: PendingFailureStore = {
      write: async () => {
        throw new Error('AccessDenied');
      },
      remove: async () => {},
    };
    const handler = createStreamTransformHandler(transform, { client, env, pendingFailures: failing, publishOptions: { sleep: async () => {} } });
    const response = await handler.handler(kinesisEvent(Array.from({ length: 5 }, (_, n) => ({ value: { n } }))));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'seq-003' }] });
  });
});
