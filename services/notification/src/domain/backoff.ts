// Exponential backoff between channel attempts: base, 2x base, 4x base ...
// capped, with jitter so that many consumers retrying at once spread out.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/** Delay before the attempt after `failedAttempt` (1-based): half fixed, half random. */
export function backoffDelay(failedAttempt: number, options: BackoffOptions): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** (failedAttempt - 1));
  return Math.round(exponential / 2 + (options.random ?? Math.random)() * (exponential / 2));
}
