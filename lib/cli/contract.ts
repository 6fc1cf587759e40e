/**
 * `mesh contract lock` and `mesh contract check`: the contract lock files and the breaking-change gate
 * (see lib/contract/lock.ts). Both read the mesh from the cloud assembly given by `--assembly`.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { Contract } from '../../constructs/contract/contract';
import type { OdcsImportOptions } from '../../constructs/contract/types';
import { checkLocks, DEFAULT_LOCK_DIR, writeLocks, type CheckReport, type LockResult } from '../contract/lock';
import { contractModule } from '../contract/module';
import { serverFacts } from '../contract/server-facts';
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

function serversOf(assembly: string) {
  return serverFacts(readManifest(assembly).products, assembly);
}

/** `mesh contract check`: exit 1 when any product version has a breaking difference from its lock. */
export function runContractCheck(options: ContractCommandOptions): CommandOutcome<CheckReport> {
  const report = checkLocks(contractsOf(options.assembly), options.dir ?? DEFAULT_LOCK_DIR, {
    servers: serversOf(options.assembly),
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
    servers: serversOf(options.assembly),
    ...(options.now !== undefined && { now: options.now }),
  });
  return {
    result,
    output: options.json === true ? JSON.stringify(result, null, 2) : formatLock(result),
    exitCode: result.refused.length > 0 ? 1 : 0,
  };
}

export interface ContractImportCommandOptions {
  /** Write the module here. @default - print it */
  readonly out?: string;
  /** JSON file of import options (`OdcsImportOptions`); the flags below win over it. */
  readonly options?: string;
  readonly schema?: string;
  readonly name?: string;
  readonly domain?: string;
  readonly version?: string;
  readonly ownerTeam?: string;
  readonly ownerContact?: string;
  readonly partitionBy?: string;
  readonly columnNames?: 'snake_case';
  /** @default 'cdk-data-mesh' */
  readonly importFrom?: string;
}

/** The import options of `mesh contract import`: the `--options` file, then the flags. */
export function importOptionsOf(options: ContractImportCommandOptions): OdcsImportOptions {
  const fromFile = options.options === undefined ? {} : (JSON.parse(fs.readFileSync(options.options, 'utf8')) as OdcsImportOptions);
  const owner = {
    ...fromFile.owner,
    ...(options.ownerTeam !== undefined && { team: options.ownerTeam }),
    ...(options.ownerContact !== undefined && { contact: options.ownerContact }),
  };
  return {
    ...fromFile,
    ...(options.schema !== undefined && { schema: options.schema }),
    ...(options.name !== undefined && { name: options.name }),
    ...(options.domain !== undefined && { domain: options.domain }),
    ...(options.version !== undefined && { version: Number(options.version) }),
    ...(Object.keys(owner).length > 0 && { owner }),
    ...(options.partitionBy !== undefined && { partitionBy: { ...fromFile.partitionBy, column: options.partitionBy } }),
    ...(options.columnNames !== undefined && { columnNames: options.columnNames }),
  };
}

/** `mesh contract import <file>`: the TypeScript contract module of an ODCS document (refusals list every missing item). */
export function runContractImport(file: string, options: ContractImportCommandOptions): CommandOutcome<Contract> {
  const contract = Contract.fromOdcsFile(file, importOptionsOf(options));
  const module = contractModule(contract, { sourceFile: file, ...(options.importFrom !== undefined && { importFrom: options.importFrom }) });
  if (options.out === undefined) return { result: contract, output: module, exitCode: 0 };
  fs.writeFileSync(options.out, module);
  return { result: contract, output: `Wrote ${options.out}: ${contract.id}, ${Object.keys(contract.spec.columns).length} columns.`, exitCode: 0 };
}

function print(outcome: CommandOutcome<unknown>): void {
  console.log(outcome.output);
  if (outcome.exitCode !== 0) process.exitCode = outcome.exitCode;
}

export function register(program: Command): void {
  const contract = program
    .command('contract')
    .description('ODCS import, contract lock files (contracts/<domain>.<product>.v<major>.odcs.yaml) and the breaking-change check.');

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
    .command('import <file>')
    .description('Write the TypeScript contract module of an ODCS v3.x document (options supply what the mesh needs and the document lacks).')
    .option('--out <file>', 'write the module to this file (default: print it)')
    .option('--options <json>', 'JSON file of import options (schema, name, domain, version, owner, partitionBy, columnNames, columnDescriptions, columnTypes, classifications, addColumns)')
    .option('--schema <name>', 'the schema object that is the product table (documents with several)')
    .option('--name <name>', 'product name (snake_case), when the document has none or another')
    .option('--domain <domain>', 'owning domain, when the document has none')
    .option('--version <major>', 'major version, when the document\'s is not ≥ 1.0.0')
    .option('--owner-team <team>', 'owning team, when the document has no team.name')
    .option('--owner-contact <email>', 'owner e-mail, when no current member with role owner has one')
    .option('--partition-by <column>', 'the date or timestamp column to partition by')
    .option('--column-names <rule>', 'derive column names from property names that are not snake_case (snake_case)')
    .option('--import-from <module>', 'where the module imports Contract and col from', 'cdk-data-mesh')
    .action(function (this: Command, file: string) {
      print(runContractImport(file, this.opts<ContractImportCommandOptions>()));
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
