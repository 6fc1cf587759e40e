import type { MeshManifest, ProductEntry } from '../../constructs/manifest/manifest';
import { findProduct } from '../manifest/read-manifest';

/**
 * Finds a product by id (`orders.order_placed.v1`), Athena name (`orders.order_placed_v1`), or `domain.product`
 * when the mesh has one version of it (with several, the message lists them).
 */
export function resolveProduct(manifest: MeshManifest, name: string): ProductEntry {
  const versions = manifest.products.filter((p) => `${p.contract.domain}.${p.contract.name}` === name);
  if (versions.length === 1) return versions[0];
  if (versions.length > 1) {
    throw new Error(`"${name}" has ${versions.length} versions in the mesh; name one: ${versions.map((p) => p.id).join(', ')}.`);
  }
  return findProduct(manifest, name);
}
