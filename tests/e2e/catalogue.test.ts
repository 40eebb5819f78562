// The catalogue through the public API on the running system: pages of the
// real inventory, ordered by id, chained by next_cursor, with a product
// made by the test found where its id puts it and with its real stock;
// and the 400s of a bad page request.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, closeStores, createProduct, placeOrder, uniqueUser } from './support.ts';

after(closeStores);

test('GET /api/products pages through the catalogue by next_cursor; a product shows its stock after an order', async () => {
  const productId = await createProduct({ priceCents: 1250, stock: 7 });
  const ordered = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 2 });
  assert.equal(ordered.status, 201, JSON.stringify(ordered.body));

  const seen: Record<string, any>[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await api('GET', `/api/products?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.ok(page.body.products.length <= 50);
    seen.push(...page.body.products);
    cursor = page.body.next_cursor;
    if (cursor === null) break;
  }
  assert.equal(cursor, null, 'the walk reached the last page');
  const ids = seen.map((p) => p.product_id);
  assert.equal(new Set(ids).size, ids.length, 'no product on two pages');
  assert.ok(ids.includes('PROD-123') && ids.includes('PROD-999'));
  const mine = seen.find((p) => p.product_id === productId);
  assert.deepEqual(mine, { product_id: productId, name: `Test product ${productId}`, price_cents: 1250, currency: 'USD', stock: 5 });
});

test('GET /api/products refuses a bad limit or cursor with 400 JSON', async () => {
  for (const query of ['limit=0', 'limit=101', 'limit=ten', 'cursor=%%%', `cursor=${Buffer.from('no such/id').toString('base64url')}`]) {
    const response = await api('GET', `/api/products?${query}`);
    assert.equal(response.status, 400, `${query}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.error, 'invalid_request');
    assert.equal(typeof response.body.message, 'string');
  }
});
