import { SizeRoundingBehavior, type Duration, type Size } from 'aws-cdk-lib';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

export interface MeshLambdaProcessorProps {
  /** 0.2-3 MB, validated by the caller. */
  readonly bufferSize: Size;
  readonly bufferInterval: Duration;
  readonly retries: number;
}

/**
 * A Firehose Lambda processor that renders its parameters itself: the buffer size may be a fraction of a
 * MB (Firehose accepts 0.2-3), which the stock `LambdaFunctionProcessor` cannot express, and it grants
 * nothing (the product's Firehose role carries its own least-privilege invoke statement).
 */
export class MeshLambdaProcessor implements firehose.IDataProcessor {
  public readonly props: firehose.DataProcessorProps;

  constructor(
    private readonly fn: lambda.IFunction,
    private readonly options: MeshLambdaProcessorProps,
  ) {
    this.props = { bufferInterval: options.bufferInterval, bufferSize: options.bufferSize, retries: options.retries };
  }

  public bind(_scope: Construct, options: firehose.DataProcessorBindOptions): firehose.DataProcessorConfig {
    const identifier = { parameterName: 'LambdaArn', parameterValue: this.fn.functionArn };
    return {
      processorType: 'Lambda',
      processorIdentifier: identifier,
      parameters: [
        identifier,
        { parameterName: 'RoleArn', parameterValue: options.role.roleArn },
        { parameterName: 'BufferSizeInMBs', parameterValue: megabytes(this.options.bufferSize) },
        { parameterName: 'BufferIntervalInSeconds', parameterValue: String(this.options.bufferInterval.toSeconds()) },
        { parameterName: 'NumberOfRetries', parameterValue: String(this.options.retries) },
      ],
    };
  }
}

/** The size in (binary) MB, e.g. `1`, `0.25`, at most 3 decimals. */
export function megabytes(size: Size): string {
  return String(Math.round((size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024) * 1000) / 1000);
}
