// POST /api/orders and GET /api/orders/:id, forwarded to order-service.
import { Type } from '@sinclair/typebox';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { IdempotencyKey, badRequest, withSpan, type App, type HttpClient } from '@shop/kit';
import { callerKeyId } from '../auth/authenticate.ts';
import { MAX_AMOUNT, toCents } from '../domain/money.ts';
import { OrderId, ProductId, UserId } from '../domain/ids.ts';
import { relay } from './relay.ts';

const CreateOrderBody = Type.Object(
  {
    user_id: UserId,
    product_id: ProductId,
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    // Major units, as the client expects to pay (59.98); at most two decimals.
    amount: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_AMOUNT })),
  },
  { additionalProperties: false },
);

const CreateOrderHeaders = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) });

interface OrderRequest {
  user_id: string;
  product_id: string;
  quantity: number;
  amount_cents?: number;
}

export interface OrderRoutesOptions {
  order: HttpClient;
  /** Deadline for reads (GET /orders/:id); creation uses the client's own. */
  readTimeoutMs: number;
}

export async function orderRoutes(app: App, options: OrderRoutesOptions): Promise<void> {
  const { order } = options;

  app.post('/orders', { schema: { body: CreateOrderBody, headers: CreateOrderHeaders } }, async (request, reply) => {
    const body = request.body;
    const forwarded: OrderRequest = { user_id: body.user_id, product_id: body.product_id, quantity: body.quantity };
    if (body.amount !== undefined) {
      const cents = toCents(body.amount);
      if (cents === undefined) throw badRequest('amount must be a positive number with at most two decimals');
      forwarded.amount_cents = cents;
    }
    const idempotencyKey = request.headers['idempotency-key'];
    const attributes = {
      'product.id': body.product_id,
      'order.quantity': body.quantity,
      'gateway.api_key.id': callerKeyId(request),
      'gateway.idempotency_key.present': idempotencyKey !== undefined,
    };
    return withSpan('gateway.createOrder', { attributes }, async (span) => {
      // The HTTP client span of the undici instrumentation sits beneath this one.
      const upstream = await withSpan(
        'gateway.callOrderService',
        { kind: SpanKind.INTERNAL, attributes: { 'peer.service': 'order-service' } },
        () => order.post<Record<string, unknown>>('/orders', forwarded, idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': idempotencyKey } }),
      );
      span.setAttribute('http.response.status_code', upstream.status);
      const orderId = (upstream.body as { order_id?: unknown } | null)?.order_id;
      if (typeof orderId === 'string') span.setAttribute('order.id', orderId);
      if (upstream.headers.get('idempotent-replayed') === 'true') span.setAttribute('gateway.idempotent_replay', true);
      if (upstream.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `order-service answered ${upstream.status}` });
      return relay(reply, upstream, 'order-service');
    });
  });

  app.get('/orders/:id', { schema: { params: Type.Object({ id: OrderId }) } }, async (request, reply) => {
    const upstream = await order.get(`/orders/${encodeURIComponent(request.params.id)}`, { timeoutMs: options.readTimeoutMs });
    return relay(reply, upstream, 'order-service');
  });
}
