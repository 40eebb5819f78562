// Spans for tests of the pure trace code, shaped as otlp-spans.ts makes them.
import type { Span } from '../jaeger/otlp-spans.ts';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

export function span(
  spanId: string,
  parentSpanId: string,
  service: string,
  name: string,
  startMs: number,
  durationMs: number,
  extra: Partial<Span> = {},
): Span {
  const startNs = 1_700_000_000_000_000_000n + BigInt(Math.round(startMs * 1e6));
  return {
    traceId: TRACE_ID,
    spanId,
    parentSpanId,
    service,
    resource: { 'service.name': service },
    scope: 'shop',
    name,
    kind: 1,
    startNs,
    endNs: startNs + BigInt(Math.round(durationMs * 1e6)),
    durationMs,
    attributes: {},
    status: { code: 0, message: '' },
    events: [],
    links: 0,
    exceptions: [],
    ...extra,
  };
}

/** A created order's trace as the services make it: one tree, five services, every contract span. */
export function orderTrace(): Span[] {
  return [
    span('a1', 'caller', 'gateway', 'POST /api/orders', 0, 400, { kind: 2 }),
    span('a2', 'a1', 'gateway', 'gateway.createOrder', 1, 398),
    span('a3', 'a2', 'gateway', 'gateway.callOrderService', 2, 395),
    span('b1', 'a3', 'order-service', 'POST /orders', 5, 380, { kind: 2 }),
    span('b2', 'b1', 'order-service', 'order.create', 6, 370),
    span('b3', 'b2', 'order-service', 'order.checkInventory', 10, 100),
    span('c1', 'b3', 'inventory-service', 'inventory.deduct', 20, 60),
    span('b4', 'b2', 'order-service', 'order.processPayment', 120, 120),
    span('d1', 'b4', 'payment-service', 'payment.process', 130, 100),
    span('b5', 'b2', 'order-service', 'order.saveDatabase', 250, 50),
    span('b6', 'b5', 'order-service', 'order.sendNotification', 260, 20),
    span('b7', 'b6', 'order-service', 'send order-notifications', 600, 10, { kind: 4 }),
    span('e1', 'b7', 'notification-service', 'notification.process', 620, 40, { kind: 5 }),
    span('e2', 'e1', 'notification-service', 'notification.send', 630, 25),
  ];
}
