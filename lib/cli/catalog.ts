/**
 * `mesh catalog --out <dir> [--live]`: writes the static catalog site of the mesh (see lib/catalog/site.ts), with
 * the access page (`mesh access`) when it is built from the cloud assembly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { accessReport } from '../access/access';
import { catalogFromAws } from '../catalog/live';
import { catalogFromManifest, type CatalogModel } from '../catalog/model';
import { writeCatalogSite } from '../catalog/site';
import { readManifest } from '../manifest/read-manifest';
import { withResults } from '../catalog/quality';
import { readLocalResults, resultsFile } from '../quality/run-local';

/** `.mesh/lake`, as `mesh dev` and `mesh test` default it (not imported: the catalog must not load the local mode). */
const DEFAULT_LAKE_DIR = path.join('.mesh', 'lake');

export interface CatalogCommandOptions {
  readonly out: string;
  readonly live?: boolean;
  readonly region?: string;
  readonly databases?: string;
  readonly assembly: string;
  /** The local lake whose latest `mesh test` results the product pages show. @default DEFAULT_LAKE_DIR */
  readonly lake?: string;
}

export function register(program: Command): void {
  program
    .command('catalog')
    .description('Write the static catalog site (index, one page per product, lineage graph) of the mesh.')
    .option('-o, --out <dir>', 'directory to write the site to', 'site')
    .option('--live', 'read the mesh from the AWS account (Glue, Lake Formation) instead of the cloud assembly')
    .option('--region <region>', 'AWS region for --live (default: from the AWS environment)')
    .option('--lake <dir>', 'local lake whose latest `mesh test` results the product pages show', DEFAULT_LAKE_DIR)
    .option('--databases <names>', 'comma-separated Glue databases for --live (default: values of the "domain" LF-Tag)')
    .action(async function (this: Command) {
      const options = this.optsWithGlobals<CatalogCommandOptions>();
      const result = await runCatalog(options);
      const shown = path.relative(process.cwd(), result.index);
      console.log(
        `Catalog of ${result.model.products.length} products and ${result.model.consumers.length} consumers written to ${shown.startsWith('..') ? result.index : shown}`,
      );
    });
}

export async function runCatalog(options: CatalogCommandOptions): Promise<{ model: CatalogModel; index: string; accessPage?: string }> {
  const built = options.live ? await liveModel(options) : catalogFromManifest(readManifest(options.assembly), `the cloud assembly ${options.assembly}`);
  const model = options.live ? built : withLocalQuality(built, options.lake ?? DEFAULT_LAKE_DIR);
  // Who can read what is computed from the templates, so only a site built from the cloud assembly has it.
  const site = await writeCatalogSite(model, options.out, options.live ? undefined : accessReport(options.assembly));
  return { model, index: site.index, ...(site.accessPage !== undefined && { accessPage: site.accessPage }) };
}

/** The model with the latest local `mesh test` results on its rules (none when `mesh test` has not run). */
function withLocalQuality(model: CatalogModel, lake: string): CatalogModel {
  const file = resultsFile(lake);
  if (!fs.existsSync(file)) return model;
  const { checkedAt } = JSON.parse(fs.readFileSync(file, 'utf8')) as { checkedAt?: string };
  return { ...model, products: withResults(model.products, readLocalResults(lake), `mesh test on the local lake, ${checkedAt ?? 'time unknown'}`) };
}

async function liveModel(options: CatalogCommandOptions): Promise<CatalogModel> {
  // Loaded only for --live, so the offline path never needs the SDK clients.
  const { GlueClient } = await import('@aws-sdk/client-glue');
  const { LakeFormationClient } = await import('@aws-sdk/client-lakeformation');
  const config = options.region === undefined ? {} : { region: options.region };
  const databases = options.databases?.split(',').map((d) => d.trim()).filter((d) => d !== '');
  try {
    return await catalogFromAws({
      glue: new GlueClient(config),
      lakeFormation: new LakeFormationClient(config),
      ...(databases !== undefined && { databases }),
      origin: `the AWS account${options.region === undefined ? '' : ` (${options.region})`}, read live`,
    });
  } catch (error) {
    if ((error as Error).name === 'CredentialsProviderError') {
      throw new Error(
        `mesh catalog --live needs AWS credentials for the account to read (${(error as Error).message}): set AWS_PROFILE or ` +
          'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run without --live to read the cloud assembly.',
      );
    }
    throw error;
  }
}
