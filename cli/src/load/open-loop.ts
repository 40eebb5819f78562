// An open-loop load generator: requests start on a fixed schedule (i / rate),
// whether or not earlier ones have answered, so a slow system sees the load
// it would really get instead of a politely slowing client. A concurrency cap
// bounds what one process keeps in flight: an arrival that finds the cap
// full is not queued (a queue would silently lower the offered rate) but
// counted as "not sent". Latency is measured from the scheduled start.
// The run always ends: scheduling stops at the duration, stragglers get
// `drainMs`, then are aborted.

export interface LoadPlan {
  ratePerSecond: number;
  durationMs: number;
  concurrency: number;
  /** How long in-flight requests may finish after the last arrival. */
  drainMs: number;
}

/** An HTTP status, or why there was none. */
export type Outcome = number | 'network-error' | 'timeout' | 'aborted';

export type SendRequest = (signal: AbortSignal) => Promise<Outcome>;

export interface LoadProgress {
  elapsedMs: number;
  plannedTotal: number;
  started: number;
  completed: number;
  inFlight: number;
  notSent: number;
  errors: number;
}

export interface LoadResult {
  plan: LoadPlan;
  plannedTotal: number;
  started: number;
  completed: number;
  notSent: number;
  /** Until the last request finished (or was aborted). */
  elapsedMs: number;
  interrupted: boolean;
  outcomes: Map<Outcome, number>;
  /** Of every request that got an HTTP answer. */
  latenciesMs: number[];
}

export interface LoadHooks {
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  progressEveryMs?: number;
  now?: () => number;
}

export function isSuccess(outcome: Outcome): boolean {
  return typeof outcome === 'number' && outcome >= 200 && outcome < 300;
}

export function plannedRequests(plan: LoadPlan): number {
  return Math.max(1, Math.ceil((plan.ratePerSecond * plan.durationMs) / 1000));
}

export async function runOpenLoop(plan: LoadPlan, send: SendRequest, hooks: LoadHooks = {}): Promise<LoadResult> {
  const now = hooks.now ?? (() => performance.now());
  const total = plannedRequests(plan);
  const intervalMs = 1000 / plan.ratePerSecond;
  const inFlight = new Set<AbortController>();
  const outcomes = new Map<Outcome, number>();
  const latenciesMs: number[] = [];
  let started = 0;
  let completed = 0;
  let notSent = 0;
  let errors = 0;
  let interrupted = false;
  let finished = false;
  const t0 = now();

  const progress = (): LoadProgress => ({ elapsedMs: now() - t0, plannedTotal: total, started, completed, inFlight: inFlight.size, notSent, errors });

  const launch = (scheduledAt: number) => {
    const controller = new AbortController();
    inFlight.add(controller);
    started++;
    send(controller.signal)
      .catch((): Outcome => 'network-error')
      .then((outcome) => {
        // A send that ignored its abort and settled after the run ended is not counted twice.
        if (finished) return;
        inFlight.delete(controller);
        completed++;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (typeof outcome === 'number') latenciesMs.push(now() - scheduledAt);
        if (!isSuccess(outcome)) errors++;
      });
  };

  let wake: (() => void) | undefined;
  const onAbort = () => {
    interrupted = true;
    wake?.();
  };
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  const sleepUntil = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  let lastProgress = -Infinity;
  const report = () => {
    if (hooks.onProgress && now() - lastProgress >= (hooks.progressEveryMs ?? 200)) {
      lastProgress = now();
      hooks.onProgress(progress());
    }
  };

  try {
    // Arrivals: request i is due at t0 + i * interval.
    let next = 0;
    while (next < total && !interrupted) {
      const elapsed = now() - t0;
      while (next < total && next * intervalMs <= elapsed) {
        if (inFlight.size < plan.concurrency) launch(t0 + next * intervalMs);
        else notSent++;
        next++;
      }
      report();
      if (next < total) await sleepUntil(Math.min(next * intervalMs - (now() - t0), hooks.progressEveryMs ?? 200));
    }
    // Drain: wait for stragglers, bounded; Ctrl-C aborts them at once.
    const drainDeadline = now() + plan.drainMs;
    while (inFlight.size > 0 && !interrupted && now() < drainDeadline) {
      report();
      await sleepUntil(Math.min(20, drainDeadline - now()));
    }
    for (const controller of inFlight) controller.abort();
    // Aborted sends settle on the next turns of the event loop; one that
    // ignores its signal is given up on, so the run still ends.
    const giveUpAt = now() + 1000;
    while (inFlight.size > 0 && now() < giveUpAt) await sleepUntil(5);
    if (inFlight.size > 0) {
      outcomes.set('aborted', (outcomes.get('aborted') ?? 0) + inFlight.size);
      completed += inFlight.size;
      errors += inFlight.size;
      inFlight.clear();
    }
  } finally {
    finished = true;
    hooks.signal?.removeEventListener('abort', onAbort);
  }
  hooks.onProgress?.(progress());
  return { plan, plannedTotal: total, started, completed, notSent, elapsedMs: now() - t0, interrupted, outcomes, latenciesMs };
}
