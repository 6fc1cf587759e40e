import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { buildProcessorBundle, packageRoot } from '../../lambdas/firehose-processor/codegen';

/** What the bundled processor exports (lambdas/firehose-processor/handler.ts through its generated entry). */
export interface LoadedProcessor {
  /** The Lambda handler Firehose invokes. */
  readonly handler: (event: FirehoseTransformationEvent, context?: unknown) => Promise<FirehoseTransformationResult>;
  /** The handler's work, also returning each failed record's reason. */
  readonly processFirehoseEvent?: (event: FirehoseTransformationEvent) => {
    readonly response: FirehoseTransformationResult;
    readonly failures: ReadonlyArray<{ readonly recordId: string; readonly reason: string }>;
  };
  /** Where the bundle is. */
  readonly bundlePath: string;
  /** Whether it came from the build cache. */
  readonly cached: boolean;
}

export interface ProcessorBundleOptions {
  /** Where bundles are cached between runs. */
  readonly buildDir: string;
  /** Directory the manifest's `transformEntry` paths are relative to (the CDK app's directory). */
  readonly appDir: string;
}

const PROCESSOR_DIR = path.resolve(__dirname, '../../lambdas/firehose-processor');

/**
 * Bundles a product's real Firehose processor (its contract's generated validator, the product transform, the
 * handler) with esbuild, exactly as the deployed Lambda is built, and loads it. Bundles are cached under `buildDir`,
 * keyed by the contract, the transform's directory and the processor's sources, so a second run skips esbuild.
 */
export async function loadProcessor(product: ProductEntry, options: ProcessorBundleOptions): Promise<LoadedProcessor> {
  const transformEntry =
    product.transformEntry === undefined ? undefined : path.resolve(options.appDir, product.transformEntry);
  if (transformEntry !== undefined && !fs.existsSync(transformEntry)) {
    throw new Error(
      `The transform of ${product.id} (${product.path}) is not at ${transformEntry}: run \`mesh\` from the CDK app's ` +
        'directory, where the manifest\'s transformEntry paths start.',
    );
  }
  const key = cacheKey(product, transformEntry);
  const bundlePath = path.resolve(options.buildDir, 'processors', `${product.id}-${key}.js`);
  const cached = fs.existsSync(bundlePath);
  if (!cached) {
    const tmp = `${bundlePath}.${process.pid}.tmp.js`;
    await buildProcessorBundle(product.contract, { transformEntry, outfile: tmp, minify: false });
    fs.renameSync(tmp, bundlePath);
  }
  silenceLambdaTelemetry();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(bundlePath) as Omit<LoadedProcessor, 'bundlePath' | 'cached'>;
  if (typeof loaded.handler !== 'function') {
    throw new Error(`The processor bundle of ${product.id} (${bundlePath}) exports no "handler" function.`);
  }
  return { handler: loaded.handler, processFirehoseEvent: loaded.processFirehoseEvent, bundlePath, cached };
}

/**
 * Powertools metrics would print one EMF document per invocation and the logger one entry per failed batch; the
 * local mode reports both itself (counts, and the reasons in the error documents). Set the variables yourself to
 * see them (e.g. `POWERTOOLS_LOG_LEVEL=DEBUG`).
 */
function silenceLambdaTelemetry(): void {
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
}

function cacheKey(product: ProductEntry, transformEntry: string | undefined): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ contract: product.contract, transformEntry }));
  for (const dependency of BUNDLED_DEPENDENCIES) hash.update(`${dependency}@${versionOf(dependency)}`);
  // The processor's own sources, and the transform's directory (its entry and the helpers next to it).
  for (const file of sourceFiles(PROCESSOR_DIR)) hash.update(file).update(fs.readFileSync(file));
  if (transformEntry !== undefined) {
    for (const file of sourceFiles(path.dirname(transformEntry))) hash.update(file).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs|cjs|json)$/.test(entry.name))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/** Packages whose version changes the bundle: the bundler and what the processor bundles in. */
const BUNDLED_DEPENDENCIES = ['esbuild', '@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics', 'ajv'];

function versionOf(dependency: string): string {
  const manifest = path.join(packageRoot(), 'node_modules', dependency, 'package.json');
  return fs.existsSync(manifest) ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version : 'absent';
}
