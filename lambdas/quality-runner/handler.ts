/**
 * Lambda handler of a product's scheduled quality run (see run.ts and constructs/quality/quality-run.ts).
 * The rules are compiled into the bundle at synth (`MESH_QUALITY_CONFIG`); the AWS SDK v3 clients are the Lambda
 * runtime's (not bundled), loaded by name so that the repository needs no Athena, CloudWatch or S3 client package.
 */
import { runQuality, type QualityPorts, type QualityRunConfig, type QualityRunEvent } from './run';

declare const MESH_QUALITY_CONFIG: QualityRunConfig;

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
type Sdk = Record<string, any>;
const athenaSdk = require('@aws-sdk/client-athena') as Sdk;
const cloudwatchSdk = require('@aws-sdk/client-cloudwatch') as Sdk;
const s3Sdk = require('@aws-sdk/client-s3') as Sdk;

const athena = new athenaSdk.AthenaClient({});
const cloudwatch = new cloudwatchSdk.CloudWatchClient({});
const s3 = new s3Sdk.S3Client({});

const WORKGROUP = process.env.WORKGROUP!;
const RESULTS_BUCKET = process.env.RESULTS_BUCKET!;
const RESULTS_PREFIX = process.env.RESULTS_PREFIX!;
const POLL_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ports: QualityPorts = {
  async query(sql) {
    const { QueryExecutionId } = await athena.send(
      new athenaSdk.StartQueryExecutionCommand({ QueryString: sql, WorkGroup: WORKGROUP, QueryExecutionContext: { Database: MESH_QUALITY_CONFIG.database } }),
    );
    for (;;) {
      const { QueryExecution } = await athena.send(new athenaSdk.GetQueryExecutionCommand({ QueryExecutionId }));
      const state = QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED' || state === 'CANCELLED') {
        throw new Error(`Athena query ${QueryExecutionId} ${state}: ${QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`);
      }
      await sleep(POLL_MS);
    }
    const { ResultSet } = await athena.send(new athenaSdk.GetQueryResultsCommand({ QueryExecutionId, MaxResults: 2 }));
    // Row 0 holds the column names.
    return ResultSet?.Rows?.[1]?.Data?.[0]?.VarCharValue ?? null;
  },
  async putMetrics(namespace, data) {
    for (let i = 0; i < data.length; i += 500) {
      await cloudwatch.send(
        new cloudwatchSdk.PutMetricDataCommand({
          Namespace: namespace,
          MetricData: data.slice(i, i + 500).map((d) => ({
            MetricName: d.name,
            Dimensions: Object.entries(d.dimensions).map(([Name, Value]) => ({ Name, Value })),
            Value: d.value,
            Unit: 'None',
          })),
        }),
      );
    }
  },
  async putResults(dt, lines) {
    const key = `${RESULTS_PREFIX}dt=${dt}/${MESH_QUALITY_CONFIG.productId}-${Date.now()}.json`;
    await s3.send(new s3Sdk.PutObjectCommand({ Bucket: RESULTS_BUCKET, Key: key, Body: lines.map((l) => JSON.stringify(l)).join('\n') + '\n', ContentType: 'application/json' }));
  },
};

export async function handler(event: QualityRunEvent): Promise<{ readonly dt: string; readonly failed: string[] }> {
  const rows = await runQuality(MESH_QUALITY_CONFIG, event ?? {}, ports);
  return { dt: rows[0]?.dt ?? '', failed: rows.filter((r) => r.status !== 'pass').map((r) => r.rule) };
}
