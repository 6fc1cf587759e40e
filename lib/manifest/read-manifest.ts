import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MANIFEST_METADATA_TYPE,
  type ConsumerEntry,
  type GovernanceEntry,
  type GrantEntry,
  type ManifestEntry,
  type MeshManifest,
  type ProductEntry,
} from '../../constructs/manifest/manifest';

interface AssemblyManifest {
  readonly artifacts?: Record<
    string,
    {
      readonly type: string;
      readonly metadata?: Record<string, ReadonlyArray<{ readonly type: string; readonly data?: unknown }>>;
      /** Newer aws-cdk-lib versions write a stack's metadata to this file (relative to the assembly) instead. */
      readonly additionalMetadataFile?: string;
    }
  >;
}

/** Collects the manifest entries the constructs recorded, from a cloud assembly directory (default `cdk.out`). */
export function readManifest(assemblyDir = 'cdk.out'): MeshManifest {
  const file = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new Error(
      `No cloud assembly at "${path.resolve(assemblyDir)}": run \`npx cdk synth --no-notices\` first (or pass --assembly <dir>).`,
    );
  }
  const assembly = JSON.parse(fs.readFileSync(file, 'utf8')) as AssemblyManifest;
  const entries: ManifestEntry[] = [];
  for (const [artifactId, artifact] of Object.entries(assembly.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly') {
      // Nested assemblies (CDK stages) keep their own manifest in a sub-directory named after the artifact.
      const nested = readManifest(path.join(assemblyDir, (artifact as { properties?: { directoryName?: string } }).properties?.directoryName ?? artifactId));
      entries.push(...nested.products, ...nested.consumers, ...nested.grants, ...nested.governance);
      continue;
    }
    const extra = artifact.additionalMetadataFile === undefined ? {} : JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.additionalMetadataFile), 'utf8'));
    for (const records of Object.values({ ...artifact.metadata, ...extra } as NonNullable<typeof artifact.metadata>)) {
      for (const record of records) {
        if (record.type === MANIFEST_METADATA_TYPE) entries.push(record.data as ManifestEntry);
      }
    }
  }
  return manifestOf(entries);
}

/** Groups entries by kind, sorted by id/name so every tool sees the mesh in the same order. */
export function manifestOf(entries: readonly ManifestEntry[]): MeshManifest {
  const byKind = <K extends ManifestEntry['kind']>(kind: K) =>
    entries.filter((entry): entry is Extract<ManifestEntry, { kind: K }> => entry.kind === kind);
  return {
    products: byKind('product').sort((a: ProductEntry, b: ProductEntry) => a.id.localeCompare(b.id)),
    consumers: byKind('consumer').sort((a: ConsumerEntry, b: ConsumerEntry) => a.name.localeCompare(b.name)),
    grants: byKind('grant').sort(
      (a: GrantEntry, b: GrantEntry) => a.product.localeCompare(b.product) || a.consumer.localeCompare(b.consumer),
    ),
    governance: byKind('governance').sort((a: GovernanceEntry, b: GovernanceEntry) => a.path.localeCompare(b.path)),
  };
}

/** Finds a product by id (`orders.order_placed.v1`) or by Athena name (`orders.order_placed_v1`). */
export function findProduct(manifest: MeshManifest, name: string): ProductEntry {
  const product = manifest.products.find(
    (p) => p.id === name || `${p.physical.databaseName}.${p.physical.tableName}` === name,
  );
  if (product === undefined) {
    const known = manifest.products.map((p) => p.id).join(', ') || '(none)';
    throw new Error(`No product "${name}" in the mesh. Known products: ${known}.`);
  }
  return product;
}
