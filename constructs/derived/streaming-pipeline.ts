import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STREAM_TRANSFORM_ENV } from '../../lambdas/stream-transform/env';
import type { StreamingSource } from '../manifest/manifest';
import type { IDataProduct } from '../product/types';
import { DerivedProductError } from './errors';
import { readsStreamAcrossAccounts, shareStreamWithReader } from '../governance/cross-account-streams';
import { lineageTableParameters } from './lineage';
import { acknowledge } from '../compliance/acknowledge';
import { FINDINGS } from '../private/findings';
import { DeadLetterQueue } from './private/dead-letter-queue';
import { encryptedLogGroup } from './private/encrypted-log-group';
import { grantErrorLocation } from './private/error-location';
import { pipelineName } from './private/names';
import { pipelineReaderName } from '../naming/naming';
import { PACKAGE_ROOT, lockFile } from './private/package-root';
import { latestNodeRuntime } from '../private/node-runtime';

/** The module specifier `lambdas/stream-transform/entry.ts` imports; aliased to the team's file at bundling. */
export const USER_TRANSFORM_MODULE = '@cdk-data-mesh/user-transform';
// `.ts` from the sources, `.js` from the published build (dist/): the runtime sits beside this module's tree either way.
const TRANSFORM_ENTRY = path.join(__dirname, '..', '..', 'lambdas', 'stream-transform', `entry${path.extname(__filename)}`);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const ENTRY_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'];

/** The team's transform module. */
export interface TransformHandler {
  /** Path of the module, absolute or relative to the CDK app's working directory (TypeScript or JavaScript). */
  readonly entry: string;
  /**
   * Name of the exported transform function `(record, context) => output | output[] | null`. The module may
   * also export `partitionKey(output, context) => string`.
   * @default 'handler'
   */
  readonly handler?: string;
}

export interface StreamingPipelineProps {
  /** The upstream products whose streams feed the transform (one event source mapping each). */
  readonly sources: readonly IDataProduct[];
  /** The derived product: outputs go to its stream, then through its own validation into its table. */
  readonly target: IDataProduct;
  /** The team's transform. */
  readonly handler: TransformHandler;
  /**
   * Why the transform needs the personal data of its sources: required when a source has PII columns (the
   * transform reads whole records, PII included). Recorded with each stream read grant (manifest, the
   * source's table parameters, the catalog, `mesh access`).
   * @default - none: no source may have PII columns (read a streaming derived product that projects PII away instead)
   */
  readonly piiReason?: string;
  /**
   * Records per invocation (1-10000).
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * How long Lambda gathers records before invoking (0-300 s).
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Retries of a failing batch before its position goes to the dead-letter queue (0-10000). Bounded so that
   * a poison record cannot block its shard until it expires from the stream.
   * @default 3
   */
  readonly maxRetryAttempts?: number;
  /**
   * Records older than this are sent to the dead-letter queue instead of being processed (60 s - 7 days).
   * @default Duration.hours(1)
   */
  readonly maxRecordAge?: Duration;
  /**
   * Concurrent batches per shard (1-10). Above 1, records of one partition key stay ordered but shards are
   * processed in parallel.
   * @default 1
   */
  readonly parallelizationFactor?: number;
  /**
   * Where a new mapping starts reading. TRIM_HORIZON builds the derived product from everything the upstream
   * streams still retain.
   * @default lambda.StartingPosition.TRIM_HORIZON
   */
  readonly startingPosition?: lambda.StartingPosition;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Extra environment variables for the team's code. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Attempts per output record in the publisher before the input record is reported failed.
   * @default 5
   */
  readonly publishMaxAttempts?: number;
  /**
   * Key encrypting the dead-letter queue.
   * @default - the target product's key
   */
  readonly deadLetterQueueKey?: kms.IKey;
  /**
   * How long failure records stay in the dead-letter queue (60 s - 14 days). Keep the upstream streams'
   * retention at least as long as you need to replay what they point to.
   * @default Duration.days(14)
   */
  readonly deadLetterRetention?: Duration;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Key encrypting the function's log group; its key policy gets a statement for CloudWatch Logs, so it must be
   * defined in this app.
   * @default - the target product's key
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Actions of the dead-letter alarm, e.g. an SNS topic.
   * @default - none (the Control Tower rule CT.CLOUDWATCH.PR.1 then reports the alarm)
   */
  readonly alarmActions?: readonly cloudwatch.IAlarmAction[];
}

/**
 * A streaming derived product's pipeline: the team's transform, bundled into the mesh's stream-transform
 * runtime, reading the upstream products' streams and publishing to the derived product's stream.
 *
 * This defines:
 * - a Node.js Lambda function (latest LTS runtime, ARM64, bundled locally with esbuild) whose entry is the
 *   runtime's fixed `entry.ts`, linked to the team's module by an esbuild alias;
 * - one Kinesis event source mapping per upstream product with the safe settings: `BisectBatchOnFunctionError`,
 *   bounded `MaximumRetryAttempts` and `MaximumRecordAgeInSeconds`, `ReportBatchItemFailures`, and an
 *   on-failure destination;
 * - the dead-letter queue (SSE-KMS, TLS-only) and its alarm on the first visible message;
 * - an execution role with exactly: its log group, read on each upstream stream (+ key decrypt), write on the
 *   target stream (+ key), send to the dead-letter queue (+ key).
 *
 * @example
 * const pipeline = new StreamingPipeline(this, 'ProductViews', {
 *   sources: [pageViewed],
 *   target: productViews,
 *   handler: { entry: 'src/product-views.ts' },
 * });
 */
export class StreamingPipeline extends Construct {
  /** The transform function. */
  public readonly function: lambda.IFunction;
  /** Its execution role. */
  public readonly role: iam.IRole;
  /** One event source per upstream product, in `sources` order. */
  public readonly eventSources: readonly eventSources.KinesisEventSource[];
  /** Where Lambda sends the position of records it gave up on (after retries or by age). */
  public readonly deadLetterQueue: sqs.IQueue;
  /** In alarm as soon as the dead-letter queue holds a message. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Lineage: the upstream product ids, e.g. `['storefront.page_viewed.v1']`. */
  public readonly inputs: string[];
  /** The derived product's source, for its mesh manifest entry. */
  public readonly manifestSource: StreamingSource;
  /** Lineage parameters for the derived product's Glue table. */
  public readonly tableParameters: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: StreamingPipelineProps) {
    super(scope, id);
    const { sources, target } = props;
    this.validateProducts(sources, target, props.piiReason);
    const { batchSize, maxRetryAttempts, maxRecordAge, parallelizationFactor, deadLetterRetention, entry, exportName } = this.checkOptions(props);

    const dlq = new DeadLetterQueue(this, 'DeadLetters', {
      encryptionKey: props.deadLetterQueueKey ?? target.encryptionKey,
      retentionPeriod: deadLetterRetention,
      description:
        `Records of ${sources.map((s) => s.productId).join(', ')} that the ${target.productId} transform gave up on ` +
        '(after retries, or too old). Each message names the shard and sequence-number range: fix the cause, then replay ' +
        'that range from the upstream stream while it is still retained.',
      alarmActions: props.alarmActions,
    });
    this.deadLetterQueue = dlq.queue;
    this.deadLetterAlarm = dlq.alarm;

    const logGroup = encryptedLogGroup(this, 'Logs', {
      logGroupName: `/data-mesh/${pipelineName(target, 'transform')}`,
      encryptionKey: props.logEncryptionKey ?? target.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    // A source in another account names this role in its stream and key policies: give it a physical name.
    const crossAccountSources = sources.filter((source) => readsStreamAcrossAccounts(this, source));
    const roleName = crossAccountSources.length > 0 ? pipelineName(target, 'transform') : undefined;
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${target.productId} streaming transform.`,
      ...(roleName !== undefined && { roleName }),
    });
    logGroup.grantWrite(role);
    this.role = role;
    const keyGrants =
      'The standard KMS grants of the Kinesis stream and SQS queue grants (GenerateDataKey*, ReEncrypt*), each on one key ARN: ' +
      'the target product\'s key to write its stream and the dead-letter queue.';
    acknowledge(role, { [FINDINGS.iamGenerateDataKey]: keyGrants, [FINDINGS.iamReEncrypt]: keyGrants });

    const fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: TRANSFORM_ENTRY,
      handler: 'handler',
      projectRoot: PACKAGE_ROOT,
      depsLockFilePath: lockFile(),
      runtime: latestNodeRuntime(),
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(1),
      role,
      logGroup,
      description: `Streaming transform of ${target.productId} from ${sources.map((s) => s.productId).join(', ')}.`,
      environment: {
        ...props.environment,
        [STREAM_TRANSFORM_ENV.targetStream]: target.stream.streamArn,
        [STREAM_TRANSFORM_ENV.sources]: Stack.of(this).toJsonString(sources.map((s) => ({ arn: s.stream.streamArn, productId: s.productId }))),
        [STREAM_TRANSFORM_ENV.productId]: target.productId,
        ...(props.publishMaxAttempts !== undefined && { [STREAM_TRANSFORM_ENV.publishMaxAttempts]: String(props.publishMaxAttempts) }),
        // Rejected records go to the target product's error location, beside its Firehose errors.
        ...grantErrorLocation(this, target, role),
        POWERTOOLS_SERVICE_NAME: target.productId,
        POWERTOOLS_METRICS_NAMESPACE: 'DataMesh',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        externalModules: ['@aws-sdk/*'],
        define: { __MESH_TRANSFORM_EXPORT__: JSON.stringify(exportName) },
        esbuildArgs: { '--alias': `${USER_TRANSFORM_MODULE}=${entry}` },
      },
    });
    this.function = fn;
    acknowledge(fn, {
      [FINDINGS.guardLambdaInVpc]:
        'The transform only calls AWS APIs (Kinesis, SQS, CloudWatch Logs) and reaches no private resource; a VPC would add NAT or endpoint costs and cold-start latency for nothing.',
    });

    this.grantSources(fn, props, crossAccountSources, roleName);
    target.grantWrite(fn);

    this.eventSources = sources.map((source) => {
      const eventSource = new eventSources.KinesisEventSource(source.stream, {
        startingPosition: props.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON,
        batchSize,
        ...(props.maxBatchingWindow && { maxBatchingWindow: props.maxBatchingWindow }),
        bisectBatchOnError: true,
        retryAttempts: maxRetryAttempts,
        maxRecordAge,
        parallelizationFactor,
        reportBatchItemFailures: true,
        onFailure: new eventSources.SqsDlq(dlq.queue),
      });
      fn.addEventSource(eventSource);
      return eventSource;
    });

    this.inputs = sources.map((source) => source.productId);
    this.manifestSource = { kind: 'stream', from: [...this.inputs], handlerEntry: props.handler.entry };
    this.tableParameters = lineageTableParameters('stream', this.inputs);
  }

  /** Stream reads of every source (PII with the pipeline's reason), and the sources in other accounts share theirs with the role. */
  private grantSources(fn: lambda.IFunction, props: StreamingPipelineProps, crossAccountSources: readonly IDataProduct[], roleName: string | undefined): void {
    const { target } = props;
    const reader = { consumerName: pipelineReaderName(target.domainName, target.productName, target.version), forProduct: target.productId };
    for (const source of props.sources) {
      const piiColumns = source.contract?.piiColumns ?? [];
      source.grantReadStream(fn, { ...reader, ...(piiColumns.length > 0 && { pii: { columns: piiColumns, reason: props.piiReason! } }) });
    }
    for (const source of crossAccountSources) shareStreamWithReader(this, source, roleName!);
  }

  /**
   * Age of the newest record read by the transform when it was processed (`IteratorAge`, milliseconds):
   * how far the derived product lags behind its sources.
   * @default - maximum over 5 minutes
   */
  public metricIteratorAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /** The props with their defaults, each checked against Lambda's, Kinesis' and SQS's limits, and the transform module found. */
  private checkOptions(props: StreamingPipelineProps) {
    const batchSize = props.batchSize ?? 100;
    const maxRetryAttempts = props.maxRetryAttempts ?? 3;
    const maxRecordAge = props.maxRecordAge ?? Duration.hours(1);
    const parallelizationFactor = props.parallelizationFactor ?? 1;
    const deadLetterRetention = props.deadLetterRetention ?? Duration.days(14);
    this.validateRange('batchSize', batchSize, 1, 10_000);
    this.validateRange('maxRetryAttempts', maxRetryAttempts, 0, 10_000, ' (unbounded retries would let one poison record block its shard)');
    this.validateRange('parallelizationFactor', parallelizationFactor, 1, 10);
    if (props.publishMaxAttempts !== undefined) this.validateRange('publishMaxAttempts', props.publishMaxAttempts, 1, 20);
    if (!maxRecordAge.isUnresolved()) this.validateRange('maxRecordAge (seconds)', maxRecordAge.toSeconds(), 60, 604_800);
    if (props.maxBatchingWindow && !props.maxBatchingWindow.isUnresolved()) {
      this.validateRange('maxBatchingWindow (seconds)', props.maxBatchingWindow.toSeconds(), 0, 300);
    }
    // Lambda's and SQS's own limits, checked here so the message names this pipeline and the prop.
    if (props.timeout !== undefined && !props.timeout.isUnresolved()) this.validateRange('timeout (seconds)', props.timeout.toSeconds({ integral: false }), 1, 900);
    if (props.memorySize !== undefined) this.validateRange('memorySize (MB)', props.memorySize, 128, 10_240);
    if (!deadLetterRetention.isUnresolved()) this.validateRange('deadLetterRetention (seconds)', deadLetterRetention.toSeconds({ integral: false }), 60, 1_209_600);
    const entry = this.resolveEntry(props.handler.entry);
    const exportName = props.handler.handler ?? 'handler';
    if (!IDENTIFIER.test(exportName)) {
      throw new DerivedProductError(this, `handler.handler "${exportName}" is not a JavaScript export name: use the name of the exported transform function (e.g. "handler").`);
    }
    return { batchSize, maxRetryAttempts, maxRecordAge, parallelizationFactor, deadLetterRetention, entry, exportName };
  }

  private validateProducts(sources: readonly IDataProduct[], target: IDataProduct, piiReason: string | undefined): void {
    if (sources.length === 0) {
      throw new DerivedProductError(this, `A streaming pipeline needs at least one source product: set sources (e.g. [pageViewed]) for ${target.productId}.`);
    }
    const ids = sources.map((source) => source.productId);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) throw new DerivedProductError(this, `Source ${duplicate} is listed twice: list each upstream product once.`);
    if (ids.includes(target.productId)) {
      throw new DerivedProductError(this, `${target.productId} reads its own stream: a product cannot be its own source (that is an endless loop).`);
    }
    const piiSources = sources.filter((source) => (source.contract?.piiColumns.length ?? 0) > 0);
    if (piiSources.length > 0 && (piiReason === undefined || piiReason.trim() === '')) {
      const [source] = piiSources;
      throw new DerivedProductError(
        this,
        `Source ${source.productId} has PII columns (${source.contract!.piiColumns.map((c) => `"${c}"`).join(', ')}) and the transform of ${target.productId} reads whole records: ` +
          `set piiReason saying why it needs personal data (recorded with the grant and shown in the catalog), or read a streaming derived product that projects the PII columns away.`,
      );
    }
    if (piiReason !== undefined && piiSources.length === 0) {
      throw new DerivedProductError(this, `piiReason is set but no source (${sources.map((s) => s.productId).join(', ')}) has PII columns: drop piiReason.`);
    }
    for (const source of sources) {
      if (!Token.isUnresolved(source.meshName) && !Token.isUnresolved(target.meshName) && source.meshName !== target.meshName) {
        throw new DerivedProductError(
          this,
          `Source ${source.productId} belongs to mesh "${source.meshName}" but ${target.productId} to mesh "${target.meshName}": derive only from products of the same mesh.`,
        );
      }
    }
  }

  private validateRange(name: string, value: number, min: number, max: number, why = ''): void {
    if (Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new DerivedProductError(this, `${name} must be a whole number from ${min} to ${max}${why}, got ${value}.`);
    }
  }

  private resolveEntry(entry: string): string {
    const absolute = path.resolve(entry);
    if (!ENTRY_EXTENSIONS.includes(path.extname(absolute))) {
      throw new DerivedProductError(this, `handler.entry "${entry}" must be a TypeScript or JavaScript file (${ENTRY_EXTENSIONS.join(', ')}).`);
    }
    if (!fs.existsSync(absolute)) {
      throw new DerivedProductError(
        this,
        `handler.entry "${entry}" does not exist (looked for ${absolute}): give the path of the transform module relative to the CDK app's directory.`,
      );
    }
    return absolute;
  }
}
