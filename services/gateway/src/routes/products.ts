// GET /api/products/:id, forwarded to inventory-service.
import { Type } from '@sinclair/typebox';
import type { App, HttpClient } from '@shop/kit';
import { ProductId } from '../domain/ids.ts';
import { relay } from './relay.ts';

export async function productRoutes(app: App, options: { inventory: HttpClient }): Promise<void> {
  app.get('/products/:id', { schema: { params: Type.Object({ id: ProductId }) } }, async (request, reply) => {
    const upstream = await options.inventory.get(`/products/${encodeURIComponent(request.params.id)}`);
    return relay(reply, upstream, 'inventory-service');
  });
}
