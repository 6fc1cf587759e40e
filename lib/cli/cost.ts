/**
 * `mesh cost [--events-per-second N --event-bytes N] [--product id] [--details] [--json] [--prices file]`:
 * monthly cost estimate per product and in total (see lib/cost/estimate.ts).
 */
import * as path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { estimateMeshCost, type CostAssumptions, type MeshCost } from '../cost/estimate';
import { formatMeshCost } from '../cost/format';
import { DEFAULT_PRICE_TABLE, loadPriceTable } from '../cost/prices';
import { readManifest } from '../manifest/read-manifest';

export interface CostCommandOptions {
  readonly assembly: string;
  readonly eventsPerSecond?: number;
  readonly eventBytes?: number;
  readonly product?: string[];
  readonly prices?: string;
  readonly details?: boolean;
  readonly json?: boolean;
  readonly queryRunsPerDay?: number;
  readonly bufferSeconds?: number;
}

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number > 0, got "${value}".`);
  return n;
};
const nonNegative = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number >= 0, got "${value}".`);
  return n;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  program
    .command('cost')
    .description('Estimate the monthly AWS cost of each data product and of the mesh, from declared volume.')
    .option('--events-per-second <n>', 'events per second, instead of each product\'s declared volume', positive('--events-per-second'))
    .option('--event-bytes <n>', 'mean event size in bytes, instead of each product\'s declared volume', positive('--event-bytes'))
    .option('-p, --product <id>', 'only this product (repeatable)', collect)
    .option('--prices <file>', 'price table', path.relative(process.cwd(), DEFAULT_PRICE_TABLE))
    .option('--query-runs-per-day <n>', 'runs per day of each example query (default 10)', nonNegative('--query-runs-per-day'))
    .option('--buffer-seconds <n>', 'Firehose buffering interval in seconds (default 300)', positive('--buffer-seconds'))
    .option('--details', 'print every priced item')
    .option('--json', 'print the estimate as JSON')
    .action(function (this: Command) {
      const options = this.optsWithGlobals<CostCommandOptions>();
      const cost = runCost(options);
      console.log(options.json ? JSON.stringify(cost, null, 2) : formatMeshCost(cost, { priceFile: options.prices ?? DEFAULT_PRICE_TABLE, details: options.details ?? false }));
    });
}

export function runCost(options: CostCommandOptions): MeshCost {
  const prices = loadPriceTable(options.prices ?? DEFAULT_PRICE_TABLE);
  const manifest = readManifest(options.assembly);
  const assumptions: Partial<CostAssumptions> = {
    ...(options.queryRunsPerDay !== undefined && { exampleQueryRunsPerDay: options.queryRunsPerDay }),
    ...(options.bufferSeconds !== undefined && { firehoseBufferSeconds: options.bufferSeconds }),
  };
  return estimateMeshCost(manifest, prices, {
    volume: {
      ...(options.eventsPerSecond !== undefined && { eventsPerSecond: options.eventsPerSecond }),
      ...(options.eventBytes !== undefined && { meanEventBytes: options.eventBytes }),
    },
    ...(options.product !== undefined && { products: options.product }),
    assumptions,
  });
}
