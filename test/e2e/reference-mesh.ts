/**
 * The reference mesh (bin/app.ts's stacks) synthesised in-process for the end-to-end tests: cdk.json's context and
 * path metadata as `cdk synth` uses them, Lambda bundling skipped (the local mode bundles the processors itself).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { referenceMesh } from '../../lib/reference/mesh';

const ROOT = path.resolve(__dirname, '..', '..');

/** Synthesises the reference mesh to `<dir>/cdk.out` and returns that directory. */
export function synthReferenceMesh(dir: string): string {
  const outdir = path.join(dir, 'cdk.out');
  const { context } = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ outdir, context: { ...context, 'aws:cdk:enable-path-metadata': true, 'aws:cdk:bundling-stacks': [] } });
  referenceMesh(app);
  app.synth();
  return outdir;
}
