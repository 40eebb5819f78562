// OpenTelemetry bootstrap: the Node SDK configured from the standard OTEL_*
// variables (exporters, endpoint, sampler), plus the instrumentations every
// service needs. Started once per process, before Fastify is imported.
import { startNodeSdk } from '@opentelemetry/sdk-node';
import { context } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { FastifyInstrumentation } from '@opentelemetry/instrumentation-fastify';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { loadConfig, oneOf, optionalString, boolean } from '../config.ts';
import { spanProcessors } from './span-processors.ts';
import { endWithTheResponse } from './http-server.ts';

/** Probe and scrape paths: traced by nobody, they would drown the real traces. */
export const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export const FASTIFY_INSTRUMENTATIONS = ['fastify-otel', 'instrumentation-fastify'] as const;
export type FastifyInstrumentationChoice = (typeof FASTIFY_INSTRUMENTATIONS)[number];

export const telemetryConfigSpec = {
  disabled: boolean('OTEL_SDK_DISABLED', false),
  serviceName: optionalString('OTEL_SERVICE_NAME'),
  serviceVersion: optionalString('SERVICE_VERSION'),
  environment: optionalString('DEPLOYMENT_ENVIRONMENT'),
  // @fastify/otel is the maintained one; the deprecated upstream one stays
  // selectable for comparison. Exactly one of them is ever registered.
  fastify: oneOf('SHOP_FASTIFY_INSTRUMENTATION', FASTIFY_INSTRUMENTATIONS, 'fastify-otel'),
};

export interface TelemetryHandle {
  readonly enabled: boolean;
  readonly fastify: FastifyInstrumentationChoice | null;
  /** Whether services trace their incoming requests (telemetry/http-server.ts); off with telemetry, or `http` disabled. */
  readonly serverSpans: boolean;
  /** Whether the kit traces and measures its HTTP calls out (telemetry/http-client.ts); off with telemetry, or `undici` disabled. */
  readonly clientCalls: boolean;
  /** Whether the kit traces Kafka messages sent and consumed (telemetry/messaging.ts); off with telemetry, or `kafkajs` disabled. */
  readonly messageSpans: boolean;
  shutdown(): Promise<void>;
}

let handle: TelemetryHandle | undefined;

/** The instrumentations by the names OTEL_NODE_DISABLED_INSTRUMENTATIONS uses (as in auto-instrumentations-node). */
export const INSTRUMENTATION_NAMES = ['http', 'undici', 'kafkajs', 'ioredis', 'pino', 'fastify'] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];
/** Those an upstream instrumentation serves; `kafkajs` names the kit's own Kafka spans (telemetry/messaging.ts). */
export const UPSTREAM_INSTRUMENTATION_NAMES = ['http', 'undici', 'ioredis', 'pino', 'fastify'] as const satisfies readonly InstrumentationName[];
type UpstreamInstrumentationName = (typeof UPSTREAM_INSTRUMENTATION_NAMES)[number];

/**
 * OTLP log export is off unless OTEL_LOGS_EXPORTER names an exporter: the
 * logs of every deployment are the pino JSON lines on stdout (the collector
 * accepts OTLP logs and drops them, Jaeger takes none), and the bridge would
 * copy, encode and send every line of every request, sampled or not.
 */
export function exportsLogs(env: Record<string, string | undefined>): boolean {
  const names = (env.OTEL_LOGS_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return names.length > 0 && !names.includes('none');
}

export interface InstrumentationOptions {
  /** OTEL_NODE_DISABLED_INSTRUMENTATIONS, by name. */
  disabled?: ReadonlySet<string>;
  /** Whether log lines are exported over OTLP (the pino bridge is only registered then). */
  logs?: boolean;
}

export function buildInstrumentations(fastify: FastifyInstrumentationChoice, options: InstrumentationOptions = {}): Instrumentation[] {
  const disabled = new Set(options.disabled);
  if (!options.logs) disabled.add('pino');
  const all: Record<UpstreamInstrumentationName, () => Instrumentation> = {
    // Incoming requests are the kit's own (telemetry/http-server.ts): the
    // sampling decision made once, at the door. This one traces node:http
    // calls out, should a dependency make any.
    http: () => new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    // The kit's own calls are traced by the kit (telemetry/http-client.ts)
    // and run with tracing suppressed; this one traces fetch elsewhere.
    undici: () => new UndiciInstrumentation({ ignoreRequestHook: () => isTracingSuppressed(context.active()) }),
    ioredis: () => new IORedisInstrumentation({ requireParentSpan: true }),
    // trace_id/span_id go into log lines through our own pino mixin (logger.ts).
    pino: () => new PinoInstrumentation({ disableLogCorrelation: true }),
    fastify: () =>
      fastify === 'instrumentation-fastify'
        ? new FastifyInstrumentation()
        : (new FastifyOtelInstrumentation({
            registerOnInitialization: true,
            // The request span and the handler span are kept; a span for
            // each lifecycle hook (auth, rate limit, the kit's log and drain
            // hooks) doubles the spans of every request for timings no one
            // reads; what a hook does (a Redis call) still shows, under the
            // request span.
            instrumentHooks: false,
            // An unsampled request runs with tracing suppressed: its
            // request and handler spans would record nothing, so the
            // instrumentation steps aside instead of building them.
            ignorePaths: (route: { url: string }) => UNTRACED_PATHS.has(route.url) || isTracingSuppressed(context.active()),
            // Its request span would end at reply.send(), before the handler that called it.
            requestHook: (span, request) => endWithTheResponse(span, request.raw),
          }) as unknown as Instrumentation),
  };
  return UPSTREAM_INSTRUMENTATION_NAMES.filter((name) => !disabled.has(name)).map((name) => all[name]());
}

function disabledInstrumentations(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
}

/** Starts the SDK from the environment. Idempotent: the first call wins. */
export function startTelemetry(env: Record<string, string | undefined> = process.env): TelemetryHandle {
  if (handle) return handle;
  const config = loadConfig(telemetryConfigSpec, env);
  if (config.disabled) {
    handle = { enabled: false, fastify: null, serverSpans: false, clientCalls: false, messageSpans: false, shutdown: async () => {} };
    return handle;
  }
  const resourceAttributes: Record<string, string> = {};
  if (config.serviceName) resourceAttributes['service.name'] = config.serviceName;
  if (config.serviceVersion) resourceAttributes['service.version'] = config.serviceVersion;
  if (config.environment) resourceAttributes['deployment.environment.name'] = config.environment;
  const disabled = disabledInstrumentations(env.OTEL_NODE_DISABLED_INSTRUMENTATIONS);
  const logs = exportsLogs(env);
  const sdk = startNodeSdk({
    // The SDK's own info lines would go to stdout between our JSON log lines.
    logLevel: env.OTEL_LOG_LEVEL ?? 'warn',
    resourceAttributes,
    instrumentations: buildInstrumentations(config.fastify, { disabled, logs }),
    // Ours: span times to the microsecond (precise-span-times.ts), then the exporters the variables name.
    spanProcessors: spanProcessors(env),
    // No processors: no logger provider at all (the SDK's default is OTLP).
    ...(logs ? {} : { logRecordProcessors: [] }),
  });
  let closing: Promise<void> | undefined;
  handle = {
    enabled: true,
    fastify: disabled.has('fastify') ? null : config.fastify,
    serverSpans: !disabled.has('http'),
    clientCalls: !disabled.has('undici'),
    messageSpans: !disabled.has('kafkajs'),
    shutdown: () => (closing ??= sdk.shutdown().catch(() => {})),
  };
  return handle;
}

/** The running SDK, if any; services flush it on shutdown. */
export function telemetry(): TelemetryHandle | undefined {
  return handle;
}
