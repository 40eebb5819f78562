// POST /checkout: the product page's click places the order. The fetch that
// brings it carries the browser's `traceparent`; the kit's door continues
// that trace (within the client's budget), and the call to the gateway
// carries it on, so the click and the whole saga are one trace. The
// shopper (cookie) is the order's user_id and the checkout key its
// Idempotency-Key: the same checkout sent twice is the same order.
//
// GET /orders/:id/state: what the order page polls: the order's state and
// its trace, rendered.
import { MAX_QUANTITY, OrderParams, ProductId, STOREFRONT_SPANS, type Order } from '@shop/contracts';
import { HttpError, traceIdentity, withSpan, type App } from '@shop/kit';
import { Type } from '@sinclair/typebox';
import { limitPerClient, type ClientLimit } from '../client-limits.ts';
import type { Gateway } from '../gateway.ts';
import type { TraceReader } from '../order-trace.ts';
import { statusPart, traceComplete, tracePart } from '../pages/order.ts';
import { checkoutRefusal, isUnavailable, orderStatusMessage } from '../shopper-messages.ts';
import { CHECKOUT_KEY_PATTERN, isLiveCheckoutKey, newCheckoutKey, shopperOf } from '../shopper.ts';
import { OrderQuery, shoppersOrder } from './pages.ts';

export const CheckoutRequest = Type.Object(
  {
    product_id: ProductId,
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    checkout_key: Type.String({ pattern: CHECKOUT_KEY_PATTERN }),
  },
  { additionalProperties: false },
);

export interface OrderRouteOptions {
  gateway: Gateway;
  traces: TraceReader;
  jaegerUiUrl: string | undefined;
  checkoutLimit: ClientLimit;
  readLimit: ClientLimit;
}

const SAMPLED = 0x01;

export async function orderRoutes(app: App, options: OrderRouteOptions): Promise<void> {
  const { gateway } = options;

  // Each route its own bucket: placing orders is held to fewer than reading
  // them. Named plugins: the Fastify instrumentation names handler spans
  // after them (an anonymous one would be named by its source text).
  void app.register(async function checkoutRoute(checkout: App) {
    checkout.addHook('onRequest', limitPerClient(options.checkoutLimit));
    checkout.post('/checkout', { schema: { body: CheckoutRequest } }, async (request, reply) => {
      // A JSON POST from another site needs CORS, which is never answered;
      // a stated Origin must be ours all the same.
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== `http://${request.headers.host}` && origin !== `https://${request.headers.host}`) {
        return reply.code(403).send({ error: 'forbidden', title: 'Not allowed', message: 'Orders can only be placed from the shop itself.' });
      }
      const shopper = shopperOf(request.headers.cookie);
      const { product_id: productId, quantity, checkout_key: key } = request.body;
      if (!shopper || !isLiveCheckoutKey(key)) {
        return reply.code(200).send({
          outcome: 'refused',
          title: 'This page has expired',
          message: 'Reload the page to place your order.',
        });
      }
      const attributes = { 'product.id': productId, 'order.quantity': quantity };
      return withSpan(STOREFRONT_SPANS.checkout, { attributes }, async (span) => {
        let answer: { status: number; body: unknown; headers: { get(name: string): string | null } } | HttpError;
        try {
          answer = await gateway.placeOrder({ user_id: shopper, product_id: productId, quantity }, key);
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          answer = err;
        }
        const status = answer instanceof HttpError ? answer.statusCode : answer.status;
        span.setAttribute('http.response.status_code', status);
        if (!(answer instanceof HttpError) && (status === 200 || status === 201)) {
          const order = answer.body as Order;
          span.setAttribute('order.id', order.order_id);
          const identity = traceIdentity();
          const traced = identity !== undefined && (identity.traceFlags & SAMPLED) === SAMPLED;
          const orderUrl = `/orders/${encodeURIComponent(order.order_id)}${traced ? `?trace=${identity.traceId}` : ''}`;
          span.setAttribute('storefront.checkout.outcome', 'created');
          return reply.code(201).send({ outcome: 'created', order_id: order.order_id, status: order.status, order_url: orderUrl });
        }
        const retryAfter = answer instanceof HttpError ? (answer.headers['retry-after'] ?? null) : answer.headers.get('retry-after');
        const message = checkoutRefusal(answer instanceof HttpError ? answer : { status, body: answer.body }, retryAfter);
        if (isUnavailable(status) || message.retry) {
          // Nothing definite happened: the same checkout key is the right one to retry with.
          span.setAttribute('storefront.checkout.outcome', 'unavailable');
          if (retryAfter) void reply.header('retry-after', retryAfter);
          const answerStatus = status === 429 ? 429 : status === 504 ? 504 : 503;
          return reply.code(answerStatus).send({ outcome: 'unavailable', error: 'checkout_unavailable', title: message.title, message: message.message });
        }
        // A definite no (declined, out of stock, gone): that checkout is spent, the next try gets a key of its own.
        span.setAttribute('storefront.checkout.outcome', 'refused');
        return reply.code(200).send({ outcome: 'refused', title: message.title, message: message.message, next_checkout_key: newCheckoutKey() });
      });
    });
  });

  void app.register(async function orderStateRoute(state: App) {
    state.addHook('onRequest', limitPerClient(options.readLimit));
    state.get('/orders/:id/state', { schema: { params: OrderParams, querystring: OrderQuery } }, async (request, reply) => {
      const found = await shoppersOrder(gateway, request.params.id, request.headers.cookie);
      if ('failure' in found) {
        const status = found.failure.status === 404 ? 404 : 503;
        return reply
          .code(status)
          .send({ error: status === 404 ? 'not_found' : 'unavailable', message: status === 404 ? 'no such order' : 'the order cannot be read now' });
      }
      const { order } = found;
      const traceId = request.query.trace;
      const lookup = traceId === undefined ? undefined : await options.traces.orderTrace(traceId, order.order_id);
      const view = { traceId, lookup, jaegerUiUrl: options.jaegerUiUrl };
      return {
        status: order.status,
        final: orderStatusMessage(order.status).final,
        status_html: statusPart(order).text,
        trace_html: tracePart(view).text,
        trace_complete: traceComplete(order, view),
      };
    });
  });
}
