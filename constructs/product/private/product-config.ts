import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, Size, SizeRoundingBehavior, Token, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { DataMeshError } from '../../domain/errors';
import type { DataProductProps } from '../data-product-props';

/** The defaults of `DataProductProps`, each in this one place (the props' `@default`s document them). */
export const PRODUCT_DEFAULTS = {
  retention: Duration.hours(24),
  streamMode: kinesis.StreamMode.ON_DEMAND,
  shardCount: 1,
  bufferingInterval: Duration.seconds(300),
  bufferingSize: Size.mebibytes(128),
  processorMemorySize: 512,
  processorTimeout: Duration.minutes(1),
  processorBufferSize: Size.mebibytes(1),
  processorBufferInterval: Duration.seconds(60),
  processorRetries: 3,
  logRetention: logs.RetentionDays.ONE_YEAR,
} as const;

/** Firehose's limits for buffering into S3 with format conversion and dynamic partitioning. */
const DELIVERY_BUFFER = { minSeconds: 60, maxSeconds: 900, minMiB: 64, maxMiB: 128 } as const;
/** Firehose's limits for buffering in front of a Lambda processor. */
const PROCESSOR_BUFFER = { minMB: 0.2, maxMB: 3, maxSeconds: 900 } as const;
/** Kinesis retention limits. */
const STREAM_RETENTION = { minHours: 24, maxHours: 8760 } as const;
/** Firehose waits at most 5 minutes for a processor invocation. */
const PROCESSOR_MAX_TIMEOUT = Duration.minutes(5);

/** The Kinesis stream of a product, its defaults applied. */
export interface StreamConfig {
  readonly retention: Duration;
  readonly streamMode: kinesis.StreamMode;
  /** Only for a PROVISIONED stream. */
  readonly shardCount?: number;
}

/** The processor of a product, its defaults applied. */
export interface ProcessorConfig {
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly bufferSize: Size;
  readonly bufferInterval: Duration;
  readonly retries: number;
  /** The team's transform module, resolved to an absolute path. */
  readonly transformEntry?: string;
}

/** How a product part keeps its logs: encrypted with the domain key, retained like the product's other resources. */
export interface ProductLogging {
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** A product's configuration: the props with their defaults, every value checked against AWS's limits. */
export interface ProductConfig {
  readonly stream: StreamConfig;
  readonly bufferingInterval: Duration;
  readonly bufferingSize: Size;
  readonly processor: ProcessorConfig;
  readonly logRetention: logs.RetentionDays;
}

/** Applies the defaults to `props` and checks every range; errors name the prop, the value and the fix. */
export function productConfig(scope: IConstruct, props: DataProductProps): ProductConfig {
  if (props.source !== undefined && props.derivation !== undefined) {
    throw new DataMeshError(
      scope,
      `source (${props.source.kind} from ${props.source.from.join(', ')}) and derivation are both set: the derivation creates the pipeline and records the lineage itself. Drop source.`,
    );
  }
  const range = (what: string, value: number | undefined, min: number, max: number, hint: string, integer = false) =>
    checkRange(scope, what, value, min, max, hint, integer);

  const retention = props.retention ?? PRODUCT_DEFAULTS.retention;
  range('retention (hours)', hours(retention), STREAM_RETENTION.minHours, STREAM_RETENTION.maxHours, 'e.g. Duration.days(7)');
  const streamMode = props.streamMode ?? PRODUCT_DEFAULTS.streamMode;
  if (props.shardCount !== undefined && streamMode !== kinesis.StreamMode.PROVISIONED) {
    throw new DataMeshError(
      scope,
      `shardCount ${props.shardCount} is set but streamMode is ${streamMode}: set streamMode: StreamMode.PROVISIONED to size the stream in shards, or drop shardCount.`,
    );
  }
  if (props.shardCount !== undefined) range('shardCount', props.shardCount, 1, 10_000, 'e.g. 2', true);

  const bufferingInterval = props.buffering?.interval ?? PRODUCT_DEFAULTS.bufferingInterval;
  const bufferingSize = props.buffering?.size ?? PRODUCT_DEFAULTS.bufferingSize;
  range('buffering.interval (seconds)', seconds(bufferingInterval), DELIVERY_BUFFER.minSeconds, DELIVERY_BUFFER.maxSeconds,
    'Firehose needs at least 60 s with Parquet conversion and dynamic partitioning, e.g. Duration.seconds(60)');
  range('buffering.size (MiB)', mebibytes(bufferingSize), DELIVERY_BUFFER.minMiB, DELIVERY_BUFFER.maxMiB,
    'Firehose needs at least 64 MiB with Parquet conversion and dynamic partitioning, e.g. Size.mebibytes(64)');

  const options = props.processor ?? {};
  const processor = {
    memorySize: options.memorySize ?? PRODUCT_DEFAULTS.processorMemorySize,
    timeout: options.timeout ?? PRODUCT_DEFAULTS.processorTimeout,
    bufferSize: options.bufferSize ?? PRODUCT_DEFAULTS.processorBufferSize,
    bufferInterval: options.bufferInterval ?? PRODUCT_DEFAULTS.processorBufferInterval,
    retries: options.retries ?? PRODUCT_DEFAULTS.processorRetries,
  };
  range('processor.memorySize (MB)', processor.memorySize, 128, 10_240, 'e.g. 512', true);
  range('processor.timeout (seconds)', seconds(processor.timeout), 1, PROCESSOR_MAX_TIMEOUT.toSeconds(), 'Firehose waits at most 5 minutes for a processor, e.g. Duration.minutes(1)');
  range('processor.bufferSize (MB)', megabytesOf(processor.bufferSize), PROCESSOR_BUFFER.minMB, PROCESSOR_BUFFER.maxMB,
    'Firehose accepts 0.2-3 MB for a Lambda processor, e.g. Size.mebibytes(1)');
  range('processor.bufferInterval (seconds)', seconds(processor.bufferInterval), 0, PROCESSOR_BUFFER.maxSeconds, 'e.g. Duration.seconds(60)');
  range('processor.retries', processor.retries, 0, 300, 'e.g. 3', true);

  return {
    stream: {
      retention,
      streamMode,
      ...(streamMode === kinesis.StreamMode.PROVISIONED && { shardCount: props.shardCount ?? PRODUCT_DEFAULTS.shardCount }),
    },
    bufferingInterval,
    bufferingSize,
    processor: { ...processor, ...(props.transform !== undefined && { transformEntry: transformEntry(scope, props.transform.entry) }) },
    logRetention: props.logRetention ?? PRODUCT_DEFAULTS.logRetention,
  };
}

/** The transform module's absolute path; it must exist. */
function transformEntry(scope: IConstruct, entry: string): string {
  const resolved = path.resolve(entry);
  if (!fs.existsSync(resolved)) {
    throw new DataMeshError(
      scope,
      `transform.entry "${entry}" does not exist (resolved to ${resolved}): pass the path, absolute or relative to ` +
        `${process.cwd()}, of a module exporting transform(record).`,
    );
  }
  return resolved;
}

/** Skips values that are tokens (`undefined` here: a Duration or Size holding a token). */
function checkRange(scope: IConstruct, what: string, value: number | undefined, min: number, max: number, hint: string, integer: boolean): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new DataMeshError(scope, `${what} is ${value}; it must be ${integer ? 'an integer ' : ''}between ${min} and ${max} (${hint}).`);
  }
}

/** The amount of a Duration or Size in a unit, or undefined while it is a token. */
const hours = (d: Duration) => (d.isUnresolved() ? undefined : d.toHours({ integral: false }));
const seconds = (d: Duration) => (d.isUnresolved() ? undefined : d.toSeconds());
const mebibytes = (s: Size) => (s.isUnresolved() ? undefined : s.toMebibytes({ rounding: SizeRoundingBehavior.NONE }));
const megabytesOf = (s: Size) => (s.isUnresolved() ? undefined : s.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024);
