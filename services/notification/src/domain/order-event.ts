// The `order.created` event as it arrives from Kafka (docs/internal-api.md),
// validated before anything is done with it. A message that fails here is
// poison: no retry can fix it, so it goes straight to the dead-letter topic.
import { FormatRegistry, Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

export const ORDER_CREATED = 'order.created';

export const OrderCreatedEvent = Type.Object(
  {
    event_id: Type.String({ minLength: 1, maxLength: 128 }),
    type: Type.Literal(ORDER_CREATED),
    order_id: Type.String({ minLength: 1, maxLength: 64 }),
    user_id: Type.String({ minLength: 1, maxLength: 64 }),
    product_id: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Type.Integer({ minimum: 1 }),
    total_cents: Type.Integer({ minimum: 0 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    occurred_at: Type.String({ format: 'date-time' }),
  },
  // Tolerant reader: fields added by a newer producer are ignored, not fatal.
  { additionalProperties: true },
);
export type OrderCreatedEvent = Static<typeof OrderCreatedEvent>;

const check = TypeCompiler.Compile(OrderCreatedEvent);

export type ParsedEvent = { ok: true; event: OrderCreatedEvent } | { ok: false; reason: string };

/** Decodes and validates a message value; the reason says what was wrong (never the content itself). */
export function parseOrderEvent(value: Buffer | null | undefined): ParsedEvent {
  if (value === null || value === undefined || value.length === 0) return { ok: false, reason: 'invalid_json: empty message' };
  let data: unknown;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid_json: the value is not JSON' };
  }
  if (check.Check(data)) return { ok: true, event: data };
  const first = check.Errors(data).First();
  return { ok: false, reason: `invalid_event: ${first ? `${first.path || '/'} ${first.message}` : 'does not match the order.created schema'}` };
}
