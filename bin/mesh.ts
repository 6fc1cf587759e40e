#!/usr/bin/env node
/**
 * `mesh`: the command-line tool of cdk-data-mesh. Each command lives in `lib/cli/<command>.ts` and
 * exports `register(program)`.
 */
import { Command } from 'commander';

const program = new Command('mesh')
  .description('Run, inspect and check a cdk-data-mesh app.')
  .option('-a, --assembly <dir>', 'cloud assembly to read the mesh from (run `cdk synth` first)', 'cdk.out')
  .showHelpAfterError();

// Commands register themselves here, one line each.
(require('../lib/cli/catalog') as typeof import('../lib/cli/catalog')).register(program);
(require('../lib/cli/cost') as typeof import('../lib/cli/cost')).register(program);
(require('../lib/cli/contract') as typeof import('../lib/cli/contract')).register(program);
(require('../lib/cli/dev') as typeof import('../lib/cli/dev')).register(program);
(require('../lib/cli/query') as typeof import('../lib/cli/query')).register(program);
(require('../lib/cli/publish') as typeof import('../lib/cli/publish')).register(program);
(require('../lib/cli/access') as typeof import('../lib/cli/access')).register(program);
(require('../lib/cli/replay') as typeof import('../lib/cli/replay')).register(program);
(require('../lib/cli/run') as typeof import('../lib/cli/run')).register(program);
(require('../lib/cli/init') as typeof import('../lib/cli/init')).register(program);
(require('../lib/cli/schedule') as typeof import('../lib/cli/schedule')).register(program);
(require('../lib/cli/test') as typeof import('../lib/cli/test')).register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
