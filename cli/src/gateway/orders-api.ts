// The gateway's public order API (POST /api/orders), as shopctl calls it.
import { randomUUID } from 'node:crypto';
import { CliError, describeError } from '../cli/errors.ts';

/** Shows in the gateway's spans (user_agent.original), so CLI traffic is recognisable in traces. */
export const USER_AGENT = 'shopctl/0.1.0';

export interface Gateway {
  url: string;
  /** Sent as a bearer token; never printed. */
  apiKey: string;
}

export interface OrderInput {
  userId: string;
  productId: string;
  quantity: number;
  /** Optional client-side total in dollars; the gateway rejects one that disagrees with the price. */
  amount?: number;
}

export interface OrderAnswer {
  status: number;
  body: Record<string, unknown>;
  latencyMs: number;
  /** The gateway answered from its idempotency record (same key as an earlier order). */
  replayed?: boolean;
}

export interface OrderCallOptions {
  traceparent?: string;
  idempotencyKey?: string;
  timeoutMs?: number;
}

export function orderBody(order: OrderInput): Record<string, unknown> {
  const body: Record<string, unknown> = { user_id: order.userId, product_id: order.productId, quantity: order.quantity };
  if (order.amount !== undefined) body.amount = order.amount;
  return body;
}

/** One order. Any HTTP answer is returned; only "no answer at all" throws (one clear line). */
export async function placeOrder(gateway: Gateway, order: OrderInput, options: OrderCallOptions = {}): Promise<OrderAnswer> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const headers: Record<string, string> = {
    authorization: `Bearer ${gateway.apiKey}`,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    // A retry of the same command must not order twice: every call is its own key unless told otherwise.
    'idempotency-key': options.idempotencyKey ?? randomUUID(),
  };
  if (options.traceparent) headers.traceparent = options.traceparent;
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(new URL('/api/orders', gateway.url), {
      method: 'POST',
      headers,
      body: JSON.stringify(orderBody(order)),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new CliError(`the gateway at ${gateway.url} did not answer within ${timeoutMs / 1000} s`);
    }
    throw new CliError(`the gateway at ${gateway.url} is unreachable: ${describeError(error)}`);
  }
  const text = await response.text();
  const latencyMs = performance.now() - started;
  let body: Record<string, unknown>;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { error: 'not_json', message: text.slice(0, 200) };
  }
  return { status: response.status, body, latencyMs, replayed: response.headers.get('idempotent-replayed') === 'true' };
}

/** "409 insufficient_stock: only 3 left" from an error answer. */
export function describeRejection(answer: OrderAnswer): string {
  const { error, message } = answer.body as { error?: string; message?: string };
  return `HTTP ${answer.status}${error ? ` ${error}` : ''}${message ? `: ${message}` : ''}`;
}
