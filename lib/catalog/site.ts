/**
 * `mesh catalog`: writes the static catalog site of a mesh to a directory:
 *
 *   index.html                  products (search and filters), domains, consumers, lineage graph (SVG)
 *   products/<product id>.html  one page per product version
 *   lineage.svg                 the lineage graph on its own
 *   access.html                 who can read what (`mesh access`), when built from a cloud assembly
 *
 * Every page opens from disk (file://), loads nothing from the network and escapes all text it shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pageFileName } from './html';
import { renderLineageSvg } from './lineage';
import type { AccessReport } from '../access/access';
import type { CatalogModel } from './model';
import { accessPage } from './private/access-page';
import { GENERATOR, indexPage, productPage } from './private/pages';

export interface CatalogSiteResult {
  readonly outDir: string;
  readonly index: string;
  readonly productPages: readonly string[];
  readonly lineageSvg: string;
  /** The access page, when the site was given an access report. */
  readonly accessPage?: string;
}

/** @param access the access report of the same mesh, for `access.html` (only a cloud assembly has one) */
export async function writeCatalogSite(model: CatalogModel, outDir: string, access?: AccessReport): Promise<CatalogSiteResult> {
  const out = path.resolve(outDir);
  const productsDir = path.join(out, 'products');
  fs.mkdirSync(productsDir, { recursive: true });
  removeStalePages(out, new Set(model.products.map((p) => pageFileName(p.id))), access !== undefined);

  const svg = await renderLineageSvg(model, 'products/');
  const index = path.join(out, 'index.html');
  fs.writeFileSync(index, indexPage(model, svg, access !== undefined));
  const lineageSvg = path.join(out, 'lineage.svg');
  fs.writeFileSync(lineageSvg, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`);
  const productPages = model.products.map((product) => {
    const file = path.join(productsDir, pageFileName(product.id));
    fs.writeFileSync(file, productPage(model, product, access !== undefined));
    return file;
  });
  if (access === undefined) return { outDir: out, index, productPages, lineageSvg };
  const accessFile = path.join(out, 'access.html');
  fs.writeFileSync(accessFile, accessPage(model, access));
  return { outDir: out, index, productPages, lineageSvg, accessPage: accessFile };
}

/**
 * Removes product pages of products no longer in the mesh, and an access page this run does not write, only
 * in a directory this tool wrote before.
 */
function removeStalePages(out: string, current: ReadonlySet<string>, keepAccessPage: boolean): void {
  const index = path.join(out, 'index.html');
  if (!fs.existsSync(index) || !fs.readFileSync(index, 'utf8').includes(`content="${GENERATOR}"`)) return;
  const productsDir = path.join(out, 'products');
  for (const file of fs.readdirSync(productsDir)) {
    if (file.endsWith('.html') && !current.has(file)) fs.rmSync(path.join(productsDir, file));
  }
  if (!keepAccessPage) fs.rmSync(path.join(out, 'access.html'), { force: true });
}
