import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, requestHash } from './order-request.ts';

test('equal bodies hash alike whatever their key order', () => {
  const a = requestHash({ user_id: 'u1', product_id: 'PROD-123', quantity: 2, amount_cents: 5998 });
  const b = requestHash(JSON.parse('{"quantity":2,"amount_cents":5998,"product_id":"PROD-123","user_id":"u1"}'));
  assert.equal(a, b);
  assert.match(a, /^[0-9a-f]{64}$/);
});

test('any difference in the body changes the hash', () => {
  const base = { user_id: 'u1', product_id: 'PROD-123', quantity: 2 };
  const hashes = new Set([
    requestHash(base),
    requestHash({ ...base, quantity: 3 }),
    requestHash({ ...base, product_id: 'PROD-124' }),
    requestHash({ ...base, user_id: 'u2' }),
    requestHash({ ...base, amount_cents: 5998 }),
  ]);
  assert.equal(hashes.size, 5);
});

test('canonical JSON sorts nested keys and leaves out undefined fields', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } }), '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
});
