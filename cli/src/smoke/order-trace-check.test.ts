import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderTrace } from '../test-support/span-builder.ts';
import { checkOrderTrace, hasExpectedSpans } from './order-trace-check.ts';

test('a complete, connected, error-free order trace passes', () => {
  const check = checkOrderTrace(orderTrace());
  assert.deepEqual(check.problems, []);
  assert.equal(check.ok, true);
  assert.equal(check.services.length, 5);
  assert.equal(hasExpectedSpans(orderTrace()), true);
});

test('a trace without the Kafka leg names the missing service and spans', () => {
  const spans = orderTrace().filter((s) => s.service !== 'notification-service');
  const check = checkOrderTrace(spans);
  assert.equal(check.ok, false);
  assert.deepEqual(check.problems, ['no spans from notification-service', 'missing spans notification.process, notification.send']);
  assert.equal(hasExpectedSpans(spans), false);
});

test('error spans fail the check with service, name and message', () => {
  const spans = orderTrace().map((s) => (s.name === 'payment.process' ? { ...s, status: { code: 2, message: 'processor timeout' } } : s));
  assert.deepEqual(checkOrderTrace(spans).problems, ['1 error span: payment-service payment.process (processor timeout)']);
});

test('a context lost on the Kafka hop shows as a second root', () => {
  const spans = orderTrace().map((s) => (s.name === 'notification.process' ? { ...s, parentSpanId: 'ffffffffffffffff' } : s));
  assert.deepEqual(checkOrderTrace(spans).problems, [
    'not one connected tree: 2 root spans (gateway POST /api/orders, notification-service notification.process)',
  ]);
});

test('no spans at all is said plainly', () => {
  assert.deepEqual(checkOrderTrace([]).problems, ['no spans in Jaeger']);
});

test('a trace whose Kafka-hop parent has not arrived yet is not complete: waiting goes on rather than judging it broken', () => {
  const full = orderTrace();
  const consumer = full.find((s) => s.name === 'notification.process')!;
  // The consumer's parent (order's send span, exported later by the relay) is still on its way.
  const early = full.filter((s) => s.spanId !== consumer.parentSpanId);
  assert.equal(early.length, full.length - 1);
  assert.equal(hasExpectedSpans(early), false);
  assert.equal(hasExpectedSpans(full), true);
});
