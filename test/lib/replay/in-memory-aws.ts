/**
 * In-memory stand-ins for the two clients `mesh replay --aws` uses: an S3 bucket that pages its listings like
 * ListObjectsV2 (a small page size, so pagination is exercised) and a Kinesis stream whose PutRecords can refuse
 * chosen entries (throttling), as the real one does per entry.
 */
import type { PutRecordsCommand, PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import type { PutRecordsClient } from '../../../lambdas/publisher';
import type { ErrorBucketClient } from '../../../lib/replay/aws-replay';

export class InMemoryBucket implements ErrorBucketClient {
  public readonly objects = new Map<string, { body: string; lastModified: Date }>();
  public readonly calls = { list: 0, get: 0, put: 0 };

  constructor(
    public readonly name: string,
    private readonly pageSize = 2,
  ) {}

  public add(key: string, body: string, lastModified: Date): void {
    this.objects.set(key, { body, lastModified });
  }

  public async listObjectsV2(input: { Bucket: string; Prefix: string; ContinuationToken?: string }) {
    this.calls.list += 1;
    this.check(input.Bucket);
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(input.Prefix)).sort();
    const start = input.ContinuationToken === undefined ? 0 : Number(input.ContinuationToken);
    const page = keys.slice(start, start + this.pageSize);
    const truncated = start + this.pageSize < keys.length;
    return {
      Contents: page.map((Key) => ({ Key, LastModified: this.objects.get(Key)?.lastModified })),
      IsTruncated: truncated,
      ...(truncated && { NextContinuationToken: String(start + this.pageSize) }),
    };
  }

  public async getObjectText(input: { Bucket: string; Key: string }): Promise<string> {
    this.calls.get += 1;
    this.check(input.Bucket);
    const object = this.objects.get(input.Key);
    if (object === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return object.body;
  }

  public async putObject(input: { Bucket: string; Key: string; Body: string; ContentType: string }): Promise<void> {
    this.calls.put += 1;
    this.check(input.Bucket);
    this.objects.set(input.Key, { body: input.Body, lastModified: new Date() });
  }

  private check(bucket: string): void {
    if (bucket !== this.name) throw Object.assign(new Error(`The specified bucket ${bucket} does not exist.`), { name: 'NoSuchBucket' });
  }
}

/** A stream that accepts records, except that `refuse(data)` entries fail (per entry) while it returns true. */
export class InMemoryStream implements PutRecordsClient {
  public readonly records: { streamName: string; data: string; partitionKey: string }[] = [];
  public requests = 0;

  constructor(private readonly refuse: (data: string, attempt: number) => boolean = () => false) {}

  private readonly attempts = new Map<string, number>();

  public async send(command: PutRecordsCommand): Promise<PutRecordsCommandOutput> {
    this.requests += 1;
    const entries = command.input.Records ?? [];
    let failed = 0;
    const results = entries.map((entry) => {
      const data = Buffer.from(entry.Data ?? new Uint8Array()).toString('utf8');
      const attempt = (this.attempts.get(data) ?? 0) + 1;
      this.attempts.set(data, attempt);
      if (this.refuse(data, attempt)) {
        failed += 1;
        return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000000.' };
      }
      this.records.push({ streamName: command.input.StreamName ?? '', data, partitionKey: entry.PartitionKey ?? '' });
      return { SequenceNumber: String(this.records.length), ShardId: 'shardId-000000000000' };
    });
    return { FailedRecordCount: failed, Records: results, $metadata: {} };
  }
}
