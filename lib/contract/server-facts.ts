/**
 * Where each product version of a cloud assembly lives, for the `servers` of its ODCS lock: the names the
 * constructs recorded in the manifest, and the account and region of the product's stack when the stack
 * has an explicit environment (`aws://<account>/<region>` in the assembly's manifest.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OdcsServerFacts } from '../../constructs/contract/odcs';
import type { ContractSpec } from '../../constructs/contract/types';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { dataBucketName, productId } from '../../constructs/naming/naming';

interface AssemblyArtifacts {
  readonly artifacts?: Record<string, { readonly type: string; readonly environment?: string; readonly properties?: { readonly stackName?: string } }>;
}

/** `{ account, region }` of each stack name in the assembly (only the parts that are not `unknown-…`). */
export function stackEnvironments(assemblyDir: string): Map<string, { account?: string; region?: string }> {
  const file = path.join(assemblyDir, 'manifest.json');
  const environments = new Map<string, { account?: string; region?: string }>();
  if (!fs.existsSync(file)) return environments;
  const assembly = JSON.parse(fs.readFileSync(file, 'utf8')) as AssemblyArtifacts;
  for (const [id, artifact] of Object.entries(assembly.artifacts ?? {})) {
    const match = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
    if (artifact.type !== 'aws:cloudformation:stack' || match === null) continue;
    const known = (value: string) => (value.startsWith('unknown-') ? undefined : value);
    const account = known(match[1]);
    const region = known(match[2]);
    environments.set(artifact.properties?.stackName ?? id, { ...(account !== undefined && { account }), ...(region !== undefined && { region }) });
  }
  return environments;
}

/** A lookup of the server facts of each product version of `products`. */
export function serverFacts(products: readonly ProductEntry[], assemblyDir: string): (spec: ContractSpec) => OdcsServerFacts | undefined {
  const environments = stackEnvironments(assemblyDir);
  const byId = new Map(products.map((product) => [product.id, product]));
  return (spec) => {
    const product = byId.get(productId(spec.domain, spec.name, spec.version));
    if (product === undefined) return undefined;
    const { account, region } = environments.get(product.stackName) ?? {};
    return {
      streamName: product.physical.streamName,
      databaseName: product.physical.databaseName,
      tableName: product.physical.tableName,
      dataPrefix: product.physical.dataPrefix,
      ...(account !== undefined && { account }),
      ...(region !== undefined && { region }),
      ...(account !== undefined && region !== undefined && { bucketName: dataBucketName(product.mesh, spec.domain, account, region) }),
    };
  };
}
