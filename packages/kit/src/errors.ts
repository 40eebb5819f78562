// The error model every service speaks: JSON `{ error, message, trace_id }`
// with the status that says what went wrong. Only HttpError messages reach
// clients; anything else becomes a generic 500 and is logged in full.

export class HttpError extends Error {
  readonly statusCode: number;
  /** Machine-readable code, stable across releases (the `error` field). */
  readonly code: string;
  readonly headers: Record<string, string>;
  /** Extra fields merged into the response body (e.g. the order id of a conflict). */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    options: { headers?: Record<string, string>; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.headers = options.headers ?? {};
    this.details = options.details;
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new HttpError(400, 'invalid_request', message, details ? { details } : {});
export const unauthorized = (message = 'missing or invalid API key') =>
  new HttpError(401, 'unauthorized', message, { headers: { 'www-authenticate': 'Bearer' } });
export const paymentRequired = (message: string, details?: Record<string, unknown>) =>
  new HttpError(402, 'payment_declined', message, details ? { details } : {});
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) => new HttpError(409, code, message, details ? { details } : {});
export const tooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(429, 'rate_limited', `rate limit exceeded, retry in ${retryAfterSeconds} s`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
export const serviceUnavailable = (message: string, cause?: unknown) =>
  new HttpError(503, 'service_unavailable', message, { cause, headers: { 'retry-after': '1' } });
export const badGateway = (message: string, cause?: unknown) => new HttpError(502, 'bad_gateway', message, { cause });
export const gatewayTimeout = (message: string, cause?: unknown) => new HttpError(504, 'upstream_timeout', message, { cause });

export interface ErrorBody {
  error: string;
  message: string;
  trace_id: string | null;
  [extra: string]: unknown;
}

/** Fastify's own client errors (bad JSON, body too large, ...) carry these codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_EMPTY_TYPE: { status: 400, code: 'invalid_request' },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, code: 'invalid_request' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_request' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'invalid_request' },
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

// PostgreSQL saying it cannot serve anyone right now (SQLSTATE), not that the
// query was wrong: shutting down or crashed (57P01 "terminating connection due
// to unexpected postmaster exit", 57P02), starting up or recovering (57P03
// "the database system is not yet accepting connections"), too many
// connections (53300), and class 08, connection exceptions. make chaos saw
// 57P01 and 57P03 answered as 500 around a PostgreSQL restart.
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
const isPostgresUnavailable = (code: string) => POSTGRES_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code);

// ioredis says "down" in names and messages rather than codes.
const REDIS_DOWN = /^(Connection is closed\.|Stream isn't writeable)/;

/** Whether an error means a dependency (database, cache, broker) could not be reached. */
export function isDependencyDown(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const { code, name, message } = current as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || isPostgresUnavailable(code))) return true;
    if (name === 'MaxRetriesPerRequestError' || (typeof message === 'string' && REDIS_DOWN.test(message))) return true;
    if (current instanceof AggregateError && current.errors.some(isDependencyDown)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export interface MappedError {
  statusCode: number;
  headers: Record<string, string>;
  body: Omit<ErrorBody, 'trace_id'>;
  /** True when the server is at fault (5xx other than a known unavailable dependency). */
  unexpected: boolean;
}

/** Maps any thrown value to the response a client should see. */
export function mapError(err: unknown): MappedError {
  if (err instanceof HttpError) {
    return {
      statusCode: err.statusCode,
      headers: err.headers,
      body: { ...err.details, error: err.code, message: err.message },
      unexpected: false,
    };
  }
  const e = err as { validation?: unknown; validationContext?: string; code?: string; statusCode?: number; message?: string };
  if (e && Array.isArray(e.validation)) {
    return { statusCode: 400, headers: {}, body: { error: 'invalid_request', message: e.message ?? 'invalid request' }, unexpected: false };
  }
  const known = e?.code ? FASTIFY_CODES[e.code] : undefined;
  if (known) {
    return { statusCode: known.status, headers: {}, body: { error: known.code, message: e.message ?? known.code }, unexpected: false };
  }
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { statusCode: e.statusCode, headers: {}, body: { error: 'invalid_request', message: e.message ?? 'invalid request' }, unexpected: false };
  }
  if (isDependencyDown(err)) {
    return {
      statusCode: 503,
      headers: { 'retry-after': '1' },
      body: { error: 'service_unavailable', message: 'a dependency is unavailable, retry later' },
      unexpected: false,
    };
  }
  return { statusCode: 500, headers: {}, body: { error: 'internal_error', message: 'internal error' }, unexpected: true };
}
