import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Order } from '@shop/contracts';
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

const span = (name: string, depth: number): WaterfallSpan => ({ spanId: name, service: 'svc', name, startMs: 0, durationMs: 1, depth, error: false });
const view = (spans: WaterfallSpan[]): TraceView => ({
  traceId: 'a'.repeat(32),
  lookup: { kind: 'found', trace: { traceId: 'a'.repeat(32), spans, durationMs: 1, services: ['svc'] } },
  jaegerUiUrl: undefined,
});

test("a created order's trace is complete with one root and the notification sent", () => {
  assert.equal(traceComplete(order('created'), view([span('click', 0), span('POST /api/orders', 1), span('notification.send', 2)])), true);
  assert.equal(traceComplete(order('created'), view([span('click', 0), span('POST /api/orders', 1)])), false, 'the notification not yet in');
});

test('a trace whose spans are still arriving from another process (a second root: a parent missing) is not complete', () => {
  const arriving = [span('click', 0), span('evalsha', 0), span('order.checkInventory', 0), span('notification.send', 1)];
  assert.equal(traceComplete(order('created'), view(arriving)), false);
  assert.equal(traceComplete(order('payment_failed'), view(arriving)), false);
  assert.equal(traceComplete(order('payment_failed'), view([span('click', 0), span('payment.process', 1)])), true);
});

test('a pending order or a trace not found yet is not complete; an order without a trace has nothing to wait for', () => {
  assert.equal(traceComplete(order('pending'), view([span('click', 0)])), false);
  assert.equal(traceComplete(order('created'), { traceId: 'a'.repeat(32), lookup: { kind: 'not_yet' }, jaegerUiUrl: undefined }), false);
  assert.equal(traceComplete(order('created'), { traceId: undefined, lookup: undefined, jaegerUiUrl: undefined }), true);
});
