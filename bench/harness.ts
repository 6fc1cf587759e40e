/**
 * The benchmark harness contract. A suite is a module under `bench/suites/<name>.ts` whose default export
 * (or `run` export) is an async function returning named figures:
 *
 * ```ts
 * import { figure, type SuiteFigures } from '../harness';
 * export default async function run(): Promise<SuiteFigures> {
 *   return { synth_scaling_ratio: figure(1.08, { target: '<= 1.3', ok: (v) => v <= 1.3, unit: 'ratio' }) };
 * }
 * ```
 *
 * `bench/run.ts` runs each suite in its own Node process (no JIT or heap state leaks between suites),
 * prints one table and, with `--json <file>`, writes every figure under its name as a top-level key.
 * Suites write progress to stderr (stdout is kept for the suite's own output and captured to a log).
 */

/** One measured figure. */
export interface Figure {
  readonly value: number;
  /** e.g. `ratio`, `ms`, `KB`, `MB`, `records/s`. */
  readonly unit?: string;
  /** Human-readable target, e.g. `>= 0.70`. */
  readonly target?: string;
  /** Whether the target is met (absent when the figure has no target). */
  readonly ok?: boolean;
  /** One line on what was measured. */
  readonly note?: string;
}

/** What a suite returns: figure names (snake_case, unique across suites) to figures. */
export type SuiteFigures = Record<string, Figure>;

export type Suite = () => Promise<SuiteFigures>;

/** Builds a figure; `ok` is computed from the value when a predicate is given. */
export function figure(
  value: number,
  options: { unit?: string; target?: string; ok?: (value: number) => boolean; note?: string } = {},
): Figure {
  return {
    value,
    ...(options.unit !== undefined && { unit: options.unit }),
    ...(options.target !== undefined && { target: options.target }),
    ...(options.ok !== undefined && { ok: options.ok(value) }),
    ...(options.note !== undefined && { note: options.note }),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds for display and JSON (figures carry no false precision). */
export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Progress for people watching the run (stderr; stdout is captured). */
export function progress(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}
