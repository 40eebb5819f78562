// Retry with a deadline: Jaeger receives spans in batches, seconds after the
// request that made them, so reads right after an order must wait a little.

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/** Calls `probe` until `done` holds or the deadline passes; returns the last value and whether it was done. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, options: PollOptions): Promise<{ value: T; done: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return { value, done: true };
    if (Date.now() >= deadline) return { value, done: false };
    await sleep(Math.min(options.intervalMs ?? 300, Math.max(0, deadline - Date.now())));
  }
}
