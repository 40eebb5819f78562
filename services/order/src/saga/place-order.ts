// The order saga: record the order, reserve the stock, charge, and either
// finish (order + outbox row in one transaction) or compensate (release the
// stock). Whenever the outcome of a step cannot be known, the order stays
// `pending` for the recovery sweep: it is never lost, never charged twice.
import { SPANS } from '@shop/contracts';
import { randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import { HttpError, notFound, withSpan, type FaultFlags } from '@shop/kit';
import type { FastifyBaseLogger } from 'fastify';
import type { InventoryClient, Product } from '../clients/inventory-client.ts';
import type { PaymentClient } from '../clients/payment-client.ts';
import type { Database } from '../db/client.ts';
import type { Order } from '../db/schema.ts';
import { recordOrderFailed, type FailureReason } from '../metrics.ts';
import { discardPendingOrder, findByIdempotencyKey, findOrder, insertPendingOrder } from '../persistence/orders-repo.ts';
import { orderError } from './order-outcome.ts';
import { requestHash, type OrderRequest } from './order-request.ts';
import { completeOrder, failOrder } from './settle.ts';

export interface SagaDeps {
  db: Database;
  inventory: InventoryClient;
  payment: PaymentClient;
  log: FastifyBaseLogger;
  /**
   * No charge starts later than this after the request began. The recovery
   * sweep takes pending orders over after RECOVERY_AFTER_MS; a charge must
   * be settled (answer or lookup) before then, or the sweep could compensate
   * an order that is about to be charged.
   */
  chargeDeadlineMs?: number;
  /** The fault flags: relayPaused is noted on the trace of an order whose event it holds back. */
  flags?: FaultFlags;
}

export const DEFAULT_CHARGE_DEADLINE_MS = 15_000;

export interface PlacedOrder {
  order: Order;
  /** True when this answer repeats an earlier request with the same idempotency key. */
  replayed: boolean;
}

/** The largest total the orders table (int4 cents) can hold. */
const MAX_TOTAL_CENTS = 2_147_483_647;
const REPLAYED = { 'idempotent-replayed': 'true' };

/** Runs the saga; resolves with the created order, throws an HttpError for every other outcome. */
export async function placeOrder(deps: SagaDeps, request: OrderRequest, idempotencyKey?: string): Promise<PlacedOrder> {
  const attributes = { 'product.id': request.product_id, 'order.quantity': request.quantity };
  const started = performance.now();
  return withSpan(SPANS.orderCreate, { attributes }, async (span) => {
    const hash = requestHash(request);
    // No lookup of the Idempotency-Key up front: the pending row's insert
    // finds an earlier order with the key (its unique index), and so does a
    // request that fails before that insert. A first request, nearly every
    // request, saves a round trip.
    const orderId = randomUUID();
    span.setAttribute('order.id', orderId);

    const stock = await withSpan(SPANS.orderCheckInventory, { attributes: { 'order.id': orderId, ...attributes } }, () =>
      recordAndReserve(deps, span, { orderId, request, idempotencyKey, hash }),
    );
    if (stock.kind === 'replay') return replay(span, stock.existing, hash);
    const { order } = stock;

    switch (stock.reservation) {
      case 'insufficient_stock': {
        const rejected = await failOrder(deps.db, orderId, 'rejected', 'insufficient_stock', 'insufficient_stock');
        return answer(rejected, { extra: stock.available === undefined ? {} : { available: stock.available } });
      }
      case 'unknown_product':
        return answer(await failOrder(deps.db, orderId, 'rejected', 'unknown_product', 'unknown_product'));
      case 'uncertain':
        // The reservation may exist; the sweep releases it once any request
        // still in flight has settled.
        throw leftPending(order, 'inventory-service could not confirm the reservation');
      case 'reserved':
        break;
    }

    if (performance.now() - started > (deps.chargeDeadlineMs ?? DEFAULT_CHARGE_DEADLINE_MS)) {
      // Too late to charge safely; nothing was charged, so compensate now.
      deps.log.warn({ order_id: orderId }, 'saga too slow to charge before the recovery window; order failed');
      if (!(await releaseStock(deps, orderId))) throw leftPending(order, 'inventory-service is slow');
      return answer(await failOrder(deps.db, orderId, 'failed', 'saga_timeout', 'dependency_unavailable'));
    }

    const payment = await withSpan(SPANS.orderProcessPayment, { attributes: { 'order.id': orderId, 'order.total_cents': order.totalCents } }, (paySpan) =>
      charge(deps, paySpan, order),
    );
    switch (payment.outcome) {
      case 'succeeded':
        return answer(await completeOrder(deps.db, order, payment.transactionId, deps.flags));
      case 'declined': {
        if (!(await releaseStock(deps, orderId))) {
          // Declined for sure, but the stock is still held: the sweep
          // releases it and records payment_failed.
          throw new HttpError(402, 'payment_declined', 'payment was declined', {
            details: { order_id: orderId, status: 'pending', transaction_id: payment.transactionId ?? null, reason: payment.reason },
          });
        }
        return answer(await failOrder(deps.db, orderId, 'payment_failed', payment.reason, 'payment_declined', payment.transactionId));
      }
      case 'none':
        if (!(await releaseStock(deps, orderId))) throw leftPending(order, 'payment-service is unavailable');
        return answer(await failOrder(deps.db, orderId, 'failed', 'payment_unavailable', 'dependency_unavailable'));
      case 'unknown':
        throw leftPending(order, 'payment-service could not confirm the payment');
    }
  });
}

type StockStep =
  | { kind: 'replay'; existing: Order }
  /** The price the order was recorded with is no longer the product's; the row is gone, nothing reserved. */
  | { kind: 'price_changed' }
  | { kind: 'recorded'; order: Order; reservation: 'reserved' | 'unknown_product' | 'uncertain'; available?: undefined }
  | { kind: 'recorded'; order: Order; reservation: 'insufficient_stock'; available: number | undefined };

type StockInput = { orderId: string; request: OrderRequest; idempotencyKey: string | undefined; hash: string };

/**
 * Prices, records and reserves; priced again from inventory-service, once,
 * when the reservation finds the price changed (a stale cached price, or a
 * change in between). Changed twice in a row: nothing is recorded and the
 * client is asked to retry.
 */
async function recordAndReserve(deps: SagaDeps, orderSpan: Span, input: StockInput): Promise<Exclude<StockStep, { kind: 'price_changed' }>> {
  const first = await priceRecordAndReserve(deps, orderSpan, input, { fresh: false });
  if (first.kind !== 'price_changed') return first;
  orderSpan.addEvent('order.price_changed', { 'product.id': input.request.product_id });
  const second = await priceRecordAndReserve(deps, orderSpan, input, { fresh: true });
  if (second.kind !== 'price_changed') return second;
  recordOrderFailed('dependency_unavailable');
  throw new HttpError(503, 'service_unavailable', `the price of ${input.request.product_id} changed while ordering; nothing was recorded, retry`, {
    headers: { 'retry-after': '1' },
  });
}

/**
 * Price lookup, validation, the pending row, the reservation. Nothing is
 * written before the request is known to be valid: an unknown product or an
 * amount mismatch leaves no order behind.
 */
async function priceRecordAndReserve(deps: SagaDeps, orderSpan: Span, input: StockInput, options: { fresh: boolean }): Promise<StockStep> {
  const { orderId, request } = input;
  let priced: Priced;
  try {
    priced = await price(deps, request, options);
  } catch (err) {
    // A retry of a recorded order is answered from its record, whatever the
    // product lookup says now (unknown product, inventory down, new price).
    const existing = input.idempotencyKey === undefined ? undefined : await findByIdempotencyKey(deps.db, request.user_id, input.idempotencyKey);
    if (existing) return { kind: 'replay', existing };
    if (err instanceof PricingError) {
      if (err.reason) recordOrderFailed(err.reason);
      throw err.answer;
    }
    recordOrderFailed('dependency_unavailable');
    throw err;
  }
  const { product, totalCents } = priced;
  orderSpan.setAttribute('order.total_cents', totalCents);

  const now = new Date();
  const order: Order = {
    id: orderId,
    userId: request.user_id,
    productId: request.product_id,
    quantity: request.quantity,
    unitPriceCents: product.price_cents,
    totalCents,
    currency: product.currency,
    status: 'pending',
    failureReason: null,
    transactionId: null,
    idempotencyKey: input.idempotencyKey ?? null,
    requestHash: input.hash,
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await withSpan(SPANS.orderSaveDatabase, { attributes: { 'order.id': orderId, 'order.status': 'pending' } }, () =>
    insertPendingOrder(deps.db, order),
  );
  if (!inserted) {
    // A concurrent request with the same key won the insert.
    const existing = input.idempotencyKey === undefined ? undefined : await findByIdempotencyKey(deps.db, request.user_id, input.idempotencyKey);
    if (!existing) throw new HttpError(409, 'request_in_progress', 'a request with this idempotency key is in progress; retry later');
    return { kind: 'replay', existing };
  }

  // The price goes along: inventory reserves only at the price recorded here.
  const reservation = await deps.inventory.reserve(orderId, request.product_id, request.quantity, product.price_cents);
  if (reservation.outcome === 'price_changed') {
    deps.inventory.forgetProduct(request.product_id);
    if (!(await discardPendingOrder(deps.db, orderId))) {
      // Settled by someone else in between (the sweep): its answer stands.
      const settled = await findOrder(deps.db, orderId);
      if (settled) return { kind: 'replay', existing: settled };
    }
    return { kind: 'price_changed' };
  }
  if (reservation.outcome === 'insufficient_stock') {
    return { kind: 'recorded', order, reservation: 'insufficient_stock', available: reservation.available };
  }
  if (reservation.outcome === 'uncertain') deps.log.warn({ order_id: orderId, detail: reservation.detail }, 'reservation outcome unknown; order left pending');
  return { kind: 'recorded', order, reservation: reservation.outcome };
}

interface Priced {
  product: Product;
  totalCents: number;
}

/** A request that prices to no valid order: the answer, and the reason counted in orders.failed (if any). */
class PricingError extends Error {
  readonly answer: HttpError;
  readonly reason: Extract<FailureReason, 'unknown_product' | 'amount_mismatch'> | undefined;
  constructor(reason: PricingError['reason'], answer: HttpError) {
    super(answer.message);
    this.reason = reason;
    this.answer = answer;
  }
}

/** The product's price and the order total, checked against the client's amount. */
async function price(deps: SagaDeps, request: OrderRequest, options: { fresh: boolean }): Promise<Priced> {
  let found = await deps.inventory.getProduct(request.product_id, options);
  // A client amount that disagrees with a cached price is judged against
  // inventory's current one: the cache must not turn a right amount wrong.
  if (found?.cached && request.amount_cents !== undefined && request.amount_cents !== found.product.price_cents * request.quantity) {
    found = await deps.inventory.getProduct(request.product_id, { fresh: true });
  }
  if (!found) throw new PricingError('unknown_product', notFound(`product ${request.product_id} not found`));
  const { product } = found;
  const totalCents = product.price_cents * request.quantity;
  if (request.amount_cents !== undefined && request.amount_cents !== totalCents) {
    throw new PricingError(
      'amount_mismatch',
      new HttpError(400, 'amount_mismatch', `amount_cents ${request.amount_cents} does not match price x quantity (${totalCents})`, {
        details: { expected_cents: totalCents },
      }),
    );
  }
  if (totalCents > MAX_TOTAL_CENTS) throw new PricingError(undefined, new HttpError(400, 'invalid_request', 'order total is too large'));
  return { product, totalCents };
}

type PaymentResult =
  | { outcome: 'succeeded'; transactionId: string }
  | { outcome: 'declined'; transactionId: string | undefined; reason: string }
  /** Payment surely did not happen: safe to compensate. */
  | { outcome: 'none' }
  /** Payment may have happened or may still happen: leave the order pending. */
  | { outcome: 'unknown' };

/** Charges once; when the answer is unclear, asks payment what happened before anyone compensates. */
async function charge(deps: SagaDeps, span: Span, order: Order): Promise<PaymentResult> {
  const charged = await deps.payment.charge(order.id, order.totalCents, order.currency);
  // Never sent (paymentUnreachable): nothing to ask payment about, compensate now.
  if (charged.outcome === 'not_sent') return { outcome: 'none' };
  if (charged.outcome !== 'unclear') {
    if (charged.transactionId) span.setAttribute('payment.transaction_id', charged.transactionId);
    return charged;
  }
  span.addEvent('payment outcome unclear', { 'payment.unclear_cause': charged.cause });
  deps.log.warn({ order_id: order.id, cause: charged.cause, detail: charged.detail }, 'payment outcome unclear; asking payment-service');
  let lookup: Awaited<ReturnType<typeof deps.payment.lookup>>;
  try {
    lookup = await deps.payment.lookup(order.id);
  } catch (err) {
    deps.log.warn({ order_id: order.id, err: { message: (err as Error).message } }, 'payment outcome lookup failed; order left pending');
    return { outcome: 'unknown' };
  }
  switch (lookup.outcome) {
    case 'succeeded':
    case 'declined':
      if (lookup.transactionId) span.setAttribute('payment.transaction_id', lookup.transactionId);
      return lookup;
    case 'in_progress':
      return { outcome: 'unknown' };
    case 'none':
      // After a timeout the charge may still be in flight at payment: no
      // stored outcome yet does not mean none ever. The sweep asks again later.
      return charged.cause === 'timeout' || charged.cause === 'in_progress' ? { outcome: 'unknown' } : { outcome: 'none' };
  }
}

/** Compensation: puts the stock back. False when inventory could not be reached (the sweep retries). */
async function releaseStock(deps: SagaDeps, orderId: string): Promise<boolean> {
  try {
    await deps.inventory.release(orderId);
    return true;
  } catch (err) {
    deps.log.warn({ order_id: orderId, err: { message: (err as Error).message } }, 'stock release failed; order left pending for the recovery sweep');
    return false;
  }
}

function answer(order: Order, options: { extra?: Record<string, unknown> } = {}): PlacedOrder {
  const error = orderError(order, options);
  if (error) throw error;
  return { order, replayed: false };
}

function replay(span: Span, existing: Order, hash: string): PlacedOrder {
  span.setAttribute('order.id', existing.id);
  span.setAttribute('order.idempotent_replay', true);
  if (existing.requestHash !== hash) {
    throw new HttpError(409, 'idempotency_conflict', 'this Idempotency-Key was already used with a different request body');
  }
  const error = orderError(existing, { headers: REPLAYED });
  if (error) throw error;
  return { order: existing, replayed: true };
}

function leftPending(order: Order, message: string): HttpError {
  return new HttpError(503, 'service_unavailable', `${message}; the order is pending and will be settled automatically`, {
    headers: { 'retry-after': '1' },
    details: { order_id: order.id, status: 'pending' },
  });
}
