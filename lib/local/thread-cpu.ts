import * as fs from 'node:fs';

/**
 * CPU time per thread, for the local bench's account of where a run's time goes (`npm run bench -- --only local`):
 * Linux's /proc gives each thread's user and system time, which Node 20 does not (`process.cpuUsage()` is the whole
 * process). The worker threads of the local mode report their TID when they start (`currentThreadTid`); elsewhere
 * than Linux these return undefined and the bench prints the process total only.
 */

/** The calling thread's Linux TID (what `threadCpuSeconds` takes), or undefined where /proc has no `thread-self`. */
export function currentThreadTid(): number | undefined {
  try {
    return Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) the thread `tid` of this process has used, or undefined if /proc cannot tell. */
export function threadCpuSeconds(tid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;
