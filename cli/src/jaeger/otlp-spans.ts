// A trace from Jaeger's v3 API (OTLP JSON), as @shop/traces reads it, plus what
// the CLI shows of an error: the messages of its exception events.
import { readTraceSpans, type TraceSpan } from '@shop/traces';

export { STATUS_ERROR, hexId } from '@shop/traces';

export interface Span extends TraceSpan {
  /** Messages of `exception` events, the detail of an error. */
  exceptions: string[];
}

export function spansFromOtlp(body: unknown): Span[] {
  return readTraceSpans(body).map((span) => ({
    ...span,
    exceptions: span.events.filter((e) => e.name === 'exception').map((e) => String(e.attributes['exception.message'] ?? 'exception')),
  }));
}
