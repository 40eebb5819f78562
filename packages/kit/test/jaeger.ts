// Reads traces back from Jaeger's query API (v3: OTLP JSON).
import { readTraceSpans, type TraceSpan } from '@shop/traces';

export const JAEGER_QUERY_URL = process.env.JAEGER_QUERY_URL ?? 'http://127.0.0.1:16686';
export const OTLP_ENDPOINT = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318';

/** The environment of a test process that sends traces (only) to the local Jaeger, head-sampled at `ratio`, quickly. */
export const tracesAt = (ratio: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT,
  OTEL_BSP_SCHEDULE_DELAY: '100',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_TRACES_SAMPLER_ARG: ratio,
});

/** One span of a trace read back from Jaeger (@shop/traces reads it). */
export type FlatSpan = TraceSpan;

/** Flattens an OTLP JSON trace response into one record per span. */
export const flatten = readTraceSpans;

/** Polls Jaeger (local, or the query API at `jaegerQueryUrl`) until the trace holds at least `minSpans` spans (or the deadline passes). */
export async function waitForTrace(
  traceId: string,
  options: { minSpans?: number; timeoutMs?: number; until?: (spans: FlatSpan[]) => boolean; jaegerQueryUrl?: string } = {},
): Promise<FlatSpan[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: FlatSpan[] = [];
  for (;;) {
    const response = await fetch(`${options.jaegerQueryUrl ?? JAEGER_QUERY_URL}/api/v3/traces/${traceId}`);
    if (response.ok) {
      last = flatten(await response.json());
      const enough = last.length >= (options.minSpans ?? 1);
      if (enough && (options.until?.(last) ?? true)) return last;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `trace ${traceId} incomplete in Jaeger after ${options.timeoutMs ?? 20_000} ms: ${last.map((s) => `${s.service}:${s.name}`).join(', ') || 'no spans'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
