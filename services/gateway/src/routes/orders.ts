// POST /api/orders and GET /api/orders/:id, forwarded to order-service.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  CreateOrderHeaders,
  CreateOrderRequest,
  CreateOrderResponses,
  GetOrderResponses,
  OrderParams,
  SERVICES,
  type PlaceOrderRequest,
  SPANS,
} from '@shop/contracts';
import { badRequest, withSpan, type App, type HttpClient } from '@shop/kit';
import { callerKeyId } from '../auth/authenticate.ts';
import { toCents } from '../domain/money.ts';
import { relay } from './relay.ts';

export interface OrderRoutesOptions {
  order: HttpClient;
  /** Deadline for reads (GET /orders/:id); creation uses the client's own. */
  readTimeoutMs: number;
}

export async function orderRoutes(app: App, options: OrderRoutesOptions): Promise<void> {
  const { order } = options;

  const createOrder = {
    summary: 'Place an order',
    description:
      'Runs the saga (reserve stock, charge, confirm) and answers with its outcome. `amount`, when given, must equal price x quantity. Never retried by the gateway: send an Idempotency-Key to retry safely.',
    tags: ['orders'],
    body: CreateOrderRequest,
    headers: CreateOrderHeaders,
    response: CreateOrderResponses,
  };
  app.post('/orders', { schema: createOrder }, async (request, reply) => {
    const body = request.body;
    const forwarded: PlaceOrderRequest = { user_id: body.user_id, product_id: body.product_id, quantity: body.quantity };
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
    return withSpan(SPANS.gatewayCreateOrder, { attributes }, async (span) => {
      // The kit's HTTP client span sits beneath this one.
      const upstream = await withSpan(
        SPANS.gatewayCallOrderService,
        { kind: SpanKind.INTERNAL, attributes: { 'server.service.name': SERVICES.order.otelName } },
        () => order.post<Record<string, unknown>>('/orders', forwarded, idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': idempotencyKey } }),
      );
      span.setAttribute('http.response.status_code', upstream.status);
      const orderId = (upstream.body as { order_id?: unknown } | null)?.order_id;
      if (typeof orderId === 'string') span.setAttribute('order.id', orderId);
      if (upstream.headers.get('idempotent-replayed') === 'true') span.setAttribute('gateway.idempotent_replay', true);
      if (upstream.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `order-service answered ${upstream.status}` });
      return relay(reply, upstream, SERVICES.order.otelName);
    });
  });

  const getOrder = { summary: 'Read an order', tags: ['orders'], params: OrderParams, response: GetOrderResponses };
  app.get('/orders/:id', { schema: getOrder }, async (request, reply) => {
    const upstream = await order.get(`/orders/${encodeURIComponent(request.params.id)}`, { timeoutMs: options.readTimeoutMs });
    return relay(reply, upstream, SERVICES.order.otelName);
  });
}
