import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * This package's root, the NodejsFunction project root of our runtimes: the first directory above this module
 * with the cdk-data-mesh package.json (the repository from the sources, `node_modules/cdk-data-mesh` from dist/).
 */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'cdk-data-mesh') return dir;
    if (path.dirname(dir) === dir) throw new Error(`Cannot find the cdk-data-mesh package.json above ${from}.`);
  }
}

/** The lock file NodejsFunction needs under the project root (only used to pick the package manager). */
export function lockFile(): string {
  for (const name of ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb']) {
    const candidate = path.join(PACKAGE_ROOT, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.join(PACKAGE_ROOT, 'package.json');
}
