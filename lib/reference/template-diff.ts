import * as fs from 'node:fs';
import * as path from 'node:path';

/** What stands in for an asset hash once a template is normalised. */
export const ASSET_PLACEHOLDER = '<asset>';

/** A CDK asset's content hash: 64 hex characters, alone or as `<hash>.zip` / `<hash>.json` / `asset.<hash>`. */
const ASSET_HASH = /\b(asset\.)?[0-9a-f]{64}(\.zip|\.json)?\b/g;

/** One difference between two templates, at a JSON path. */
export interface TemplateDifference {
  /** The template file, e.g. `orders.template.json`. */
  readonly template: string;
  /** Where, e.g. `Resources.OrderPlacedStream1A2B.Properties.RetentionPeriodHours`; empty for a missing template. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * A template with what bundling changes taken out: asset hashes (a Lambda's `Code.S3Key`, asset parameters)
 * become `<asset>`, and the `aws:asset:*` metadata of a resource (where CDK staged the asset) is dropped.
 */
export function normaliseTemplate(template: unknown): unknown {
  if (typeof template === 'string') return template.replace(ASSET_HASH, ASSET_PLACEHOLDER);
  if (Array.isArray(template)) return template.map(normaliseTemplate);
  if (template === null || typeof template !== 'object') return template;
  const entries = Object.entries(template as Record<string, unknown>)
    .filter(([key]) => !key.startsWith('aws:asset:'))
    .map(([key, value]) => [key.replace(ASSET_HASH, ASSET_PLACEHOLDER), normaliseTemplate(value)]);
  return Object.fromEntries(entries);
}

/** The differences between two normalised values, key order ignored (array order kept: it can matter). */
export function diffValues(template: string, before: unknown, after: unknown, at = ''): TemplateDifference[] {
  if (Object.is(before, after)) return [];
  const bothObjects = isRecord(before) && isRecord(after);
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  if (bothArrays && before.length === after.length) {
    return before.flatMap((item, i) => diffValues(template, item, after[i], `${at}[${i}]`));
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(template, before[key], after[key], at === '' ? key : `${at}.${key}`));
  }
  return [{ template, path: at, before, after }];
}

/**
 * Compares every `*.template.json` of two cloud assemblies (e.g. `cdk.out` before and after a refactor),
 * template by template, ignoring asset hashes (see `normaliseTemplate`). An empty result means the
 * deployed infrastructure is the same.
 */
export function diffCloudAssemblies(beforeDir: string, afterDir: string): TemplateDifference[] {
  return diffFiles(beforeDir, afterDir, '.template.json', (template) => template);
}

/**
 * Compares the mesh's own construct metadata (types `cdk-data-mesh:*`: manifest entries, PII records) of two
 * cloud assemblies, stack by stack (`<stack>.metadata.json`): what `mesh catalog` and `mesh dev` read.
 */
export function diffMeshMetadata(beforeDir: string, afterDir: string): TemplateDifference[] {
  return diffFiles(beforeDir, afterDir, '.metadata.json', (metadata) => {
    const byPath = metadata as Record<string, { type: string; data?: unknown }[]>;
    const mesh = Object.entries(byPath)
      .map(([at, entries]) => [at, entries.filter((e) => e.type.startsWith('cdk-data-mesh:')).map((e) => ({ type: e.type, data: e.data }))] as const)
      .filter(([, entries]) => entries.length > 0);
    return Object.fromEntries(mesh);
  });
}

/** The differences between the files ending in `suffix` of two directories, each parsed, `select`ed and normalised. */
function diffFiles(beforeDir: string, afterDir: string, suffix: string, select: (parsed: unknown) => unknown): TemplateDifference[] {
  const files = (dir: string) => fs.readdirSync(dir).filter((file) => file.endsWith(suffix));
  const names = [...new Set([...files(beforeDir), ...files(afterDir)])].sort();
  return names.flatMap((name) => {
    const read = (dir: string) => {
      const file = path.join(dir, name);
      return fs.existsSync(file) ? normaliseTemplate(select(JSON.parse(fs.readFileSync(file, 'utf8')))) : undefined;
    };
    const before = read(beforeDir);
    const after = read(afterDir);
    if (before === undefined || after === undefined) return [{ template: name, path: '', before: before !== undefined, after: after !== undefined }];
    return diffValues(name, before, after);
  });
}

/** One line per difference, e.g. `orders.template.json Resources.X.Properties.Y: 24 -> 48`. */
export function formatDifferences(differences: readonly TemplateDifference[]): string {
  const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));
  return differences.map((d) => `${d.template} ${d.path || '(template)'}: ${show(d.before)} -> ${show(d.after)}`).join('\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
