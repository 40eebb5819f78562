// Charging an order exactly once: claim the order in Redis, ask the
// processor, record the outcome. Repeats get the recorded outcome back.
import { SPANS } from '@shop/contracts';
import { randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import { withSpan } from '@shop/kit';
import { recordCharge } from './metrics.ts';
import type { Processor } from './processor.ts';
import type { Claim, Payment, PaymentStore } from './store.ts';

export interface ChargeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
}

export type ChargeResult =
  /** Charged now: the processor answered (succeeded or declined). */
  | { kind: 'charged'; payment: Payment }
  /** Charged before: the recorded outcome, nothing charged again. */
  | { kind: 'replayed'; payment: Payment }
  /** The order was charged, or is being charged, for another amount or currency. */
  | { kind: 'conflict'; amountCents: number; currency: string }
  /** Another request for this order is being processed right now. */
  | { kind: 'in_progress' };

export interface ChargeDeps {
  store: PaymentStore;
  processor: Processor;
  leaseMs: number;
}

export async function charge(deps: ChargeDeps, request: ChargeRequest): Promise<ChargeResult> {
  const attributes = {
    'order.id': request.orderId,
    'payment.amount_cents': request.amountCents,
    'payment.currency': request.currency,
  };
  return withSpan(SPANS.paymentProcess, { attributes }, async (span) => {
    const result = await chargeOnce(deps, request);
    describeOnSpan(span, result);
    return result;
  });
}

// A claim can vanish between our SET NX and the GET that follows (its lease
// ran out): then we try to claim again, a bounded number of times.
const CLAIM_ATTEMPTS = 3;

async function chargeOnce(deps: ChargeDeps, request: ChargeRequest): Promise<ChargeResult> {
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
    const claim: Claim = { token: randomUUID(), amountCents: request.amountCents, currency: request.currency };
    if (await deps.store.claim(request.orderId, claim, deps.leaseMs)) return process(deps, request, claim);
    const existing = await compareWithStored(deps, request);
    if (existing) return existing;
  }
  return { kind: 'in_progress' };
}

/** What an earlier request for the same order means for this one, if it is still there. */
async function compareWithStored(deps: ChargeDeps, request: ChargeRequest): Promise<ChargeResult | undefined> {
  const stored = await deps.store.byOrder(request.orderId);
  if (!stored) return undefined;
  const { amountCents, currency } = stored.state === 'processing' ? stored.claim : stored.payment;
  if (amountCents !== request.amountCents || currency !== request.currency) return { kind: 'conflict', amountCents, currency };
  return stored.state === 'processing' ? { kind: 'in_progress' } : { kind: 'replayed', payment: stored.payment };
}

async function process(deps: ChargeDeps, request: ChargeRequest, claim: Claim): Promise<ChargeResult> {
  let payment: Payment;
  try {
    const decision = await deps.processor.authorize(request.amountCents);
    payment = {
      transactionId: `txn_${randomUUID()}`,
      orderId: request.orderId,
      amountCents: request.amountCents,
      currency: request.currency,
      status: decision.status,
      ...(decision.status === 'declined' ? { reason: decision.reason } : {}),
      createdAt: new Date().toISOString(),
    };
  } catch (err) {
    // Nothing was charged: free the order for a retry now, not after the lease.
    await deps.store.abandon(request.orderId, claim).catch(() => {});
    throw err;
  }
  if (await deps.store.complete(payment, claim)) {
    recordCharge(payment);
    return { kind: 'charged', payment };
  }
  // Our lease ran out before the processor answered and another request
  // took the order over: its record is the one that counts. (A real
  // processor would be given the order id as its own idempotency key.)
  return (await compareWithStored(deps, request)) ?? { kind: 'in_progress' };
}

function describeOnSpan(span: Span, result: ChargeResult): void {
  span.setAttribute('payment.idempotency', result.kind);
  if (result.kind !== 'charged' && result.kind !== 'replayed') return;
  const { payment } = result;
  span.setAttribute('payment.transaction_id', payment.transactionId);
  span.setAttribute('payment.status', payment.status);
  // A decline is a business outcome, not a failure of this service: the
  // span stays OK and carries the reason.
  if (payment.reason) span.setAttribute('payment.decline_reason', payment.reason);
}
