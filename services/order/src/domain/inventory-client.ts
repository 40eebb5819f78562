// Typed calls to inventory-service (docs/internal-api.md). Every answer the
// saga can act on becomes a named outcome; an answer it cannot interpret, a
// timeout or an unreachable peer is `uncertain`: the reservation may or may
// not exist, so only a release (idempotent) can settle it.
import { SERVICES, type Product } from '@shop/contracts';
import { HttpClient, HttpError } from '@shop/kit';

export type { Product };

export type ReserveOutcome =
  | { outcome: 'reserved' }
  | { outcome: 'insufficient_stock'; available: number | undefined }
  | { outcome: 'unknown_product' }
  | { outcome: 'uncertain'; detail: string };

export type ReleaseOutcome = { outcome: 'released' } | { outcome: 'no_reservation' };

export class InventoryClient {
  readonly http: HttpClient;

  constructor(options: { baseUrl: string; timeoutMs?: number }) {
    this.http = new HttpClient({ baseUrl: options.baseUrl, peer: SERVICES.inventory.otelName, timeoutMs: options.timeoutMs ?? 2000 });
  }

  /** The product, or undefined when inventory does not know it. Throws 503/504 when inventory cannot answer. */
  async getProduct(productId: string): Promise<Product | undefined> {
    const response = await this.http.get<Product>(`/products/${encodeURIComponent(productId)}`);
    if (response.status === 404) return undefined;
    if (response.status !== 200 || !isProduct(response.body)) {
      throw unexpected('GET /products/:id', response.status);
    }
    return response.body;
  }

  /** Reserves (deducts) stock for an order; safe to repeat for the same order id. */
  async reserve(orderId: string, productId: string, quantity: number): Promise<ReserveOutcome> {
    let response;
    try {
      // Inventory dedupes reservations per order id, so retries are safe.
      response = await this.http.post<{ error?: string; available?: number }>(
        '/reservations',
        { order_id: orderId, product_id: productId, quantity },
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
