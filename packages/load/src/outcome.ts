// What one request of a load run comes to, and how outcomes are tallied.

/** An HTTP status, or why there was none. */
export type Outcome = number | 'network-error' | 'timeout' | 'aborted';

export type SendRequest = (signal: AbortSignal) => Promise<Outcome>;

export function isSuccess(outcome: Outcome): boolean {
  return typeof outcome === 'number' && outcome >= 200 && outcome < 300;
}

/** Outcome counts as a record ordered by outcome ("201", "429", "network-error", ...), numbers numerically. */
export function outcomeCounts(entries: Iterable<[Outcome, number]>): Record<string, number> {
  return Object.fromEntries([...entries].sort(([a], [b]) => String(a).localeCompare(String(b), 'en', { numeric: true })).map(([k, v]) => [String(k), v]));
}
