import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderTrace, span, TRACE_ID } from '../test-support/span-builder.ts';
import { renderTrace, traceAsJson } from './render-tree.ts';

test('the tree shows service, name with tree glyphs, start, duration and a timeline bar', () => {
  const text = renderTrace(orderTrace());
  const lines = text.split('\n');
  assert.match(lines[0]!, new RegExp(`^trace ${TRACE_ID}  5 services · 14 spans · 660\\.0 ms · no errors$`));
  assert.match(text, /gateway\s+POST \/api\/orders\s+0\.00 ms\s+400\.0 ms\s+█+/);
  assert.match(text, /order-service\s+│? *└─ POST \/orders/);
  assert.match(text, /notification-service\s+.*└─ notification\.send\s+630\.0 ms\s+25\.0 ms/);
  // Every span once, no colour codes when no style is given.
  assert.equal(lines.slice(3).filter((l) => l.includes(' ms ')).length, 14);
  assert.ok(!text.includes('\u001b['), 'no escape sequence');
});

test('sibling branches keep their vertical line until the last sibling', () => {
  const text = renderTrace([
    span('r', '', 'gateway', 'root', 0, 100),
    span('a', 'r', 'gateway', 'first', 1, 10),
    span('a1', 'a', 'gateway', 'first.child', 2, 5),
    span('b', 'r', 'gateway', 'second', 20, 10),
  ]);
  assert.match(text, /├─ first/);
  assert.match(text, /│ {2}└─ first\.child/);
  assert.match(text, /└─ second/);
});

test('an error span is marked ✗ and its message is spelled out under it, with the HTTP status when >= 400', () => {
  const spans = orderTrace();
  spans[8] = {
    ...spans[8]!,
    status: { code: 2, message: '' },
    exceptions: ['card declined: limit_exceeded'],
    attributes: { 'http.response.status_code': 402 },
  };
  const text = renderTrace(spans);
  assert.match(text, /1 error\b/);
  assert.match(text, /^✗ payment-service\s+.*payment\.process \(402\)/m);
  assert.match(text, /^\s+error: card declined: limit_exceeded$/m);
});

test('--json lists spans in tree order with depth, relative start and error text', () => {
  const spans = orderTrace();
  spans[3] = { ...spans[3]!, status: { code: 2, message: 'boom' } };
  const json = traceAsJson(spans) as { trace_id: string; spans: { name: string; depth: number; start_offset_ms: number; status: string; error?: string }[] };
  assert.equal(json.trace_id, TRACE_ID);
  assert.deepEqual(
    json.spans.slice(0, 4).map((s) => [s.name, s.depth]),
    [
      ['POST /api/orders', 0],
      ['gateway.createOrder', 1],
      ['gateway.callOrderService', 2],
      ['POST /orders', 3],
    ],
  );
  assert.equal(json.spans[3]!.status, 'error');
  assert.equal(json.spans[3]!.error, 'boom');
  assert.equal(json.spans.at(-1)!.start_offset_ms, 630);
});
