import * as path from 'node:path';
import { AssetHashType } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { BuildOptions } from 'esbuild';

/**
 * Lambda code: `entry` bundled with esbuild's JavaScript API and `options` into `index.js` (the options' own
 * entry points and output file are replaced).
 *
 * What NodejsFunction does, without its per-function process: NodejsFunction runs esbuild through the package
 * manager (`npx --no-install esbuild …` under npm), and starting npm costs about 0.7 CPU seconds per function,
 * ten times esbuild's own work. A mesh synthesises one processor per product, so that start-up was two thirds
 * of a whole `cdk synth` (bench/suites/synth.ts). Here esbuild's binary runs directly (`buildSync`).
 *
 * Everything else is CDK's asset staging, unchanged: the asset hash is the output's (`AssetHashType.OUTPUT`),
 * stacks excluded from bundling (`cdk synth --exclusively`, `aws:cdk:bundling-stacks`) skip it, and identical
 * entries bundled with identical options within one synth share one bundle (CDK's asset cache).
 */
export function bundledCode(entry: string, options: BuildOptions): lambda.Code {
  const local = {
    // Part of CDK's in-process asset cache key (functions are not): what the bundle is built from.
    entry,
    options: JSON.stringify(options),
    tryBundle(outputDir: string): boolean {
      bundle(entry, options, path.join(outputDir, 'index.js'));
      return true;
    },
  };
  return lambda.Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never used: local bundling succeeds or throws (there is no Docker fallback).
      image: lambda.Runtime.NODEJS_24_X.bundlingImage,
      local,
    },
  });
}

function bundle(entry: string, options: BuildOptions, outfile: string): void {
  let esbuild: typeof import('esbuild');
  try {
    // Loaded on first bundle only: synths that bundle nothing (tests, `--exclusively`) never load it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    esbuild = require('esbuild') as typeof import('esbuild');
  } catch (error) {
    throw new Error(
      `Bundling ${entry} needs esbuild, which cannot be loaded (${(error as Error).message}): install it in the CDK app, e.g. "npm install --save-dev esbuild".`,
      { cause: error },
    );
  }
  try {
    esbuild.buildSync({ ...options, entryPoints: [entry], outfile, write: true, logLevel: 'silent' });
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
    const details = errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text)).join('; ');
    throw new Error(`esbuild could not bundle ${entry}: ${details || (error as Error).message}`, { cause: error });
  }
}
