/**
 * The thin Lambda handler around `processRecords`: logging of failure reasons and the record-count metrics.
 *
 * Logger and Metrics live at module scope (created once per execution environment). The generated entry
 * module (see codegen.ts) calls `createHandler` once at load with the compiled validator and the plan.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { PROCESSOR_METRICS } from './metrics';
import type { Normaliser } from './normalise';
import type { SchemaNode } from './fast-path';
import type { ProcessorPlan } from './plan';
import { createProcessorContext, processRecords, type RecordFailure, type TransformFunction } from './process-records';
import type { CompiledValidator } from './reasons';

export { PROCESSOR_METRICS };

/** CloudWatch namespace of the processor metrics. @default 'DataMesh' (or POWERTOOLS_METRICS_NAMESPACE) */
export const DEFAULT_METRICS_NAMESPACE = PROCESSOR_METRICS.namespace;

/** Failures are logged in entries of at most this many reasons (each with its recordId). */
const FAILURES_PER_LOG_ENTRY = 100;

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? PROCESSOR_METRICS.service });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? DEFAULT_METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? PROCESSOR_METRICS.service,
});

/** What `processFirehoseEvent` returns: the Firehose response and, for the local mode, the reasons. */
export interface ProcessedEvent {
  readonly response: FirehoseTransformationResult;
  readonly failures: readonly RecordFailure[];
}

export interface ProcessorHandler {
  /** The Lambda handler Firehose invokes. */
  readonly handler: (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;
  /** The same work as `handler` (logs and metrics included), also returning the failure reasons. */
  readonly processFirehoseEvent: (event: FirehoseTransformationEvent) => ProcessedEvent;
}

export function createHandler(options: {
  plan: ProcessorPlan;
  /** The JSON Schema `validate` was compiled from (for the fast path, see fast-path.ts). */
  schema?: SchemaNode;
  validate: CompiledValidator;
  normalise: Normaliser;
  transform?: TransformFunction;
}): ProcessorHandler {
  const ctx = createProcessorContext(options);
  logger.appendPersistentKeys({ product: options.plan.id });
  metrics.setDefaultDimensions({ product: options.plan.id });

  const processFirehoseEvent = (event: FirehoseTransformationEvent): ProcessedEvent => {
    const result = processRecords(event.records ?? [], ctx);
    const failed = result.failures.length;
    for (let i = 0; i < failed; i += FAILURES_PER_LOG_ENTRY) {
      logger.warn('Records failed processing; Firehose writes them under the processing-failed error prefix', {
        invocationId: event.invocationId,
        failures: result.failures.slice(i, i + FAILURES_PER_LOG_ENTRY),
      });
    }
    metrics.addMetric(PROCESSOR_METRICS.ok, MetricUnit.Count, result.ok);
    metrics.addMetric(PROCESSOR_METRICS.dropped, MetricUnit.Count, result.dropped);
    metrics.addMetric(PROCESSOR_METRICS.failed, MetricUnit.Count, failed);
    metrics.publishStoredMetrics();
    return { response: { records: result.records }, failures: result.failures };
  };

  return {
    handler: async (event) => processFirehoseEvent(event).response,
    processFirehoseEvent,
  };
}
