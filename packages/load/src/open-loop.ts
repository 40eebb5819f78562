// An open-loop load generator: requests start on a fixed schedule (i / rate),
// whether or not earlier ones have answered, so a slow system sees the load
// it would really get instead of a politely slowing client. A concurrency cap
// bounds what one process keeps in flight: an arrival that finds the cap
// full is not queued (a queue would silently lower the offered rate) but
// counted as "not sent". Latency is measured from the scheduled start.
// The run always ends: scheduling stops at the duration, stragglers get
// `drainMs`, then are aborted.
import { createLauncher } from './launcher.ts';
import { isSuccess, type Outcome, type SendRequest } from './outcome.ts';

export interface LoadPlan {
  ratePerSecond: number;
  durationMs: number;
  concurrency: number;
  /** How long in-flight requests may finish after the last arrival. */
  drainMs: number;
}

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

export function plannedRequests(plan: LoadPlan): number {
  return Math.max(1, Math.ceil((plan.ratePerSecond * plan.durationMs) / 1000));
}

export async function runOpenLoop(plan: LoadPlan, send: SendRequest, hooks: LoadHooks = {}): Promise<LoadResult> {
  const now = hooks.now ?? (() => performance.now());
  const total = plannedRequests(plan);
  const intervalMs = 1000 / plan.ratePerSecond;
  const outcomes = new Map<Outcome, number>();
  const latenciesMs: number[] = [];
  let started = 0;
  let completed = 0;
  let notSent = 0;
  let errors = 0;
  let interrupted = false;
  const inFlight = createLauncher(send, now, (outcome, latencyMs) => {
    completed++;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    if (latencyMs !== undefined) latenciesMs.push(latencyMs);
    if (!isSuccess(outcome)) errors++;
  });
  const t0 = now();

  const progress = (): LoadProgress => ({ elapsedMs: now() - t0, plannedTotal: total, started, completed, inFlight: inFlight.inFlight, notSent, errors });

  const launch = (scheduledAt: number) => {
    started++;
    inFlight.launch(scheduledAt);
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
        if (inFlight.inFlight < plan.concurrency) launch(t0 + next * intervalMs);
        else notSent++;
        next++;
      }
      report();
      if (next < total) await sleepUntil(Math.min(next * intervalMs - (now() - t0), hooks.progressEveryMs ?? 200));
    }
    // Drain: wait for stragglers, bounded; Ctrl-C aborts them at once.
    const drainDeadline = now() + plan.drainMs;
    while (inFlight.inFlight > 0 && !interrupted && now() < drainDeadline) {
      report();
      await sleepUntil(Math.min(20, drainDeadline - now()));
    }
    inFlight.abortAll();
    // Aborted sends settle on the next turns of the event loop; one that
    // ignores its signal is given up on, so the run still ends.
    const giveUpAt = now() + 1000;
    while (inFlight.inFlight > 0 && now() < giveUpAt) await sleepUntil(5);
    const left = inFlight.giveUp();
    if (left > 0) {
      outcomes.set('aborted', (outcomes.get('aborted') ?? 0) + left);
      completed += left;
      errors += left;
    }
  } finally {
    inFlight.giveUp();
    hooks.signal?.removeEventListener('abort', onAbort);
  }
  hooks.onProgress?.(progress());
  return { plan, plannedTotal: total, started, completed, notSent, elapsedMs: now() - t0, interrupted, outcomes, latenciesMs };
}
