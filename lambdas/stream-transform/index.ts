export * from './types';
export {
  processKinesisRecords,
  resolveTransformModule,
  type BatchOutcome,
  type FailureStage,
  type ProcessOptions,
  type RecordFailure,
  type RejectedRecord,
  type SkippedRecord,
} from './core';
