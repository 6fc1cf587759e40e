#!/usr/bin/env node
// The `mesh` CLI. The sources are TypeScript; tsx loads them without a build step.
require('tsx/cjs');
require('./mesh.ts');
