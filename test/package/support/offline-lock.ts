/**
 * A package-lock.json for an app made by `mesh init`, cut out of this repository's own lock file, so that
 * `npm ci --offline` installs the app from the npm cache `npm ci` filled here: the app's dependencies (and
 * the packed cdk-data-mesh's) are locked at exactly the versions this repository is tested with. A package
 * the app needs that is not in this repository's lock file fails the cut, with its name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly [key: string]: unknown;
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface OfflineLockOptions {
  /** The app's directory (its package.json is read). */
  readonly appDir: string;
  /** The packed library: its path relative to the app, and its own package.json. */
  readonly tarball: string;
  /** Packages of the app taken from another entry of this repository's lock, e.g. `{ typescript: 'typescript5' }`. */
  readonly aliases?: Readonly<Record<string, string>>;
}

export function writeOfflineLock(options: OfflineLockOptions): void {
  const repoLock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const library = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest & LockEntry;
  const app = JSON.parse(fs.readFileSync(path.join(options.appDir, 'package.json'), 'utf8')) as Manifest;
  const aliases = options.aliases ?? {};
  const repoEntries = repoLock.packages;
  const packages: Record<string, LockEntry> = {};

  /** The entry npm would resolve `name` to from the package at `from` (node_modules folders upwards). */
  const resolve = (name: string, from: string): string | undefined => {
    for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
      if (repoEntries[candidate] !== undefined) return candidate;
      if (dir === '') return undefined;
    }
  };

  const visit = (at: string, entry: LockEntry): void => {
    if (packages[at] !== undefined) return;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
    packages[at] = kept;
    const required = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const [peer] of Object.entries(entry.peerDependencies ?? {})) {
      if (entry.peerDependenciesMeta?.[peer]?.optional !== true) required[peer] = '*';
    }
    for (const [name, spec] of Object.entries(required)) {
      const found = resolve(name, at === '' ? '' : at);
      if (found === undefined) {
        if (entry.optionalDependencies?.[name] !== undefined) continue;
        throw new Error(`${at || 'the app'} needs ${name}@${spec}, which is not in this repository's package-lock.json: add it (a devDependency) so the offline install can find it.`);
      }
      visit(found, repoEntries[found]);
    }
  };

  // The app's own packages first (top level), so that an aliased one (TypeScript 5) is the one others resolve to.
  for (const [name] of Object.entries({ ...app.dependencies, ...app.devDependencies })) {
    if (name === 'cdk-data-mesh') continue;
    const source = `node_modules/${aliases[name] ?? name}`;
    const entry = repoEntries[source];
    if (entry === undefined) throw new Error(`The app's ${name} is not in this repository's package-lock.json: add it (a devDependency).`);
    if (aliases[name] === undefined) {
      visit(`node_modules/${name}`, entry);
    } else {
      // In this repository the entry is an npm alias (`typescript5` → typescript@5); in the app it is the package itself.
      const { name: _aliasOf, ...rest } = entry;
      visit(`node_modules/${name}`, rest);
    }
  }

  // The library itself, from the tarball, with the dependencies its published package.json declares.
  packages['node_modules/cdk-data-mesh'] = {
    version: library.version,
    resolved: `file:${options.tarball}`,
    license: library.license as string,
    dependencies: library.dependencies,
    peerDependencies: library.peerDependencies,
    peerDependenciesMeta: library.peerDependenciesMeta,
    bin: { mesh: 'bin/mesh.js' },
    engines: library.engines,
  };
  for (const name of Object.keys(library.dependencies ?? {})) {
    const found = resolve(name, '');
    if (found === undefined) throw new Error(`cdk-data-mesh's dependency ${name} is not in package-lock.json.`);
    visit(found, repoEntries[found]);
  }
  const lock = {
    name: app.name,
    version: app.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: app.name, version: app.version, dependencies: app.dependencies, devDependencies: app.devDependencies },
      ...Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
  fs.writeFileSync(path.join(options.appDir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
}
