// GET /products (the catalogue, a page at a time) and GET /products/:id
import {
  InventoryProductPage,
  InventoryProductsQuery,
  Product as ProductReply,
  ProductParams,
  decodeProductCursor,
  encodeProductCursor,
  pageSize,
} from '@shop/contracts';
import { badRequest, notFound, type App } from '@shop/kit';
import type { Database } from '../db/client.ts';
import type { Product } from '../db/schema.ts';
import { findProduct, listProducts } from '../domain/products.ts';

export async function productRoutes(app: App, { db }: { db: Database }): Promise<void> {
  app.get('/products', { schema: { querystring: InventoryProductsQuery, response: { 200: InventoryProductPage } } }, async (request) => {
    const { limit, cursor } = request.query;
    const after = cursor === undefined ? undefined : decodeProductCursor(cursor);
    // The shape was checked by the schema; this is a cursor no page ever gave out.
    if (cursor !== undefined && after === undefined) throw badRequest('cursor is not one this API gave out');
    const page = await listProducts(db, { limit: pageSize(limit), after });
    return {
      products: page.products.map(toReply),
      next_cursor: page.lastOfPage === undefined ? null : encodeProductCursor(page.lastOfPage),
    };
  });

  app.get('/products/:id', { schema: { params: ProductParams, response: { 200: ProductReply } } }, async (request) => {
    const product = await findProduct(db, request.params.id);
    if (!product) throw notFound(`product ${request.params.id} not found`);
    return toReply(product);
  });
}

function toReply(product: Product) {
  return {
    product_id: product.id,
    name: product.name,
    price_cents: product.priceCents,
    currency: product.currency,
    stock: product.stock,
  };
}
