/**
 * What every scaffolded CDK app shares (`mesh init domain`, `mesh init platform`): the shape of today's
 * `cdk init app --language typescript` (TypeScript, NodeNext, tsx) with cdk-data-mesh, the compliance
 * scanners, the library's tested aws-cdk-lib and constructs, and the type check without `skipLibCheck`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** File path (relative, `/`-separated) → content. */
export type AppFiles = Record<string, string>;

export interface AppOptions {
  /** The npm package name of the app, e.g. `orders-data-products`. */
  readonly packageName: string;
  /** The mesh's name (`cdk-data-mesh:meshName` context): the same in every app of the mesh. */
  readonly meshName: string;
  /** How the app depends on cdk-data-mesh, e.g. `^0.1.0` or `file:../cdk-data-mesh-0.1.0.tgz`. */
  readonly library: string;
}

interface LibraryManifest {
  readonly version: string;
  readonly devDependencies: Record<string, string>;
}

/** This package's manifest (two levels up from lib/init, in the sources and in dist/). */
function libraryManifest(): LibraryManifest {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as LibraryManifest & { name: string };
      if (manifest.name === 'cdk-data-mesh') return manifest;
    }
  }
  throw new Error(`Cannot find the cdk-data-mesh package.json above ${__dirname}.`);
}

/** The dependency spec `mesh init` writes by default: the version of the CLI that scaffolds. */
export function defaultLibrarySpec(): string {
  return `^${libraryManifest().version}`;
}

/** The versions the library is tested with (its devDependencies), for the packages a scaffolded app installs. */
function testedVersion(name: string): string {
  const version = libraryManifest().devDependencies[name];
  if (version === undefined) throw new Error(`cdk-data-mesh's package.json has no devDependency ${name} to pin the scaffold to.`);
  return version;
}

export function packageJson(options: AppOptions, scripts: Record<string, string>): string {
  const manifest = {
    name: options.packageName,
    version: '0.1.0',
    private: true,
    scripts: {
      build: 'tsc',
      test: 'tsx --test test/*.test.ts',
      synth: 'cdk synth --no-notices',
      ...scripts,
    },
    dependencies: {
      'aws-cdk-lib': testedVersion('aws-cdk-lib'),
      'cdk-data-mesh': options.library,
      constructs: testedVersion('constructs'),
    },
    devDependencies: {
      '@cdklabs/cdk-validator-cfnguard': testedVersion('@cdklabs/cdk-validator-cfnguard'),
      '@types/node': testedVersion('@types/node'),
      'aws-cdk': testedVersion('aws-cdk'),
      'cdk-nag': testedVersion('cdk-nag'),
      tsx: testedVersion('tsx'),
      typescript: testedVersion('typescript'),
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * cdk.json: the app command, aws-cdk-lib's recommended feature flags (what `cdk init` writes), CloudFormation
 * Validate findings as errors, and the mesh name.
 */
export function cdkJson(options: AppOptions): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const recommended = require('aws-cdk-lib/recommended-feature-flags.json') as Record<string, unknown>;
  const config = {
    app: 'npx tsx bin/app.ts',
    watch: { include: ['**'], exclude: ['README.md', 'cdk*.json', '**/*.d.ts', '**/*.js', 'tsconfig.json', 'package*.json', 'node_modules', 'test'] },
    context: { ...recommended, '@aws-cdk/core:strictCfnValidateErrors': true, 'cdk-data-mesh:meshName': options.meshName },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** tsconfig.json of `cdk init app --language typescript`, with the libraries' declarations checked too. */
export const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['es2022'],
      strict: true,
      noImplicitReturns: true,
      noEmit: true,
      isolatedModules: true,
      skipLibCheck: false,
      types: ['node'],
    },
    exclude: ['node_modules', 'cdk.out'],
  },
  null,
  2,
)}\n`;

export const GITIGNORE = ['node_modules/', 'cdk.out/', '.mesh/', '*.tsbuildinfo', ''].join('\n');

/** The app's bin/app.ts: compliance scans (switched off by MESH_COMPLIANCE=off), then `build(app)`. */
export function appEntry(imports: string, body: string): string {
  return `#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addComplianceChecks, complianceEnabled } from 'cdk-data-mesh';
${imports}

// CloudFormation Validate, cdk-nag AwsSolutions and the Control Tower controls: an unacknowledged finding stops
// the synth. MESH_COMPLIANCE=off (or -c cdk-data-mesh:compliance=off) skips them for a fast local loop.
const app = new App({ builtinCloudFormationValidation: complianceEnabled() });
addComplianceChecks(app);
${body}
app.synth();
`;
}

/** Throws unless `dir` is new or empty: a scaffold never overwrites a file. */
export function checkNewDir(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new Error(`${dir} is not empty: mesh init writes a new app; pass an empty or new directory with --dir.`);
  }
}

/** Writes `files` under `dir` (see checkNewDir). */
export function writeApp(dir: string, files: AppFiles): string[] {
  checkNewDir(dir);
  const written = Object.keys(files).sort();
  for (const file of written) {
    const target = path.join(dir, ...file.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, files[file]);
  }
  return written;
}
