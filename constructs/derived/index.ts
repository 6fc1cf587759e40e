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
