// The wall clock to the microsecond, for span times. The SDK starts every
// span at Date.now(), which ticks in whole milliseconds, and measures its
// duration on the monotonic clock: a child that starts in the next
// millisecond tick after its parent is placed up to 1 ms early relative to
// it, and so ends after its parent. performance.now() has microseconds but
// is not the wall clock: performance.timeOrigin + performance.now() drifts
// from it over hours, and the wall clock may be stepped. So the wall clock
// here is the monotonic one plus an offset, learnt from Date.now().
//
// Read in that order, Date.now() then performance.now(), their difference
// is never above the true offset: Date.now() is the wall time rounded down,
// and the monotonic reading comes after it. It comes closest right after a
// tick of Date.now(), and a pause between the reads (the process being
// descheduled on a busy machine) only makes it smaller. So the offset is the
// largest difference seen: raised at once when a reading exceeds it (the
// wall clock moved ahead), and replaced by the largest of the last window
// when a window ends (so a wall clock stepped back is followed too).

export interface ClockSources {
  /** Milliseconds since the epoch, whole (Date.now). */
  wall: () => number;
  /** Milliseconds on a monotonic clock, fractional (performance.now). */
  monotonic: () => number;
}

export interface PreciseClock {
  /** The wall-clock time (ms since the epoch, fractional) of a monotonic reading taken in this process. */
  wallAt(monotonicMs: number): number;
  /** Now, on the wall clock, to the microsecond. */
  now(): number;
}

/** How long the first calibration reads both clocks: long enough to see Date.now() tick at least once. */
const CALIBRATE_FOR_MS = 2;
/** The window after which the offset is the largest reading of the window alone. */
const WINDOW_MS = 10_000;

export function preciseClock(sources: ClockSources = { wall: Date.now, monotonic: () => performance.now() }): PreciseClock {
  const { wall, monotonic } = sources;
  const reading = () => {
    const w = wall();
    const m = monotonic();
    return { difference: w - m, at: m };
  };

  let offset = -Infinity;
  const first = reading();
  for (let r = first; r.at - first.at < CALIBRATE_FOR_MS; r = reading()) offset = Math.max(offset, r.difference);
  let windowStart = monotonic();
  let windowMax = offset;

  function wallAt(monotonicMs: number): number {
    const { difference, at } = reading();
    if (difference > offset) offset = difference;
    windowMax = Math.max(windowMax, difference);
    if (at - windowStart >= WINDOW_MS) {
      offset = windowMax;
      windowMax = difference;
      windowStart = at;
    }
    return monotonicMs + offset;
  }

  return { wallAt, now: () => wallAt(monotonic()) };
}
