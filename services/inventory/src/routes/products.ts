// GET /products/:id
import { Product as ProductReply, ProductParams } from '@shop/contracts';
import { notFound, type App } from '@shop/kit';
import type { Database } from '../db/client.ts';
import { findProduct } from '../domain/products.ts';

export async function productRoutes(app: App, { db }: { db: Database }): Promise<void> {
  app.get('/products/:id', { schema: { params: ProductParams, response: { 200: ProductReply } } }, async (request) => {
    const product = await findProduct(db, request.params.id);
    if (!product) throw notFound(`product ${request.params.id} not found`);
    return {
      product_id: product.id,
      name: product.name,
      price_cents: product.priceCents,
      currency: product.currency,
      stock: product.stock,
    };
  });
}
