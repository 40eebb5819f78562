// Small helpers over @opentelemetry/api used across services.
import {
  context,
  propagation,
  trace,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';

const INVALID_TRACE_ID = '00000000000000000000000000000000';

/** The active trace id, or null when nothing is traced (telemetry off, unsampled root). */
export function activeTraceId(ctx: Context = context.active()): string | null {
  const spanContext = trace.getSpan(ctx)?.spanContext();
  if (!spanContext || spanContext.traceId === INVALID_TRACE_ID) return null;
  return spanContext.traceId;
}

/** W3C trace context of the active span as a plain carrier (`traceparent`, `tracestate`). */
export function injectContext(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Rebuilds a context from a carrier written by injectContext (HTTP headers, Kafka headers, an outbox row). */
export function extractContext(carrier: Record<string, unknown>, base: Context = context.active()): Context {
  const normalized: Record<string, string> = {};
  for (const [key, value] of Object.entries(carrier)) {
    if (typeof value === 'string') normalized[key.toLowerCase()] = value;
    else if (Buffer.isBuffer(value)) normalized[key.toLowerCase()] = value.toString('utf8');
  }
  return propagation.extract(base, normalized);
}

/** Marks a span failed: the exception event plus ERROR status, as the semantic conventions ask. */
export function recordError(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  const code = (error as { code?: unknown }).code;
  span.setAttribute('error.type', typeof code === 'string' ? code : error.name);
}

const tracer = trace.getTracer('@shop/kit');

/**
 * Runs `fn` inside a new active span that ends when `fn` settles; a throw is
 * recorded on the span and rethrown.
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions & { attributes?: Attributes; parent?: Context },
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const { parent, ...spanOptions } = options;
  return tracer.startActiveSpan(name, spanOptions, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      recordError(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}
