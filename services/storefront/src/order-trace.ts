// An order's own trace, read server-side from Jaeger's query API (v3: OTLP
// JSON) and laid out as a waterfall. The trace id comes from the order
// page's URL, which the checkout that placed the order wrote; since a URL
// can be edited, a trace is shown only when it is that order's: one of its
// spans must carry `order.id` of the order (the gateway's
// gateway.createOrder does). Any other trace id reads as absent, so the page
// cannot be used to browse Jaeger.
import { HttpClient } from '@shop/kit';
import { readTraceSpans, STATUS_ERROR } from '@shop/traces';

export const TRACE_ID_PATTERN = '^[0-9a-f]{32}$';

/** Most spans the page lays out (an order makes about 40). */
export const MAX_WATERFALL_SPANS = 400;

export interface WaterfallSpan {
  spanId: string;
  service: string;
  name: string;
  /** From the start of the trace, ms. */
  startMs: number;
  durationMs: number;
  /** Levels below its root. */
  depth: number;
  error: boolean;
}

export interface OrderTrace {
  traceId: string;
  spans: WaterfallSpan[];
  /** The whole trace, ms. */
  durationMs: number;
  services: string[];
}

export type TraceLookup = { kind: 'found'; trace: OrderTrace } | { kind: 'not_yet' } | { kind: 'unavailable' };

export class TraceReader {
  private readonly jaeger: HttpClient;

  constructor(options: { jaegerQueryUrl: string; timeoutMs: number }) {
    this.jaeger = new HttpClient({ baseUrl: options.jaegerQueryUrl, peer: 'jaeger-query', timeoutMs: options.timeoutMs, retries: 0 });
  }

  /**
   * The trace `traceId` if it is `orderId`'s; `not_yet` while Jaeger does not
   * have it (not exported yet, sampled out) or when it is another order's.
   */
  async orderTrace(traceId: string, orderId: string): Promise<TraceLookup> {
    let answer: { status: number; body: unknown };
    try {
      answer = await this.jaeger.get(`/api/v3/traces/${traceId}`);
    } catch {
      return { kind: 'unavailable' };
    }
    if (answer.status === 404) return { kind: 'not_yet' };
    // Jaeger's v3 API sends its JSON as text/plain, so the client leaves it as text.
    let body = answer.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        return { kind: 'unavailable' };
      }
    }
    if (answer.status !== 200 || typeof body !== 'object' || body === null) return { kind: 'unavailable' };
    const spans = flatten(body, traceId);
    if (!spans.some((s) => s.orderId === orderId)) return { kind: 'not_yet' };
    return { kind: 'found', trace: waterfall(traceId, spans) };
  }
}

interface Flat {
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  start: bigint;
  end: bigint;
  error: boolean;
  orderId: string | undefined;
}

function flatten(body: unknown, traceId: string): Flat[] {
  return readTraceSpans(body)
    .filter((span) => span.traceId === traceId)
    .map((span) => ({
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      service: span.service,
      name: span.name,
      start: span.startNs,
      end: span.endNs,
      error: span.status.code === STATUS_ERROR,
      orderId: typeof span.attributes['order.id'] === 'string' ? span.attributes['order.id'] : undefined,
    }));
}

/** Spans in tree order (each after its parent, siblings by start), with their depth and times from the trace's start. */
export function waterfall(traceId: string, spans: Flat[]): OrderTrace {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, Flat[]>();
  const roots: Flat[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: Flat, b: Flat) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
  let start = spans[0]?.start ?? 0n;
  let end = start;
  for (const span of spans) {
    if (span.start < start) start = span.start;
    if (span.end > end) end = span.end;
  }
  const ordered: WaterfallSpan[] = [];
  // Browser spans arrive through the storefront's span proxy and could name
  // any parent; a span is laid out once, so a repeated id cannot loop.
  const placed = new Set<string>();
  const visit = (span: Flat, depth: number) => {
    if (placed.has(span.spanId) || ordered.length >= MAX_WATERFALL_SPANS) return;
    placed.add(span.spanId);
    ordered.push({
      spanId: span.spanId,
      service: span.service,
      name: span.name,
      startMs: Number(span.start - start) / 1e6,
      durationMs: Number(span.end - span.start) / 1e6,
      depth,
      error: span.error,
    });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  return { traceId, spans: ordered, durationMs: Number(end - start) / 1e6, services: [...new Set(ordered.map((s) => s.service))] };
}
