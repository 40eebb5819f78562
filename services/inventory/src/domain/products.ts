// Product lookup for GET /products/:id, and the catalogue a page at a time
// for GET /products.
import { SPANS } from '@shop/contracts';
import { asc, eq, gt } from 'drizzle-orm';
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

export interface CataloguePage {
  products: Product[];
  /** The last product of this page when another page follows, else undefined. */
  lastOfPage: string | undefined;
}

/**
 * Up to `limit` products after `after` (keyset: `id > after`, ordered by id
 * on the primary key's index), and whether more follow: one row more than
 * asked is read, so the last page is known without a second query.
 */
export async function listProducts(db: Database, options: { limit: number; after: string | undefined }): Promise<CataloguePage> {
  const rows = await db
    .select()
    .from(products)
    .where(options.after === undefined ? undefined : gt(products.id, options.after))
    .orderBy(asc(products.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return { products: page, lastOfPage: rows.length > options.limit ? page.at(-1)?.id : undefined };
}
