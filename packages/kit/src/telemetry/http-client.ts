// The client side of the kit's HTTP calls (http-client.ts), traced by the kit
// instead of the undici instrumentation, for the same reason as the server
// side: inside an unsampled request a call costs a histogram record and the
// `traceparent` with flags 00, no span work at all. A call made under a
// recorded span gets the CLIENT span `<METHOD>` with the semantic-convention
// attributes; every call, sampled or not, one `http.client.request.duration`
// measurement. The request itself then runs with tracing suppressed, which
// tells the undici instrumentation (still there for fetch outside the kit,
// such as the load generator's) to leave it alone.
import { context, metrics, propagation, trace, SpanKind, SpanStatusCode, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { isTracingSuppressed, suppressTracing } from '@opentelemetry/core';
import { recordError, unsampledHeaders } from './context.ts';
import { onFirstUse } from './on-first-use.ts';
import { telemetry } from './sdk.ts';

const tracer = trace.getTracer('@shop/kit/http-client');
const requestDuration = onFirstUse(() =>
  metrics.getMeter('@shop/kit/http-client').createHistogram('http.client.request.duration', {
    description: 'Duration of HTTP client requests.',
    unit: 's',
    // The semantic conventions' advice, as the undici instrumentation gives it.
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  }),
);

/** One call out, begun: the headers that carry its trace, and how it ended. */
export interface ClientCall {
  /** `traceparent` (and `tracestate`) for the request. */
  readonly headers: Record<string, string>;
  /** Runs the request itself: with tracing suppressed, so no instrumentation traces it twice. */
  run<T>(send: () => Promise<T>): Promise<T>;
  /** The answer's status, or why there was none. */
  end(outcome: { status: number } | { error: unknown }): void;
}

/** A call with telemetry off (or `undici` among the disabled instrumentations): nothing traced, measured or passed on. */
const UNTRACED: ClientCall = { headers: {}, run: (send) => send(), end: () => {} };

/** Begins the telemetry of one HTTP/1.1 request of `method` to `url`, under the active context. */
export function startClientCall(method: string, url: URL): ClientCall {
  if (telemetry()?.clientCalls === false) return UNTRACED;
  const ctx = context.active();
  const started = performance.now();
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const scheme = url.protocol.slice(0, -1);
  const attributes: Attributes = {
    'http.request.method': method,
    'server.address': url.hostname,
    'server.port': port,
    'url.scheme': scheme,
    'network.protocol.version': '1.1',
  };
  let span: Span | undefined;
  let headers: Record<string, string>;
  if (isTracingSuppressed(ctx)) {
    headers = unsampledHeaders(ctx);
  } else {
    // The sampler decides as it would for any span: under a recorded
    // parent it records; outside any request, the ratio.
    span = tracer.startSpan(method, { kind: SpanKind.CLIENT, attributes: { ...attributes, 'url.full': url.href } }, ctx);
    headers = {};
    propagation.inject(trace.setSpan(ctx, span), headers);
  }
  const quiet: Context = suppressTracing(ctx);
  return {
    headers,
    run: (send) => context.with(quiet, send),
    end(outcome) {
      const measured: Attributes = { ...attributes };
      if ('status' in outcome) {
        measured['http.response.status_code'] = outcome.status;
        if (outcome.status >= 400) measured['error.type'] = String(outcome.status);
      } else {
        const err = outcome.error as { code?: unknown; name?: unknown } | undefined;
        measured['error.type'] = typeof err?.code === 'string' ? err.code : typeof err?.name === 'string' ? err.name : 'Error';
      }
      requestDuration().record((performance.now() - started) / 1000, measured);
      if (!span?.isRecording()) return;
      if ('status' in outcome) {
        span.setAttribute('http.response.status_code', outcome.status);
        if (outcome.status >= 400) {
          span.setAttribute('error.type', String(outcome.status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      } else {
        recordError(span, outcome.error);
      }
      span.end();
    },
  };
}
