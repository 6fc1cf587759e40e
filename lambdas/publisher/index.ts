export {
  publishRecords,
  type FailedRecord,
  type PublishOptions,
  type PublishRecord,
  type PublishResult,
  type PutRecordsClient,
  type RetryInfo,
} from './publisher';
export { PUT_RECORDS_LIMITS } from './limits';
export { planBatches, recordSize, type BatchLimits } from './batches';
export { fullJitterDelay, type BackoffOptions } from './backoff';
export { isRetryable } from './errors';
