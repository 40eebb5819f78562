import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanBreakdown, pathBreakdown, unionLength, type PathSpan } from './tail-breakdown.ts';

let next = 0;
/** A span from `fromMs` to `toMs` (after an arbitrary epoch). */
function span(service: string, kind: number, parent: PathSpan | string, fromMs: number, toMs: number, attributes: Record<string, unknown> = {}): PathSpan {
  const ns = (ms: number) => 1_700_000_000_000_000_000n + BigInt(Math.round(ms * 1e6));
  return {
    spanId: `s${++next}`,
    parentSpanId: typeof parent === 'string' ? parent : parent.spanId,
    service,
    name: `${service}-${next}`,
    kind,
    startNs: ns(fromMs),
    endNs: ns(toMs),
    attributes,
  };
}

test('overlapping intervals count once', () => {
  assert.equal(unionLength([]), 0);
  assert.equal(
    unionLength([
      [0, 2],
      [1, 3],
      [5, 6],
      [5.5, 5.8],
    ]),
    4,
  );
});

test("an order's path splits into each service's own, database and Redis time, the hops and the client's side", () => {
  // gateway 0-20: Redis 1-2, calls order 3-19; order 4-18: postgres 5-7 and
  // 6-8 (parallel), calls inventory 9-15; inventory 10-14: postgres 11-13.
  const gateway = span('gateway', 2, 'client-span', 0, 20);
  const handler = span('gateway', 1, gateway, 0.5, 19.5);
  const redis = span('gateway', 3, handler, 1, 2, { 'db.system.name': 'redis' });
  const callOrder = span('gateway', 3, handler, 3, 19, { 'http.request.method': 'POST' });
  const order = span('order', 2, callOrder, 4, 18);
  const q1 = span('order', 3, order, 5, 7, { 'db.system.name': 'postgresql' });
  const q2 = span('order', 3, order, 6, 8, { 'db.system.name': 'postgresql' });
  const callInventory = span('order', 3, order, 9, 15);
  const inventory = span('inventory', 2, callInventory, 10, 14);
  const q3 = span('inventory', 3, inventory, 11, 13, { 'db.system.name': 'postgresql' });
  // Async work after the answer (the Kafka hop) is off the path.
  const consumer = span('notification', 5, 'producer-span', 30, 40);
  const parts = pathBreakdown([gateway, handler, redis, callOrder, order, q1, q2, callInventory, inventory, q3, consumer], 23)!;
  const rounded = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
  assert.deepEqual(rounded, {
    'client <-> gateway': 3,
    'gateway own': 3,
    'gateway redis': 1,
    'hop gateway -> order': 2,
    'order own': 5,
    'order postgres': 3,
    'hop order -> inventory': 2,
    'inventory own': 2,
    'inventory postgres': 2,
  });
  const sum = Object.values(parts).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 23) < 1e-6, `the parts add up to what the client measured: ${sum}`);
});

test('a trace without a root SERVER span has no breakdown', () => {
  assert.equal(pathBreakdown([span('order', 5, 'elsewhere', 0, 1)], 5), undefined);
});

test('means count a part an order lacks as zero', () => {
  assert.deepEqual(meanBreakdown([{ a: 2, b: 4 }, { a: 4 }]), { a: 3, b: 2 });
});
