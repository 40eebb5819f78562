// The Fastify server every service starts from: JSON error model, health and
// readiness, trace-aware logs, body limits, and a graceful SIGTERM drain.
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { trace, context } from '@opentelemetry/api';
import { loggerOptions, stdoutLogStream, type LogDestination } from './logger.ts';
import { mapError } from './errors.ts';
import { drainUnreadBody, hasUnreadBody } from './unread-body.ts';
import { answerClientError, answerProtocolRequests } from './protocol-errors.ts';
import { activeTraceId, recordError } from './telemetry/context.ts';
import { setRequestRoute, traceIncomingRequests, withRequestContext, type SampledParentBudget } from './telemetry/http-server.ts';
import { UNTRACED_PATHS, telemetry } from './telemetry/sdk.ts';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** A named check of one dependency; throws (or rejects) when it is not usable. */
export type ReadinessCheck = () => Promise<unknown>;

/**
 * Where a service's log lines go and from which level. Every app's deps
 * carry these and hand them to createService as they are: unset means the
 * default (stdout, LOG_LEVEL or info).
 */
export interface LogOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: LogDestination | undefined;
  logLevel?: string | undefined;
}

export interface ServiceOptions extends LogOptions {
  /** OpenTelemetry service.name, also the `service` field of every log line. */
  name: string;
  /** Dependencies that must answer for /readyz to say ready. */
  readiness?: Record<string, ReadinessCheck>;
  /** Largest accepted request body, bytes. */
  bodyLimit?: number;
  /** Per-check timeout for /readyz. */
  readinessTimeoutMs?: number;
  /** Longest a request may take before the server answers 503 itself. */
  requestTimeoutMs?: number;
  /**
   * How many sampled traces each client may ask for (telemetry/trace-budget.ts);
   * unset, a caller's sampled `traceparent` is always honoured. Services at
   * the edge set it.
   */
  sampledTraceBudget?: SampledParentBudget;
  /** Paths besides the probes that are never traced (the storefront's span proxy: tracing it would trace every export). */
  untracedPaths?: readonly string[];
  /**
   * Reverse proxies (IP addresses, CIDR ranges: the config's addressRanges)
   * whose X-Forwarded-For is believed. Fastify's trustProxy: `request.ip`
   * is then the nearest address in the chain that is not a trusted proxy,
   * so a client cannot choose its own by sending the header, and Fastify
   * also reads `request.host` and `request.protocol` from X-Forwarded-Host
   * and -Proto of those proxies. Unset or empty: no proxy is trusted and
   * `request.ip` is the connection's peer, as without the option.
   */
  trustProxy?: readonly string[];
}

const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * How long an idle keep-alive connection stays open, said to clients in
 * each answer's `Keep-Alive: timeout=5`: they drop an idle connection before
 * that (undici, the kit's client, takes a second or two off the hint).
 */
const KEEP_ALIVE_MS = 5_000;
/**
 * After SIGTERM, how long the server goes on answering (each answer saying
 * `connection: close`, readiness 503) while clients still hold connections,
 * before it closes. Longer than any client keeps an idle connection to us,
 * so it never closes one under a request a client is sending just then:
 * that race made a request fail during a rolling update.
 */
const LINGER_MS = KEEP_ALIVE_MS + 1_000;

/** Turns on each app's drain (readiness 503, `connection: close` on every answer); runService calls it on SIGTERM. */
const beginDrain = new WeakMap<object, () => void>();

export function createService(options: ServiceOptions): App {
  const logger = {
    ...loggerOptions(options.name, options.logLevel),
    stream: options.logStream ?? stdoutLogStream(),
  };
  const app = Fastify({
    logger,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Requests that stall are cut rather than left to pile up.
    connectionTimeout: 30_000,
    keepAliveTimeout: KEEP_ALIVE_MS,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // A request read during the drain is served like any other (its answer
    // says `connection: close`); readiness already steers new traffic away.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // What the HTTP parser or the router refuses still gets the error contract.
    clientErrorHandler: answerClientError,
    frameworkErrors: (err, request, reply) => withRequestContext(request.raw, () => sendError(err, request, reply)),
    // One line per request comes from our onResponse hook instead.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: {
      customOptions: {
        // Wrong types are rejected, not silently converted; unknown fields too.
        coerceTypes: false,
        removeAdditional: false,
        allErrors: false,
      },
    },
    routerOptions: { maxParamLength: 200 },
    ...(options.trustProxy?.length ? { trustProxy: [...options.trustProxy] } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  answerProtocolRequests(app.server, app.log);
  if (telemetry()?.serverSpans) {
    const untraced = new Set([...UNTRACED_PATHS, ...(options.untracedPaths ?? [])]);
    traceIncomingRequests(app.server, { ignore: (path) => untraced.has(path), sampledParentBudget: options.sampledTraceBudget });
    // The matched route names the SERVER span (the Fastify instrumentations set it too; this holds without them).
    app.addHook('onRequest', (request, _reply, done) => {
      setRequestRoute(request.routeOptions.url);
      done();
    });
    // After the body and after the response, the request's context again
    // (socket events run outside it): first of their hooks, so the rest, the
    // handler and its calls follow it.
    app.addHook('preValidation', (request, _reply, done) => withRequestContext(request.raw, done));
    app.addHook('onResponse', (request, _reply, done) => withRequestContext(request.raw, done));
  }
  app.setErrorHandler((err, request, reply) => withRequestContext(request.raw, () => sendError(err, request, reply)));

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: 'not_found',
      message: `no route for ${request.method} ${request.url.split('?')[0]}`,
      trace_id: activeTraceId(),
    });
  });

  // One log line per finished request, with its duration and the trace id;
  // its fields are the HTTP conventions' (contracts' attributes.ts).
  app.addHook('onResponse', (request, reply, done) => {
    if (!request.url.startsWith('/healthz') && !request.url.startsWith('/readyz')) {
      request.log.info(
        {
          'http.request.method': request.method,
          'http.route': request.routeOptions.url,
          'http.response.status_code': reply.statusCode,
          duration_ms: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });

  let draining = false;
  beginDrain.set(app, () => {
    draining = true;
  });
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // Keep-alive connections of requests still in flight would hold close()
    // open until their idle timeout: tell those clients to hang up.
    if (draining) void reply.header('connection', 'close');
    // An answer before the body was read (the key check's 401, a 413 by
    // Content-Length): the rest is read first, or closing the connection
    // would reset it under the answer (unread-body.ts).
    if (hasUnreadBody(request.raw)) await drainUnreadBody(request.raw);
    return payload;
  });

  app.get('/healthz', { config: { otel: false } }, async () => ({ status: 'ok' }));

  const checks = Object.entries(options.readiness ?? {});
  const timeoutMs = options.readinessTimeoutMs ?? 2000;
  app.get('/readyz', { config: { otel: false } }, async (_request, reply) => {
    if (draining) return reply.code(503).send({ status: 'shutting_down', checks: {} });
    const results = await Promise.all(
      checks.map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs, `${name} did not answer within ${timeoutMs} ms`);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, `down: ${describe(err)}`] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });

  return app as App;
}

/** Answers any thrown value with the error contract, logging and recording what the server is to blame for. */
function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const mapped = mapError(err);
  const span = trace.getSpan(context.active());
  if (mapped.unexpected) {
    request.log.error({ err }, 'unhandled error');
    if (span) recordError(span, err);
  } else if (mapped.statusCode >= 500) {
    request.log.warn({ error: { message: (err as Error).message, code: (err as { code?: unknown }).code } }, 'dependency error');
    if (span) recordError(span, err);
  }
  void reply
    .code(mapped.statusCode)
    .headers(mapped.headers)
    .send({ ...mapped.body, trace_id: activeTraceId() });
}

function describe(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (err instanceof AggregateError) return err.errors.map(describe).join(', ');
  return typeof e?.message === 'string' && e.message ? e.message : String(err);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface RunOptions {
  port: number;
  host?: string;
  /** Longest the drain may take before the process gives up and exits 1. */
  shutdownTimeoutMs?: number;
  /** Longest the server goes on answering after SIGTERM while clients hold connections (LINGER_MS). */
  lingerMs?: number;
}

/** Resolves once no connection is open to `server`, or after `ms`. */
async function lingerWhileConnected(server: App['server'], ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await new Promise<number>((resolve) => server.getConnections((err, count) => resolve(err ? 0 : count)));
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Listens, and on SIGTERM/SIGINT drains: readiness turns 503 and every
 * answer says `connection: close`; the server goes on answering until its
 * clients have let their connections go (at most LINGER_MS), then stops
 * listening, lets in-flight requests finish, runs the close hooks, flushes
 * telemetry and exits 0.
 */
export async function runService(app: App, options: RunOptions): Promise<void> {
  await app.listen({ port: options.port, host: options.host ?? '0.0.0.0' });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, options.shutdownTimeoutMs ?? 15_000);
    timer.unref();
    try {
      beginDrain.get(app)?.();
      await lingerWhileConnected(app.server, options.lingerMs ?? LINGER_MS);
      await app.close();
      await telemetry()?.shutdown();
      app.log.info('shutdown complete');
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
