/**
 * `mesh replay --aws` end to end against in-memory S3 and Kinesis clients of the interfaces the real SDK clients
 * are adapted to: listing pagination, --since, dry run, de-duplication, PutRecords partial failures retried, and
 * transform failures sent through the fixed transform. (Unverified against a real AWS account.)
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { RejectedRecord, TransformModule } from '../../../lambdas/stream-transform';
import { transformFailedBody } from '../../../lambdas/stream-transform/error-location';
import { s3ErrorBucket } from '../../../lib/replay/aws-clients';
import { formatAwsReplay, replayFromAws, type AwsReplayOptions } from '../../../lib/replay/aws-replay';
import { parseErrorObject } from '../../../lib/replay/error-documents';
import { customerRegistered, orderPlaced, productEntry } from '../local/fake-assembly';
import { InMemoryBucket, InMemoryStream } from './in-memory-aws';

const BUCKET = 'test-orders-data-123456789012-eu-west-1';
const T0 = Date.parse('2026-12-03T09:00:00Z');
const HOUR = 3_600_000;
const product = productEntry(orderPlaced);
const noWait = { sleep: async () => {}, random: () => 0 };

const order = (id: string) => JSON.stringify({ order_id: id, customer_id: 'c-1', total: '10.00', placed_at: '2026-12-02T10:00:00Z' });
/** A document as Firehose writes one for a record the processor returned as ProcessingFailed. */
const processingFailed = (id: string, arrival: number, ending: number) =>
  JSON.stringify({
    attemptsMade: 1,
    arrivalTimestamp: arrival,
    errorCode: 'Lambda.ProcessingFailedStatus',
    errorMessage: `placed_at: before partitionBy.since (${id})`,
    attemptEndingTimestamp: ending,
    rawData: Buffer.from(order(id)).toString('base64'),
    lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:processor',
  });
const formatConversionFailed = (id: string, arrival: number, ending: number) =>
  JSON.stringify({
    attemptsMade: 1,
    arrivalTimestamp: arrival,
    lastErrorCode: 'DataFormatConversion.MalformedData',
    lastErrorMessage: 'The data is not valid for the table schema.',
    attemptEndingTimestamp: ending,
    rawData: Buffer.from(order(id)).toString('base64'),
  });

/** 3 processing-failed objects (one a day old, one repeating a record), 1 format-conversion-failed object. */
function errorLocation(): InMemoryBucket {
  const bucket = new InMemoryBucket(BUCKET);
  const dayBefore = T0 - 24 * HOUR;
  bucket.add('errors/order_placed_v1/processing-failed/2026-12-02/a', [processingFailed('o-1', dayBefore, dayBefore), processingFailed('o-2', dayBefore, dayBefore)].join('\n'), new Date(dayBefore + 60_000));
  bucket.add('errors/order_placed_v1/processing-failed/2026-12-03/b', [processingFailed('o-3', T0, T0), processingFailed('o-4', T0, T0)].join('\n'), new Date(T0 + 60_000));
  // Firehose retried the batch: o-4 is written again, same arrival time and payload.
  bucket.add('errors/order_placed_v1/processing-failed/2026-12-03/c', [processingFailed('o-4', T0, T0 + 1000), processingFailed('o-5', T0, T0 + 1000)].join('\n'), new Date(T0 + 120_000));
  bucket.add('errors/order_placed_v1/format-conversion-failed/2026-12-03/d', formatConversionFailed('o-6', T0, T0 + 2000), new Date(T0 + 180_000));
  // Not the error location of this product, and not an error output type: never read.
  bucket.add('errors/order_placed_v2/processing-failed/2026-12-03/x', processingFailed('v2', T0, T0), new Date(T0));
  bucket.add('order_placed_v1/dt=2026-12-03/part-0.parquet', 'PAR1', new Date(T0));
  return bucket;
}

const options = (bucket: InMemoryBucket, stream: InMemoryStream, extra: Partial<AwsReplayOptions> = {}): AwsReplayOptions => ({
  s3: bucket,
  bucketName: BUCKET,
  kinesis: stream,
  publishOptions: noWait,
  now: () => new Date(T0 + 5 * HOUR),
  ...extra,
});
const sentIds = (stream: InMemoryStream) => stream.records.map((r) => (JSON.parse(r.data) as { order_id: string }).order_id).sort();

describe('mesh replay --aws', () => {
  it('counts every page of the error location in a dry run, and sends nothing', async () => {
    const bucket = errorLocation();
    const stream = new InMemoryStream();
    const report = await replayFromAws(product, options(bucket, stream, { dryRun: true }));
    expect(report).toMatchObject({ objectsRead: 4, found: { 'processing-failed': 6, 'format-conversion-failed': 1 }, duplicatesSkipped: 1, toSend: 6, resent: 0 });
    // processing-failed has 3 objects at 2 a page: 2 listings; then format-conversion-failed, transform-failed
    // and delivery-failed.
    expect(bucket.calls.list).toBe(5);
    expect(stream.requests).toBe(0);
    expect(formatAwsReplay(report, true)).toEqual([
      `orders.order_placed.v1: 7 records in s3://${BUCKET}/errors/order_placed_v1/ (processing-failed 6, format-conversion-failed 1), 4 objects read`,
      '  1 found twice, sent once',
      '  dry run: 6 would be sent again to test-orders-order_placed-v1',
    ]);
  });

  it('sends each record once to the product stream, retrying the entries PutRecords refused', async () => {
    const bucket = errorLocation();
    // o-2 and o-5 are throttled on their first attempt.
    const stream = new InMemoryStream((data, attempt) => attempt === 1 && /"o-[25]"/.test(data));
    const report = await replayFromAws(product, options(bucket, stream));
    expect(sentIds(stream)).toEqual(['o-1', 'o-2', 'o-3', 'o-4', 'o-5', 'o-6']);
    expect(stream.records.every((r) => r.streamName === 'test-orders-order_placed-v1')).toBe(true);
    expect(stream.records.map((r) => r.partitionKey).sort()).toEqual(['o-1', 'o-2', 'o-3', 'o-4', 'o-5', 'o-6']);
    expect(stream.requests).toBe(2);
    expect(report).toMatchObject({ resent: 6, failed: [] });
    expect(formatAwsReplay(report, false)).toEqual([
      `orders.order_placed.v1: 7 records in s3://${BUCKET}/errors/order_placed_v1/ (processing-failed 6, format-conversion-failed 1), 4 objects read`,
      '  1 found twice, sent once',
      '  re-sent 6 to Kinesis stream test-orders-order_placed-v1',
      '  what fails again lands in new error documents: replay those with --since 2026-12-03T14:00:00.000Z',
    ]);
  });

  it('with --since, reads only objects written since then and sends only records that failed since then', async () => {
    const bucket = errorLocation();
    const stream = new InMemoryStream();
    const report = await replayFromAws(product, options(bucket, stream, { since: new Date(T0 + 500) }));
    // Object a (a day old) is not read; in b, o-3 and o-4 failed at T0, before --since.
    expect(bucket.calls.get).toBe(3);
    expect(report.found).toEqual({ 'processing-failed': 2, 'format-conversion-failed': 1 });
    expect(sentIds(stream)).toEqual(['o-4', 'o-5', 'o-6']);
  });

  it('reports a record PutRecords keeps refusing, with its error object, and sends the others', async () => {
    const bucket = errorLocation();
    const stream = new InMemoryStream((data) => data.includes('"o-3"'));
    const report = await replayFromAws(product, options(bucket, stream, { publishOptions: { ...noWait, maxAttempts: 3 } }));
    expect(sentIds(stream)).toEqual(['o-1', 'o-2', 'o-4', 'o-5', 'o-6']);
    expect(report.resent).toBe(5);
    expect(report.failed).toEqual([
      {
        object: `s3://${BUCKET}/errors/order_placed_v1/processing-failed/2026-12-03/b`,
        errorCode: 'ProvisionedThroughputExceededException',
        errorMessage: 'Rate exceeded for shard shardId-000000000000.',
      },
    ]);
    expect(formatAwsReplay(report, false)).toContain(
      `  NOT SENT 1, still in the error location, e.g. ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000000. (s3://${BUCKET}/errors/order_placed_v1/processing-failed/2026-12-03/b)`,
    );
  });

  it('names the error object and line of a document it cannot read', async () => {
    const bucket = new InMemoryBucket(BUCKET);
    bucket.add('errors/order_placed_v1/processing-failed/2026-12-03/e', `${processingFailed('o-1', T0, T0)}\n{"attemptsMade":1}`, new Date(T0));
    await expect(replayFromAws(product, options(bucket, new InMemoryStream()))).rejects.toThrow(
      `Line 2 of the error object s3://${BUCKET}/errors/order_placed_v1/processing-failed/2026-12-03/e has no rawData to replay.`,
    );
  });
});

describe('mesh replay --aws of a streaming derived product', () => {
  const derived = productEntry(customerRegistered, { source: { kind: 'stream', from: ['orders.order_placed.v1'], handlerEntry: 'transforms/customers.ts' } });
  const upstreamArn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/test-orders-order_placed-v1';
  const rejected = (sequenceNumber: string, payload: object): RejectedRecord => ({
    index: 0,
    sequenceNumber,
    eventSourceArn: upstreamArn,
    sourceProductId: 'orders.order_placed.v1',
    partitionKey: 'o-1',
    approximateArrivalTimestamp: T0,
    data: Buffer.from(JSON.stringify(payload)).toString('base64'),
    errorCode: 'TypeError',
    errorMessage: "Cannot read properties of undefined (reading 'toLowerCase')",
  });
  /** The fixed transform: still refuses a record without customer_id. */
  const fixed: TransformModule = {
    transform: (record) => {
      const order = record as { customer_id?: string };
      if (order.customer_id === undefined) throw new Error('customer_id is missing');
      return { customer_id: order.customer_id.toLowerCase(), email: 'x@example.com', registered_on: '2026-12-03' };
    },
  };

  it('sends transform failures through the fixed transform once; one failing again is written back with its payload', async () => {
    const bucket = new InMemoryBucket(BUCKET);
    const at = new Date(T0);
    // The runtime's own writer; the second object repeats sequence number 1 (a retried batch).
    bucket.add('errors/customer_registered_v1/transform-failed/2026-12-03/t1', transformFailedBody([rejected('1', { customer_id: 'C-1' }), rejected('2', { order_id: 'o-2' })], at), at);
    bucket.add('errors/customer_registered_v1/transform-failed/2026-12-03/t2', transformFailedBody([rejected('1', { customer_id: 'C-1' }), rejected('3', { customer_id: 'C-3' })], at), at);
    const stream = new InMemoryStream();
    let loaded = 0;
    const report = await replayFromAws(derived, options(bucket, stream, { loadTransform: async () => ((loaded += 1), fixed) }));

    expect(loaded).toBe(1);
    expect(report).toMatchObject({ found: { 'transform-failed': 4 }, duplicatesSkipped: 1, toSend: 3, transform: { replayed: 3, published: 2, rejectedAgain: 1 }, failed: [] });
    expect(stream.records.map((r) => [r.streamName, JSON.parse(r.data).customer_id])).toEqual([
      ['test-accounts-customer_registered-v1', 'c-1'],
      ['test-accounts-customer_registered-v1', 'c-3'],
    ]);
    // The record that fails again is in a new transform-failed object, with its payload and the new reason.
    const written = [...bucket.objects.keys()].filter((key) => !key.endsWith('/t1') && !key.endsWith('/t2'));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^errors\/customer_registered_v1\/transform-failed\/2026-12-03\/accounts\.customer_registered\.v1-transform-failed-2026-12-03-14-00-00-/);
    const [again] = parseErrorObject(bucket.objects.get(written[0])!.body, 'transform-failed', written[0]);
    expect(JSON.parse(again.data.toString())).toEqual({ order_id: 'o-2' });
    expect(again).toMatchObject({ reason: 'customer_id is missing', origin: { eventSourceArn: upstreamArn, sequenceNumber: '2', sourceProductId: 'orders.order_placed.v1' } });
    expect(formatAwsReplay(report, false)).toContain('  transform: 3 replayed, 2 outputs published, 1 rejected again (new error documents)');
  });

  it('refuses transform failures of a product without a streaming transform', async () => {
    const bucket = new InMemoryBucket(BUCKET);
    bucket.add('errors/order_placed_v1/processing-failed/2026-12-03/p', processingFailed('o-1', T0, T0), new Date(T0));
    bucket.add('errors/order_placed_v1/transform-failed/2026-12-03/t', transformFailedBody([rejected('1', { customer_id: 'C-1' })], new Date(T0)), new Date(T0));
    const stream = new InMemoryStream();
    await expect(replayFromAws(product, options(bucket, stream))).rejects.toThrow(
      "orders.order_placed.v1 has 1 transform-failed or delivery-failed records but is not a streaming derived product: only a StreamingPipeline's transform can replay them.",
    );
    // Refused before anything was sent.
    expect(stream.requests).toBe(0);
  });
});

describe('the SDK v3 S3 client adapter', () => {
  it('sends ListObjectsV2, GetObject (body as text) and PutObject', async () => {
    const sent: unknown[] = [];
    const client = {
      send: async (command: unknown) => {
        sent.push(command);
        if (command instanceof ListObjectsV2Command) return { Contents: [{ Key: 'k' }], IsTruncated: false };
        if (command instanceof GetObjectCommand) return { Body: { transformToString: async (encoding: string) => `body in ${encoding}` } };
        if (command instanceof PutObjectCommand) return {};
        throw new Error('unexpected command');
      },
    } as unknown as S3Client;
    const bucket = s3ErrorBucket(client);
    expect(await bucket.listObjectsV2({ Bucket: 'b', Prefix: 'p/', ContinuationToken: 't' })).toEqual({ Contents: [{ Key: 'k' }], IsTruncated: false });
    expect(await bucket.getObjectText({ Bucket: 'b', Key: 'k' })).toBe('body in utf-8');
    await bucket.putObject({ Bucket: 'b', Key: 'k2', Body: 'x', ContentType: 'application/x-ndjson' });
    expect(sent.map((command) => (command as { input: unknown }).input)).toEqual([
      { Bucket: 'b', Prefix: 'p/', ContinuationToken: 't' },
      { Bucket: 'b', Key: 'k' },
      { Bucket: 'b', Key: 'k2', Body: 'x', ContentType: 'application/x-ndjson' },
    ]);
  });
});
