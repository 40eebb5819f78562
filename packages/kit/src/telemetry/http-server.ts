// The server side of HTTP, traced by the kit instead of the upstream HTTP
// instrumentation, so that head sampling is decided once, at the door, and
// an unsampled request costs next to nothing: it runs with tracing
// suppressed (every instrumentation returns at once), keeping only its trace
// identity for log lines and for the calls it makes (telemetry/context.ts).
// A sampled request gets the SERVER span `<method> <route>` with the
// semantic-convention attributes, and every request, sampled or not, one
// `http.server.request.duration` measurement (its buckets are the contract's:
// the order placement objectives are read from it, @shop/contracts
// objectives.ts). A response the server never finished (the connection
// closed first) is measured with error.type `connection_closed` and no status
// code: to its client it is no answer, and the availability objective counts it
// as a failure like a 5xx.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  context,
  createContextKey,
  metrics,
  propagation,
  trace,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { RPCType, getRPCMetadata, setRPCMetadata, suppressTracing, type RPCMetadata } from '@opentelemetry/core';
import { HTTP_SERVER_DURATION } from '@shop/contracts/objectives';
import { unsampledContext } from './context.ts';
import { onFirstUse } from './on-first-use.ts';

const tracer = trace.getTracer('@shop/kit/http-server');
const requestDuration = onFirstUse(() =>
  metrics.getMeter('@shop/kit/http-server').createHistogram('http.server.request.duration', {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...HTTP_SERVER_DURATION.buckets] },
  }),
);

const sampledParentsRefused = onFirstUse(() =>
  metrics.getMeter('@shop/kit/http-server').createCounter('http.server.sampled_parent.refused', {
    description: 'Requests whose caller asked for a sampled trace over its budget, continued unsampled.',
  }),
);

/** error.type of a request whose response was never finished: the connection closed first. */
export const CONNECTION_CLOSED = 'connection_closed';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/**
 * Whether a request whose caller says "sampled" (a `traceparent` with flag
 * 01) may have its trace recorded; false continues it unsampled. Anyone can
 * send that flag, so a service at the edge gives each client a budget
 * (telemetry/trace-budget.ts) instead of tracing whatever it is told to.
 */
export type SampledParentBudget = (req: IncomingMessage) => boolean;

export interface ServerTracingOptions {
  /** Requests (probes, scrapes) that get neither span nor measurement. */
  ignore(path: string): boolean;
  /** Asked for each request that arrives with a sampled parent; none means every such request is honoured. */
  sampledParentBudget?: SampledParentBudget | undefined;
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
      // The context names its request by a token, not the request itself: a
      // context outlives its request in whatever async work it started (a
      // pooled connection), and the request holds its headers' credentials.
      const token = {};
      const ctx = requestContext(req, res, options.sampledParentBudget).setValue(REQUEST, token);
      contexts.set(req, { ctx, token });
      context.with(ctx, () => listener.call(this, req, res));
    });
  }
}

/** Each traced request's context, for withRequestContext, and the token the context carries under REQUEST. */
const contexts = new WeakMap<IncomingMessage, { ctx: Context; token: object }>();
const REQUEST = createContextKey('@shop/kit incoming request');

/**
 * Runs `fn` in the context of the request `req`, unless it already runs in
 * it (or in one derived from it, such as a span's beneath). Body and
 * response events run from the socket, outside that context: Fastify's
 * hooks after the body (preValidation) and after the response (onResponse),
 * and its error paths, come back to it here, so the handler and what it
 * calls continue the request. Binding the request and response emitters
 * would do the same by wrapping every listener anyone adds to them, on every
 * request.
 */
export function withRequestContext<T>(req: IncomingMessage, fn: () => T): T {
  const entry = contexts.get(req);
  if (!entry || context.active().getValue(REQUEST) === entry.token) return fn();
  return context.with(entry.ctx, fn);
}

/** Registers the route a request matched (the span's name and http.route); Fastify's onRequest hook calls it. */
export function setRequestRoute(route: string | undefined): void {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP && route !== undefined) rpc.route = route;
}

/**
 * The caller's context, with its sampled flag cleared when the budget says
 * no: the trace id and the parent span id stay (log lines and the calls
 * this request makes still name the caller's trace), only the recording is
 * declined, and the parent-based sampler follows the cleared flag.
 */
function callerContext(req: IncomingMessage, budget: SampledParentBudget | undefined): Context {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const remote = trace.getSpanContext(parent);
  if (!budget || !remote || !(remote.traceFlags & TraceFlags.SAMPLED) || budget(req)) return parent;
  sampledParentsRefused().add(1);
  return trace.setSpanContext(parent, { ...remote, traceFlags: remote.traceFlags & ~TraceFlags.SAMPLED });
}

/** Each traced request's response, for endWithTheResponse. */
const responses = new WeakMap<IncomingMessage, ServerResponse>();

/**
 * Ends `span` when the response to `req` has been written (or its connection
 * closed), however early its end() is called. @fastify/otel ends its request
 * span in onSend, the moment a handler calls reply.send(), while the handler
 * (whose span is the request span's child) is still running: that child
 * would end after its parent. Written, the response is done and so is the
 * handler; the SERVER span ends on 'close', after this.
 */
export function endWithTheResponse(span: Span, req: IncomingMessage): void {
  const res = responses.get(req);
  if (!res || !span.isRecording()) return;
  const end = span.end.bind(span);
  let asked = false;
  let ended = false;
  let done = res.writableFinished || res.destroyed;
  const endOnce = () => {
    if (ended) return;
    ended = true;
    end();
  };
  const finish = () => {
    done = true;
    if (asked) endOnce();
  };
  res.once('finish', finish);
  // Before the SERVER span's own 'close' listener: a child ends first.
  res.prependOnceListener('close', finish);
  span.end = () => {
    asked = true;
    if (done) endOnce();
  };
}

function requestContext(req: IncomingMessage, res: ServerResponse, budget: SampledParentBudget | undefined) {
  responses.set(req, res);
  const started = performance.now();
  const method = KNOWN_METHODS.has(req.method ?? '') ? req.method! : '_OTHER';
  const parent = callerContext(req, budget);
  // The sampler decides here (parent-based: the caller's flag, or the ratio
  // for a root); the attributes a sampler could read come along.
  const span = tracer.startSpan(method === '_OTHER' ? 'HTTP' : method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } }, parent);
  const recording = span.isRecording();
  const rpc: RPCMetadata = { type: RPCType.HTTP, span };
  res.once('close', () => {
    const status = res.statusCode;
    const route = (rpc as { route?: string }).route;
    const answered = res.writableFinished;
    const attributes: Attributes = { 'http.request.method': method, 'url.scheme': 'http' };
    if (res.headersSent) attributes['http.response.status_code'] = status;
    if (route !== undefined) attributes['http.route'] = route;
    if (status >= 500 && res.headersSent) attributes['error.type'] = String(status);
    else if (!answered) attributes['error.type'] = CONNECTION_CLOSED;
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
    if (status >= 500 && res.headersSent) span.setStatus({ code: SpanStatusCode.ERROR });
    else if (!answered) span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before the response was complete' });
    span.end();
  });
  if (recording) return setRPCMetadata(trace.setSpan(parent, span), rpc);
  // No span in an unsampled context, not even the unrecorded one: an
  // instrumentation that looks for a parent span (ioredis) then returns at
  // once instead of building a span that records nothing.
  return unsampledContext(setRPCMetadata(trace.deleteSpan(parent), rpc), span.spanContext());
}
