// The shopper's cookie and the checkout key: what is accepted back from a
// browser, and for how long a checkout's key is reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKOUT_KEY_LIFETIME_MS, isLiveCheckoutKey, newCheckoutKey, newShopperId, shopperCookie, shopperOf } from './shopper.ts';

test('a shopper id is read back from its cookie, and nothing else is taken for one', () => {
  const id = newShopperId();
  assert.match(id, /^shopper-[0-9a-f]{16}$/);
  assert.equal(shopperOf(`theme=dark; ${shopperCookie(id).split(';')[0]}; other=1`), id);
  for (const header of [undefined, '', 'shopper=', 'shopper=admin', `shopper=${id}x`, `shopper=${id.toUpperCase()}`, 'shopper=shopper-../../etc']) {
    assert.equal(shopperOf(header), undefined, String(header));
  }
  assert.match(shopperCookie(id), /HttpOnly/);
  assert.match(shopperCookie(id), /SameSite=Lax/);
});

test('a checkout key is unique per render and live for its lifetime only', () => {
  const now = Date.UTC(2026, 11, 1);
  const key = newCheckoutKey(now);
  const upper = key.toUpperCase();
  assert.notEqual(newCheckoutKey(now), key);
  assert.ok(isLiveCheckoutKey(key, now));
  assert.ok(isLiveCheckoutKey(key, now + CHECKOUT_KEY_LIFETIME_MS - 1));
  assert.ok(!isLiveCheckoutKey(key, now + CHECKOUT_KEY_LIFETIME_MS), 'expired');
  assert.ok(!isLiveCheckoutKey(newCheckoutKey(now + 5 * 60_000), now), 'from the future');
  for (const bad of [undefined, '', 'co-', 'co-abc-xyz', `${key}0`, upper, 'order 42 retry']) assert.ok(!isLiveCheckoutKey(bad, now), String(bad));
});
