import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from '../compliance/acknowledge';
import { StreamingPipeline, type StreamingPipelineProps, type TransformHandler } from '../derived/streaming-pipeline';
import { DataMeshError } from '../domain/errors';
import type { StreamingSource } from '../manifest/manifest';
import {
  checkUpstream,
  type DerivationConfig,
  type DerivationSourceProps,
  type IDerivation,
  type IDerivedProduct,
} from './derivation-binding';
import type { IDataProduct } from './types';

/** Tuning of a streaming derived product's pipeline: `StreamingPipelineProps` without what the product sets. */
export type StreamingPipelineOptions = Omit<StreamingPipelineProps, 'sources' | 'target' | 'handler' | 'piiReason'>;

/** The `StreamingPipeline` default of `handler.handler`. */
const DEFAULT_HANDLER_EXPORT = 'handler';

/** `Derivation.streaming(…)`: a product derived in real time by the team's transform. */
export interface StreamingDerivationProps extends DerivationSourceProps {
  /**
   * The team's transform: a `StreamingPipeline` (one event source mapping per product in `from`, dead-letter
   * queue, alarm) runs it on every upstream record and publishes what it returns to this product's stream,
   * from where it is validated into the table like any record.
   */
  readonly handler: TransformHandler;
  /**
   * Tuning of the streaming pipeline (batch size, retries, record age, memory…). `alarmActions` are added
   * to the operations topic.
   * @default - `StreamingPipeline`'s defaults
   */
  readonly pipeline?: StreamingPipelineOptions;
}

/**
 * A streaming derivation (see `Derivation.streaming`): a `StreamingPipeline` in the product (IAM read of each
 * upstream stream and its key), the lineage, and one manifest grant entry per upstream product
 * (`STREAM_READ`, every column: the transform sees whole records, so a PII-bearing source carries the
 * product's `piiReason`).
 */
export class StreamingDerivation implements IDerivation {
  public readonly from: readonly IDataProduct[];

  constructor(private readonly props: StreamingDerivationProps) {
    this.from = props.from;
  }

  public bind(scope: Construct, target: IDerivedProduct): DerivationConfig {
    const { from, handler, piiReason } = this.props;
    const piiSources = checkUpstream(target, from, piiReason);
    if (piiReason === undefined && piiSources.length > 0) {
      const source = piiSources[0];
      throw new DataMeshError(
        target,
        `from: ${source.productId} has PII columns (${source.contract!.piiColumns.map((c) => `"${c}"`).join(', ')}) and a streaming transform reads whole records: ` +
          `set piiReason saying why ${target.productId} needs personal data (recorded with the grant and shown in the catalog), or derive from a product without PII.`,
      );
    }
    const pipeline = new StreamingPipeline(scope, 'Pipeline', { ...this.props.pipeline, sources: from, target, handler, piiReason });
    const exportName = handler.handler ?? DEFAULT_HANDLER_EXPORT;
    const source: StreamingSource = {
      ...pipeline.manifestSource,
      // Relative to the app's directory, where `mesh dev` runs (the pipeline records the entry as given).
      handlerEntry: path.relative(process.cwd(), path.resolve(handler.entry)),
      // Read by the local mode when the transform is not exported as `handler`.
      ...(exportName !== DEFAULT_HANDLER_EXPORT && { handlerExport: exportName }),
    };
    target.addLineage(source);
    for (const upstream of from.filter((u) => u.account !== undefined && u.account !== Stack.of(pipeline).account)) {
      acknowledge(pipeline.role, {
        [wildcardResourceFinding(pipeline, Stack.of(pipeline).formatArn({ service: 'kms', resource: 'key', resourceName: '*', account: upstream.account }))]:
          `${upstream.productId} is in account ${upstream.account}, whose key id is unknown here: kms:Decrypt is granted on that account's keys only under the stream's encryption context (kms:EncryptionContext:aws:kinesis:arn), which the producer's key policy also requires.`,
      });
    }
    return {
      streamingPipeline: pipeline,
      readGrants: [],
      alarms: [pipeline.deadLetterAlarm],
      // The transform's lag behind its sources. Its dead-letter queue keeps the pipeline's own alarm.
      streamingConsumers: [{ label: `${target.productId} transform`, function: pipeline.function }],
      healthWidget: (period) =>
        new cloudwatch.GraphWidget({
          title: 'Pipeline: dead-letter queue messages',
          left: [pipeline.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period, label: 'Positions given up on' })],
          width: 12,
          height: 6,
        }),
    };
  }
}
