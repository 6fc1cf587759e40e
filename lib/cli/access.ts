/**
 * `mesh access [--json] [--details] [--app <dir>]`: who can read what, from the cloud assembly (see
 * lib/access/access.ts). Exits 1 when a path reaches a PII column without a reason, or when a resource could
 * not be read (the report then cannot prove there is none).
 */
import type { Command } from 'commander';
import { accessReport, violations, type AccessReport } from '../access/access';
import { formatAccessReport } from '../access/format';

export interface AccessCommandOptions {
  readonly assembly: string;
  readonly app?: string;
  readonly json?: boolean;
  readonly details?: boolean;
}

export function register(program: Command): void {
  program
    .command('access')
    .description('Report who can read which product, by which path (Lake Formation, Kinesis, S3, KMS), and the reason for each PII column.')
    .option('--app <dir>', 'cloud assembly to read (same as the global --assembly)')
    .option('--json', 'print the report as JSON')
    .option('--details', 'print the statements and grants behind every row')
    .action(function (this: Command) {
      const options = this.optsWithGlobals<AccessCommandOptions>();
      const { output, exitCode } = runAccess(options);
      console.log(output);
      if (exitCode !== 0) process.exitCode = exitCode;
    });
}

/**
 * The report, what the command prints, and its exit code: 1 when a PII column is reachable without a reason or
 * when a resource could not be read.
 */
export function runAccess(options: AccessCommandOptions): { report: AccessReport; output: string; exitCode: number } {
  const report = accessReport(options.app ?? options.assembly);
  const holes = violations(report);
  const output = options.json
    ? JSON.stringify({ origin: report.origin, violations: holes.length, unreadable: report.unreadable, products: report.products, rows: report.rows }, null, 2)
    : formatAccessReport(report, { details: options.details ?? false });
  return { report, output, exitCode: holes.length > 0 || report.unreadable.length > 0 ? 1 : 0 };
}
