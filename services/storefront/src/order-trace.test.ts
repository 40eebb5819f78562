// The waterfall's layout from a trace's spans: tree order, depth, times from
// the trace's start; and spans sent through the span proxy that name
// themselves as their own ancestors cannot loop it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waterfall } from './order-trace.ts';

const ms = (n: number) => BigInt(n) * 1_000_000n;
const span = (spanId: string, parentSpanId: string, start: number, end: number, service = 'gateway', name = spanId) => ({
  spanId,
  parentSpanId,
  service,
  name,
  start: ms(1000 + start),
  end: ms(1000 + end),
  error: false,
  orderId: undefined,
});

test('spans are laid out in call order, each under its parent, with times from the start of the trace', () => {
  const trace = waterfall('t', [
    span('c2', 'b', 30, 40),
    span('b', 'a', 5, 90),
    span('a', '', 0, 100, 'storefront-web', 'click'),
    span('c1', 'b', 10, 20),
    span('orphan', 'missing', 50, 60),
  ]);
  assert.deepEqual(
    trace.spans.map((s) => `${s.name}@${s.depth}`),
    ['click@0', 'b@1', 'c1@2', 'c2@2', 'orphan@0'],
  );
  assert.equal(trace.durationMs, 100);
  assert.deepEqual(
    trace.spans.map((s) => [s.startMs, s.durationMs]),
    [
      [0, 100],
      [5, 85],
      [10, 10],
      [30, 10],
      [50, 10],
    ],
  );
  assert.deepEqual(trace.services, ['storefront-web', 'gateway']);
});

test('repeated span ids and parent cycles are laid out once, never looped', () => {
  const trace = waterfall('t', [span('a', '', 0, 10), span('b', 'a', 1, 2), span('a', 'b', 3, 4), span('x', 'y', 0, 1), span('y', 'x', 0, 1)]);
  assert.deepEqual(
    trace.spans.map((s) => s.spanId),
    ['a', 'b'],
  );
});
