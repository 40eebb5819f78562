// GET /api/products/:id, forwarded to inventory-service.
import { GetProductResponses, ProductParams, SERVICES } from '@shop/contracts';
import type { App, HttpClient } from '@shop/kit';
import { relay } from './relay.ts';

export async function productRoutes(app: App, options: { inventory: HttpClient }): Promise<void> {
  const getProduct = { summary: 'Read a product: price and stock', tags: ['products'], params: ProductParams, response: GetProductResponses };
  app.get('/products/:id', { schema: getProduct }, async (request, reply) => {
    const upstream = await options.inventory.get(`/products/${encodeURIComponent(request.params.id)}`);
    return relay(reply, upstream, SERVICES.inventory.otelName);
  });
}
