import * as fs from 'node:fs';
import * as path from 'node:path';

/** This package's root (constructs/derived/private → ../../..): the NodejsFunction project root of our runtimes. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The lock file NodejsFunction needs under the project root (only used to pick the package manager). */
export function lockFile(): string {
  for (const name of ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb']) {
    const candidate = path.join(PACKAGE_ROOT, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.join(PACKAGE_ROOT, 'package.json');
}
