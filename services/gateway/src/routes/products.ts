// GET /api/products (the catalogue, a page at a time) and GET
// /api/products/:id, forwarded to inventory-service. The page's `limit` and
// opaque `cursor` are checked here and sent on as they came: inventory owns
// what a cursor means.
import { GetProductResponses, ListProductsQuery, ListProductsResponses, ProductParams, SERVICES } from '@shop/contracts';
import type { App, HttpClient } from '@shop/kit';
import { relay } from './relay.ts';

export async function productRoutes(app: App, options: { inventory: HttpClient }): Promise<void> {
  const listProducts = {
    summary: 'List the catalogue, a page at a time',
    description:
      'Products ordered by `product_id`, `limit` per page. To read the next page, send the `next_cursor` of this one as `cursor`; it is null on the last page. Keyset pagination: a product added meanwhile never makes a page repeat or skip another.',
    tags: ['products'],
    querystring: ListProductsQuery,
    response: ListProductsResponses,
  };
  app.get('/products', { schema: listProducts }, async (request, reply) => {
    const upstream = await options.inventory.get('/products', { query: { limit: request.query.limit, cursor: request.query.cursor } });
    return relay(reply, upstream, SERVICES.inventory.otelName);
  });

  const getProduct = { summary: 'Read a product: price and stock', tags: ['products'], params: ProductParams, response: GetProductResponses };
  app.get('/products/:id', { schema: getProduct }, async (request, reply) => {
    const upstream = await options.inventory.get(`/products/${encodeURIComponent(request.params.id)}`);
    return relay(reply, upstream, SERVICES.inventory.otelName);
  });
}
