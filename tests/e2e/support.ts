// What the end-to-end tests share: where the running system (`make local`)
// lives, a client for the public API, and direct reads of each service's
// own store to check what really happened, and an order's trace in Jaeger.
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES, SERVICES, localServiceUrl } from '@shop/contracts';
import postgres from 'postgres';
import { waitForTrace, type FlatSpan } from '@shop/kit/test/jaeger';
import { jsonLines } from '@shop/kit/test/process';
import { podman, runContainer } from '../images/podman.ts';

export const GATEWAY_URL = process.env.GATEWAY_URL ?? localServiceUrl('gateway');
export const PAYMENT_URL = process.env.PAYMENT_URL ?? localServiceUrl('payment');
export const NOTIFICATION_URL = process.env.NOTIFICATION_URL ?? localServiceUrl('notification');
export const API_KEY = process.env.SHOP_API_KEY ?? 'local-dev-key';
const PG = `postgres://shop@${process.env.DATABASE_HOST ?? '127.0.0.1'}:${process.env.DATABASE_PORT ?? '5432'}`;

export const ordersDb = postgres(`${PG}/orders`, { max: 2, onnotice: () => {} });
export const inventoryDb = postgres(`${PG}/inventory`, { max: 2, onnotice: () => {} });
export const notificationsDb = postgres(`${PG}/notifications`, { max: 2, onnotice: () => {} });

export async function closeStores(): Promise<void> {
  await Promise.all([ordersDb.end(), inventoryDb.end(), notificationsDb.end()]);
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, any>;
}

/** A sampled W3C context the test controls, so it knows the trace id to look up. */
export function newTraceparent(): { traceparent: string; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, traceId };
}

export async function api(
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; key?: string | null } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers.authorization ??= `Bearer ${options.key ?? API_KEY}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(GATEWAY_URL + path, { method, headers, body, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let parsed: Record<string, any> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { unparsed: text };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export function placeOrder(body: Record<string, unknown>, options: { idempotencyKey?: string; headers?: Record<string, string> } = {}) {
  const headers = { ...options.headers };
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  return api('POST', '/api/orders', { body, headers });
}

/** A product of the test's own, so stock arithmetic is not disturbed by other tests. */
export async function createProduct(options: { priceCents: number; stock: number }): Promise<string> {
  const id = `TEST-${randomUUID().slice(0, 12).toUpperCase()}`;
  await inventoryDb`insert into products (id, name, price_cents, stock) values (${id}, ${`Test product ${id}`}, ${options.priceCents}, ${options.stock})`;
  return id;
}

export async function stockOf(productId: string): Promise<number> {
  const [row] = await inventoryDb`select stock from products where id = ${productId}`;
  return Number(row?.stock);
}

export async function paymentsFor(orderId: string): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${PAYMENT_URL}/payments?order_id=${encodeURIComponent(orderId)}`);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

export async function notificationsFor(orderId: string): Promise<Record<string, any>[]> {
  const response = await fetch(`${NOTIFICATION_URL}/notifications?order_id=${encodeURIComponent(orderId)}`);
  const body = (await response.json()) as { notifications: Record<string, any>[] };
  return body.notifications;
}

/** Polls `probe` until `done` holds or the deadline passes; returns the last value. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const uniqueUser = () => `user-${randomUUID().slice(0, 8)}`;
export const uniqueKey = () => randomUUID();

/** The OTel names of the five services, as their spans carry them. */
export const TRACED_SERVICES = SERVICE_NAMES.map((name) => SERVICES[name].otelName);

/** A span's ancestors in the trace, nearest first. */
export function ancestors(span: FlatSpan, byId: Map<string, FlatSpan>): FlatSpan[] {
  const chain: FlatSpan[] = [];
  for (let current = byId.get(span.parentSpanId); current; current = byId.get(current.parentSpanId)) chain.push(current);
  return chain;
}

/**
 * An order's whole trace from Jaeger. Each service exports on its own
 * schedule: this waits for every service, the send, and the Kafka hop's
 * chain back to the gateway to have arrived.
 */
export function waitForOrderTrace(traceId: string): Promise<FlatSpan[]> {
  const hopArrived = (spans: FlatSpan[]) => {
    const process = spans.find((s) => s.name === 'notification.process');
    return !!process && ancestors(process, new Map(spans.map((s) => [s.spanId, s]))).some((s) => s.name === 'gateway.createOrder');
  };
  return waitForTrace(traceId, {
    until: (spans) =>
      TRACED_SERVICES.every((name) => spans.some((s) => s.service === name)) && spans.some((s) => s.name === 'notification.send') && hopArrived(spans),
  });
}

/**
 * A product of its own (`stock` units at `priceCents`), and one order of
 * `quantity` of it placed with a sampled traceparent of our own: the answer,
 * the product and the trace id to read back from Jaeger.
 */
export async function placeTracedOrder(options: {
  priceCents: number;
  stock: number;
  quantity: number;
}): Promise<{ response: ApiResponse; productId: string; traceId: string }> {
  const productId = await createProduct({ priceCents: options.priceCents, stock: options.stock });
  const { traceparent, traceId } = newTraceparent();
  const response = await placeOrder(
    { user_id: uniqueUser(), product_id: productId, quantity: options.quantity, amount: (options.priceCents * options.quantity) / 100 },
    { idempotencyKey: uniqueKey(), headers: { traceparent } },
  );
  return { response, productId, traceId };
}

/** Where `make local` writes each service's output (`<service>.log`). */
export const LOG_DIR = join(process.env.SHOP_STATE_DIR ?? fileURLToPath(new URL('../../.local', import.meta.url)), 'logs');

const logFile = (service: string) => join(LOG_DIR, `${service}.log`);

/** Where the services' logs end at one moment: serviceLogLines reads only what came after it. */
export interface LogMark {
  at: string;
  bytes: Record<string, number>;
}

export function markServiceLogs(): LogMark {
  const bytes = Object.fromEntries(SERVICE_NAMES.map((service) => [service, existsSync(logFile(service)) ? statSync(logFile(service)).size : 0]));
  return { at: new Date().toISOString(), bytes };
}

/** The text of `path` from byte `offset` on (from the start if the file is now shorter: it was replaced); '' when missing. */
export function readFrom(path: string, offset: number): string {
  if (!existsSync(path)) return '';
  const size = statSync(path).size;
  const start = size >= offset ? offset : 0;
  const buffer = Buffer.alloc(size - start);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

/**
 * The five services' log lines since `mark`, parsed (lines that are not
 * JSON left out): make local's log files, or the containers' output in an
 * image run (make test-images sets SHOP_IMAGE_RUN).
 */
export function serviceLogLines(mark: LogMark): { service: string; line: Record<string, unknown> }[] {
  return SERVICE_NAMES.flatMap((service) => {
    const text = process.env.SHOP_IMAGE_RUN
      ? podman(['logs', '--since', mark.at, runContainer(service)], { allowFail: true })
      : readFrom(logFile(service), mark.bytes[service] ?? 0);
    return jsonLines(text).map((line) => ({ service, line }));
  });
}
