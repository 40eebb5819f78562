// What "an order is traced end to end" means (docs/telemetry.md,
// "One order, one trace"): one trace, spans from all five services, every
// contract span present, no span in error, and one connected tree (the
// Kafka hop included: a broken context would start a second root).
import { CREATED_ORDER_SPANS, SERVICES, SERVICE_NAMES } from '@shop/contracts';
import type { Span } from '../jaeger/otlp-spans.ts';
import { buildSpanTree, errorText, isError, summarizeTrace } from '../trace/span-tree.ts';

/** The OTel service.name of each of the five services. */
export const EXPECTED_SERVICES: readonly string[] = SERVICE_NAMES.map((s) => SERVICES[s].otelName);

/** The manual spans of a created order (names are a contract). */
export const EXPECTED_SPANS: readonly string[] = CREATED_ORDER_SPANS;

export interface TraceExpectations {
  services: readonly string[];
  spans: readonly string[];
}

export const ORDER_TRACE: TraceExpectations = { services: EXPECTED_SERVICES, spans: EXPECTED_SPANS };

export interface TraceCheck {
  ok: boolean;
  problems: string[];
  services: string[];
  spanCount: number;
  durationMs: number;
}

const missing = (expected: readonly string[], present: Set<string>) => expected.filter((name) => !present.has(name));

/**
 * Whether the trace has arrived: every expected service and span, in one
 * tree. What to wait for before judging: each service exports on its own
 * schedule, and a span whose parent has not arrived yet (the relay's send,
 * say) looks like a second root until it does.
 */
export function hasExpectedSpans(spans: Span[], expected: TraceExpectations = ORDER_TRACE): boolean {
  return (
    missing(expected.services, new Set(spans.map((s) => s.service))).length === 0 &&
    missing(expected.spans, new Set(spans.map((s) => s.name))).length === 0 &&
    buildSpanTree(spans).length === 1
  );
}

export function checkOrderTrace(spans: Span[], expected: TraceExpectations = ORDER_TRACE): TraceCheck {
  const summary = summarizeTrace(spans);
  const problems: string[] = [];
  if (spans.length === 0) {
    problems.push('no spans in Jaeger');
  } else {
    const absentServices = missing(expected.services, new Set(spans.map((s) => s.service)));
    if (absentServices.length) problems.push(`no spans from ${absentServices.join(', ')}`);
    const absentSpans = missing(expected.spans, new Set(spans.map((s) => s.name)));
    if (absentSpans.length) problems.push(`missing spans ${absentSpans.join(', ')}`);
    const failed = spans.filter(isError);
    if (failed.length)
      problems.push(
        `${failed.length} error span${failed.length === 1 ? '' : 's'}: ${failed.map((s) => `${s.service} ${s.name} (${errorText(s)})`).join('; ')}`,
      );
    const roots = buildSpanTree(spans);
    if (roots.length > 1) {
      problems.push(`not one connected tree: ${roots.length} root spans (${roots.map((r) => `${r.span.service} ${r.span.name}`).join(', ')})`);
    }
  }
  return { ok: problems.length === 0, problems, services: summary.services, spanCount: summary.spanCount, durationMs: summary.durationMs };
}
