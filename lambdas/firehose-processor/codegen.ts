/**
 * Build-time code generation of a product's Firehose processor.
 *
 * For each contract we write a small entry module (plus the contract's JSON Schema validator compiled to
 * plain JavaScript with Ajv standalone code) into a content-hashed directory under this package's
 * `node_modules/.cache`, so that:
 * - esbuild (NodejsFunction or `buildProcessorBundle`) resolves this package's dependencies from there;
 * - the entry sits inside NodejsFunction's `projectRoot`;
 * - the Lambda bundle carries no Ajv compiler and compiles nothing at cold start;
 * - writing the same contract twice (every synth) is a cheap existence check.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { toJsonSchema, type JsonSchema } from '../../constructs/contract/json-schema';
import type { ContractSpec } from '../../constructs/contract/types';
import type { SchemaNode } from './fast-path';
import { normaliserHelpers, normaliserSource, type Normaliser, type NormaliserHelpers } from './normalise';
import { buildPlan, type ProcessorPlan } from './plan';
import { createProcessorContext, type ProcessorContext, type TransformFunction } from './process-records';
import type { CompiledValidator } from './reasons';
import { maxProcessorBufferBytes, RESPONSE_LIMIT_BYTES, worstCaseGrowth } from './response-budget';

/** Bump when the generated code's shape changes in a way the generator sources below do not show. */
const CODEGEN_VERSION = 3;

/** `.ts` when this module runs from the sources, `.js` from the published build (dist/). */
const OWN_EXTENSION = path.extname(__filename);

/** The sources that generate code: a change to any of them gives new entry directories. */
const GENERATOR_SOURCES = ['codegen', 'normalise', 'plan'].map((name) => `${name}${OWN_EXTENSION}`);

let generatorHashCache: string | undefined;

function generatorHash(): string {
  if (generatorHashCache === undefined) {
    const hash = createHash('sha256');
    for (const file of GENERATOR_SOURCES) hash.update(fs.readFileSync(path.join(__dirname, file)));
    generatorHashCache = hash.digest('hex');
  }
  return generatorHashCache;
}
const PACKAGE_NAME = 'cdk-data-mesh';

export interface ProcessorEntryOptions {
  /**
   * Path of a module exporting `transform(record) => record | null | undefined` (TypeScript or JavaScript,
   * bundled with the processor). It receives each validated, normalised record; its output is validated again.
   * @default - no transform
   */
  readonly transformEntry?: string;
}

export interface ProcessorBundleOptions extends ProcessorEntryOptions {
  /** @default - `bundle.js` (or `bundle.min.js`) next to the generated entry */
  readonly outfile?: string;
  /** @default true */
  readonly minify?: boolean;
}

/** Loads `node:crypto` on first use instead of at cold start (see lazy-crypto.ts). */
const LAZY_CRYPTO = path.join(__dirname, `lazy-crypto${OWN_EXTENSION}`);

/**
 * esbuild settings the processor is built with; pass them as NodejsFunction `bundling` so the deployed
 * bundle is the one the benchmarks measure. `@aws-sdk/*` stays external (the processor uses no SDK client).
 */
export const PROCESSOR_BUNDLING: BundlingOptions = {
  minify: true,
  sourceMap: false,
  target: 'node20',
  externalModules: ['@aws-sdk/*'],
  esbuildArgs: { '--alias:node:crypto': LAZY_CRYPTO },
};

let packageRootCache: string | undefined;

/** The directory of this package's package.json (found upwards from this file). */
export function packageRoot(): string {
  if (packageRootCache !== undefined) return packageRootCache;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) {
      packageRootCache = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the ${PACKAGE_NAME} package.json above ${__dirname}.`);
    dir = parent;
  }
}

/** Where generated processors are written. */
export function processorCacheDir(): string {
  return path.join(packageRoot(), 'node_modules', '.cache', PACKAGE_NAME, 'processors');
}

/** JSON Schema keywords that only constrain values of some JSON types. */
const KEYWORD_TYPES: Readonly<Record<string, readonly string[]>> = {
  pattern: ['string'],
  minLength: ['string'],
  maxLength: ['string'],
  format: ['string'],
  minimum: ['number', 'integer'],
  maximum: ['number', 'integer'],
  exclusiveMinimum: ['number', 'integer'],
  exclusiveMaximum: ['number', 'integer'],
  multipleOf: ['number', 'integer'],
  properties: ['object'],
  required: ['object'],
  additionalProperties: ['object'],
  items: ['array'],
};

const typesOf = (schema: Record<string, unknown>): string[] | undefined =>
  typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? (schema.type as string[]) : undefined;

/**
 * `anyOf` of branches with disjoint types, each constraining only its own type(s), is the same schema as one
 * branch with a union `type` (type-specific keywords ignore other types). Ajv evaluates the merged form without
 * building (and discarding) an error object per failed branch: for optional columns (`anyOf: [null, T]`) and
 * decimals (`anyOf: [string, number]`) that is on every value. Returns undefined when the merge does not apply.
 */
function mergeAnyOf(branches: readonly unknown[]): Record<string, unknown> | undefined {
  const merged: Record<string, unknown> = {};
  const types: string[] = [];
  for (const branch of branches) {
    if (branch === null || typeof branch !== 'object' || Array.isArray(branch)) return undefined;
    const schema = branch as Record<string, unknown>;
    const own = typesOf(schema);
    if (own === undefined) return undefined;
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === 'type') continue;
      const applies = KEYWORD_TYPES[keyword];
      if (applies === undefined || keyword in merged) return undefined;
      merged[keyword] = value;
    }
    types.push(...own);
  }
  const distinct = new Set(types);
  if (distinct.size !== types.length || (distinct.has('number') && distinct.has('integer'))) return undefined;
  // Each keyword must constrain only types of its own branch.
  for (const branch of branches as Record<string, unknown>[]) {
    const own = typesOf(branch)!;
    for (const keyword of Object.keys(branch)) {
      if (keyword === 'type') continue;
      if (KEYWORD_TYPES[keyword].some((t) => distinct.has(t) && !own.includes(t))) return undefined;
    }
  }
  return { type: types.length === 1 ? types[0] : types, ...merged };
}

/**
 * The schema the processor compiles: the contract's JSON Schema (`toJsonSchema`) without annotations,
 * with mergeable `anyOf`s merged into union types (same meaning, see `mergeAnyOf`) and without fractional
 * `multipleOf` (floating-point `multipleOf` is wrong for decimals; the normaliser checks decimal numbers
 * exactly on their shortest decimal form instead, see values.ts).
 */
export function processorSchema(spec: ContractSpec): JsonSchema {
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'multipleOf' && typeof value === 'number' && !Number.isInteger(value)) continue;
      if (key === 'description' || key === 'title' || key === 'examples') continue;
      // Defined, not assigned: a "__proto__" property (a record key) would otherwise set the prototype.
      Object.defineProperty(out, key, { value: rewrite(value), enumerable: true, writable: true, configurable: true });
    }
    if (Array.isArray(out.anyOf) && Object.keys(out).length === 1) {
      return mergeAnyOf(out.anyOf) ?? out;
    }
    return out;
  };
  return rewrite(toJsonSchema(spec)) as JsonSchema;
}

/** Ajv standalone CommonJS source of the contract's validator. */
export function compileValidatorSource(schema: JsonSchema): string {
  const ajv = new Ajv2020({
    code: { source: true, esm: false, optimize: true },
    // Formats are not compiled in: `date`/`date-time` come with patterns, and the calendar is checked by the normaliser.
    validateFormats: false,
    // A record's own keys only: a column named "constructor" is absent from `{}`, not Object.prototype.constructor.
    ownProperties: true,
    allErrors: false,
    strict: true,
    strictTypes: false,
    logger: false,
  });
  const validate = ajv.compile(schema);
  return standaloneCode(ajv, validate);
}

let ajvVersionCache: string | undefined;

function ajvVersion(): string {
  ajvVersionCache ??= JSON.parse(fs.readFileSync(require.resolve('ajv/package.json'), 'utf8')).version as string;
  return ajvVersionCache;
}

function relativeRequire(fromDir: string, target: string): string {
  const rel = path.relative(fromDir, target).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

interface GeneratedEntry {
  readonly dir: string;
  readonly entry: string;
}

function generate(spec: ContractSpec, options: ProcessorEntryOptions): GeneratedEntry {
  const plan = buildPlan(spec);
  const schema = processorSchema(spec);
  const transformEntry = options.transformEntry !== undefined ? path.resolve(options.transformEntry) : undefined;
  if (transformEntry !== undefined && !fs.existsSync(transformEntry)) {
    throw new Error(
      `The transform entry of ${plan.id} does not exist: ${transformEntry}. ` +
        `Point transform.entry at a module exporting "transform(record)".`,
    );
  }
  const hash = createHash('sha256')
    // __dirname: the cache sits in node_modules, which checkouts may share (a symlink); each needs its own entries.
    .update(JSON.stringify({ CODEGEN_VERSION, generator: generatorHash(), ajv: ajvVersion(), plan, schema, transformEntry, sources: __dirname }))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(processorCacheDir(), `${plan.id}-${hash}`);
  const entry = path.join(dir, 'index.js');
  if (fs.existsSync(entry)) return { dir, entry };

  // Requires resolve from the entry's real location: relative paths are computed from there.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const from = path.join(fs.realpathSync(path.dirname(dir)), path.basename(dir));
  const handlerModule = relativeRequire(from, path.join(__dirname, 'handler'));
  const normaliseModule = relativeRequire(from, path.join(__dirname, 'normalise'));
  const transformLines =
    transformEntry === undefined
      ? ['const transform = undefined;']
      : [
          `const transformModule = require(${JSON.stringify(relativeRequire(from, transformEntry))});`,
          'const transform = typeof transformModule.transform === "function" ? transformModule.transform',
          '  : typeof transformModule.default === "function" ? transformModule.default : undefined;',
          'if (transform === undefined) {',
          `  throw new TypeError(${JSON.stringify(`The transform module ${path.basename(transformEntry)} of ${plan.id} must export a function "transform(record)"; it exports: `)} + (Object.keys(transformModule).join(", ") || "nothing") + ".");`,
          '}',
        ];
  const source = [
    '"use strict";',
    `// Generated by ${PACKAGE_NAME} (lambdas/firehose-processor/codegen.ts) for ${plan.id}. Do not edit.`,
    `const { createHandler } = require(${JSON.stringify(handlerModule)});`,
    `const { normaliserHelpers } = require(${JSON.stringify(normaliseModule)});`,
    'const validate = require("./validate");',
    'const normalise = require("./normalise")(normaliserHelpers);',
    ...transformLines,
    `const plan = ${JSON.stringify(plan)};`,
    `const schema = ${JSON.stringify(schema)};`,
    'const processor = createHandler({ plan, schema, validate, normalise, transform });',
    'exports.handler = processor.handler;',
    'exports.processFirehoseEvent = processor.processFirehoseEvent;',
    '',
  ].join('\n');

  // Write into a private directory, then rename: concurrent synths never see a half-written entry.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(`${dir}.tmp-`);
  fs.writeFileSync(path.join(tmp, 'validate.js'), compileValidatorSource(schema));
  fs.writeFileSync(path.join(tmp, 'normalise.js'), normaliserSource(plan));
  fs.writeFileSync(path.join(tmp, 'plan.json'), JSON.stringify(plan, null, 2));
  fs.writeFileSync(path.join(tmp, 'schema.json'), JSON.stringify(schema, null, 2));
  fs.writeFileSync(path.join(tmp, 'index.js'), source);
  try {
    fs.renameSync(tmp, dir);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(entry)) throw error;
  }
  return { dir, entry };
}

/** The esbuild options of a processor bundle (the same as NodejsFunction with `PROCESSOR_BUNDLING`). */
export function processorEsbuildOptions(entry: string, outfile: string, minify = true): import('esbuild').BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: PROCESSOR_BUNDLING.target,
    minify,
    sourcemap: false,
    external: [...(PROCESSOR_BUNDLING.externalModules ?? [])],
    alias: { 'node:crypto': LAZY_CRYPTO },
    logLevel: 'silent',
  };
}

/**
 * Writes (idempotently) the generated processor entry module of a contract and returns its absolute path,
 * ready as NodejsFunction `entry` (bundle it with `PROCESSOR_BUNDLING`).
 *
 * @example
 * new NodejsFunction(this, 'Processor', {
 *   entry: writeProcessorEntry(contract.spec, { transformEntry: props.transform?.entry }),
 *   handler: 'handler',
 *   bundling: PROCESSOR_BUNDLING,
 * });
 */
export function writeProcessorEntry(spec: ContractSpec, options: ProcessorEntryOptions = {}): string {
  return generate(spec, options).entry;
}

/**
 * Bundles the generated entry with esbuild into one CommonJS file exporting `handler` and
 * `processFirehoseEvent` (the local mode and the benchmarks load it). Returns the absolute path of the bundle.
 */
export async function buildProcessorBundle(spec: ContractSpec, options: ProcessorBundleOptions = {}): Promise<string> {
  const { dir, entry } = generate(spec, options);
  const minify = options.minify ?? true;
  const outfile = path.resolve(options.outfile ?? path.join(dir, minify ? 'bundle.min.js' : 'bundle.js'));
  // esbuild is needed only when bundling; loading it lazily keeps it out of plain synth imports.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  await esbuild.build(processorEsbuildOptions(entry, outfile, minify));
  return outfile;
}

/**
 * The processor context of a contract for in-process use (tests, tools): the same generated validator
 * and plan the bundle embeds, without bundling.
 */
export function loadProcessorContext(spec: ContractSpec, options: { transform?: TransformFunction; fastPath?: boolean } = {}): ProcessorContext {
  const { dir } = generate(spec, {});
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validate = require(path.join(dir, 'validate.js')) as CompiledValidator;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const createNormaliser = require(path.join(dir, 'normalise.js')) as (helpers: NormaliserHelpers) => Normaliser;
  const plan = JSON.parse(fs.readFileSync(path.join(dir, 'plan.json'), 'utf8')) as ProcessorPlan;
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'schema.json'), 'utf8')) as SchemaNode;
  return createProcessorContext({
    plan,
    schema,
    validate,
    normalise: createNormaliser(normaliserHelpers),
    transform: options.transform,
    fastPath: options.fastPath,
  });
}

/** Firehose's smallest processor buffer (0.2 MB) and the product's default (1 MiB), in KiB. */
const PROCESSOR_BUFFER_KIB = { min: 205, default: 1024 } as const;

/** The processor buffer a contract allows: what a full buffer can grow to must fit Lambda's 6 MB response. */
export interface ProcessorBufferBound {
  /** The worst-case growth of a record through the processor (see response-budget.ts). */
  readonly growth: number;
  /** The largest buffer whose worst-case response fits, in KiB. */
  readonly maxKiB: number;
  /** The buffer to use when none is set: 1 MiB, or less when the contract's records can grow more. */
  readonly defaultKiB: number;
  /** Why a buffer of `mebibytes` is too large for the contract, or undefined when it fits. */
  tooLarge(mebibytes: number | undefined): string | undefined;
}

/** The processor buffer bound of a contract, for the product construct's synth-time check. */
export function processorBufferBound(spec: ContractSpec): ProcessorBufferBound {
  const plan = buildPlan(spec);
  const growth = worstCaseGrowth(plan);
  const maxKiB = Math.floor(maxProcessorBufferBytes(plan) / 1024);
  return {
    growth,
    maxKiB,
    defaultKiB: Math.max(PROCESSOR_BUFFER_KIB.min, Math.min(PROCESSOR_BUFFER_KIB.default, maxKiB)),
    tooLarge: (mebibytes) =>
      mebibytes === undefined || mebibytes * 1024 <= Math.max(maxKiB, PROCESSOR_BUFFER_KIB.min)
        ? undefined
        : `processor.bufferSize is ${mebibytes} MB, but records of ${plan.id} can grow up to ${growth.toFixed(2)}x ` +
          `through the processor (decimals sent as JSON numbers come back as padded strings), so a full buffer could ` +
          `exceed Lambda's ${RESPONSE_LIMIT_BYTES} byte response limit: set processor.bufferSize to at most ` +
          `Size.kibibytes(${maxKiB}), or leave it unset (the default is chosen from the contract).`,
  };
}
