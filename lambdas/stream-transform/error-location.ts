/**
 * The error location of a streaming derived product: the product's error prefix in the domain bucket, laid out
 * like Firehose's (`<errorPrefix with error-output-type = transform-failed>/<object>`, JSON lines, one document per
 * record with its payload base64 in `rawData`), so that one reader — and `mesh replay` — handles both.
 */
import { randomUUID } from 'node:crypto';
import type { RejectedRecord } from './core';

/** The `!{firehose:error-output-type}` of records a streaming transform rejected. */
export const TRANSFORM_FAILED = 'transform-failed';

/** One rejected record as written: Firehose's processing-failed fields plus where the record came from. */
export interface TransformFailedDocument {
  readonly attemptsMade: number;
  readonly arrivalTimestamp: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attemptEndingTimestamp: number;
  /** The upstream record as it arrived, base64. */
  readonly rawData: string;
  readonly sourceProductId?: string;
  readonly eventSourceArn: string;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
}

/** The error documents of rejected records. */
export function transformFailedDocuments(rejected: readonly RejectedRecord[], at: Date): TransformFailedDocument[] {
  return rejected.map((r): TransformFailedDocument => ({
      attemptsMade: 1,
      arrivalTimestamp: r.approximateArrivalTimestamp,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      attemptEndingTimestamp: at.getTime(),
      rawData: r.data,
      ...(r.sourceProductId !== undefined && { sourceProductId: r.sourceProductId }),
      eventSourceArn: r.eventSourceArn,
      partitionKey: r.partitionKey,
      sequenceNumber: r.sequenceNumber,
  }));
}

/** The JSON-lines body of an error object for the rejected records of one invocation. */
export function transformFailedBody(rejected: readonly RejectedRecord[], at: Date): string {
  return transformFailedDocuments(rejected, at)
    .map((doc) => `${JSON.stringify(doc)}\n`)
    .join('');
}

/**
 * The key of an error object: the product's error prefix with Firehose's `!{firehose:error-output-type}` and
 * `!{timestamp:…}` (UTC) expressions substituted, then `<product>-transform-failed-<yyyy-MM-dd-HH-mm-ss>-<uuid>`.
 */
export function transformFailedKey(errorPrefix: string, productId: string, at: Date): string {
  const iso = at.toISOString();
  const parts: Record<string, string> = {
    yyyy: iso.slice(0, 4), MM: iso.slice(5, 7), dd: iso.slice(8, 10), HH: iso.slice(11, 13), mm: iso.slice(14, 16), ss: iso.slice(17, 19),
  };
  const stamp = (format: string) => format.replace(/yyyy|MM|dd|HH|mm|ss/g, (letters) => parts[letters]);
  const prefix = errorPrefix.replace(/!\{([a-zA-Z]+):([^}]*)\}/g, (expression, namespace: string, argument: string) => {
    if (namespace === 'firehose' && argument === 'error-output-type') return TRANSFORM_FAILED;
    if (namespace === 'timestamp') return stamp(argument);
    throw new Error(`The error prefix "${errorPrefix}" has ${expression}, which the streaming transform cannot expand.`);
  });
  return `${prefix}${productId}-${TRANSFORM_FAILED}-${stamp('yyyy-MM-dd-HH-mm-ss')}-${randomUUID()}`;
}

/** What the S3 error location needs of an S3 client: `PutObject`. */
export interface PutObjectClient {
  send(command: unknown): Promise<unknown>;
}

/**
 * Writes rejected records to `s3://<bucket>/<error prefix…>` with the bucket's default encryption (the domain
 * key). The S3 client comes from the Lambda runtime's AWS SDK (`@aws-sdk/*` stays out of the bundle).
 */
export function s3ErrorLocation(options: { bucket: string; errorPrefix: string; productId: string; client?: PutObjectClient }) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-s3') as { S3Client: new (config: object) => PutObjectClient; PutObjectCommand: new (input: object) => unknown };
  const client = options.client ?? new sdk.S3Client({});
  return async (rejected: readonly RejectedRecord[]): Promise<void> => {
    const at = new Date();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: options.bucket,
        Key: transformFailedKey(options.errorPrefix, options.productId, at),
        Body: transformFailedBody(rejected, at),
        ContentType: 'application/x-ndjson',
      }),
    );
  };
}
