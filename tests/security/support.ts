// What the security tests share: where the running system (`make local`)
// keeps its pids and logs, the public error contract, request pacing under
// the per-key rate limit, and extra gateway processes started from the real
// entry point (`node --import @shop/kit/telemetry/register src/main.ts`)
// with their own key and limits, so a test never spends the shared key's
// budget or changes the shared gateway.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { localServiceUrl } from '@shop/contracts';
import { freePort } from '@shop/kit/test/process';
import type { RawOutcome } from '@shop/kit/test/raw-http';

export { API_KEY, GATEWAY_URL, LOG_DIR } from '../e2e/support.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const GATEWAY_DIR = `${ROOT}services/gateway`;
export const RUN_DIR = `${ROOT}.local/run`;
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const OTLP_ENDPOINT = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318';

/** The public API's body limit (README: 413 over 16 KiB). */
export const BODY_LIMIT = 16 * 1024;

/** Every `error` code the public API documents (README, error table). */
export const DOCUMENTED_ERRORS = new Set([
  'invalid_request',
  'invalid_json',
  'amount_mismatch',
  'unauthorized',
  'payment_declined',
  'not_found',
  'insufficient_stock',
  'idempotency_conflict',
  'request_in_progress',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'bad_gateway',
  'service_unavailable',
  'upstream_timeout',
]);

/** The pid of the shared gateway, as `make local` recorded it. */
export function sharedGatewayPid(): number {
  return Number(readFileSync(`${RUN_DIR}/gateway.pid`, 'utf8').trim());
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Asserts an answer is the public error contract: JSON `{ error, message,
 * trace_id }` with a documented `error` code, a string message, and a trace id
 * that is 32 hex digits or null. HEAD answers carry no body; only their
 * content type is checked.
 */
export function assertErrorContract(outcome: RawOutcome, what: string, method = 'GET'): void {
  assert.equal(outcome.kind, 'answer', `${what}: no HTTP answer (${JSON.stringify(outcome)})`);
  if (outcome.kind !== 'answer') return;
  assert.match(outcome.headers.get('content-type')?.[0] ?? '', /^application\/json/, `${what}: content-type`);
  if (method === 'HEAD') return;
  const body = outcome.json as Record<string, unknown> | undefined;
  assert.ok(body && typeof body === 'object' && !Array.isArray(body), `${what}: body is not a JSON object: ${outcome.text.slice(0, 200)}`);
  assert.ok(
    typeof body.error === 'string' && DOCUMENTED_ERRORS.has(body.error),
    `${what}: error ${JSON.stringify(body.error)} is not a documented code: ${outcome.text.slice(0, 200)}`,
  );
  assert.equal(typeof body.message, 'string', `${what}: message`);
  assert.ok('trace_id' in body, `${what}: no trace_id: ${outcome.text.slice(0, 200)}`);
  assert.ok(
    body.trace_id === null || (typeof body.trace_id === 'string' && /^[0-9a-f]{32}$/.test(body.trace_id)),
    `${what}: trace_id ${JSON.stringify(body.trace_id)}`,
  );
  assert.ok(!/\n\s+at .+\(.+:\d+:\d+\)/.test(outcome.text), `${what}: a stack trace reached the client`);
}

/** A 429 must be the limiter's: the contract body plus a whole-second Retry-After >= 1. */
export function assertLimiterAnswer(outcome: RawOutcome, what: string): void {
  assertErrorContract(outcome, what);
  if (outcome.kind !== 'answer') return;
  assert.equal((outcome.json as { error?: string }).error, 'rate_limited', what);
  const retryAfter = outcome.headers.get('retry-after')?.[0] ?? '';
  assert.match(retryAfter, /^[1-9]\d*$/, `${what}: Retry-After ${JSON.stringify(retryAfter)}`);
}

/**
 * Spaces request starts at least `intervalMs` apart: the shared key may send
 * 50/s (bursts of 100), and these tests mean to exercise validation, not the
 * limiter.
 */
export class Pacer {
  private next = 0;
  async slot(intervalMs: number): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + intervalMs;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

export interface GatewayProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the process wrote (stdout and stderr), so far. */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM (if still running) and resolves with the exit. */
  stop: () => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts one more gateway exactly as `make local` does (same peers, same
 * Redis, telemetry on) on a free port, with the given overrides (its own
 * SHOP_API_KEY, rate limits), and waits until it is ready (Redis connected).
 */
export async function startGateway(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const inherited = { ...process.env };
  // Neither the runner's own key settings nor its test-runner context leak in.
  for (const name of ['SHOP_API_KEY', 'SHOP_API_KEY_HASHES', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']) delete inherited[name];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', '@shop/kit/telemetry/register', 'src/main.ts'], {
    cwd: GATEWAY_DIR,
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      OTEL_SERVICE_NAME: 'gateway',
      OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1.0',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      DEPLOYMENT_ENVIRONMENT: 'local',
      REDIS_URL,
      ORDER_URL: process.env.ORDER_URL ?? localServiceUrl('order'),
      INVENTORY_URL: process.env.INVENTORY_URL ?? localServiceUrl('inventory'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`gateway exited during start: ${output}`);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway not ready after 30 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    child,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A key no other test or process uses, recognisable in any log or span it leaks into. */
export function distinctiveKey(purpose: string): string {
  return `sec-${purpose}-${crypto.randomUUID().replaceAll('-', '')}`;
}

/** Percent-encodes every byte of the UTF-8 form except RFC 3986 unreserved characters (lone surrogates become U+FFFD). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}
