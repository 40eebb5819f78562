// GET /products/:id and GET /products (the catalogue, a page at a time)
// against the real inventory database, and the seeded catalogue.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { encodeProductCursor } from '@shop/contracts';
import { installTestTelemetry } from '@shop/kit/test/otel';

const telemetry = installTestTelemetry();
const { createPostgres } = await import('@shop/kit');
const { buildApp } = await import('../app.ts');
const { migrateTestDatabase, testProducts, uniqueId, TEST_DATABASE_URL } = await import('../../test/database.ts');

await migrateTestDatabase();
const sql = createPostgres(TEST_DATABASE_URL, { max: 2, applicationName: 'inventory-test' });
const products = testProducts(sql);
const app = buildApp({ sql, logLevel: 'silent' });

after(async () => {
  await app.close();
  await products.removeAll();
  await sql.end();
});

// Other test runs add products to the same catalogue meanwhile, so the page
// tests work on a run of their own: ids `LIST-<run>-<n>`, which sort after
// `LIST-<run>-` and together in any collation.
// Made before the first test is declared: a top-level await between tests
// let the earlier ones finish and run after() (closing the app) meanwhile.
const run = `LIST-${randomUUID().slice(0, 8)}`;
const mine = [1, 2, 3, 4, 5].map((n) => `${run}-${n}`);
for (const id of mine) await products.create({ id, stock: 3, priceCents: 500, name: `Listed ${id}` });
const beforeMine = encodeProductCursor(`${run}-`);

test('a product answers with its price in integer cents and its stock', async () => {
  const id = await products.create({ stock: 42, priceCents: 1234, name: 'Widget' });
  const response = await app.inject({ method: 'GET', url: `/products/${id}` });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { product_id: id, name: 'Widget', price_cents: 1234, currency: 'USD', stock: 42 });
});

test('an unknown product is 404 with the error body', async () => {
  const response = await app.inject({ method: 'GET', url: `/products/${uniqueId('NOPE')}` });
  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error, 'not_found');
  assert.ok('trace_id' in response.json());
});

test('a malformed product id is 400', async () => {
  const response = await app.inject({ method: 'GET', url: `/products/${encodeURIComponent('bad id!')}` });
  assert.equal(response.statusCode, 400);
});

test('the seeded catalogue has the products the end-to-end tests rely on', async () => {
  const get = async (id: string) => (await app.inject({ method: 'GET', url: `/products/${id}` })).json();
  const mouse = await get('PROD-123');
  assert.equal(mouse.price_cents, 2999);
  assert.equal(mouse.currency, 'USD');
  assert.ok(mouse.stock > 0);
  // Above the payment card limit (100000 cents): payment declines it.
  assert.equal((await get('PROD-999')).price_cents, 250000);
  const low = await get('PROD-LOW');
  assert.ok(low.stock >= 0 && low.stock <= 5);
});

test('the product lookup is traced as inventory.get with product.id', async () => {
  const id = await products.create({ stock: 1 });
  telemetry.spans.reset();
  await app.inject({ method: 'GET', url: `/products/${id}` });
  const spans = await telemetry.finishedSpans();
  const get = spans.find((s) => s.name === 'inventory.get');
  assert.ok(get);
  assert.equal(get.attributes['product.id'], id);
  const query = spans.find((s) => s.name === 'SELECT products');
  assert.equal(query?.parentSpanContext?.spanId, get.spanContext().spanId);
});

async function page(query: string) {
  const response = await app.inject({ method: 'GET', url: `/products${query}` });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as {
    products: { product_id: string; name: string; price_cents: number; currency: string; stock: number }[];
    next_cursor: string | null;
  };
}

test('a page holds `limit` products ordered by id, and its next_cursor leads to the next page', async () => {
  const first = await page(`?limit=2&cursor=${beforeMine}`);
  assert.deepEqual(
    first.products.map((p) => p.product_id),
    mine.slice(0, 2),
  );
  assert.deepEqual(first.products[0], { product_id: mine[0], name: `Listed ${mine[0]}`, price_cents: 500, currency: 'USD', stock: 3 });
  assert.equal(typeof first.next_cursor, 'string');
  const second = await page(`?limit=2&cursor=${first.next_cursor}`);
  assert.deepEqual(
    second.products.map((p) => p.product_id),
    mine.slice(2, 4),
  );
});

test('a product added before the cursor meanwhile neither repeats nor shifts the next page (keyset, not offset)', async () => {
  const first = await page(`?limit=2&cursor=${beforeMine}`);
  // Sorts between -1 and -2, inside the page already read.
  await products.create({ id: `${run}-15`, stock: 1 });
  const second = await page(`?limit=2&cursor=${first.next_cursor}`);
  assert.deepEqual(
    second.products.map((p) => p.product_id),
    mine.slice(2, 4),
  );
});

test('walking every page sees each product once, in order, and the last page says next_cursor null', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 10_000, 'the walk ends');
    const current = await page(`?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    assert.ok(current.products.length <= 100);
    seen.push(...current.products.map((p) => p.product_id));
    if (current.next_cursor === null) break;
    assert.equal(current.products.length, 100, 'only the last page is short');
    cursor = current.next_cursor;
  }
  assert.equal(new Set(seen).size, seen.length, 'no product twice');
  for (const id of ['PROD-123', 'PROD-999', 'PROD-LOW', ...mine]) assert.ok(seen.includes(id), id);
  assert.deepEqual(
    seen.filter((id) => mine.includes(id)),
    mine,
  );
});

test('without a limit a page holds 20 products', async () => {
  const first = await page('');
  assert.ok(first.products.length <= 20);
  if (first.next_cursor !== null) assert.equal(first.products.length, 20);
});

test('a bad limit or cursor, or an unknown parameter, is 400 with the error body', async () => {
  const bad = [
    'limit=0',
    'limit=101',
    'limit=-1',
    'limit=1.5',
    'limit=1e2',
    'limit=01',
    'limit=abc',
    'limit=',
    'cursor=',
    'cursor=not%20base64',
    `cursor=${'A'.repeat(87)}`,
    // Well-formed base64url, but of no product id this API could have given out.
    `cursor=${encodeProductCursor('../admin')}`,
    `cursor=${Buffer.from('PROD 1').toString('base64url')}`,
    // Not the canonical encoding of what it decodes to.
    'cursor=QR',
    'offset=20',
  ];
  for (const query of bad) {
    const response = await app.inject({ method: 'GET', url: `/products?${query}` });
    assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
    assert.equal(response.json().error, 'invalid_request', query);
    assert.ok('trace_id' in response.json());
  }
});
