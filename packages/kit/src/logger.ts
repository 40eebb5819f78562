// pino options shared by every service: JSON lines that carry the active
// trace and span ids, and never a credential.
import { traceIdentity } from './telemetry/context.ts';
import type { FastifyBaseLogger } from 'fastify';
import { pino, type LoggerOptions, type DestinationStream } from 'pino';

/** Paths pino blanks out wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'authorization',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'databaseUrl',
  '*.databaseUrl',
];

export function traceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = traceIdentity();
  if (!spanContext) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

export function loggerOptions(service: string, level = process.env.LOG_LEVEL ?? 'info'): LoggerOptions {
  return {
    level,
    // The resource attribute's name: the OTLP log bridge keeps the field as is.
    base: { 'service.name': service },
    messageKey: 'msg',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    // Our own mixin rather than the pino instrumentation's correlation: it
    // works whether or not the ESM loader hook patched pino.
    mixin: traceFields,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}

export type LogDestination = DestinationStream;

/**
 * What background work beside the server (a relay, a sweep, a retry loop)
 * logs through: a child of app.log in a service, a capture in tests.
 */
export type Logger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

/**
 * stdout for a service's log lines, written asynchronously: pino's default
 * makes one blocking write(2) per line on the event loop; here lines written
 * while a write is in flight go out together in the next one. pino flushes
 * what is left when the process exits (exit, a fatal error, the SIGTERM
 * drain); only a SIGKILL can cut the last write short.
 */
export function stdoutLogStream(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}
