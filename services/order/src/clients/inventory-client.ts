// Typed calls to inventory-service (docs/internal-api.md). Every answer the
// saga can act on becomes a named outcome; an answer it cannot interpret, a
// timeout or an unreachable peer is `uncertain`: the reservation may or may
// not exist, so only a release (idempotent) can settle it.
import { SERVICES, type Product } from '@shop/contracts';
import { HttpClient, HttpError } from '@shop/kit';
import { ProductCache } from './product-cache.ts';

export type { Product };

/** A product as the saga priced it: from the cache or fresh from inventory-service. */
export interface PricedProduct {
  product: Product;
  cached: boolean;
}

export type ReserveOutcome =
  | { outcome: 'reserved' }
  /** The unit price the order was priced with is no longer the product's: nothing reserved. */
  | { outcome: 'price_changed' }
  | { outcome: 'insufficient_stock'; available: number | undefined }
  | { outcome: 'unknown_product' }
  | { outcome: 'uncertain'; detail: string };

export type ReleaseOutcome = { outcome: 'released' } | { outcome: 'no_reservation' };

export class InventoryClient {
  readonly http: HttpClient;
  readonly #products: ProductCache;

  constructor(options: { baseUrl: string; timeoutMs?: number; productCacheTtlMs?: number }) {
    this.http = new HttpClient({ baseUrl: options.baseUrl, peer: SERVICES.inventory.otelName, timeoutMs: options.timeoutMs ?? 2000 });
    this.#products = new ProductCache({ ttlMs: options.productCacheTtlMs ?? 0 });
  }

  /**
   * The product (from the price cache unless `fresh`), or undefined when
   * inventory does not know it (never cached). Throws 503/504 when inventory
   * cannot answer.
   */
  async getProduct(productId: string, options: { fresh?: boolean } = {}): Promise<PricedProduct | undefined> {
    const hit = options.fresh ? undefined : this.#products.get(productId);
    if (hit) return { product: hit, cached: true };
    const response = await this.http.get<Product>(`/products/${encodeURIComponent(productId)}`);
    if (response.status === 404) {
      this.#products.forget(productId);
      return undefined;
    }
    if (response.status !== 200 || !isProduct(response.body)) {
      throw unexpected('GET /products/:id', response.status);
    }
    this.#products.set(productId, response.body);
    return { product: response.body, cached: false };
  }

  /** Drops a product's cached price (it proved stale). */
  forgetProduct(productId: string): void {
    this.#products.forget(productId);
  }

  /**
   * Reserves (deducts) stock for an order; safe to repeat for the same order
   * id. With `unitPriceCents`, inventory reserves only if that is still the
   * product's price (`price_changed` otherwise, nothing reserved).
   */
  async reserve(orderId: string, productId: string, quantity: number, unitPriceCents?: number): Promise<ReserveOutcome> {
    let response: Awaited<ReturnType<typeof this.http.post<{ error?: string; available?: number }>>>;
    try {
      // Inventory dedupes reservations per order id, so retries are safe.
      response = await this.http.post<{ error?: string; available?: number }>(
        '/reservations',
        { order_id: orderId, product_id: productId, quantity, ...(unitPriceCents === undefined ? {} : { unit_price_cents: unitPriceCents }) },
        { idempotent: true },
      );
    } catch (err) {
      if (err instanceof HttpError) return { outcome: 'uncertain', detail: err.code };
      throw err;
    }
    if (response.status === 201 || response.status === 200) return { outcome: 'reserved' };
    if (response.status === 409 && response.body?.error === 'insufficient_stock') {
      const available = response.body.available;
      return { outcome: 'insufficient_stock', available: typeof available === 'number' ? available : undefined };
    }
    if (response.status === 409 && response.body?.error === 'price_changed') return { outcome: 'price_changed' };
    if (response.status === 404) return { outcome: 'unknown_product' };
    return { outcome: 'uncertain', detail: `POST /reservations answered ${response.status}` };
  }

  /** Puts an order's stock back (idempotent). Throws 503/504 when inventory cannot answer. */
  async release(orderId: string): Promise<ReleaseOutcome> {
    const response = await this.http.post<unknown>(`/reservations/${encodeURIComponent(orderId)}/release`, undefined, { idempotent: true });
    if (response.status === 200) return { outcome: 'released' };
    if (response.status === 404) return { outcome: 'no_reservation' };
    throw unexpected('POST /reservations/:id/release', response.status);
  }
}

function isProduct(body: unknown): body is Product {
  const p = body as Partial<Product> | undefined;
  return typeof p?.price_cents === 'number' && Number.isSafeInteger(p.price_cents) && typeof p.currency === 'string';
}

function unexpected(call: string, status: number): HttpError {
  return new HttpError(502, 'bad_gateway', `inventory-service answered ${status} to ${call}`);
}
