/**
 * The Lambda handler around the core: a module-scope Kinesis client, Powertools logs and metrics, and the
 * environment the StreamingPipeline construct sets. `entry.ts` calls {@link createStreamTransformHandler}
 * once at load with the team's module.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { publishRecords, type PublishOptions, type PutRecordsClient } from '../publisher';
import { processKinesisRecords, type BatchOutcome, type RejectedRecord } from './core';
import { recordPendingFailures, s3PendingFailureStore, type PendingFailureStore } from './delivery-failed';
import { s3ErrorLocation } from './error-location';
import { STREAM_TRANSFORM_ENV } from './env';
import type { TransformModule } from './types';

export { STREAM_TRANSFORM_ENV };

/** Metric names, one count each per invocation (namespace `DataMesh` unless POWERTOOLS_METRICS_NAMESPACE). */
export const STREAM_TRANSFORM_METRICS = {
  received: 'RecordsReceived',
  filtered: 'RecordsFiltered',
  published: 'RecordsPublished',
  skipped: 'RecordsSkipped',
  failed: 'RecordsFailed',
  publishRetries: 'PublishRetries',
  rejected: 'RecordsRejected',
} as const;

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'stream-transform' });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'DataMesh',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'stream-transform',
});

export interface StreamTransformHandlerOptions {
  /** @default - a KinesisClient created once per execution environment */
  readonly client?: PutRecordsClient;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Extra publisher options (tests shorten the backoff). @default - the publisher's defaults */
  readonly publishOptions?: PublishOptions;
  /**
   * Where rejected records go. @default - the S3 error location of MESH_ERROR_BUCKET and MESH_ERROR_PREFIX, or
   * none when they are unset (rejected records are then reported to the mapping and end in the dead-letter queue)
   */
  readonly reject?: (records: readonly RejectedRecord[]) => Promise<void>;
  /**
   * Where the payloads of records reported to the mapping are kept (see delivery-failed.ts), so a DLQ message
   * points to them. @default - the domain bucket of MESH_ERROR_BUCKET under MESH_ERROR_PREFIX, or none when unset
   */
  readonly pendingFailures?: PendingFailureStore;
}

/** The Lambda handler, plus the same work returning the full outcome (for tests and the local mode). */
export interface StreamTransformHandler {
  readonly handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;
  readonly processEvent: (event: KinesisStreamEvent) => Promise<BatchOutcome>;
}

export function createStreamTransformHandler(module: TransformModule, options: StreamTransformHandlerOptions = {}): StreamTransformHandler {
  const env = options.env ?? process.env;
  const targetStream = required(env, STREAM_TRANSFORM_ENV.targetStream);
  const sources = parseSources(env[STREAM_TRANSFORM_ENV.sources]);
  const productId = env[STREAM_TRANSFORM_ENV.productId];
  const maxAttempts = env[STREAM_TRANSFORM_ENV.publishMaxAttempts] ? Number(env[STREAM_TRANSFORM_ENV.publishMaxAttempts]) : undefined;
  const client = options.client ?? new KinesisClient({});
  const errorBucket = env[STREAM_TRANSFORM_ENV.errorBucket];
  const errorPrefix = env[STREAM_TRANSFORM_ENV.errorPrefix];
  const reject =
    options.reject ??
    (errorBucket && errorPrefix ? s3ErrorLocation({ bucket: errorBucket, errorPrefix, productId: productId ?? targetStream }) : undefined);
  const pendingFailures = options.pendingFailures ?? (errorBucket && errorPrefix ? s3PendingFailureStore({ bucket: errorBucket }) : undefined);
  if (productId) {
    logger.appendPersistentKeys({ product: productId });
    metrics.setDefaultDimensions({ product: productId });
  }

  const processEvent = async (event: KinesisStreamEvent): Promise<BatchOutcome> => {
    let retries = 0;
    const outcome = await processKinesisRecords(event.Records ?? [], {
      module,
      sources,
      ...(reject !== undefined && { reject }),
      publish: (records) =>
        publishRecords(client, targetStream, records, {
          ...(maxAttempts !== undefined && { maxAttempts }),
          ...options.publishOptions,
          onRetry: (info) => {
            retries += 1;
            logger.warn('Retrying records the stream did not accept', { ...info });
            options.publishOptions?.onRetry?.(info);
          },
        }),
    });
    if (outcome.skipped.length > 0) {
      logger.warn('Skipped records that are not JSON; the upstream product reports them as processing-failed', {
        skipped: outcome.skipped,
      });
    }
    if (outcome.rejected.length > 0) {
      logger.warn('Records rejected by the transform were written to the error location with their payload and reason', {
        rejected: outcome.rejected.map(({ data: _data, ...rest }) => rest),
      });
    }
    let payloads: string | undefined;
    if (pendingFailures !== undefined && errorPrefix) {
      try {
        payloads = (await recordPendingFailures(event.Records ?? [], outcome, { errorPrefix, store: pendingFailures, sources })).written;
      } catch (error) {
        // The batch response must still go out: Lambda retries the reported record either way.
        logger.error('Could not record the payloads of undelivered records (or clear those of a checkpoint passed)', { error: error as Error });
      }
    }
    if (outcome.failures.length > 0) {
      logger.error('Records not delivered; Lambda retries from the first and, after the last attempt, sends its position to the dead-letter queue', {
        failures: outcome.failures,
        reportedFrom: outcome.batchItemFailures[0]?.itemIdentifier,
        ...(payloads !== undefined && { payloads: `s3://${errorBucket}/${payloads}` }),
      });
    }
    metrics.addMetric(STREAM_TRANSFORM_METRICS.received, MetricUnit.Count, outcome.received);
    metrics.addMetric(STREAM_TRANSFORM_METRICS.filtered, MetricUnit.Count, outcome.filtered);
    metrics.addMetric(STREAM_TRANSFORM_METRICS.published, MetricUnit.Count, outcome.published);
    metrics.addMetric(STREAM_TRANSFORM_METRICS.skipped, MetricUnit.Count, outcome.skipped.length);
    metrics.addMetric(STREAM_TRANSFORM_METRICS.failed, MetricUnit.Count, outcome.batchItemFailures.length);
    metrics.addMetric(STREAM_TRANSFORM_METRICS.publishRetries, MetricUnit.Count, retries);
    metrics.addMetric(STREAM_TRANSFORM_METRICS.rejected, MetricUnit.Count, outcome.rejected.length);
    metrics.publishStoredMetrics();
    return outcome;
  };

  return {
    handler: async (event) => ({ batchItemFailures: (await processEvent(event)).batchItemFailures }),
    processEvent,
  };
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set; the StreamingPipeline construct sets it to the derived product's stream.`);
  return value;
}

function parseSources(json: string | undefined): Map<string, string> {
  if (!json) return new Map();
  const entries = JSON.parse(json) as { arn: string; productId: string }[];
  return new Map(entries.map((entry) => [entry.arn, entry.productId]));
}
