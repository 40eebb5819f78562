import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICE_NAMES, SERVICES, type Order } from '@shop/contracts';
import type { WaterfallSpan } from '../order-trace.ts';
import { traceComplete, type TraceView } from './order.ts';

const order = (status: Order['status']): Order => ({
  order_id: 'o-1',
  status,
  user_id: 'u-1',
  product_id: 'PROD-123',
  quantity: 1,
  unit_price_cents: 2999,
  total_cents: 2999,
  currency: 'USD',
  transaction_id: null,
  failure_reason: null,
  created_at: '2026-12-07T12:00:00.000Z',
  updated_at: '2026-12-07T12:00:00.000Z',
});

const span = (name: string, depth: number, service = 'storefront'): WaterfallSpan => ({
  spanId: name,
  service,
  name,
  startMs: 0,
  durationMs: 1,
  depth,
  error: false,
});
/** A span of each of the five services, under one root. */
const everyService = (except: string[] = []) => SERVICE_NAMES.filter((s) => !except.includes(s)).map((s) => span(`${s} work`, 1, SERVICES[s].otelName));
const view = (spans: WaterfallSpan[]): TraceView => ({
  traceId: 'a'.repeat(32),
  lookup: { kind: 'found', trace: { traceId: 'a'.repeat(32), spans, durationMs: 1, services: ['svc'] } },
  jaegerUiUrl: undefined,
});

test("a created order's trace is complete with one root, every service's spans and the notification sent", () => {
  assert.equal(traceComplete(order('created'), view([span('click', 0), ...everyService(), span('notification.send', 2, 'notification-service')])), true);
  assert.equal(traceComplete(order('created'), view([span('click', 0), ...everyService()])), false, 'the notification not yet in');
  assert.equal(
    traceComplete(order('created'), view([span('click', 0), ...everyService(['gateway']), span('notification.send', 2, 'notification-service')])),
    false,
    "the gateway's batch not yet in",
  );
  // Only the consumer's batch: one root (its parent is still out), the notification sent, and yet far from whole.
  assert.equal(
    traceComplete(
      order('created'),
      view([span('process order-notifications', 0, 'notification-service'), span('notification.send', 1, 'notification-service')]),
    ),
    false,
  );
});

test('a trace whose spans are still arriving from another process (a second root: a parent missing) is not complete', () => {
  const arriving = [span('click', 0), span('evalsha', 0), span('order.checkInventory', 0), span('notification.send', 1)];
  assert.equal(traceComplete(order('created'), view(arriving)), false);
  assert.equal(traceComplete(order('payment_failed'), view(arriving)), false);
  assert.equal(traceComplete(order('payment_failed'), view([span('click', 0), ...everyService(['notification'])])), true);
});

test('a pending order or a trace not found yet is not complete; an order without a trace has nothing to wait for', () => {
  assert.equal(traceComplete(order('pending'), view([span('click', 0)])), false);
  assert.equal(traceComplete(order('created'), { traceId: 'a'.repeat(32), lookup: { kind: 'not_yet' }, jaegerUiUrl: undefined }), false);
  assert.equal(traceComplete(order('created'), { traceId: undefined, lookup: undefined, jaegerUiUrl: undefined }), true);
});
