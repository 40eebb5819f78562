// Throughput at a fixed concurrency: N workers, each sending its next request
// as soon as the previous one answered (a closed loop: the offered load is
// whatever the system can take at that concurrency, which is what "orders/s
// at concurrency N" means). A warm-up is run and discarded; then requests
// that complete inside the measuring window are counted, and the latencies
// of the successful ones kept. Workers stop starting requests when the
// window closes; the run ends when the last in-flight one has answered (each
// has its own timeout), so it always ends.

import { settled, WindowTally, type RequestOutcome, type WindowResult } from './window-tally.ts';

export interface ClosedLoopPlan {
  concurrency: number;
  warmupMs: number;
  measureMs: number;
}

export interface ClosedLoopResult extends WindowResult {
  plan: ClosedLoopPlan;
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
