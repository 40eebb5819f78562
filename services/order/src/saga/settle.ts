// The final steps both the request and the recovery sweep take: finishing a
// paid order (status and outbox row in one statement), and recording a
// failure once its compensation is done.
import { SpanKind } from '@opentelemetry/api';
import { ORDER_NOTIFICATIONS, SPANS } from '@shop/contracts';
import { FLAGS_OFF, injectContext, withSpan, type FaultFlags } from '@shop/kit';
import type { Executor } from '../db/client.ts';
import type { Order } from '../db/schema.ts';
import { recordOrderCreated, recordOrderFailed, type FailureReason } from '../metrics.ts';
import { orderCreatedMessage } from '../outbox/order-event.ts';
import { findOrder, settleCreatedWithOutbox, settleOrder, type FinalStatus } from '../persistence/orders-repo.ts';

/**
 * Marks a paid order created and writes its outbox row in ONE statement:
 * either both exist or neither, and it costs one round trip instead of a
 * transaction's four. Returns the order as it stands afterwards (already
 * settled by someone else: unchanged). While relayPaused is on, the outbox
 * row waits for the relay: the flag's event on this trace says why its
 * notification comes late.
 */
export async function completeOrder(db: Executor, order: Order, transactionId: string, flags: FaultFlags = FLAGS_OFF): Promise<Order> {
  return withSpan(SPANS.orderSaveDatabase, { kind: SpanKind.INTERNAL, attributes: { 'order.id': order.id, 'order.status': 'created' } }, async () => {
    const updatedAt = await withSpan(
      SPANS.orderSendNotification,
      { attributes: { 'order.id': order.id, 'messaging.destination.name': ORDER_NOTIFICATIONS.name } },
      // The context of this span travels with the row, so the Kafka publish
      // (later, from the relay) continues this trace.
      async () => {
        const written = await settleCreatedWithOutbox(db, order.id, transactionId, orderCreatedMessage(order, injectContext()));
        if (written) await flags.boolean('relayPaused');
        return written;
      },
    );
    if (updatedAt) {
      recordOrderCreated(order.totalCents, order.currency);
      return { ...order, status: 'created', failureReason: null, transactionId, updatedAt };
    }
    return current(db, order.id);
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
  return withSpan(SPANS.orderSaveDatabase, { attributes: { 'order.id': orderId, 'order.status': status } }, async () => {
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
