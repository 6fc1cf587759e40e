/**
 * Runs one suite in this (fresh) process and writes its figures as JSON to the file given:
 * `node --import tsx bench/suite-runner.ts <suite file> <result file>`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Suite, SuiteFigures } from './harness';

async function main(): Promise<void> {
  const [suiteFile, resultFile] = process.argv.slice(2);
  if (suiteFile === undefined || resultFile === undefined) {
    throw new Error('Usage: suite-runner.ts <suite file> <result file>');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path.resolve(suiteFile)) as { default?: Suite; run?: Suite };
  const run = module.default ?? module.run;
  if (typeof run !== 'function') {
    throw new Error(`${suiteFile} exports no suite: export default async function run(): Promise<SuiteFigures>.`);
  }
  const figures: SuiteFigures = await run();
  fs.writeFileSync(resultFile, JSON.stringify(figures));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
