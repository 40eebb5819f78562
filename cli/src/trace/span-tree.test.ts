import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderTrace, span } from '../test-support/span-builder.ts';
import { buildSpanTree, inTreeOrder, summarizeTrace } from './span-tree.ts';

test('children hang under their parent in start order, parents before children', () => {
  const spans = [
    span('r', '', 'gateway', 'root', 0, 100),
    span('late', 'r', 'order-service', 'late', 50, 10),
    span('early', 'r', 'order-service', 'early', 5, 10),
  ];
  const roots = buildSpanTree(spans);
  assert.equal(roots.length, 1);
  assert.deepEqual(
    inTreeOrder(roots).map((n) => [n.span.name, n.depth]),
    [
      ['root', 0],
      ['early', 1],
      ['late', 1],
    ],
  );
});

test('a span whose parent is not in the trace is a root (the caller-made parent of the first span included)', () => {
  const roots = buildSpanTree(orderTrace());
  assert.equal(roots.length, 1, 'the gateway span, child of the CLI-made traceparent');
  const broken = orderTrace().map((s) => (s.spanId === 'e1' ? { ...s, parentSpanId: 'lost-in-kafka' } : s));
  assert.deepEqual(
    buildSpanTree(broken).map((r) => r.span.name),
    ['POST /api/orders', 'notification.process'],
  );
});

test('a self-parented span does not loop', () => {
  assert.equal(buildSpanTree([span('x', 'x', 'gateway', 'self', 0, 1)]).length, 1);
});

test('the summary counts spans, services in order of appearance, errors and the overall duration', () => {
  const spans = orderTrace();
  spans[8] = { ...spans[8]!, status: { code: 2, message: 'declined' } };
  const summary = summarizeTrace(spans);
  assert.equal(summary.spanCount, 14);
  assert.deepEqual(summary.services, ['gateway', 'order-service', 'inventory-service', 'payment-service', 'notification-service']);
  assert.equal(summary.errorCount, 1);
  assert.equal(summary.rootCount, 1);
  assert.equal(summary.durationMs, 660);
});
