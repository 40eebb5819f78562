// GET /products/:id against the real inventory database, and the seeded catalogue.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
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
