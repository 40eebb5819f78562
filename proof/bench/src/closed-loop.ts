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

/** What a load run counts: the requests that completed inside its window, by status, and the successes' latencies. */
export class WindowTally {
  readonly byStatus: Record<string, number> = {};
  readonly latenciesMs: number[] = [];
  completed = 0;
  succeeded = 0;

  readonly windowStart: number;
  readonly windowEnd: number;

  constructor(windowStart: number, windowEnd: number) {
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
  }

  /** Counts a request started at `started` that ended at `finished` with `outcome`, if it ended inside the window. */
  record(started: number, finished: number, outcome: RequestOutcome): void {
    if (finished < this.windowStart || finished > this.windowEnd) return;
    this.completed++;
    this.byStatus[outcome.status] = (this.byStatus[outcome.status] ?? 0) + 1;
    if (outcome.ok) {
      this.succeeded++;
      this.latenciesMs.push(finished - started);
    }
  }

  /** The counts as a run's result over a window of `measureMs`. */
  result(measureMs: number): Omit<ClosedLoopResult, 'plan'> {
    const { completed, succeeded, byStatus, latenciesMs } = this;
    return { completed, succeeded, throughput: succeeded / (measureMs / 1000), byStatus, latenciesMs, windowMs: measureMs };
  }
}

/** A send that throws is a network error, not the end of the run. */
export function settled(send: () => Promise<RequestOutcome>): Promise<RequestOutcome> {
  return send().catch((): RequestOutcome => ({ ok: false, status: 'network-error' }));
}

export async function runClosedLoop(
  plan: ClosedLoopPlan,
  send: () => Promise<RequestOutcome>,
  now: () => number = () => performance.now(),
): Promise<ClosedLoopResult> {
  const windowStart = now() + plan.warmupMs;
  const tally = new WindowTally(windowStart, windowStart + plan.measureMs);

  async function worker(): Promise<void> {
    while (now() < tally.windowEnd) {
      const started = now();
      const outcome = await settled(send);
      tally.record(started, now(), outcome);
    }
  }

  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  return { plan, ...tally.result(plan.measureMs) };
}
