// The server side of HTTP, traced by the kit instead of the upstream HTTP
// instrumentation, so that head sampling is decided once, at the door, and
// an unsampled request costs next to nothing: it runs with tracing
// suppressed (every instrumentation returns at once), keeping only its trace
// identity for log lines and for the calls it makes (telemetry/context.ts).
// A sampled request gets the SERVER span `<method> <route>` with the
// semantic-convention attributes, and every request, sampled or not, one
// `http.server.request.duration` measurement.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { context, metrics, propagation, trace, ROOT_CONTEXT, SpanKind, SpanStatusCode, type Attributes, type Histogram } from '@opentelemetry/api';
import { RPCType, getRPCMetadata, setRPCMetadata, suppressTracing, type RPCMetadata } from '@opentelemetry/core';
import { unsampledContext } from './context.ts';

const tracer = trace.getTracer('@shop/kit/http-server');
let histogram: Histogram | undefined;
// Made on first use: the metrics API has no proxy meter.
function requestDuration(): Histogram {
  histogram ??= metrics.getMeter('@shop/kit/http-server').createHistogram('http.server.request.duration', {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  });
  return histogram;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

export interface ServerTracingOptions {
  /** Requests (probes, scrapes) that get neither span nor measurement. */
  ignore(path: string): boolean;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Wraps the server's request listeners: each request runs in its traced (or suppressed) context. */
export function traceIncomingRequests(server: Server, options: ServerTracingOptions): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  for (const listener of listeners) {
    server.on('request', function traced(this: Server, req: IncomingMessage, res: ServerResponse) {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (options.ignore(path)) {
        context.with(suppressTracing(ROOT_CONTEXT), () => listener.call(this, req, res));
        return;
      }
      const ctx = requestContext(req, res);
      context.with(ctx, () => {
        // Body and response events run from the socket, outside this
        // context: bound, so what they call continues the request.
        context.bind(ctx, req);
        context.bind(ctx, res);
        listener.call(this, req, res);
      });
    });
  }
}

/** Registers the route a request matched (the span's name and http.route); Fastify's onRequest hook calls it. */
export function setRequestRoute(route: string | undefined): void {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP && route !== undefined) rpc.route = route;
}

function requestContext(req: IncomingMessage, res: ServerResponse) {
  const started = performance.now();
  const method = KNOWN_METHODS.has(req.method ?? '') ? req.method! : '_OTHER';
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  // The sampler decides here (parent-based: the caller's flag, or the ratio
  // for a root); the attributes a sampler could read come along.
  const span = tracer.startSpan(method === '_OTHER' ? 'HTTP' : method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } }, parent);
  const recording = span.isRecording();
  const rpc: RPCMetadata = { type: RPCType.HTTP, span };
  const traced = setRPCMetadata(trace.setSpan(parent, span), rpc);
  res.once('close', () => {
    const status = res.statusCode;
    const route = (rpc as { route?: string }).route;
    const attributes: Attributes = { 'http.request.method': method, 'url.scheme': 'http', 'http.response.status_code': status };
    if (route !== undefined) attributes['http.route'] = route;
    if (status >= 500) attributes['error.type'] = String(status);
    requestDuration().record((performance.now() - started) / 1000, attributes);
    if (!recording) return;
    span.setAttributes({
      ...attributes,
      'url.path': (req.url ?? '/').split('?')[0] ?? '/',
      'network.protocol.version': req.httpVersion,
      ...(req.headers['user-agent'] ? { 'user_agent.original': req.headers['user-agent'] } : {}),
      ...(req.socket.remoteAddress ? { 'client.address': req.socket.remoteAddress } : {}),
    });
    if (route !== undefined) span.updateName(`${method === '_OTHER' ? 'HTTP' : method} ${route}`);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    else if (!res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before the response was complete' });
    span.end();
  });
  return recording ? traced : unsampledContext(traced, span.spanContext());
}
