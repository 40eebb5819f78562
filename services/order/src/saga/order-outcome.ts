// How an order is shown to clients, and the answer its status stands for.
// The first call and every idempotent replay derive their answer from the
// stored row the same way, so a replay repeats the original status code.
import type { Order as OrderView } from '@shop/contracts';
import { HttpError } from '@shop/kit';
import type { Order } from '../db/schema.ts';

export type { OrderView };

export function orderView(order: Order): OrderView {
  return {
    order_id: order.id,
    status: order.status,
    user_id: order.userId,
    product_id: order.productId,
    quantity: order.quantity,
    unit_price_cents: order.unitPriceCents,
    total_cents: order.totalCents,
    currency: order.currency,
    transaction_id: order.transactionId,
    failure_reason: order.failureReason,
    created_at: order.createdAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
  };
}

/**
 * The error an order that was not created answers with (undefined for a
 * created one). `extra` adds fields only the first call knows (`available`).
 */
export function orderError(order: Order, options: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {}): HttpError | undefined {
  const headers = options.headers ?? {};
  const details = { order_id: order.id, status: order.status, ...options.extra };
  switch (order.status) {
    case 'created':
      return undefined;
    case 'rejected':
      if (order.failureReason === 'unknown_product') {
        return new HttpError(404, 'not_found', `product ${order.productId} not found`, { headers, details });
      }
      return new HttpError(409, 'insufficient_stock', `not enough stock of ${order.productId} for ${order.quantity}`, { headers, details });
    case 'payment_failed':
      return new HttpError(402, 'payment_declined', 'payment was declined; the stock was released', {
        headers,
        details: { ...details, transaction_id: order.transactionId, reason: order.failureReason },
      });
    case 'pending':
      return new HttpError(409, 'request_in_progress', 'this order is still being processed; retry later', {
        headers: { 'retry-after': '1', ...headers },
        details,
      });
    case 'failed':
      return new HttpError(503, 'service_unavailable', 'the order could not be completed; nothing was charged. Retry with a new Idempotency-Key', {
        headers,
        details: { ...details, reason: order.failureReason },
      });
  }
}
