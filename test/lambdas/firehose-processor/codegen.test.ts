import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildProcessorBundle,
  packageRoot,
  PROCESSOR_BUNDLING,
  processorCacheDir,
  writeProcessorEntry,
} from '../../../lambdas/firehose-processor/codegen';
import type { ProcessedEvent } from '../../../lambdas/firehose-processor/handler';
import { LAZY_CRYPTO_EXPORTS } from '../../../lambdas/firehose-processor/lazy-crypto';
import { decodeOk, firehoseEvent, orderPlaced, validOrder } from './fixtures';

const TRANSFORM = path.join(__dirname, 'transform-fixture.ts');

interface ProcessorBundle {
  handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult>;
  processFirehoseEvent(event: FirehoseTransformationEvent): ProcessedEvent;
}

/** Loads a bundle afresh, so that its module-scope Logger and Metrics read the current environment. */
function load(file: string): ProcessorBundle {
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as ProcessorBundle;
}

/** Runs `fn` capturing the JSON lines written to stdout and stderr (EMF metrics and warnings). */
function captureOutput<T>(fn: () => T): { result: T; lines: Record<string, any>[] } {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    const result = fn();
    return {
      result,
      lines: written.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)),
    };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('writeProcessorEntry', () => {
  it('writes the entry under this package node_modules/.cache, inside the project root', () => {
    const entry = writeProcessorEntry(orderPlaced.spec);
    expect(path.isAbsolute(entry)).toBe(true);
    expect(entry.startsWith(path.join(packageRoot(), 'node_modules', '.cache', 'cdk-data-mesh', 'processors') + path.sep)).toBe(true);
    expect(path.dirname(path.dirname(entry))).toBe(processorCacheDir());
    expect(path.basename(path.dirname(entry))).toMatch(/^orders\.order_placed\.v1-[0-9a-f]{16}$/);
    expect(fs.readFileSync(entry, 'utf8')).toContain('exports.handler = processor.handler;');
  });

  it('is idempotent: the same contract gives the same path and does not rewrite it', () => {
    const entry = writeProcessorEntry(orderPlaced.spec);
    const before = fs.statSync(entry).mtimeMs;
    expect(writeProcessorEntry(orderPlaced.spec)).toBe(entry);
    expect(fs.statSync(entry).mtimeMs).toBe(before);
  });

  it('gives another path for another contract or another transform', () => {
    const entry = writeProcessorEntry(orderPlaced.spec);
    const v2 = writeProcessorEntry({ ...orderPlaced.spec, version: 2 });
    const transformed = writeProcessorEntry(orderPlaced.spec, { transformEntry: TRANSFORM });
    expect(new Set([entry, v2, transformed]).size).toBe(3);
    expect(fs.readFileSync(transformed, 'utf8')).toContain('transform-fixture.ts');
  });

  it('does not change the hash for documentation-only edits of the contract', () => {
    const described = { ...orderPlaced.spec, description: 'Another description.', owner: { team: 'x', contact: 'x@example.com' } };
    expect(writeProcessorEntry(described)).toBe(writeProcessorEntry(orderPlaced.spec));
  });

  it('compiles the validator to standalone code that needs no Ajv compiler', () => {
    const dir = path.dirname(writeProcessorEntry(orderPlaced.spec));
    const validator = fs.readFileSync(path.join(dir, 'validate.js'), 'utf8');
    const required = [...validator.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.every((module) => module.startsWith('ajv/dist/runtime/'))).toBe(true);
    expect(validator).not.toContain('new Function');
  });

  it('names the missing transform entry and the fix', () => {
    expect(() => writeProcessorEntry(orderPlaced.spec, { transformEntry: '/nowhere/transform.ts' })).toThrow(
      'The transform entry of orders.order_placed.v1 does not exist: /nowhere/transform.ts. Point transform.entry at a module exporting "transform(record)".',
    );
  });

  it('is a NodejsFunction entry that bundles with local esbuild', () => {
    const app = new App();
    const stack = new Stack(app, 'ProcessorEntry');
    new NodejsFunction(stack, 'Processor', {
      entry: writeProcessorEntry(orderPlaced.spec),
      handler: 'handler',
      bundling: PROCESSOR_BUNDLING,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Code: { S3Key: Match.stringLikeRegexp('\\.zip$') },
    });
  });
});

describe('buildProcessorBundle', () => {
  let bundleFile: string;
  let transformBundleFile: string;
  const env = { ...process.env };

  beforeAll(async () => {
    bundleFile = await buildProcessorBundle(orderPlaced.spec);
    transformBundleFile = await buildProcessorBundle(orderPlaced.spec, {
      transformEntry: TRANSFORM,
      outfile: path.join(path.dirname(bundleFile), 'transform-test.min.js'),
    });
  });

  afterAll(() => {
    process.env = env;
  });

  it('loads node:crypto lazily, and the shim covers what Powertools uses of it', () => {
    const text = fs.readFileSync(bundleFile, 'utf8');
    expect(text).not.toContain('require("node:crypto")');
    const powertools = path.join(packageRoot(), 'node_modules', '@aws-lambda-powertools');
    const used = new Set<string>();
    const visit = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(file);
        else if (file.includes(`${path.sep}cjs${path.sep}`) && file.endsWith('.js')) {
          const source = fs.readFileSync(file, 'utf8');
          for (const binding of source.matchAll(/(\w+) = require\("(?:node:)?crypto"\)/g)) {
            for (const use of source.matchAll(new RegExp(`${binding[1]}\\.(\\w+)`, 'g'))) used.add(use[1]);
          }
        }
      }
    };
    visit(powertools);
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((name) => !(LAZY_CRYPTO_EXPORTS as readonly string[]).includes(name))).toEqual([]);
  });

  it('writes a minified CommonJS bundle under 100 KB without the Ajv compiler', () => {
    const text = fs.readFileSync(bundleFile, 'utf8');
    expect(fs.statSync(bundleFile).size).toBeLessThan(100 * 1024);
    expect(text).not.toContain('strictSchema'); // an Ajv compiler option name
    expect(text).not.toContain('new Function');
  });

  it('exports a handler that returns every record id with Ok data and dt', async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const bundle = load(bundleFile);
    const event = firehoseEvent([validOrder(), '{', validOrder({ total: '1.001' })]);
    const response = await bundle.handler(event);
    expect(response.records.map((r) => [r.recordId, r.result])).toEqual([
      ['r0', 'Ok'],
      ['r1', 'ProcessingFailed'],
      ['r2', 'ProcessingFailed'],
    ]);
    expect(Object.keys(response)).toEqual(['records']);
    expect(response.records[0].metadata).toEqual({ partitionKeys: { dt: '2026-11-21' } });
    expect(decodeOk(response.records[0].data)).toMatchObject({ order_id: 'o-1', total: '39.98' });
  });

  it('logs each failure with its record id and reason, and publishes the count metrics', () => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'MeshTest';
    const bundle = load(bundleFile);
    const { result, lines } = captureOutput(() => bundle.processFirehoseEvent(firehoseEvent([validOrder(), '', validOrder({ total: 'x' })])));
    expect(result.failures).toEqual([
      { recordId: 'r1', reason: 'record is empty (no data)' },
      { recordId: 'r2', reason: '"total": must match decimal(12,2) (got "x")' },
    ]);
    const warning = lines.find((l) => l.level === 'WARN');
    expect(warning).toMatchObject({ product: 'orders.order_placed.v1', invocationId: 'invocation-1', failures: result.failures });
    const emf = lines.find((l) => l._aws !== undefined);
    expect(emf?._aws.CloudWatchMetrics[0].Namespace).toBe('MeshTest');
    expect(emf).toMatchObject({ RecordsOk: 1, RecordsDropped: 0, RecordsFailed: 2, product: 'orders.order_placed.v1' });
  });

  it('refuses to start when the transform module exports no transform function', async () => {
    const file = await buildProcessorBundle(orderPlaced.spec, {
      transformEntry: path.join(__dirname, 'bad-transform-fixture.ts'),
      outfile: path.join(path.dirname(bundleFile), 'bad-transform-test.min.js'),
    });
    expect(() => load(file)).toThrow(
      `The transform module bad-transform-fixture.ts of orders.order_placed.v1 must export a function "transform(record)"; it exports: transfrom.`,
    );
  });

  it('bundles the product transform with the processor', async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const bundle = load(transformBundleFile);
    const { response, failures } = bundle.processFirehoseEvent(
      firehoseEvent([validOrder(), validOrder({ currency: 'XTS' }), validOrder({ order_id: 'boom' })]),
    );
    expect(response.records.map((r) => r.result)).toEqual(['Ok', 'Dropped', 'ProcessingFailed']);
    expect(decodeOk(response.records[0].data)).toMatchObject({ customer_email: '***' });
    expect(failures).toEqual([{ recordId: 'r2', reason: 'transform failed: order "boom" cannot be enriched' }]);
  });
});
