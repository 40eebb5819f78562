// Service-to-service HTTP on undici's request API: a deadline on every call,
// bounded retries with backoff for idempotent calls, and each attempt traced
// and measured by the kit (telemetry/http-client.ts), which also puts the
// trace context in its `traceparent`. Not fetch: the same undici underneath, without fetch's WHATWG
// layers (Request, Response, Headers, streams) on every call; every order
// makes four of these calls, and the switch took the bench setup from 112 to
// 137 orders/s (docs/proof.md).
import { Agent, request, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { gatewayTimeout, serviceUnavailable } from './errors.ts';
import { startClientCall } from './telemetry/http-client.ts';

export interface HttpClientOptions {
  /** Base URL of the peer, e.g. http://127.0.0.1:8082 */
  baseUrl: string;
  /** Peer's name, used in error messages ("inventory-service unavailable"). */
  peer: string;
  timeoutMs?: number;
  /** Extra attempts for idempotent calls (so 2 means at most 3 attempts). */
  retries?: number;
  backoffMs?: number;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** Safe to send twice. GET/HEAD/PUT/DELETE are; POST only when the peer dedupes it. */
  idempotent?: boolean;
  timeoutMs?: number;
}

/** Response headers, read by name (case-insensitive). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface HttpResponse<T> {
  status: number;
  body: T;
  headers: ResponseHeaders;
}

// One keep-alive pool per process for every peer. Idle connections are
// dropped after 4 s, well inside the servers' keep-alive (Fastify's 72 s): the
// client hangs up first and never reuses a socket the server just closed.
let sharedAgent: Dispatcher | undefined;
function agent(): Dispatcher {
  sharedAgent ??= new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 10_000, connections: 128 });
  return sharedAgent;
}

function headerReader(raw: IncomingHttpHeaders): ResponseHeaders {
  return {
    get(name) {
      const value = raw[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export class HttpClient {
  readonly options: Required<HttpClientOptions>;

  constructor(options: HttpClientOptions) {
    this.options = { timeoutMs: 2000, retries: 2, backoffMs: 50, ...options, baseUrl: options.baseUrl.replace(/\/$/, '') };
  }

  get<T>(path: string, options: RequestOptions = {}) {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }

  /**
   * Any HTTP answer is returned as is (callers decide what a 4xx means);
   * a peer that cannot be reached throws 503, one that is too slow 504.
   */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const attempts = 1 + (idempotent ? this.options.retries : 0);
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.once<T>(method, path, options);
        if (attempt >= attempts || !RETRYABLE_STATUS.has(response.status)) return response;
      } catch (err) {
        if (attempt >= attempts) throw this.unreachable(err, options);
      }
      await sleep(this.backoff(attempt));
    }
  }

  private unreachable(err: unknown, options: RequestOptions): Error {
    if (isTimeout(err)) {
      return gatewayTimeout(`${this.options.peer} did not answer within ${options.timeoutMs ?? this.options.timeoutMs} ms`, err);
    }
    return serviceUnavailable(`${this.options.peer} is unavailable`, err);
  }

  private async once<T>(method: string, path: string, options: RequestOptions): Promise<HttpResponse<T>> {
    const url = new URL(this.options.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const call = startClientCall(method, url);
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers, ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    // One deadline for the whole exchange, body included: a timer of our
    // own, cleared when the answer is in (AbortSignal.timeout keeps each
    // request's timer until it fires, long after the answer, and then builds
    // a TimeoutError for nobody).
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await call.run(() =>
        request(url, {
          method: method as Dispatcher.HttpMethod,
          headers,
          body,
          dispatcher: agent(),
          signal: controller.signal,
        }),
      );
      text = await response.body.text();
    } catch (err) {
      call.end({ error: err });
      throw err;
    } finally {
      clearTimeout(timer);
    }
    call.end({ status: response.statusCode });
    const responseHeaders = headerReader(response.headers);
    let parsed: unknown = text;
    if (text && responseHeaders.get('content-type')?.includes('application/json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.statusCode, body: parsed as T, headers: responseHeaders };
  }

  private backoff(attempt: number): number {
    const base = this.options.backoffMs * 2 ** (attempt - 1);
    return base / 2 + Math.random() * base;
  }
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
