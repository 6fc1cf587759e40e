import { streamName } from '../../naming/naming';
import type { IDataProduct } from '../../product/types';

/**
 * Physical names of a derived product's pipeline resources, built on the mesh naming convention:
 * the product's stream name (`<mesh>-<domain>-<product>-v<major>`) plus a suffix.
 */
export function pipelineName(product: IDataProduct, suffix: string): string {
  return `${streamName({ mesh: product.meshName, domain: product.domainName, product: product.productName, version: product.version })}-${suffix}`;
}
