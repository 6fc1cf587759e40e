export * from './errors';
export * from './lineage';
export * from './sql';
export * from './streaming-pipeline';
export type {
  OutputPartitionKey,
  StreamTransform,
  TransformContext,
  TransformModule,
  TransformOutput,
} from '../../lambdas/stream-transform/types';
export * from './sql-pipeline';
export {
  publishRecords,
  PUT_RECORDS_LIMITS,
  type FailedRecord,
  type PublishOptions,
  type PublishRecord,
  type PublishResult,
  type PutRecordsClient,
  type RetryInfo,
} from '../../lambdas/publisher';
export { describeNextRuns, nextRuns } from './schedule-runs';
export { scheduleProblem } from './schedule';
