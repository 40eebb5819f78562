import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOrderEvent } from './order-event.ts';

const valid = {
  event_id: '7d0c6b1e-0000-4000-8000-000000000001',
  type: 'order.created',
  order_id: '7d0c6b1e-0000-4000-8000-000000000002',
  user_id: 'user-1',
  product_id: 'PROD-123',
  quantity: 2,
  total_cents: 5998,
  currency: 'USD',
  occurred_at: '2026-11-24T12:00:00.123Z',
};
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

test('a well-formed order.created event is accepted; fields added by a newer producer are tolerated', () => {
  assert.deepEqual(parseOrderEvent(bytes(valid)), { ok: true, event: valid });
  const newer = { ...valid, coupon: 'X', occurred_at: '2026-11-24T12:00:00+01:00' };
  assert.equal(parseOrderEvent(bytes(newer)).ok, true);
});

test('poison is refused with a reason naming what is wrong, never echoing the content', () => {
  const cases: [unknown, RegExp][] = [
    [null, /^invalid_json: empty/],
    ['', /^invalid_json: empty/],
    ['{"event_id": ', /^invalid_json/],
    ['\u0000\u0001binary', /^invalid_json/],
    ['[]', /^invalid_event/],
    ['"text"', /^invalid_event/],
    [{ ...valid, event_id: undefined }, /^invalid_event: \/event_id/],
    [{ ...valid, event_id: '' }, /^invalid_event: \/event_id/],
    [{ ...valid, type: 'order.cancelled' }, /^invalid_event: \/type/],
    [{ ...valid, quantity: '2' }, /^invalid_event: \/quantity/],
    [{ ...valid, quantity: 1.5 }, /^invalid_event: \/quantity/],
    [{ ...valid, quantity: 0 }, /^invalid_event: \/quantity/],
    [{ ...valid, total_cents: 59.98 }, /^invalid_event: \/total_cents/],
    [{ ...valid, currency: 'usd' }, /^invalid_event: \/currency/],
    [{ ...valid, occurred_at: 'yesterday' }, /^invalid_event: \/occurred_at/],
    [{ ...valid, occurred_at: '2026-13-45T99:00:00Z' }, /^invalid_event: \/occurred_at/],
    [{ ...valid, order_id: 42 }, /^invalid_event: \/order_id/],
  ];
  for (const [value, reason] of cases) {
    const parsed = parseOrderEvent(value === null ? null : bytes(value));
    assert.equal(parsed.ok, false, JSON.stringify(value));
    if (!parsed.ok) {
      assert.match(parsed.reason, reason, JSON.stringify(value));
      assert.ok(!parsed.reason.includes('user-1'));
    }
  }
});
