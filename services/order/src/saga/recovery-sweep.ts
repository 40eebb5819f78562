// The recovery sweep: settles orders left `pending` (a crash mid-saga, a
// payment or inventory outage) once they are old enough that no request is
// still working on them. Payment is asked what happened, and the order is
// finished or compensated accordingly. Rows are claimed FOR UPDATE SKIP
// LOCKED, so two replicas never settle the same order.
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { periodic, withSpan, type FaultFlags, type Logger } from '@shop/kit';
import type { InventoryClient } from '../clients/inventory-client.ts';
import type { PaymentClient } from '../clients/payment-client.ts';
import type { Database, Executor } from '../db/client.ts';
import type { Order } from '../db/schema.ts';
import { claimStalePendingOrders } from '../persistence/orders-repo.ts';
import { completeOrder, failOrder } from './settle.ts';

export interface RecoverySweepOptions {
  db: Database;
  inventory: InventoryClient;
  payment: PaymentClient;
  log: Logger;
  /** Orders pending for longer than this are the sweep's. */
  recoverAfterMs?: number;
  intervalMs?: number;
  batchSize?: number;
  /** The fault flags (relayPaused, noted on the orders it completes). */
  flags?: FaultFlags;
}

export type Recovery = 'created' | 'payment_failed' | 'failed' | 'still_pending';

export interface RecoverySweep {
  /** One pass; returns what became of each order it claimed. */
  runOnce(): Promise<Map<string, Recovery>>;
  start(): void;
  stop(): Promise<void>;
}

export function createRecoverySweep(options: RecoverySweepOptions): RecoverySweep {
  const { db, log } = options;
  const recoverAfterMs = options.recoverAfterMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 5000;
  const batchSize = options.batchSize ?? 20;

  async function runOnce(): Promise<Map<string, Recovery>> {
    const results = new Map<string, Recovery>();
    // The claim's locks last for the whole pass, so the other replicas'
    // sweeps skip these orders until they are settled.
    await db.transaction(async (tx) => {
      const stale = await claimStalePendingOrders(tx, recoverAfterMs, batchSize);
      for (const order of stale) {
        try {
          // A savepoint per order: one failing write does not abort the pass.
          results.set(order.id, await tx.transaction((inner) => recoverOne(inner, order)));
        } catch (err) {
          results.set(order.id, 'still_pending');
          log.warn({ order_id: order.id, err: { message: (err as Error).message } }, 'order recovery failed; retrying next pass');
        }
      }
    });
    return results;
  }

  async function recoverOne(tx: Executor, order: Order): Promise<Recovery> {
    // A fresh trace per recovery: the request's trace ended long ago.
    return withSpan(
      'order.recover',
      { kind: SpanKind.INTERNAL, parent: ROOT_CONTEXT, attributes: { 'order.id': order.id, 'order.total_cents': order.totalCents } },
      async (span) => {
        const payment = await options.payment.lookup(order.id).catch(() => undefined);
        span.setAttribute('order.recovery.payment', payment?.outcome ?? 'unreachable');
        if (!payment || payment.outcome === 'in_progress') return 'still_pending';
        if (payment.outcome === 'succeeded') {
          span.setAttribute('payment.transaction_id', payment.transactionId);
          return settled(await completeOrder(tx, order, payment.transactionId, options.flags));
        }
        // Declined or never charged: the stock goes back first. Release is
        // idempotent, and 404 when nothing was reserved: both are fine.
        await options.inventory.release(order.id);
        if (payment.outcome === 'declined') {
          return settled(await failOrder(tx, order.id, 'payment_failed', payment.reason, 'payment_declined', payment.transactionId));
        }
        return settled(await failOrder(tx, order.id, 'failed', 'recovered_without_payment', 'recovered_without_payment'));
      },
    );
  }

  function settled(order: Order): Recovery {
    log.info({ order_id: order.id, status: order.status }, 'pending order recovered');
    return order.status === 'pending' ? 'still_pending' : order.status === 'rejected' ? 'failed' : order.status;
  }

  let failing = false;
  const loop = periodic(
    async () => {
      await runOnce();
      failing = false;
      return intervalMs;
    },
    (err) => {
      if (!failing) log.warn({ err: { message: (err as Error).message } }, 'recovery sweep cannot reach the database; retrying');
      failing = true;
      return intervalMs;
    },
  );

  return {
    runOnce,
    start: () => loop.start(),
    async stop() {
      await loop.stop(5000);
    },
  };
}
