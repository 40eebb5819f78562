// The `order.created` event (docs/internal-api.md, Kafka) and its outbox row.
import { randomUUID } from 'node:crypto';
import { ORDER_CREATED, ORDER_NOTIFICATIONS, type OrderCreatedEvent } from '@shop/contracts';
import type { Order } from '../db/schema.ts';
import type { NewOutboxMessage } from './outbox-repo.ts';

export function orderCreatedMessage(order: Order, traceContext: Record<string, string>, now = new Date()): NewOutboxMessage {
  const eventId = randomUUID();
  const payload: OrderCreatedEvent = {
    event_id: eventId,
    type: ORDER_CREATED,
    order_id: order.id,
    user_id: order.userId,
    product_id: order.productId,
    quantity: order.quantity,
    total_cents: order.totalCents,
    currency: order.currency,
    occurred_at: now.toISOString(),
  };
  return { id: eventId, aggregateId: order.id, topic: ORDER_NOTIFICATIONS.name, messageKey: order.id, payload, traceContext };
}
