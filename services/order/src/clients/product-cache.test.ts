import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Product } from '@shop/contracts';
import { ProductCache } from './product-cache.ts';

const product = (id: string, priceCents = 100): Product => ({ product_id: id, name: id, price_cents: priceCents, currency: 'USD', stock: 1 });

test('an entry is served until its time is up, then gone', () => {
  let now = 1000;
  const cache = new ProductCache({ ttlMs: 500, now: () => now });
  cache.set('P1', product('P1'));
  now = 1499;
  assert.equal(cache.get('P1')?.price_cents, 100);
  now = 1500;
  assert.equal(cache.get('P1'), undefined);
  assert.equal(cache.size, 0);
});

test('a ttl of 0 keeps nothing; forget drops an entry at once', () => {
  const off = new ProductCache({ ttlMs: 0 });
  off.set('P1', product('P1'));
  assert.equal(off.get('P1'), undefined);
  const cache = new ProductCache({ ttlMs: 60_000 });
  cache.set('P1', product('P1'));
  cache.forget('P1');
  assert.equal(cache.get('P1'), undefined);
});

test('at its bound the oldest entry makes room; setting again refreshes an entry', () => {
  const cache = new ProductCache({ ttlMs: 60_000, maxEntries: 2 });
  cache.set('P1', product('P1'));
  cache.set('P2', product('P2'));
  cache.set('P1', product('P1', 200));
  cache.set('P3', product('P3'));
  assert.equal(cache.get('P2'), undefined, 'P2 was the oldest');
  assert.equal(cache.get('P1')?.price_cents, 200);
  assert.ok(cache.get('P3'));
  assert.equal(cache.size, 2);
});
