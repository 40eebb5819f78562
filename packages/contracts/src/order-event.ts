// The `order.created` event on the order-notifications topic
// (docs/internal-api.md): what the order service's outbox writes and the
// notification service validates before doing anything with it.
import { FormatRegistry, Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { EventId, MAX_CENTS, MAX_QUANTITY, OrderId, ProductId, UserId } from './ids.ts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

export const ORDER_CREATED = 'order.created';

export const OrderCreatedEvent = Type.Object(
  {
    event_id: EventId,
    type: Type.Literal(ORDER_CREATED),
    order_id: OrderId,
    user_id: UserId,
    product_id: ProductId,
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    total_cents: Type.Integer({ minimum: 0, maximum: MAX_CENTS }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    occurred_at: Type.String({ format: 'date-time' }),
  },
  // Tolerant reader: fields added by a newer producer are ignored, not fatal.
  { additionalProperties: true },
);
export type OrderCreatedEvent = Static<typeof OrderCreatedEvent>;

/** The compiled check of an event (and the first reason it fails). */
export const orderCreatedEventCheck = TypeCompiler.Compile(OrderCreatedEvent);
