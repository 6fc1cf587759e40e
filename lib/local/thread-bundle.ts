import * as path from 'node:path';

const bundles = new Map<string, string>();

/**
 * A module of lib/local (`name`: its file name without extension; .ts from the sources, .js in the built package)
 * bundled with esbuild into a script a worker thread evaluates (`new Worker(script, { eval: true })`), its exports
 * under `globalName`; built once per process. Workers then run the same code under tsx, vitest and the built CLI.
 */
export function threadScript(name: string, globalName: string): string {
  let bundle = bundles.get(name);
  if (bundle === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const result = esbuild.buildSync({
      entryPoints: [path.join(__dirname, `${name}${path.extname(__filename)}`)],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'iife',
      globalName,
      target: 'node20',
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0].text;
    bundles.set(name, bundle);
  }
  return bundle;
}
