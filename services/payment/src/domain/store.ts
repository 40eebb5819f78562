// Payments in Redis.
//
//   payment:order:<order_id>      JSON: a processing claim, then the outcome
//   payment:tx:<transaction_id>   the order id, to find a payment by its transaction
//
// A charge first claims the order key with SET NX PX <lease>: only one
// request can hold it, and a processor that crashes mid charge lets go when
// the lease expires. Completing swaps the claim for the outcome and writes
// the transaction key in one script, and only while the claim is still ours.
// Outcomes are kept without a TTL: they are this service's ledger, and an
// expired one would let a late retry of the same order charge it again.
import type { Redis } from 'ioredis';
import { redisFailure } from '@shop/kit';
import type { DeclineReason } from './processor.ts';

export type PaymentStatus = 'succeeded' | 'declined';

export interface Payment {
  transactionId: string;
  orderId: string;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  reason?: DeclineReason;
  createdAt: string;
}

/** What a charge in flight holds: enough to tell a duplicate from a conflicting request. */
export interface Claim {
  token: string;
  amountCents: number;
  currency: string;
}

export type Stored = { state: 'processing'; claim: Claim } | { state: 'final'; payment: Payment };

export const orderKey = (orderId: string) => `payment:order:${orderId}`;
export const transactionKey = (transactionId: string) => `payment:tx:${transactionId}`;

// KEYS: order key, transaction key. ARGV: our claim, the outcome, the order id.
const COMPLETE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return 1`;

// KEYS: order key. ARGV: our claim.
const ABANDON = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`;

interface ScriptCommands {
  paymentComplete(orderKey: string, transactionKey: string, claim: string, outcome: string, orderId: string): Promise<number>;
  paymentAbandon(orderKey: string, claim: string): Promise<number>;
}

export interface PaymentStore {
  /** Takes the order for this request; false when another request holds or settled it. */
  claim(orderId: string, claim: Claim, leaseMs: number): Promise<boolean>;
  /** Records the outcome if the claim is still ours; false when its lease ran out first. */
  complete(payment: Payment, claim: Claim): Promise<boolean>;
  /** Lets go of a claim after a failed charge, so a retry need not wait for the lease. */
  abandon(orderId: string, claim: Claim): Promise<void>;
  byOrder(orderId: string): Promise<Stored | undefined>;
  byTransaction(transactionId: string): Promise<Payment | undefined>;
}

export function redisPaymentStore(redis: Redis): PaymentStore {
  // Sent once, then run by SHA (EVALSHA), so spans do not carry the script text.
  redis.defineCommand('paymentComplete', { numberOfKeys: 2, lua: COMPLETE });
  redis.defineCommand('paymentAbandon', { numberOfKeys: 1, lua: ABANDON });
  const scripts = redis as unknown as ScriptCommands;

  const call = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (err) {
      throw redisFailure(err);
    }
  };

  const byOrder = async (orderId: string): Promise<Stored | undefined> => {
    const raw = await call(() => redis.get(orderKey(orderId)));
    return raw === null ? undefined : decode(raw);
  };

  return {
    async claim(orderId, claim, leaseMs) {
      const result = await call(() => redis.set(orderKey(orderId), encodeClaim(claim), 'PX', leaseMs, 'NX'));
      return result === 'OK';
    },
    async complete(payment, claim) {
      const stored = await call(() =>
        scripts.paymentComplete(orderKey(payment.orderId), transactionKey(payment.transactionId), encodeClaim(claim), encodePayment(payment), payment.orderId),
      );
      return stored === 1;
    },
    async abandon(orderId, claim) {
      await call(() => scripts.paymentAbandon(orderKey(orderId), encodeClaim(claim)));
    },
    byOrder,
    async byTransaction(transactionId) {
      const orderId = await call(() => redis.get(transactionKey(transactionId)));
      if (orderId === null) return undefined;
      const stored = await byOrder(orderId);
      return stored?.state === 'final' && stored.payment.transactionId === transactionId ? stored.payment : undefined;
    },
  };
}

// Stored JSON uses the API's field names, so redis-cli shows what clients see.
// The claim's encoding must be byte-for-byte stable: the scripts compare it.
function encodeClaim(claim: Claim): string {
  return JSON.stringify({ status: 'processing', token: claim.token, amount_cents: claim.amountCents, currency: claim.currency });
}

function encodePayment(payment: Payment): string {
  return JSON.stringify({
    transaction_id: payment.transactionId,
    order_id: payment.orderId,
    amount_cents: payment.amountCents,
    currency: payment.currency,
    status: payment.status,
    ...(payment.reason ? { reason: payment.reason } : {}),
    created_at: payment.createdAt,
  });
}

function decode(raw: string): Stored {
  const value = JSON.parse(raw) as Record<string, unknown>;
  if (value.status === 'processing') {
    return {
      state: 'processing',
      claim: { token: String(value.token), amountCents: Number(value.amount_cents), currency: String(value.currency) },
    };
  }
  return {
    state: 'final',
    payment: {
      transactionId: String(value.transaction_id),
      orderId: String(value.order_id),
      amountCents: Number(value.amount_cents),
      currency: String(value.currency),
      status: value.status === 'succeeded' ? 'succeeded' : 'declined',
      ...(typeof value.reason === 'string' ? { reason: value.reason as DeclineReason } : {}),
      createdAt: String(value.created_at),
    },
  };
}
