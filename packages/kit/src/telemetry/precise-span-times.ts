// Span start times to the microsecond (precise-clock.ts says why the SDK's
// are whole milliseconds). The first span processor: as a span starts, its
// start time is replaced by the moment the SDK created it, on the monotonic
// clock the SDK measures the span's duration and its events on; so its end
// and its events, which the SDK places at that start plus the time elapsed,
// move with it and keep their microseconds. A span whose parent is in this
// process starts at its parent's start plus the monotonic time between
// them: it lies within its parent exactly, whatever the wall clock does in
// between. Other spans (a root, a remote parent's child) start at the
// precise clock's wall time. A start time the caller gave is left as given.
// This reads two fields the SDK keeps private (the monotonic moment of
// creation, whether the start was given): when a release of the SDK has
// them no more, span times stay as the SDK makes them, and the test over a
// real order's trace (tests/e2e) says so.
import { addHrTimes, millisToHrTime } from '@opentelemetry/core';
import { trace, type Context, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { preciseClock, type PreciseClock } from './precise-clock.ts';

/** What the SDK's Span holds beyond its public interface, as far as this processor reads it. */
interface SdkSpanInternals {
  _performanceStartTime?: unknown;
  _startTimeProvided?: unknown;
  startTime: HrTime;
}

export class PreciseSpanTimes implements SpanProcessor {
  readonly #clock: PreciseClock;

  constructor(clock: PreciseClock = preciseClock()) {
    this.#clock = clock;
  }

  onStart(span: Span, parentContext: Context): void {
    const internals = span as unknown as SdkSpanInternals;
    const created = internals._performanceStartTime;
    if (internals._startTimeProvided !== false || typeof created !== 'number') return;
    const parent = trace.getSpan(parentContext) as unknown as Partial<SdkSpanInternals> | undefined;
    internals.startTime =
      typeof parent?._performanceStartTime === 'number' && Array.isArray(parent.startTime)
        ? addHrTimes(parent.startTime, millisToHrTime(created - parent._performanceStartTime))
        : millisToHrTime(this.#clock.wallAt(created));
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
