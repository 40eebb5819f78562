// Waiting for a trace in Jaeger: spans of one trace arrive from five
// services over a second or two (batch export, the Kafka hop), so "found"
// is not "complete". Callers either say what complete means, or take the
// trace once its span count has stopped growing.
import { pollUntil } from '../cli/poll.ts';
import type { Span } from './otlp-spans.ts';
import { fetchTraceSpans } from './query-api.ts';

export interface TraceWaitOptions {
  timeoutMs: number;
  /** When the trace is complete; without it, complete = found and no new spans for `settleMs`. */
  isComplete?: (spans: Span[]) => boolean;
  settleMs?: number;
  intervalMs?: number;
}

export interface TraceWaitResult {
  spans: Span[];
  found: boolean;
  complete: boolean;
}

export async function waitForTrace(jaegerUrl: string, traceId: string, options: TraceWaitOptions): Promise<TraceWaitResult> {
  const settleMs = options.settleMs ?? 1000;
  let lastCount = -1;
  let stableSince = 0;
  const { value, done } = await pollUntil(
    () => fetchTraceSpans(jaegerUrl, traceId),
    (spans) => {
      if (!spans || spans.length === 0) return false;
      if (options.isComplete) return options.isComplete(spans);
      if (spans.length !== lastCount) {
        lastCount = spans.length;
        stableSince = Date.now();
        return false;
      }
      return Date.now() - stableSince >= settleMs;
    },
    { timeoutMs: options.timeoutMs, intervalMs: options.intervalMs ?? 300 },
  );
  const spans = value ?? [];
  // Without a completeness rule, a trace that is found but still growing at the deadline is shown as is.
  return { spans, found: spans.length > 0, complete: done || (!options.isComplete && spans.length > 0) };
}
