#!/usr/bin/env node
// The `mesh` CLI. In the published package it runs the compiled dist/bin/mesh.js. In a checkout of the
// repository (bin/mesh.ts beside this file) it runs the sources through tsx instead, so it is never stale.
const fs = require('node:fs');
const path = require('node:path');

const sources = path.join(__dirname, 'mesh.ts');
if (fs.existsSync(sources)) {
  // tsx's loader handles require() and import() of the sources (`mesh init` imports the constructs lazily).
  const { spawnSync } = require('node:child_process');
  const { pathToFileURL } = require('node:url');
  const loader = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
  const run = spawnSync(process.execPath, ['--import', loader, sources, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.error) throw run.error;
  process.exitCode = run.status ?? 1;
} else {
  require('../dist/bin/mesh.js');
}
