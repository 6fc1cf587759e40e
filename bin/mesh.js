#!/usr/bin/env node
// The `mesh` CLI. In the published package it runs the compiled dist/bin/mesh.js. In a checkout of the
// repository (bin/mesh.ts beside this file) it runs the sources through tsx instead, so it is never stale.
const fs = require('node:fs');
const path = require('node:path');

if (fs.existsSync(path.join(__dirname, 'mesh.ts'))) {
  require('tsx/cjs');
  require('./mesh.ts');
} else {
  require('../dist/bin/mesh.js');
}
