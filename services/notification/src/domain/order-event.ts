// The `order.created` event as it arrives from Kafka (docs/internal-api.md),
// validated before anything is done with it. A message that fails here is
// poison: no retry can fix it, so it goes straight to the dead-letter topic.
import { orderCreatedEventCheck as check, type OrderCreatedEvent } from '@shop/contracts';

export type { OrderCreatedEvent } from '@shop/contracts';

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
