// The pages: the catalogue (GET /), a product with its checkout
// (GET /products/:id) and an order with its trace (GET /orders/:id). Each
// reads what it shows from the gateway with the storefront's key; when the
// gateway says no or cannot answer, the page says so in words
// (shopper-messages.ts), and its error handler turns anything else into an
// HTML page too, never a raw error body.
import { OrderParams, ProductCursor, ProductParams, type Order, type Product, type ProductPage } from '@shop/contracts';
import { HttpError, mapError, type App } from '@shop/kit';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Assets } from '../assets/assets.ts';
import { limitPerClient, type ClientLimit } from '../client-limits.ts';
import type { Gateway } from '../gateway.ts';
import { TRACE_ID_PATTERN, type TraceReader } from '../order-trace.ts';
import { cataloguePage, unavailablePage } from '../pages/catalogue.ts';
import type { Html } from '../pages/html.ts';
import { layout, type PageFrame } from '../pages/layout.ts';
import { orderPage } from '../pages/order.ts';
import { productPage } from '../pages/product.ts';
import { readFailure, type ShopperMessage } from '../shopper-messages.ts';
import { isLiveCheckoutKey, newCheckoutKey, newShopperId, shopperCookie, shopperOf } from '../shopper.ts';

/** Products on one catalogue page (two rows of four). */
export const CATALOGUE_PAGE_SIZE = 8;

export interface PageOptions {
  gateway: Gateway;
  traces: TraceReader;
  assets: Assets;
  samplingRatio: number;
  jaegerUiUrl: string | undefined;
  limit: ClientLimit;
  cataloguePageSize: number;
}

const CatalogueQuery = Type.Object({ cursor: Type.Optional(ProductCursor) }, { additionalProperties: false });
// Any text: a key that is not a live checkout key is replaced, not refused (an old bookmark still opens the page).
const ProductQuery = Type.Object({ checkout: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });
export const OrderQuery = Type.Object({ trace: Type.Optional(Type.String({ pattern: TRACE_ID_PATTERN })) }, { additionalProperties: false });

export async function pageRoutes(app: App, options: PageOptions): Promise<void> {
  const { gateway } = options;
  const send = (reply: FastifyReply, status: number, frame: PageFrame) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(layout({ assets: options.assets, samplingRatio: options.samplingRatio }, frame));
  const unavailable = (reply: FastifyReply, status: number, title: string, message: ShopperMessage, retryAfter?: string | null) => {
    if (retryAfter) void reply.header('retry-after', retryAfter);
    return send(reply, status, { title, main: unavailablePage(title, message) });
  };

  app.addHook('onRequest', limitPerClient(options.limit));
  // Anything that escapes a handler (a refused parameter, a rate limit) is a page too.
  app.setErrorHandler((err, request, reply) => {
    const mapped = mapError(err);
    if (mapped.unexpected) request.log.error({ err }, 'unhandled error');
    for (const [name, value] of Object.entries(mapped.headers)) void reply.header(name, value);
    const status = mapped.statusCode;
    return unavailable(
      reply,
      status,
      status === 429 ? 'Slow down' : status < 500 ? 'Page not found' : 'Something went wrong',
      readFailure(status, 'catalogue', mapped.headers['retry-after']),
    );
  });

  app.get('/', { schema: { querystring: CatalogueQuery } }, async (request, reply) => {
    const cursor = request.query.cursor;
    const answer = await read(() => gateway.listProducts({ limit: options.cataloguePageSize, cursor }));
    if (answer.status !== 200) {
      return unavailable(reply, pageStatus(answer.status), 'Catalogue', readFailure(answer.status, 'catalogue', answer.retryAfter));
    }
    const page = answer.body as ProductPage;
    return send(reply, 200, {
      title: 'Catalogue',
      page: 'catalogue',
      current: 'catalogue',
      main: cataloguePage({ products: page.products, nextCursor: page.next_cursor, first: cursor === undefined }),
    });
  });

  app.get('/products/:id', { schema: { params: ProductParams, querystring: ProductQuery } }, async (request, reply) => {
    ensureShopper(request, reply);
    const answer = await read(() => gateway.getProduct(request.params.id));
    if (answer.status !== 200) return unavailable(reply, pageStatus(answer.status), 'Product', readFailure(answer.status, 'product', answer.retryAfter));
    const product = answer.body as Product;
    // One key per rendered checkout; a reload of this page (its URL carries the key) keeps it.
    const key = isLiveCheckoutKey(request.query.checkout) ? request.query.checkout : newCheckoutKey();
    return send(reply, 200, { title: product.name, page: 'product', main: productPage(product, key) });
  });

  app.get('/orders/:id', { schema: { params: OrderParams, querystring: OrderQuery } }, async (request, reply) => {
    const found = await shoppersOrder(gateway, request.params.id, request.headers.cookie);
    if ('failure' in found)
      return unavailable(reply, pageStatus(found.failure.status), 'Order', readFailure(found.failure.status, 'order', found.failure.retryAfter));
    const traceId = request.query.trace;
    const [lookup, product] = await Promise.all([
      traceId === undefined ? undefined : options.traces.orderTrace(traceId, found.order.order_id),
      // Only for its name: the order page shows without it.
      read(() => gateway.getProduct(found.order.product_id)).catch(() => undefined),
    ]);
    const productName = product?.status === 200 ? (product.body as Product).name : undefined;
    const stateUrl = `/orders/${encodeURIComponent(found.order.order_id)}/state${traceId ? `?trace=${traceId}` : ''}`;
    const main: Html = orderPage(found.order, { traceId, lookup, jaegerUiUrl: options.jaegerUiUrl }, stateUrl, productName);
    return send(reply, 200, { title: 'Your order', page: 'order', main });
  });
}

/** The shopper's id, made and set as a cookie on the first page that needs one. */
function ensureShopper(request: FastifyRequest, reply: FastifyReply): string {
  const known = shopperOf(request.headers.cookie);
  if (known) return known;
  const id = newShopperId();
  void reply.header('set-cookie', shopperCookie(id));
  return id;
}

interface ReadAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/** A gateway read; a gateway that cannot be reached reads as its 503 or 504. */
export async function read(call: () => Promise<{ status: number; body: unknown; headers: { get(name: string): string | null } }>): Promise<ReadAnswer> {
  try {
    const answer = await call();
    if (typeof answer.body !== 'object' || answer.body === null) return { status: 502, body: null, retryAfter: null };
    return { status: answer.status, body: answer.body, retryAfter: answer.headers.get('retry-after') };
  } catch (err) {
    if (err instanceof HttpError) return { status: err.statusCode, body: null, retryAfter: err.headers['retry-after'] ?? null };
    throw err;
  }
}

/**
 * The order of the URL when it is this shopper's: another shopper's order
 * is "not found", exactly like one that does not exist.
 */
export async function shoppersOrder(
  gateway: Gateway,
  orderId: string,
  cookie: string | undefined,
): Promise<{ order: Order } | { failure: { status: number; retryAfter: string | null } }> {
  const shopper = shopperOf(cookie);
  if (!shopper) return { failure: { status: 404, retryAfter: null } };
  const answer = await read(() => gateway.getOrder(orderId));
  if (answer.status !== 200) return { failure: { status: answer.status, retryAfter: answer.retryAfter } };
  const order = answer.body as Order;
  if (order.user_id !== shopper) return { failure: { status: 404, retryAfter: null } };
  return { order };
}

/** The status a page answers with when the gateway answered `status`: a refusal of the storefront's own key is the storefront's failure. */
function pageStatus(status: number): number {
  if (status === 401 || status === 403) return 500;
  return status;
}
