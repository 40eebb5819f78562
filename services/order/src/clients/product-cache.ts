// The prices order-service last read from inventory-service, kept for a
// while so an order does not pay a round trip for a price that rarely
// changes. Safe because the reservation re-checks the price in the same
// statement that deducts the stock: an order priced from a stale entry is
// refused there (price_changed) and priced again, never charged wrongly.
import type { Product } from '@shop/contracts';

export interface ProductCacheOptions {
  /** How long an entry is used; 0 turns the cache off. */
  ttlMs: number;
  /** Most products kept; the oldest entry goes first. */
  maxEntries?: number;
  now?: () => number;
}

export class ProductCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { product: Product; expires: number }>();

  constructor(options: ProductCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get(productId: string): Product | undefined {
    const entry = this.#entries.get(productId);
    if (!entry) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(productId);
      return undefined;
    }
    return entry.product;
  }

  set(productId: string, product: Product): void {
    if (this.#ttlMs <= 0) return;
    this.#entries.delete(productId);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(productId, { product, expires: this.#now() + this.#ttlMs });
  }

  forget(productId: string): void {
    this.#entries.delete(productId);
  }

  get size(): number {
    return this.#entries.size;
  }
}
