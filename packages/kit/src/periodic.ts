// A background loop: runs a task, waits, runs it again, until stopped. The
// task decides the next wait (so a failing task can back off); stop() waits
// for the run in progress, up to a bound, so shutdown finishes its work.

export interface PeriodicTask {
  start(): void;
  /** Stops scheduling and waits (at most `graceMs`) for a run in progress; true when none is left running. */
  stop(graceMs?: number): Promise<boolean>;
}

export function periodic(task: () => Promise<number>, onError: (err: unknown) => number): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const tick = () => {
    timer = undefined;
    running = (async () => {
      let nextMs: number;
      try {
        nextMs = await task();
      } catch (err) {
        nextMs = onError(err);
      }
      running = undefined;
      if (!stopped) timer = setTimeout(tick, nextMs);
    })();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, 0);
    },
    async stop(graceMs = 10_000) {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (running) {
        let bound: NodeJS.Timeout | undefined;
        await Promise.race([running, new Promise((resolve) => (bound = setTimeout(resolve, graceMs)))]);
        clearTimeout(bound);
      }
      return running === undefined;
    },
  };
}
