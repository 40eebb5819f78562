// An open loop that runs until stopped, at a rate that may change while it
// runs (the load generator's: a fault flag, else its configuration). The
// arrivals are those of runOpenLoop (scheduled whatever the answers, an
// arrival that finds the concurrency cap full counted as not sent, latency
// from the scheduled start); the rate is read again at least every `tickMs`,
// so a change applies within that (ArrivalClock). Nothing is kept per
// request: each outcome is handed to `onOutcome` and forgotten.
import { ArrivalClock } from './arrival-clock.ts';
import { createLauncher } from './launcher.ts';
import type { Outcome, SendRequest } from './outcome.ts';

export interface SteadyLoadOptions {
  /** Orders per second wanted now; read every tick (0: none). */
  rate: () => number;
  concurrency: number;
  send: SendRequest;
  onOutcome?: (outcome: Outcome, latencyMs: number | undefined) => void;
  /** An arrival found the concurrency cap full. */
  onNotSent?: () => void;
  /** Longest wait between two readings of the rate (default 100 ms). */
  tickMs?: number;
  now?: () => number;
}

export interface SteadyLoad {
  readonly inFlight: number;
  /**
   * Stops scheduling, lets what is in flight finish for up to `drainMs`, then
   * aborts it; requests given up on are reported as 'aborted'. Resolves when done.
   */
  stop(drainMs?: number): Promise<void>;
}

export function startSteadyLoad(options: SteadyLoadOptions): SteadyLoad {
  const now = options.now ?? (() => performance.now());
  const tickMs = options.tickMs ?? 100;
  const record = options.onOutcome ?? (() => {});
  const clock = new ArrivalClock();
  const inFlight = createLauncher(options.send, now, record);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const tick = () => {
    timer = undefined;
    if (stopped) return;
    const at = now();
    clock.setRate(options.rate(), at);
    for (const scheduledAt of clock.take(at)) {
      if (inFlight.inFlight < options.concurrency) inFlight.launch(scheduledAt);
      else options.onNotSent?.();
    }
    timer = setTimeout(tick, Math.min(tickMs, clock.untilNext(now()) ?? tickMs));
  };
  timer = setTimeout(tick, 0);

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    get inFlight() {
      return inFlight.inFlight;
    },
    async stop(drainMs = 5_000) {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      const drainDeadline = now() + drainMs;
      while (inFlight.inFlight > 0 && now() < drainDeadline) await sleep(20);
      inFlight.abortAll();
      const giveUpAt = now() + 1000;
      while (inFlight.inFlight > 0 && now() < giveUpAt) await sleep(5);
      const left = inFlight.giveUp();
      for (let i = 0; i < left; i++) record('aborted', undefined);
    },
  };
}
