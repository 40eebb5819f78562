// The final steps both the request and the recovery sweep take: finishing a
// paid order (status and outbox row in one transaction), and recording a
// failure once its compensation is done.
import { SpanKind } from '@opentelemetry/api';
import { injectContext, withSpan } from '@shop/kit';
import type { Executor } from '../db/client.ts';
import type { Order } from '../db/schema.ts';
import { recordOrderCreated, recordOrderFailed, type FailureReason } from './metrics.ts';
import { orderCreatedMessage } from './order-event.ts';
import { findOrder, settleOrder, type FinalStatus } from './orders-repo.ts';
import { insertOutboxMessage } from './outbox-repo.ts';

/**
 * Marks a paid order created and writes its outbox row in ONE transaction:
 * either both exist or neither. Returns the order as it stands afterwards
 * (already settled by someone else: unchanged).
 */
export async function completeOrder(db: Executor, orderId: string, transactionId: string): Promise<Order> {
  return withSpan('order.saveDatabase', { kind: SpanKind.INTERNAL, attributes: { 'order.id': orderId, 'order.status': 'created' } }, async () => {
    const settled = await db.transaction(async (tx) => {
      const order = await settleOrder(tx, orderId, { status: 'created', transactionId });
      if (!order) return undefined;
      await withSpan('order.sendNotification', { attributes: { 'order.id': orderId, 'messaging.destination.name': 'order-notifications' } }, async () => {
        // The context of this span travels with the row, so the Kafka
        // publish (later, from the relay) continues this trace.
        await insertOutboxMessage(tx, orderCreatedMessage(order, injectContext()));
      });
      return order;
    });
    if (settled) {
      recordOrderCreated(settled.totalCents, settled.currency);
      return settled;
    }
    return current(db, orderId);
  });
}

/** Records a final failure status; returns the order as it stands afterwards. */
export async function failOrder(
  db: Executor,
  orderId: string,
  status: Exclude<FinalStatus, 'created'>,
  reason: string,
  metricReason: FailureReason,
  transactionId?: string,
): Promise<Order> {
  return withSpan('order.saveDatabase', { attributes: { 'order.id': orderId, 'order.status': status } }, async () => {
    const settled = await settleOrder(db, orderId, { status, failureReason: reason, ...(transactionId ? { transactionId } : {}) });
    if (settled) {
      recordOrderFailed(metricReason);
      return settled;
    }
    return current(db, orderId);
  });
}

async function current(db: Executor, orderId: string): Promise<Order> {
  const order = await findOrder(db, orderId);
  if (!order) throw new Error(`order ${orderId} vanished`);
  return order;
}
