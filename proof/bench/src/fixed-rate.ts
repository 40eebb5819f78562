// Load at a fixed arrival rate (an open loop): requests start on a schedule,
// whether or not the previous ones have answered. Two configurations driven
// at the same rate do the same work per second, so their CPU per order is
// compared at equal throughput: in a closed loop the faster one also batches
// more per wake-up (PostgreSQL's group commit, fuller socket reads) and
// looks cheaper per order for that alone. A start that would exceed
// `maxInFlight` is not sent and is counted as shed: a configuration that
// cannot keep up shows as shed starts, not as a silently lower rate.
import { settled, WindowTally, type RequestOutcome, type WindowResult } from './window-tally.ts';

export interface FixedRatePlan {
  /** Requests started per second. */
  rate: number;
  maxInFlight: number;
  warmupMs: number;
  measureMs: number;
}

export interface FixedRateResult extends WindowResult {
  plan: FixedRatePlan;
  /** Starts due inside the window. */
  offered: number;
  /** Of those, starts not sent because maxInFlight requests were already in flight. */
  shed: number;
}

/** Resolves after `ms`; the default schedule's sleep. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runFixedRate(
  plan: FixedRatePlan,
  send: () => Promise<RequestOutcome>,
  now: () => number = () => performance.now(),
  wait: (ms: number) => Promise<void> = sleep,
): Promise<FixedRateResult> {
  if (!(plan.rate > 0) || !(plan.maxInFlight >= 1)) throw new Error(`a fixed rate needs rate > 0 and maxInFlight >= 1 (got ${plan.rate}, ${plan.maxInFlight})`);
  const t0 = now();
  const windowStart = t0 + plan.warmupMs;
  const windowEnd = windowStart + plan.measureMs;
  const intervalMs = 1000 / plan.rate;
  const tally = new WindowTally(windowStart, windowEnd);
  const pending = new Set<Promise<void>>();
  let offered = 0;
  let shed = 0;
  let started = 0;

  const start = (due: number) => {
    const inWindow = due >= windowStart && due < windowEnd;
    if (inWindow) offered++;
    if (pending.size >= plan.maxInFlight) {
      if (inWindow) shed++;
      return;
    }
    const begun = now();
    const request = settled(send)
      .then((outcome) => tally.record(begun, now(), outcome))
      .finally(() => pending.delete(request));
    pending.add(request);
  };

  // Each start is due at t0 + k * interval; the loop catches up on starts
  // a late timer made it miss, so the rate holds on average.
  for (;;) {
    const due = t0 + started * intervalMs;
    if (due >= windowEnd) break;
    const lag = due - now();
    if (lag > 0) await wait(lag);
    start(due);
    started++;
  }
  await Promise.all(pending);
  return { plan, ...tally.result(plan.measureMs), offered, shed };
}
