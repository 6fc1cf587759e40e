import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { processorEsbuildOptions, writeProcessorEntry } from '../../lambdas/firehose-processor/codegen';
import { PROCESSOR_METRICS } from '../../lambdas/firehose-processor/metrics';
import { acknowledge } from '../compliance/acknowledge';
import type { ContractSpec } from '../contract/types';
import { bundledCode } from '../private/bundled-code';
import { FINDINGS } from '../private/findings';
import type { ProcessorConfig, ProductLogging } from './private/product-config';
import { MeshLambdaProcessor } from './private/lambda-processor';
import { latestNodeRuntime } from '../private/node-runtime';

export interface ContractProcessorProps extends ProductLogging {
  readonly productId: string;
  readonly contract: ContractSpec;
  readonly config: ProcessorConfig;
}

/**
 * The Lambda function Firehose hands every batch to (`ProcessorRole`, `ProcessorLogs`, `Processor` in the
 * product's scope): generated from the contract (lambdas/firehose-processor/codegen.ts), with the team's
 * transform bundled in, it validates, normalises and partitions each record and rejects what breaks the
 * contract to the error prefix.
 */
export class ContractProcessor {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, private readonly props: ContractProcessorProps) {
    this.role = new iam.Role(scope, 'ProcessorRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the Firehose processor of data product ${props.productId}.`,
    });
    this.logGroup = new logs.LogGroup(scope, 'ProcessorLogs', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.logGroup.grantWrite(this.role);
    // Bundled with esbuild in-process, with the options the benchmarks and the local mode use (see bundledCode).
    const entry = writeProcessorEntry(props.contract, { transformEntry: props.config.transformEntry });
    this.function = new lambda.Function(scope, 'Processor', {
      code: bundledCode(entry, processorEsbuildOptions(entry, 'index.js')),
      handler: 'index.handler',
      runtime: latestNodeRuntime(),
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.config.memorySize,
      timeout: props.config.timeout,
      role: this.role,
      logGroup: this.logGroup,
      description: `Validates, normalises and partitions the records of data product ${props.productId} for Firehose.`,
      environment: {
        POWERTOOLS_SERVICE_NAME: PROCESSOR_METRICS.service,
        POWERTOOLS_METRICS_NAMESPACE: PROCESSOR_METRICS.namespace,
      },
    });
    acknowledge(this.function, {
      [FINDINGS.guardLambdaInVpc]:
        'The processor only transforms the records Firehose passes in and returns them; it calls no network service, so a VPC would add ' +
        'ENIs and cold-start latency without protecting anything.',
    });
  }

  /** The function as the delivery stream's processor, with the configured buffer and retries. */
  public toDataProcessor(): firehose.IDataProcessor {
    const { bufferSize, bufferInterval, retries } = this.props.config;
    return new MeshLambdaProcessor(this.function, { bufferSize, bufferInterval, retries });
  }
}
