// GET /products/:id
import { Type } from '@sinclair/typebox';
import { notFound, type App } from '@shop/kit';
import type { Database } from '../db/client.ts';
import { findProduct } from '../domain/products.ts';
import { Id } from './schemas.ts';

const ProductReply = Type.Object({
  product_id: Type.String(),
  name: Type.String(),
  price_cents: Type.Integer(),
  currency: Type.String(),
  stock: Type.Integer(),
});

export async function productRoutes(app: App, { db }: { db: Database }): Promise<void> {
  app.get(
    '/products/:id',
    { schema: { params: Type.Object({ id: Id }), response: { 200: ProductReply } } },
    async (request) => {
      const product = await findProduct(db, request.params.id);
      if (!product) throw notFound(`product ${request.params.id} not found`);
      return {
        product_id: product.id,
        name: product.name,
        price_cents: product.priceCents,
        currency: product.currency,
        stock: product.stock,
      };
    },
  );
}
