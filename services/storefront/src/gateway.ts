// The storefront's calls to the public API, each with the storefront's own
// API key. The key lives here and in the process's environment only: the
// pages and the browser never see it, and nothing logs it. Answers come
// back as the gateway sent them; what a shopper is told about them is
// decided in shopper-messages.ts.
import type { Order, PlaceOrderRequest, Product, ProductPage } from '@shop/contracts';
import { HttpClient, type HttpResponse } from '@shop/kit';

export interface GatewayOptions {
  baseUrl: string;
  apiKey: string;
  orderTimeoutMs: number;
  readTimeoutMs: number;
}

/** What the public API says when it refuses: the error contract, plus details such as `available`. */
export interface ApiError {
  error?: string;
  message?: string;
  available?: number;
  [extra: string]: unknown;
}

export class Gateway {
  private readonly http: HttpClient;
  private readonly authorization: string;
  private readonly orderTimeoutMs: number;

  constructor(options: GatewayOptions) {
    // Reads are retried (twice, with backoff) by the kit's client; a POST never is.
    this.http = new HttpClient({ baseUrl: options.baseUrl, peer: 'gateway', timeoutMs: options.readTimeoutMs });
    this.authorization = `Bearer ${options.apiKey}`;
    this.orderTimeoutMs = options.orderTimeoutMs;
  }

  listProducts(page: { limit: number; cursor?: string | undefined }): Promise<HttpResponse<ProductPage | ApiError>> {
    return this.http.get('/api/products', { headers: this.headers(), query: { limit: page.limit, cursor: page.cursor } });
  }

  getProduct(id: string): Promise<HttpResponse<Product | ApiError>> {
    return this.http.get(`/api/products/${encodeURIComponent(id)}`, { headers: this.headers() });
  }

  getOrder(id: string): Promise<HttpResponse<Order | ApiError>> {
    return this.http.get(`/api/orders/${encodeURIComponent(id)}`, { headers: this.headers() });
  }

  /** POST /api/orders with the checkout's Idempotency-Key: a repeat answers the first order again. */
  placeOrder(order: Omit<PlaceOrderRequest, 'amount_cents'>, idempotencyKey: string): Promise<HttpResponse<Order | ApiError>> {
    return this.http.post('/api/orders', order, { headers: this.headers({ 'idempotency-key': idempotencyKey }), timeoutMs: this.orderTimeoutMs });
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: this.authorization, ...extra };
  }
}
