import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { MeshConsumer } from '../../consumer/mesh-consumer';
import type { IMeshConsumer } from '../../consumer/types';
import { SqlPipeline, type LakeProduct, type SqlPipelineProps } from '../../derived/sql-pipeline';
import { StreamingPipeline, type StreamingPipelineProps, type TransformHandler } from '../../derived/streaming-pipeline';
import { DataMeshError } from '../../domain/errors';
import { acknowledge, wildcardResourceFinding } from '../../compliance/acknowledge';
import {
  PII_ACCESS_METADATA_TYPE,
  grantProductRead,
  grantProductWrite,
  type PiiAccessRecord,
  type ProductReadGrant,
  type ProductWriteGrant,
} from '../../governance/grants';
import { MANIFEST_METADATA_TYPE, type GrantEntry, type SqlSource, type StreamingSource } from '../../manifest/manifest';
import type { DataProduct } from '../data-product';
import type { IDataProduct } from '../types';

/** Tuning of a streaming derived product's pipeline: `StreamingPipelineProps` without what the product sets. */
export type StreamingPipelineOptions = Omit<StreamingPipelineProps, 'sources' | 'target' | 'handler'>;

/** Tuning of a SQL derived product's pipeline: `SqlPipelineProps` without what the product sets. */
export type SqlPipelineOptions = Omit<SqlPipelineProps, 'sources' | 'target' | 'sql' | 'schedule'>;

/** The `GrantEntry.permissions` of a streaming pipeline's read of an upstream stream (IAM, not Lake Formation). */
export const STREAM_READ_GRANT = 'STREAM_READ';

/** The `StreamingPipeline` default of `handler.handler`. */
const DEFAULT_HANDLER_EXPORT = 'handler';

/** The derived-product props of `DataProductProps`. */
export interface DerivationProps {
  readonly from?: readonly IDataProduct[];
  readonly handler?: TransformHandler;
  readonly streamingPipeline?: StreamingPipelineOptions;
  readonly sql?: string;
  readonly schedule?: scheduler.ScheduleExpression | string;
  readonly sqlPipeline?: SqlPipelineOptions;
  readonly piiReason?: string;
  readonly source?: StreamingSource | SqlSource;
}

/** How a product is derived, once its props are checked. */
export type Derivation =
  | {
      readonly kind: 'stream';
      readonly sources: readonly IDataProduct[];
      readonly handler: TransformHandler;
      readonly options: StreamingPipelineOptions;
      readonly piiReason?: string;
    }
  | {
      readonly kind: 'sql';
      readonly sources: readonly LakeProduct[];
      readonly sql: string;
      readonly schedule: scheduler.ScheduleExpression | string;
      readonly options: SqlPipelineOptions;
      readonly piiReason?: string;
    };

/** What a derived product's pipeline created. */
export interface DerivationResult {
  readonly streamingPipeline?: StreamingPipeline;
  readonly sqlPipeline?: SqlPipeline;
  /** The SQL pipeline's role as a Lake Formation principal. */
  readonly pipelineAccess?: IMeshConsumer;
  readonly readGrants: readonly ProductReadGrant[];
  readonly writeGrant?: ProductWriteGrant;
  /** The pipeline's alarms (its dead-letter queues, failed runs): they notify the product's owner. */
  readonly alarms: readonly cloudwatch.Alarm[];
}

/**
 * Checks the derived-product props of `product` (before anything is created) and says how it is derived,
 * or `undefined` for a source product. Every error names the prop, the bad value and the fix.
 */
export function checkDerivation(product: DataProduct, props: DerivationProps): Derivation | undefined {
  const fail = (message: string): never => {
    throw new DataMeshError(product, message);
  };
  const { from, handler, sql, schedule, piiReason } = props;
  const example = `from: [pageViewed]`;

  if (handler !== undefined && sql !== undefined) {
    fail(
      'Both handler and sql are set: a product is derived one way, by a streaming transform (handler) or by a scheduled query (sql + schedule). Keep one, ' +
        'or define two products.',
    );
  }
  if (schedule !== undefined && sql === undefined) {
    fail(`schedule ${JSON.stringify(scheduleText(schedule))} is set but sql is not: a schedule runs a SQL product's query. Add sql: 'SELECT … WHERE o.dt = :dt', or drop schedule.`);
  }
  if (sql !== undefined && schedule === undefined) {
    fail(`sql is set but schedule is not: a SQL product is built on a schedule. Add schedule: 'cron(0 2 * * ? *)' (02:00 UTC every day) or 'rate(1 day)'.`);
  }
  if (props.streamingPipeline !== undefined && handler === undefined) {
    fail('streamingPipeline is set but handler is not: it tunes the pipeline of a streaming derived product. Add handler: { entry: … }, or drop streamingPipeline.');
  }
  if (props.sqlPipeline !== undefined && sql === undefined) {
    fail('sqlPipeline is set but sql is not: it tunes the pipeline of a SQL derived product. Add sql and schedule, or drop sqlPipeline.');
  }
  const how = handler !== undefined ? 'handler' : sql !== undefined ? 'sql' : undefined;
  if (from === undefined) {
    if (how !== undefined) {
      fail(`${how} is set but from is not: a derived product reads upstream products. List them, e.g. ${example}.`);
    }
    if (piiReason !== undefined) {
      fail('piiReason is set but from is not: only a derived product reads other products. Drop piiReason, or derive the product (from + handler, or from + sql + schedule).');
    }
    return undefined;
  }

  if (from.length === 0) {
    fail(`from is empty: list the upstream products this product is derived from (e.g. ${example}), or leave from out for a source product fed by its producers.`);
  }
  if (how === undefined) {
    fail(
      `from (${ids(from)}) is set but neither handler nor sql is: say how the product is derived, with handler: { entry: 'src/transform.ts' } (a streaming transform) ` +
        `or sql + schedule (a scheduled Athena query).`,
    );
  }
  if (props.source !== undefined) {
    fail(`source (${props.source.kind} from ${props.source.from.join(', ')}) and from are both set: from creates the pipeline and records the lineage itself. Drop source.`);
  }
  for (const source of from) {
    if (source.meshName !== product.meshName) {
      fail(
        `from: ${source.productId} belongs to mesh "${source.meshName}", but this product to mesh "${product.meshName}": derive only from products of mesh "${product.meshName}" ` +
          `(reference it with DataProduct.fromName(this, id, { domain: '${source.domainName}', name: '${source.productName}', version: ${source.version}, meshName: '${product.meshName}', contract }) if it is one).`,
      );
    }
    if (source.contract === undefined) {
      fail(
        `from: ${source.productId} is referenced without its contract, so its PII columns and deprecation are unknown: pass it, e.g. ` +
          `DataProduct.fromName(this, id, { domain: '${source.domainName}', name: '${source.productName}', version: ${source.version}, contract }).`,
      );
    }
  }

  const piiSources = from.filter((source) => (source.contract?.piiColumns.length ?? 0) > 0);
  if (piiReason !== undefined) {
    if (piiReason.trim() === '') {
      fail(`piiReason is empty: say why ${product.productId} needs personal data (it is recorded with its grants and shown in the catalog), or drop piiReason.`);
    }
    if (piiSources.length === 0) {
      fail(`piiReason is set but no product in from (${ids(from)}) has PII columns: drop piiReason.`);
    }
  }
  if (how === 'handler' && piiReason === undefined && piiSources.length > 0) {
    const source = piiSources[0];
    fail(
      `from: ${source.productId} has PII columns (${source.contract!.piiColumns.map((c) => `"${c}"`).join(', ')}) and a streaming transform reads whole records: ` +
        `set piiReason saying why ${product.productId} needs personal data (recorded with the grant and shown in the catalog), or derive from a product without PII.`,
    );
  }

  if (how === 'handler') {
    return { kind: 'stream', sources: from, handler: handler!, options: props.streamingPipeline ?? {}, ...(piiReason !== undefined && { piiReason }) };
  }
  const lakeSources = from.map((source) => {
    const lake = source as Partial<LakeProduct>;
    if (lake.bucket === undefined || lake.dataPrefix === undefined) {
      fail(
        `from: ${source.productId} does not say where its data lives (bucket and dataPrefix), which Athena's reads are granted on: ` +
          `pass the DataProduct, or reference it with DataProduct.fromName.`,
      );
    }
    return source as LakeProduct;
  });
  return {
    kind: 'sql',
    sources: lakeSources,
    sql: sql!,
    schedule: schedule!,
    options: props.sqlPipeline ?? {},
    ...(piiReason !== undefined && { piiReason }),
  };
}

/**
 * Creates the pipeline of a derived product inside it, records its lineage (`product.addLineage`) and its
 * reads of the upstream products:
 *
 * - streaming: a `StreamingPipeline` (IAM read of each upstream stream and its key), and one manifest
 *   grant entry per upstream product (`STREAM_READ`, every column: the transform sees whole records, so a
 *   PII-bearing source carries the product's `piiReason`);
 * - SQL: a `SqlPipeline`, its role as a Lake Formation principal (`MeshConsumer.fromRole`) granted SELECT
 *   on each source with `grantProductRead` (PII included only with `piiReason`), and DESCRIBE, SELECT and
 *   INSERT on the product's own table with `grantProductWrite`.
 */
export function createDerivation(product: DataProduct, derivation: Derivation): DerivationResult {
  const consumerName = pipelineConsumerName(product);
  if (derivation.kind === 'stream') {
    const pipeline = new StreamingPipeline(product, 'Pipeline', {
      ...derivation.options,
      sources: derivation.sources,
      target: product,
      handler: derivation.handler,
    });
    const exportName = derivation.handler.handler ?? DEFAULT_HANDLER_EXPORT;
    const source: StreamingSource = {
      ...pipeline.manifestSource,
      // Relative to the app's directory, where `mesh dev` runs (the pipeline records the entry as given).
      handlerEntry: path.relative(process.cwd(), path.resolve(derivation.handler.entry)),
      // Read by the local mode when the transform is not exported as `handler`.
      ...(exportName !== DEFAULT_HANDLER_EXPORT && { handlerExport: exportName }),
    };
    product.addLineage(source);
    for (const upstream of derivation.sources) recordStreamRead(pipeline, upstream, consumerName, derivation.piiReason, product.productId);
    const byAlias = derivation.sources.filter((upstream) => isAlias(upstream.encryptionKey));
    if (byAlias.length > 0) {
      acknowledge(pipeline.role, {
        [wildcardResourceFinding(pipeline, Stack.of(pipeline).formatArn({ service: 'kms', resource: 'key', resourceName: '*' }))]:
          `${ids(byAlias)} ${byAlias.length === 1 ? 'is' : 'are'} referenced by name (DataProduct.fromName), so the id of the domain key is unknown here: ` +
          "kms:Decrypt is granted on the keys of this account and region that carry the domain key's alias only (kms:ResourceAliases condition).",
      });
    }
    return { streamingPipeline: pipeline, readGrants: [], alarms: [pipeline.deadLetterAlarm] };
  }

  const pipeline = new SqlPipeline(product, 'Pipeline', {
    serverAccessLogsBucket: product.domain.logBucket,
    ...derivation.options,
    sources: derivation.sources,
    target: product,
    sql: derivation.sql,
    schedule: derivation.schedule,
  });
  product.addLineage(pipeline.manifestSource);
  const access = MeshConsumer.fromRole(product, 'PipelineAccess', {
    consumerName,
    role: pipeline.role,
    meshName: product.meshName,
    derives: product.productId,
  });
  const readGrants = derivation.sources.map((upstream) => {
    const pii = derivation.piiReason !== undefined && upstream.contract!.piiColumns.length > 0;
    return grantProductRead(upstream, access, pii ? { pii: { reason: derivation.piiReason! } } : {});
  });
  const writeGrant = grantProductWrite(product, access);
  return {
    sqlPipeline: pipeline,
    pipelineAccess: access,
    readGrants,
    writeGrant,
    alarms: [pipeline.failureAlarm, pipeline.scheduleDeadLetterAlarm],
  };
}

/**
 * The name a derived product's pipeline has as a reader in the mesh (grant entries, the catalog), e.g.
 * `recommendations-product_views-v1-pipeline`; without the suffix when that would exceed 64 characters.
 */
export function pipelineConsumerName(product: IDataProduct): string {
  const base = `${product.domainName}-${product.productName}-v${product.version}`;
  const name = `${base}-pipeline`;
  return name.length <= 64 ? name : base;
}

/** A streaming pipeline's read of an upstream stream, as a manifest grant entry (and, with PII, on the upstream product). */
function recordStreamRead(
  pipeline: StreamingPipeline,
  upstream: IDataProduct,
  consumer: string,
  piiReason: string | undefined,
  forProduct: string,
): void {
  const piiColumns = upstream.contract!.piiColumns;
  const reason = piiColumns.length > 0 ? piiReason : undefined;
  const entry: GrantEntry = {
    kind: 'grant',
    product: upstream.productId,
    consumer,
    permissions: [STREAM_READ_GRANT],
    excludedColumns: [],
    ...(reason !== undefined && { piiReason: reason }),
    forProduct,
  };
  pipeline.node.addMetadata(MANIFEST_METADATA_TYPE, entry);
  if (reason !== undefined) {
    const record: PiiAccessRecord = { consumer, grantPath: pipeline.node.path, columns: piiColumns, reason };
    upstream.node.addMetadata(PII_ACCESS_METADATA_TYPE, record);
  }
}

function isAlias(key: kms.IKey): key is kms.IAlias {
  return typeof (key as Partial<kms.IAlias>).aliasName === 'string';
}

function ids(products: readonly IDataProduct[]): string {
  return products.map((p) => p.productId).join(', ');
}

function scheduleText(schedule: scheduler.ScheduleExpression | string): string {
  return typeof schedule === 'string' ? schedule : schedule.expressionString;
}
