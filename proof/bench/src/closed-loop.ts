// Throughput at a fixed concurrency: N workers, each sending its next request
// as soon as the previous one answered (a closed loop: the offered load is
// whatever the system can take at that concurrency, which is what "orders/s
// at concurrency N" means). A warm-up is run and discarded; then requests
// that complete inside the measuring window are counted, and the latencies
// of the successful ones kept. Workers stop starting requests when the
// window closes; the run ends when the last in-flight one has answered (each
// has its own timeout), so it always ends.

export interface ClosedLoopPlan {
  concurrency: number;
  warmupMs: number;
  measureMs: number;
}

export interface RequestOutcome {
  ok: boolean;
  /** "201", "503", "timeout", ... */
  status: string;
}

export interface ClosedLoopResult {
  plan: ClosedLoopPlan;
  /** Requests that completed inside the window. */
  completed: number;
  succeeded: number;
  /** Successful completions per second of the window. */
  throughput: number;
  byStatus: Record<string, number>;
  /** Of the successful requests completed inside the window. */
  latenciesMs: number[];
  windowMs: number;
}

export async function runClosedLoop(
  plan: ClosedLoopPlan,
  send: () => Promise<RequestOutcome>,
  now: () => number = () => performance.now(),
): Promise<ClosedLoopResult> {
  const t0 = now();
  const windowStart = t0 + plan.warmupMs;
  const windowEnd = windowStart + plan.measureMs;
  const byStatus: Record<string, number> = {};
  const latenciesMs: number[] = [];
  let completed = 0;
  let succeeded = 0;

  async function worker(): Promise<void> {
    while (now() < windowEnd) {
      const started = now();
      const outcome = await send().catch((): RequestOutcome => ({ ok: false, status: 'network-error' }));
      const finished = now();
      if (finished < windowStart || finished > windowEnd) continue;
      completed++;
      byStatus[outcome.status] = (byStatus[outcome.status] ?? 0) + 1;
      if (outcome.ok) {
        succeeded++;
        latenciesMs.push(finished - started);
      }
    }
  }

  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  return { plan, completed, succeeded, throughput: succeeded / (plan.measureMs / 1000), byStatus, latenciesMs, windowMs: plan.measureMs };
}
