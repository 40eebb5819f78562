// Small helpers over @opentelemetry/api used across services.
import {
  context,
  createContextKey,
  propagation,
  trace,
  SpanStatusCode,
  INVALID_SPAN_CONTEXT,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
} from '@opentelemetry/api';
import { isTracingSuppressed, suppressTracing } from '@opentelemetry/core';

// An unsampled request runs with tracing suppressed, so no instrumentation
// spends anything on spans no one records (telemetry/http-server.ts). Its
// trace identity (trace id, the unrecorded server span's id, flags 00) is
// kept under this key: log lines still carry it, and calls out still pass
// it on, so the next service knows the trace is not sampled instead of
// deciding anew.
const UNSAMPLED = createContextKey('@shop/kit unsampled trace');

/** `ctx` with tracing suppressed, remembering the unsampled trace it belongs to. */
export function unsampledContext(ctx: Context, identity: SpanContext): Context {
  return suppressTracing(ctx.setValue(UNSAMPLED, identity));
}

/** The trace a context belongs to: its span's, or the unsampled identity kept with it; undefined when none. */
export function traceIdentity(ctx: Context = context.active()): SpanContext | undefined {
  const spanContext = trace.getSpan(ctx)?.spanContext();
  if (spanContext && trace.isSpanContextValid(spanContext)) return spanContext;
  return ctx.getValue(UNSAMPLED) as SpanContext | undefined;
}

/** The active trace id, or null when nothing is traced (telemetry off). */
export function activeTraceId(ctx: Context = context.active()): string | null {
  return traceIdentity(ctx)?.traceId ?? null;
}

/**
 * W3C trace context of the active span as a plain carrier (`traceparent`,
 * `tracestate`); for an unsampled request, its identity with flags 00 (the
 * propagator writes nothing while tracing is suppressed).
 */
export function injectContext(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  if (carrier.traceparent === undefined && isTracingSuppressed(ctx)) Object.assign(carrier, unsampledHeaders(ctx));
  return carrier;
}

/** The `traceparent` an unsampled request passes on, or nothing outside one. */
export function unsampledHeaders(ctx: Context = context.active()): Record<string, string> {
  const identity = ctx.getValue(UNSAMPLED) as SpanContext | undefined;
  if (!identity || !isTracingSuppressed(ctx)) return {};
  return { traceparent: `00-${identity.traceId}-${identity.spanId}-00` };
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
const UNRECORDED = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

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
  const ctx = parent ?? context.active();
  // Inside an unsampled request the span would record nothing: `fn` runs in
  // that context as it is, which stays free of spans (telemetry/http-server.ts).
  if (isTracingSuppressed(ctx)) return parent ? context.with(parent, () => fn(UNRECORDED)) : fn(UNRECORDED);
  return tracer.startActiveSpan(name, spanOptions, ctx, async (span) => {
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
