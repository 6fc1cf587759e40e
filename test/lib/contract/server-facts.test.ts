import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readManifest } from '../../../lib/manifest/read-manifest';
import { serverFacts } from '../../../lib/contract/server-facts';
import { ORDER_PLACED, spec, tempDir, writeAssembly } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function assemblyWith(environment: string | undefined): string {
  const dir = tempDir('mesh-server-facts');
  dirs.push(dir);
  const assembly = writeAssembly(dir, [spec(ORDER_PLACED)]);
  const file = path.join(assembly, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (environment !== undefined) manifest.artifacts.Mesh.environment = environment;
  fs.writeFileSync(file, JSON.stringify(manifest));
  return assembly;
}

describe('serverFacts', () => {
  it('gives the manifest names, and no account or bucket for an environment-agnostic stack', () => {
    const assembly = assemblyWith('aws://unknown-account/unknown-region');
    const facts = serverFacts(readManifest(assembly).products, assembly)(spec(ORDER_PLACED));
    expect(facts).toEqual({ streamName: 'shop-orders-order_placed-v1', databaseName: 'orders', tableName: 'order_placed_v1', dataPrefix: 'order_placed_v1/' });
  });

  it('adds account, region and the data bucket of a stack with an explicit environment', () => {
    const assembly = assemblyWith('aws://123456789012/eu-west-1');
    const facts = serverFacts(readManifest(assembly).products, assembly)(spec(ORDER_PLACED));
    expect(facts).toMatchObject({ account: '123456789012', region: 'eu-west-1', bucketName: 'shop-orders-data-123456789012-eu-west-1' });
  });

  it('knows nothing of a product that is not in the assembly', () => {
    const assembly = assemblyWith(undefined);
    expect(serverFacts(readManifest(assembly).products, assembly)({ ...spec(ORDER_PLACED), name: 'other' })).toBeUndefined();
  });
});
