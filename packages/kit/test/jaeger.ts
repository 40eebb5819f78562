// Reads traces back from Jaeger's query API (v3: OTLP JSON).
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

export interface FlatSpan {
  service: string;
  /** The resource's attributes (service.name, the k8s.* the collector adds, ...). */
  resource: Record<string, unknown>;
  scope: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
  status: { code?: number };
  /** Span events (feature_flag.evaluation, exceptions), in order. */
  events: { name: string; attributes: Record<string, unknown> }[];
  durationMs: number;
  /** Start and end, nanoseconds since the epoch (bigint: beyond a double's exact integers). */
  startNs: bigint;
  endNs: bigint;
  /** How many links the span has (a relay's producer span links the trace it continues). */
  links: number;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}

function value(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.boolValue !== undefined) return v.boolValue;
  return v.doubleValue;
}

function attributes(list: { key: string; value: OtlpValue }[] = []): Record<string, unknown> {
  return Object.fromEntries(list.map((a) => [a.key, value(a.value)]));
}

/** Flattens an OTLP JSON trace response into one record per span. Jaeger's ids are base64 or hex; both become hex. */
export function flatten(body: unknown): FlatSpan[] {
  const out: FlatSpan[] = [];
  const resourceSpans = (body as { result?: { resourceSpans?: unknown[] } }).result?.resourceSpans ?? [];
  for (const rs of resourceSpans as { resource: { attributes: [] }; scopeSpans: { scope?: { name?: string }; spans: Record<string, unknown>[] }[] }[]) {
    const resource = attributes(rs.resource.attributes);
    const service = String(resource['service.name']);
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        out.push({
          service,
          resource,
          scope: ss.scope?.name ?? '',
          name: String(s.name),
          kind: Number(s.kind),
          traceId: hex(String(s.traceId)),
          spanId: hex(String(s.spanId)),
          parentSpanId: s.parentSpanId ? hex(String(s.parentSpanId)) : '',
          attributes: attributes(s.attributes as []),
          status: (s.status as { code?: number }) ?? {},
          events: ((s.events as { name?: string; attributes?: [] }[] | undefined) ?? []).map((e) => ({
            name: String(e.name),
            attributes: attributes(e.attributes),
          })),
          durationMs: (Number(BigInt(String(s.endTimeUnixNano ?? 0)) - BigInt(String(s.startTimeUnixNano ?? 0))) || 0) / 1e6,
          startNs: BigInt(String(s.startTimeUnixNano ?? 0)),
          endNs: BigInt(String(s.endTimeUnixNano ?? 0)),
          links: ((s.links as unknown[] | undefined) ?? []).length,
        });
      }
    }
  }
  return out;
}

function hex(id: string): string {
  return /^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex');
}

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
