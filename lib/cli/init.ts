/**
 * `mesh init domain <name>` and `mesh init platform --domains <list>`: new CDK apps of a mesh, each in its own
 * repository (see lib/init/).
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { checkNewDir, defaultLibrarySpec, writeApp } from '../init/app-files';
import { domainApp } from '../init/domain';
import { checkName } from '../init/names';
import { platformApp } from '../init/platform';

export interface InitDomainOptions {
  /** @default 'example_event' */
  readonly product?: string;
  /** @default 'mesh' (the library's default mesh name) */
  readonly mesh?: string;
  /** @default - ./<domain, with - for _> */
  readonly dir?: string;
  /** @default - `^<this CLI's version>` */
  readonly library?: string;
}

export interface InitPlatformOptions {
  readonly domains: string;
  /** @default 'mesh' */
  readonly mesh?: string;
  /** @default - ./<mesh>-platform */
  readonly dir?: string;
  /** @default - `^<this CLI's version>` */
  readonly library?: string;
}

/** Writes the domain app; returns its directory and files. */
export async function runInitDomain(name: string, options: InitDomainOptions = {}): Promise<{ dir: string; files: string[] }> {
  const domain = checkName('The domain name', name, 'orders');
  const product = checkName('--product', options.product ?? 'example_event', 'order_placed');
  const meshName = checkName('--mesh', options.mesh ?? 'mesh', 'shop');
  const dir = path.resolve(options.dir ?? domain.replace(/_/g, '-'));
  checkNewDir(dir);
  const files = await domainApp({
    domain,
    product,
    meshName,
    packageName: `${domain.replace(/_/g, '-')}-data-products`,
    library: options.library ?? defaultLibrarySpec(),
  });
  return { dir, files: writeApp(dir, files) };
}

/** Writes the platform app; returns its directory and files. */
export function runInitPlatform(options: InitPlatformOptions): { dir: string; files: string[] } {
  const meshName = checkName('--mesh', options.mesh ?? 'mesh', 'shop');
  const domains = options.domains
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d.length > 0)
    .map((d) => checkName('--domains entry', d, 'orders'));
  if (domains.length === 0) throw new Error('--domains lists no domain: name the mesh\'s domains, e.g. --domains orders,accounts.');
  const dir = path.resolve(options.dir ?? `${meshName.replace(/_/g, '-')}-platform`);
  const files = platformApp({ meshName, domains, packageName: `${meshName.replace(/_/g, '-')}-platform`, library: options.library ?? defaultLibrarySpec() });
  return { dir, files: writeApp(dir, files) };
}

function report(kind: string, { dir, files }: { dir: string; files: string[] }): void {
  const where = path.relative(process.cwd(), dir) || '.';
  console.log(`Wrote the ${kind} app in ${where}:`);
  for (const file of files) console.log(`  ${file}`);
  console.log(`Next: cd ${where} && npm install && npm test && npx cdk synth --no-notices (see its README.md).`);
}

export function register(program: Command): void {
  const init = program.command('init').description('Start a new CDK app of the mesh: a domain team\'s, or the platform team\'s.');
  const library = ['--library <spec>', 'the cdk-data-mesh dependency to write (a version range, or file:<tarball>)'] as const;
  init
    .command('domain <name>')
    .description('A domain team\'s app: one contract and product, the mesh policies, a consumer grant, a synth test, the contract lock, GitHub workflows.')
    .option('--product <name>', 'the first product (snake_case)', 'example_event')
    .option('--mesh <name>', 'the mesh\'s name, as in the platform app (cdk-data-mesh:meshName)', 'mesh')
    .option('--dir <dir>', 'where to write the app (new or empty)')
    .option(...library)
    .action(async (name: string, options: InitDomainOptions) => report('domain', await runInitDomain(name, options)));
  init
    .command('platform')
    .description('The platform team\'s app: governance (Lake Formation, LF-Tags, policies, deploy roles) and consumers.')
    .requiredOption('--domains <list>', 'the mesh\'s domains, comma-separated (e.g. orders,accounts)')
    .option('--mesh <name>', 'the mesh\'s name (cdk-data-mesh:meshName)', 'mesh')
    .option('--dir <dir>', 'where to write the app (new or empty)')
    .option(...library)
    .action((options: InitPlatformOptions) => report('platform', runInitPlatform(options)));
}
