import type { Contract } from '../../constructs/contract/contract';
import { contractToOdcs } from '../../constructs/contract/odcs';
import { dataPrefix, databaseName, streamName, tableName } from '../../constructs/naming/naming';

/**
 * The lock file (`mesh contract lock`) of the contract `exportName` that the TypeScript module `source` (a
 * scaffold's lib/contracts.ts, importing `cdk-data-mesh`) exports. The module itself is run, so the lock is
 * the one `mesh contract lock` writes after the app's first synth.
 */
export async function contractLock(source: string, exportName: string, meshName: string): Promise<string> {
  // The library the scaffold imports as `cdk-data-mesh`: this package's own entry (sources or dist/).
  // Loaded on `mesh init` only: every other command starts without the constructs. Node's import() of the
  // compiled CommonJS gives module.exports as `default`; the sources' loaders give the named exports.
  const loaded = (await import('../../constructs/index.js')) as { default?: unknown };
  const library = loaded.default ?? loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const { code } = esbuild.transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20' });
  const module = { exports: {} as Record<string, unknown> };
  const load = (id: string): unknown => {
    if (id !== 'cdk-data-mesh') throw new Error(`The scaffold's contracts module imports ${id}; it may import cdk-data-mesh only.`);
    return library;
  };
  new Function('require', 'module', 'exports', code)(load, module, module.exports);
  const contract = module.exports[exportName] as Contract | undefined;
  if (contract === undefined) throw new Error(`The scaffold's contracts module exports no ${exportName}.`);

  // What `mesh contract lock` writes for it (lib/contract/lock.ts), with the servers of an environment-agnostic
  // stack: the product's names by the mesh's convention (lib/contract/server-facts.ts), no account or region.
  const { domain, name, version } = contract.spec;
  const servers = {
    streamName: streamName({ mesh: meshName, domain, product: name, version }),
    databaseName: databaseName(domain),
    tableName: tableName(name, version),
    dataPrefix: dataPrefix(name, version),
  };
  return contractToOdcs(contract.spec, { servers });
}
