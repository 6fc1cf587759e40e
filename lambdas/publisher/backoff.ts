/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export interface BackoffOptions {
  /** Delay cap for the first retry, in milliseconds. */
  readonly baseDelayMs: number;
  /** Upper bound of any delay, in milliseconds. */
  readonly maxDelayMs: number;
}

/**
 * The delay before retry number `retry` (1 for the first retry): a uniformly random value in
 * `[0, min(maxDelayMs, baseDelayMs * 2^(retry-1)))`. `random` returns a value in [0, 1).
 */
export function fullJitterDelay(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, retry - 1);
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  return Math.floor(random() * cap);
}
