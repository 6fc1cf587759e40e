/**
 * `mesh contract lock` and `mesh contract check`: the contract lock files and the breaking-change gate
 * (see lib/contract/lock.ts). Both read the mesh from the cloud assembly given by `--assembly`.
 */
import type { Command } from 'commander';
import { checkLocks, DEFAULT_LOCK_DIR, writeLocks, type CheckReport, type LockResult } from '../contract/lock';
import { formatCheck, formatLock } from '../contract/report';
import { readManifest } from '../manifest/read-manifest';

export interface ContractCommandOptions {
  /** The cloud assembly directory (global `--assembly`). */
  readonly assembly: string;
  /** @default 'contracts' */
  readonly dir?: string;
  readonly json?: boolean;
  readonly force?: boolean;
  readonly prune?: boolean;
  /** Today (tests); @default - now */
  readonly now?: Date;
}

/** What a command prints and the exit code it ends with. */
export interface CommandOutcome<T> {
  readonly result: T;
  readonly output: string;
  readonly exitCode: 0 | 1;
}

function contractsOf(assembly: string) {
  return readManifest(assembly).products.map((product) => product.contract);
}

/** `mesh contract check`: exit 1 when any product version has a breaking difference from its lock. */
export function runContractCheck(options: ContractCommandOptions): CommandOutcome<CheckReport> {
  const report = checkLocks(contractsOf(options.assembly), options.dir ?? DEFAULT_LOCK_DIR, {
    ...(options.now !== undefined && { now: options.now }),
  });
  return {
    result: report,
    output: options.json === true ? JSON.stringify(report, null, 2) : formatCheck(report),
    exitCode: report.breaking ? 1 : 0,
  };
}

/** `mesh contract lock`: exit 1 when a lock was left alone because it would hide a breaking change. */
export function runContractLock(options: ContractCommandOptions): CommandOutcome<LockResult> {
  const result = writeLocks(contractsOf(options.assembly), options.dir ?? DEFAULT_LOCK_DIR, {
    force: options.force ?? false,
    prune: options.prune ?? false,
    ...(options.now !== undefined && { now: options.now }),
  });
  return {
    result,
    output: options.json === true ? JSON.stringify(result, null, 2) : formatLock(result),
    exitCode: result.refused.length > 0 ? 1 : 0,
  };
}

function print(outcome: CommandOutcome<unknown>): void {
  console.log(outcome.output);
  if (outcome.exitCode !== 0) process.exitCode = outcome.exitCode;
}

export function register(program: Command): void {
  const contract = program
    .command('contract')
    .description('Contract lock files (contracts/<domain>.<product>.v<major>.odcs.yaml) and the breaking-change check.');

  contract
    .command('lock')
    .description('Write the ODCS lock file of every product version in the cloud assembly.')
    .option('--dir <dir>', 'directory of the lock files', DEFAULT_LOCK_DIR)
    .option('--prune', 'delete the locks of retired versions (deprecated, removed from the code, sunset passed)')
    .option('--force', 'also overwrite locks with breaking changes (and, with --prune, delete locks of versions removed early)')
    .option('--json', 'print the result as JSON')
    .action(function (this: Command) {
      print(runContractLock(this.optsWithGlobals<ContractCommandOptions>()));
    });

  contract
    .command('check')
    .description('Compare the contracts of the cloud assembly with the lock files; exit 1 on a breaking change.')
    .option('--dir <dir>', 'directory of the lock files', DEFAULT_LOCK_DIR)
    .option('--json', 'print the report as JSON')
    .action(function (this: Command) {
      print(runContractCheck(this.optsWithGlobals<ContractCommandOptions>()));
    });
}
