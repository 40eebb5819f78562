// The `order.created` event (docs/internal-api.md, Kafka) and its outbox row.
import { randomUUID } from 'node:crypto';
import type { Order } from '../db/schema.ts';
import type { NewOutboxMessage } from './outbox-repo.ts';

export const ORDER_NOTIFICATIONS_TOPIC = 'order-notifications';
export const ORDER_NOTIFICATIONS_DLQ_TOPIC = 'order-notifications.dlq';
export const ORDER_CREATED = 'order.created';

export interface OrderCreatedEvent {
  event_id: string;
  type: typeof ORDER_CREATED;
  order_id: string;
  user_id: string;
  product_id: string;
  quantity: number;
  total_cents: number;
  currency: string;
  occurred_at: string;
}

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
  return { id: eventId, aggregateId: order.id, topic: ORDER_NOTIFICATIONS_TOPIC, messageKey: order.id, payload, traceContext };
}
