// The telemetry's own attributes (docs/telemetry.md#attributes): every
// attribute the shop's spans, span events, metrics and log records carry
// that is not one of OpenTelemetry's semantic conventions, with its type, what it means and
// where it is set. The attributes upstream instrumentations add beyond the
// conventions are listed too, by who sets them. The end-to-end test over a
// real order's trace fails on an attribute that is neither a current
// convention nor listed here, and docs/telemetry.md's table is this list
// rendered (tests/repo keeps them equal).

export type AttributeType = 'string' | 'int' | 'double' | 'boolean';

export interface AttributeSpec {
  type: AttributeType;
  /** One line: what it says. */
  brief: string;
  /** The spans, events or metrics it is on. */
  on: string;
  /** Who sets it: `shop` (our code), or the upstream package (an instrumentation, Fastify). */
  by: 'shop' | '@fastify/otel' | 'fastify';
}

const shop = (type: AttributeType, brief: string, on: string): AttributeSpec => ({ type, brief, on, by: 'shop' });

export const ATTRIBUTES = {
  'order.id': shop('string', "The order's id (a UUID).", 'the order path: order.*, inventory.deduct, payment.process, notification.* spans'),
  'order.quantity': shop('int', 'Units of the product ordered.', 'gateway.createOrder, order.create, order.checkInventory'),
  'order.total_cents': shop('int', "The order's total, in cents of its currency.", 'order.create, order.processPayment'),
  'order.status': shop('string', "The order's status after the step: pending, created or failed.", 'order.saveDatabase'),
  'order.idempotent_replay': shop('boolean', 'The request repeated an idempotency key: the stored order was answered.', 'order.create'),
  'order.recovery.payment': shop(
    'string',
    'What payment said of an order the recovery sweep settles: its outcome, or unreachable.',
    "order's recovery sweep span",
  ),
  'order.outcome': shop('string', "How the shopper's checkout ended: created, refused or failed.", 'storefront-web.checkout (browser)'),
  'product.id': shop('string', 'The product ordered or looked up.', 'gateway.createOrder, order.create, inventory.get'),
  'product.price_cents': shop('int', 'The unit price inventory reserved at, in cents.', 'inventory.deduct'),
  'inventory.found': shop('boolean', 'The product exists.', 'inventory.get'),
  'inventory.stock': shop('int', 'Units in stock when looked up.', 'inventory.get'),
  'inventory.quantity': shop('int', 'Units asked to reserve.', 'inventory.deduct, its inventory.insufficient_stock event'),
  'inventory.available': shop('int', 'Units there were when a reservation asked for more.', 'inventory.deduct, its inventory.insufficient_stock event'),
  'inventory.remaining': shop('int', 'Units left after the reservation.', 'inventory.deduct'),
  'inventory.outcome': shop(
    'string',
    'How the reservation or release went: reserved, replayed, insufficient_stock, released, ...',
    'inventory.deduct, inventory.release',
  ),
  'payment.amount_cents': shop('int', 'The amount charged, in cents.', 'payment.process'),
  'payment.currency': shop('string', 'The ISO 4217 code of the amount.', 'payment.process; the payment.amount metric'),
  'payment.status': shop('string', 'How the charge ended: succeeded or declined.', 'payment.process'),
  'payment.transaction_id': shop('string', "The processor's transaction id of a successful charge.", 'payment.process, order.processPayment'),
  'payment.idempotency': shop(
    'string',
    'Whether the charge was made now or answered from an earlier one: charged, replayed, conflict, in_progress.',
    'payment.process',
  ),
  'payment.decline_reason': shop('string', 'Why a charge was declined.', 'payment.process'),
  'payment.unclear_cause': shop(
    'string',
    'Why order could not tell whether a charge happened (timeout, unavailable, in_progress, error).',
    "order.processPayment's payment outcome unclear event",
  ),
  'notification.event_id': shop('string', "The order event's id, what makes a send happen once.", 'notification.process'),
  'notification.attempts': shop('int', 'Sends tried for the event so far.', 'notification.process'),
  'notification.attempt': shop('int', 'Which send this is, from 1.', 'notification.send'),
  'notification.channel': shop('string', 'The channel sent through (email).', 'notification.send; the notifications.* metrics'),
  'notification.outcome': shop(
    'string',
    'What became of the event: sent, duplicate, dead_lettered or invalid.',
    'notification.process; the notification.delay metric',
  ),
  'gateway.api_key.id': shop('string', "The API key's public id (never the key).", "the gateway's request and gateway.createOrder spans"),
  'gateway.idempotency_key.present': shop('boolean', 'The request carried an Idempotency-Key.', 'gateway.createOrder'),
  'gateway.idempotent_replay': shop('boolean', 'Order answered a replay of an earlier request.', 'gateway.createOrder'),
  'load.outcome': shop('string', "How one of the load generator's orders ended: its HTTP status, or the error.", 'load-generator.order'),
  'storefront.checkout.outcome': shop(
    'string',
    "How the storefront's checkout request ended: created, refused or unavailable.",
    "the storefront's checkout route span",
  ),
  reason: shop(
    'string',
    'Why: the failure (orders.failed), the rejection (gateway.requests.rejected), the decline (payments), the dead letter (notifications.dead_lettered).',
    'the metrics orders.failed, gateway.requests.rejected, payments, notifications.dead_lettered',
  ),
  status: shop('string', "The charge's status: succeeded or declined.", 'the metrics payments, payment.amount'),
  outcome: shop(
    'string',
    'How it went: reserved, insufficient_stock, ... (inventory), the HTTP status or error (load generator).',
    'the metrics inventory.reservations, inventory.releases, load_generator.orders',
  ),
  currency: shop('string', 'The ISO 4217 code of the order total.', 'the metric order.total'),
  source: shop('string', "Where the load generator's rate comes from: flag or configured.", 'the metric load_generator.rate'),
  duration_ms: shop('int', 'How long the request took, in whole milliseconds.', 'the `request completed` log line'),
  reqId: {
    type: 'string',
    brief: "Fastify's id of the request within its process (req-1, req-2, ...).",
    on: 'every log line written while a request is handled',
    by: 'fastify',
  },
  'fastify.root': { type: 'string', brief: "Marks the request span (its value: '@fastify/otel').", on: 'request', by: '@fastify/otel' },
  'fastify.type': { type: 'string', brief: 'The kind of Fastify span (request-handler for a route handler).', on: 'handler - <plugin>', by: '@fastify/otel' },
  'hook.name': { type: 'string', brief: 'The Fastify hook or handler the span times.', on: 'handler - <plugin>', by: '@fastify/otel' },
  'hook.callback.name': { type: 'string', brief: "The handler function's name.", on: 'handler - <plugin>', by: '@fastify/otel' },
} as const satisfies Record<string, AttributeSpec>;

export type AttributeName = keyof typeof ATTRIBUTES;
export const ATTRIBUTE_NAMES = Object.keys(ATTRIBUTES) as AttributeName[];

/**
 * The fields of a log line that are the log record itself, not attributes:
 * what the OTLP log bridge (@opentelemetry/instrumentation-pino) takes out of
 * each pino line, by the record field each becomes. Every other field of a
 * line is an attribute, held to ATTRIBUTES like a span's.
 */
export const LOG_RECORD_FIELDS = {
  level: 'severity (number and text)',
  time: 'timestamp',
  msg: 'body',
  err: 'exception (type, message, stack trace)',
  trace_id: "trace id (the name OpenTelemetry gives it in logs that are not OTLP; the record's trace context)",
  span_id: "span id (likewise; the record's trace context)",
} as const;
