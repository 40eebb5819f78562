// One POST /api/orders through the gateway, recorded whatever happens: the
// status (or why there was none), whether the body was the JSON error model,
// the order id and status it names, and how long it took.
export type Outcome = number | 'timeout' | 'network-error';

export interface OrderInput {
  userId: string;
  productId: string;
  quantity: number;
  idempotencyKey: string;
}

export interface AttemptAnswer {
  outcome: Outcome;
  latencyMs: number;
  /** The body parsed as a JSON object. */
  json: boolean;
  /** `error` of the JSON error model, when the answer was one. */
  error: string | undefined;
  orderId: string | undefined;
  /** The order's status as the body states it (`created`, `pending`, `failed`, ...). */
  orderStatus: string | undefined;
  retryAfterMs: number | undefined;
}

export interface Gateway {
  url: string;
  apiKey: string;
}

export async function attemptOrder(gateway: Gateway, order: OrderInput, timeoutMs: number): Promise<AttemptAnswer> {
  const started = performance.now();
  const none = { json: false, error: undefined, orderId: undefined, orderStatus: undefined, retryAfterMs: undefined };
  let response: Response;
  let text: string;
  try {
    response = await fetch(new URL('/api/orders', gateway.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${gateway.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': order.idempotencyKey,
        'user-agent': 'shop-chaos/0.1.0',
      },
      body: JSON.stringify({ user_id: order.userId, product_id: order.productId, quantity: order.quantity }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    const name = (err as { name?: string }).name;
    const outcome: Outcome = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network-error';
    return { outcome, latencyMs: performance.now() - started, ...none };
  }
  const latencyMs = performance.now() - started;
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    outcome: response.status,
    latencyMs,
    json: body !== undefined,
    error: typeof body?.error === 'string' ? body.error : undefined,
    orderId: typeof body?.order_id === 'string' ? body.order_id : undefined,
    orderStatus: typeof body?.status === 'string' ? body.status : undefined,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  };
}
