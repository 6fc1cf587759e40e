/**
 * `mesh schedule [expression] [--count n] [--from time]`: when a schedule runs. With an expression, checks it as
 * EventBridge Scheduler does and prints its next runs in UTC (or why Scheduler refuses it), evaluated in `--time-zone`
 * (default UTC); without one, prints the schedule and next runs (UTC) of every SQL product of the synthesised app
 * (`--assembly`, default cdk.out), each evaluated in its pipeline's time zone.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { describeNextRuns } from '../../constructs/derived/schedule-runs';
import { readManifest } from '../manifest/read-manifest';

export interface ScheduleCommandOptions {
  readonly assembly: string;
  readonly count?: number;
  readonly from?: Date;
  readonly timeZone?: string;
}

export function register(program: Command): void {
  program
    .command('schedule [expression]')
    .description('Print the next run times (UTC) of a schedule expression, or of every SQL product of the app.')
    .option('-n, --count <n>', 'how many runs (default 3)', (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError(`--count must be a whole number from 1 to 100, got "${value}".`);
      return n;
    })
    .option('--from <time>', 'count from this ISO time instead of now (e.g. 2026-12-03T12:00:00Z)', (value: string) => {
      const time = new Date(value);
      if (Number.isNaN(time.getTime())) throw new InvalidArgumentError(`--from must be an ISO time such as 2026-12-03T12:00:00Z, got "${value}".`);
      return time;
    })
    .option('--time-zone <zone>', 'the IANA time zone the expression is evaluated in (default UTC), e.g. Europe/Berlin')
    .action(function (this: Command, expression: string | undefined) {
      console.log(runSchedule(expression, this.optsWithGlobals<ScheduleCommandOptions>()));
    });
}

/** The command's output; throws (exit code 1) with Scheduler's reason for an invalid expression. */
export function runSchedule(expression: string | undefined, options: ScheduleCommandOptions): string {
  const count = options.count ?? 3;
  const from = options.from ?? new Date();
  if (expression !== undefined) {
    const zone = options.timeZone === undefined ? '' : ` in ${options.timeZone}`;
    return `${expression}${zone} runs next at ${describeNextRuns(expression, count, from, options.timeZone)}.`;
  }
  const products = readManifest(options.assembly).products.filter((product) => product.source?.kind === 'sql');
  if (products.length === 0) return 'The app has no SQL products (nothing runs on a schedule).';
  return products
    .map((product) => {
      const { schedule, timeZone } = product.source?.kind === 'sql' ? product.source : { schedule: '', timeZone: undefined };
      return `${product.id}  ${schedule}${timeZone === undefined ? '' : ` in ${timeZone}`}\n  next runs: ${describeNextRuns(schedule, count, from, timeZone)}`;
    })
    .join('\n');
}
