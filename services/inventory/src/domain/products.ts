// Product lookup for GET /products/:id.
import { SPANS } from '@shop/contracts';
import { eq } from 'drizzle-orm';
import { withSpan } from '@shop/kit';
import type { Database } from '../db/client.ts';
import { products, type Product } from '../db/schema.ts';

export async function findProduct(db: Database, productId: string): Promise<Product | undefined> {
  return withSpan(SPANS.inventoryGet, { attributes: { 'product.id': productId } }, async (span) => {
    const [product] = await db.select().from(products).where(eq(products.id, productId)).limit(1);
    span.setAttribute('inventory.found', product !== undefined);
    if (product) span.setAttribute('inventory.stock', product.stock);
    return product;
  });
}
