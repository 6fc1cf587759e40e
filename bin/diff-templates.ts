#!/usr/bin/env node
/**
 * Compares the templates of two cloud assemblies, and the mesh's metadata in them (manifest entries), ignoring
 * asset hashes: proves a refactor leaves the synthesized infrastructure and the mesh manifest unchanged.
 *
 *   npx tsx bin/diff-templates.ts <before cdk.out> <after cdk.out>
 *
 * Exits 1 and prints one line per difference when they differ.
 */
import * as fs from 'node:fs';
import { diffCloudAssemblies, diffMeshMetadata, formatDifferences } from '../lib/reference/template-diff';

const [before, after] = process.argv.slice(2);
if (before === undefined || after === undefined || !fs.existsSync(before) || !fs.existsSync(after)) {
  console.error('Usage: npx tsx bin/diff-templates.ts <before cdk.out> <after cdk.out> (two existing directories)');
  process.exit(2);
}
const differences = [...diffCloudAssemblies(before, after), ...diffMeshMetadata(before, after)];
const count = fs.readdirSync(before).filter((file) => file.endsWith('.template.json')).length;
if (differences.length === 0) {
  console.log(`${count} templates and their mesh metadata (manifest entries) compared: no differences (asset hashes ignored).`);
} else {
  console.log(formatDifferences(differences));
  console.log(`${differences.length} difference(s) in ${new Set(differences.map((d) => d.template)).size} template(s).`);
  process.exit(1);
}
