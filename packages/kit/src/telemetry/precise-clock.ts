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
// when a window ends (so a wall clock stepped back is followed too). Each
// use of the clock reads both, and so does a timer ten times a second: a
// window then holds a hundred readings or more at scattered phases of
// Date.now()'s millisecond, and its largest lies within some
// microseconds of the true offset however few spans the process starts.

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

/** How often the timer reads both clocks (unref'd: it never keeps a process alive). */
const SAMPLE_EVERY_MS = 100;

export interface PreciseClockOptions {
  /** The two clocks (default Date.now and performance.now). */
  sources?: ClockSources;
  /** The timer's period; 0: no timer (tests drive the readings). */
  sampleEveryMs?: number;
}

export function preciseClock(options: PreciseClockOptions = {}): PreciseClock {
  const { wall, monotonic } = options.sources ?? { wall: Date.now, monotonic: () => performance.now() };
  let offset = -Infinity;
  const calibrationStart = monotonic();
  for (let at = calibrationStart; at - calibrationStart < CALIBRATE_FOR_MS; ) {
    const w = wall();
    at = monotonic();
    offset = Math.max(offset, w - at);
  }
  let windowStart = monotonic();
  let windowMax = offset;

  // Runs once per span started: two clock reads, no allocation.
  function learn(): void {
    const w = wall();
    const at = monotonic();
    const difference = w - at;
    if (difference > offset) offset = difference;
    windowMax = Math.max(windowMax, difference);
    if (at - windowStart >= WINDOW_MS) {
      offset = windowMax;
      windowMax = difference;
      windowStart = at;
    }
  }

  const every = options.sampleEveryMs ?? SAMPLE_EVERY_MS;
  if (every > 0) setInterval(learn, every).unref();

  function wallAt(monotonicMs: number): number {
    learn();
    return monotonicMs + offset;
  }

  return { wallAt, now: () => wallAt(monotonic()) };
}
