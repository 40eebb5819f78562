// The counting shared by the load runners (closed loop, fixed rate): which
// requests completed inside the measuring window, by status, and the
// latencies of the successful ones.

export interface RequestOutcome {
  ok: boolean;
  /** "201", "503", "timeout", ... */
  status: string;
}

/** What a load run counted in its measuring window. */
export interface WindowResult {
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
  result(measureMs: number): WindowResult {
    const { completed, succeeded, byStatus, latenciesMs } = this;
    return { completed, succeeded, throughput: succeeded / (measureMs / 1000), byStatus, latenciesMs, windowMs: measureMs };
  }
}

/** A send that throws is a network error, not the end of the run. */
export function settled(send: () => Promise<RequestOutcome>): Promise<RequestOutcome> {
  return send().catch((): RequestOutcome => ({ ok: false, status: 'network-error' }));
}
