// What every open loop does with one arrival: start the send with its own
// abort signal, keep it in flight, and record how it ended (its outcome, and
// for an HTTP answer the latency from the scheduled start). A send that
// rejects counts as a network error; once the loop has given up on what was
// in flight, a late settlement is not counted twice.
import type { Outcome, SendRequest } from './outcome.ts';

export interface Launcher {
  /** Starts one send, due at `scheduledAt` (the clock of `now`). */
  launch(scheduledAt: number): void;
  readonly inFlight: number;
  /** Aborts every send in flight (they settle, as 'aborted', on later turns). */
  abortAll(): void;
  /** Stops recording; returns how many sends were still in flight (the caller counts them as aborted). */
  giveUp(): number;
}

export function createLauncher(send: SendRequest, now: () => number, record: (outcome: Outcome, latencyMs: number | undefined) => void): Launcher {
  const inFlight = new Set<AbortController>();
  let finished = false;
  return {
    launch(scheduledAt) {
      const controller = new AbortController();
      inFlight.add(controller);
      send(controller.signal)
        .catch((): Outcome => 'network-error')
        .then((outcome) => {
          // A send that ignored its abort and settled after the run ended is not counted twice.
          if (finished) return;
          inFlight.delete(controller);
          record(outcome, typeof outcome === 'number' ? now() - scheduledAt : undefined);
        });
    },
    get inFlight() {
      return inFlight.size;
    },
    abortAll() {
      for (const controller of inFlight) controller.abort();
    },
    giveUp() {
      finished = true;
      const left = inFlight.size;
      inFlight.clear();
      return left;
    },
  };
}
