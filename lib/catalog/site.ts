/**
 * `mesh catalog`: writes the static catalog site of a mesh to a directory:
 *
 *   index.html                  products (search and filters), domains, consumers, lineage graph (SVG)
 *   products/<product id>.html  one page per product version
 *   lineage.svg                 the lineage graph on its own
 *
 * Every page opens from disk (file://), loads nothing from the network and escapes all text it shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pageFileName } from './html';
import { renderLineageSvg } from './lineage';
import type { CatalogModel } from './model';
import { GENERATOR, indexPage, productPage } from './private/pages';

export interface CatalogSiteResult {
  readonly outDir: string;
  readonly index: string;
  readonly productPages: readonly string[];
  readonly lineageSvg: string;
}

export async function writeCatalogSite(model: CatalogModel, outDir: string): Promise<CatalogSiteResult> {
  const out = path.resolve(outDir);
  const productsDir = path.join(out, 'products');
  fs.mkdirSync(productsDir, { recursive: true });
  removeStalePages(out, new Set(model.products.map((p) => pageFileName(p.id))));

  const svg = await renderLineageSvg(model, 'products/');
  const index = path.join(out, 'index.html');
  fs.writeFileSync(index, indexPage(model, svg));
  const lineageSvg = path.join(out, 'lineage.svg');
  fs.writeFileSync(lineageSvg, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`);
  const productPages = model.products.map((product) => {
    const file = path.join(productsDir, pageFileName(product.id));
    fs.writeFileSync(file, productPage(model, product));
    return file;
  });
  return { outDir: out, index, productPages, lineageSvg };
}

/** Removes product pages of products no longer in the mesh, only in a directory this tool wrote before. */
function removeStalePages(out: string, current: ReadonlySet<string>): void {
  const index = path.join(out, 'index.html');
  if (!fs.existsSync(index) || !fs.readFileSync(index, 'utf8').includes(`content="${GENERATOR}"`)) return;
  const productsDir = path.join(out, 'products');
  for (const file of fs.readdirSync(productsDir)) {
    if (file.endsWith('.html') && !current.has(file)) fs.rmSync(path.join(productsDir, file));
  }
}
