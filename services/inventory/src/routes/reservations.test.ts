// Reserve and release against the real inventory database: atomic under
// concurrency, idempotent per order id, and traced.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode } from '@opentelemetry/api';
import { installTestTelemetry } from '@shop/kit/test/otel';

// The in-memory SDK must be global before the app's modules load.
const telemetry = installTestTelemetry();
const { createPostgres } = await import('@shop/kit');
const { buildApp } = await import('../app.ts');
const { migrateTestDatabase, testProducts, uniqueId, TEST_DATABASE_URL } = await import('../../test/database.ts');

await migrateTestDatabase();
const sql = createPostgres(TEST_DATABASE_URL, { max: 10, applicationName: 'inventory-test' });
const products = testProducts(sql);
const app = buildApp({ sql, logLevel: 'silent' });

before(async () => {
  await app.ready();
});

after(async () => {
  await app.close();
  await products.removeAll();
  await sql.end();
});

function reserveRequest(body: unknown) {
  return app.inject({ method: 'POST', url: '/reservations', payload: body as Record<string, unknown> });
}

function releaseRequest(orderId: string) {
  return app.inject({ method: 'POST', url: `/reservations/${orderId}/release` });
}

test('a reservation deducts the stock and answers 201 with the reservation', async () => {
  const productId = await products.create({ stock: 10 });
  const orderId = uniqueId('order');
  const response = await reserveRequest({ order_id: orderId, product_id: productId, quantity: 3 });
  assert.equal(response.statusCode, 201);
  assert.deepEqual(response.json(), { order_id: orderId, product_id: productId, quantity: 3, status: 'reserved' });
  assert.equal(await products.stockOf(productId), 7);

  const stored = await app.inject({ method: 'GET', url: `/reservations/${orderId}` });
  assert.equal(stored.statusCode, 200);
  assert.equal(stored.json().status, 'reserved');
  assert.equal(stored.json().quantity, 3);
  assert.ok(!Number.isNaN(Date.parse(stored.json().created_at)));
});

test('concurrent reservations never oversell: stock 10, 25 reserves of 1, exactly 10 succeed', async () => {
  const productId = await products.create({ stock: 10 });
  const responses = await Promise.all(Array.from({ length: 25 }, () => reserveRequest({ order_id: uniqueId('order'), product_id: productId, quantity: 1 })));
  const statuses = responses.map((r) => r.statusCode);
  assert.equal(statuses.filter((s) => s === 201).length, 10, `statuses: ${statuses.join(',')}`);
  assert.equal(statuses.filter((s) => s === 409).length, 15);
  for (const rejected of responses.filter((r) => r.statusCode === 409)) {
    assert.equal(rejected.json().error, 'insufficient_stock');
    assert.equal(rejected.json().available, 0);
  }
  assert.equal(await products.stockOf(productId), 0);
  const [{ count }] = (await sql`select count(*)::int as count from reservations where product_id = ${productId}`) as unknown as [{ count: number }];
  assert.equal(count, 10, 'rejected reserves leave no reservation row behind');
});

test('concurrent reserves of different sizes never take more than the stock', async () => {
  const productId = await products.create({ stock: 20 });
  const quantities = [7, 5, 3, 9, 4, 6, 2, 8, 1, 5];
  const responses = await Promise.all(quantities.map((quantity) => reserveRequest({ order_id: uniqueId('order'), product_id: productId, quantity })));
  const reserved = responses.filter((r) => r.statusCode === 201).reduce((sum, r) => sum + (r.json().quantity as number), 0);
  assert.ok(reserved <= 20);
  assert.equal(await products.stockOf(productId), 20 - reserved);
});

test("a reservation at a price that is no longer the product's answers 409 price_changed with the price, and reserves nothing", async () => {
  const productId = await products.create({ stock: 5, priceCents: 1200 });
  const orderId = uniqueId('order');
  const stale = await reserveRequest({ order_id: orderId, product_id: productId, quantity: 2, unit_price_cents: 1000 });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().error, 'price_changed');
  assert.equal(stale.json().price_cents, 1200);
  assert.equal(await products.stockOf(productId), 5);
  assert.equal((await app.inject({ method: 'GET', url: `/reservations/${orderId}` })).statusCode, 404, 'no reservation row');

  const current = await reserveRequest({ order_id: orderId, product_id: productId, quantity: 2, unit_price_cents: 1200 });
  assert.equal(current.statusCode, 201, 'the same order at the current price is reserved');
  assert.equal(await products.stockOf(productId), 3);
  const replay = await reserveRequest({ order_id: orderId, product_id: productId, quantity: 2, unit_price_cents: 1000 });
  assert.equal(replay.statusCode, 200, 'a held reservation is replayed whatever price the repeat names');
  assert.equal(await products.stockOf(productId), 3);
  const unknown = await reserveRequest({ order_id: uniqueId('order'), product_id: `${productId}-none`, quantity: 1, unit_price_cents: 1200 });
  assert.equal(unknown.statusCode, 404);
});

test('insufficient stock answers 409 with what is available and deducts nothing', async () => {
  const productId = await products.create({ stock: 2 });
  const response = await reserveRequest({ order_id: uniqueId('order'), product_id: productId, quantity: 3 });
  assert.equal(response.statusCode, 409);
  const body = response.json();
  assert.equal(body.error, 'insufficient_stock');
  assert.equal(body.available, 2);
  assert.equal(typeof body.message, 'string');
  assert.ok('trace_id' in body);
  assert.equal(await products.stockOf(productId), 2);
});

test('a replayed reservation answers 200 with the same reservation and deducts once', async () => {
  const productId = await products.create({ stock: 10 });
  const orderId = uniqueId('order');
  const body = { order_id: orderId, product_id: productId, quantity: 4 };
  const first = await reserveRequest(body);
  const second = await reserveRequest(body);
  assert.equal(first.statusCode, 201);
  assert.equal(second.statusCode, 200);
  assert.deepEqual(second.json(), first.json());
  assert.equal(await products.stockOf(productId), 6);
});

test('concurrent replays of one order deduct once', async () => {
  const productId = await products.create({ stock: 10 });
  const body = { order_id: uniqueId('order'), product_id: productId, quantity: 2 };
  const responses = await Promise.all(Array.from({ length: 10 }, () => reserveRequest(body)));
  const statuses = responses.map((r) => r.statusCode).sort();
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
  assert.equal(await products.stockOf(productId), 8);
});

test('a replay with a different quantity or product is 409 reservation_conflict and changes nothing', async () => {
  const productId = await products.create({ stock: 10 });
  const otherProductId = await products.create({ stock: 10 });
  const orderId = uniqueId('order');
  assert.equal((await reserveRequest({ order_id: orderId, product_id: productId, quantity: 1 })).statusCode, 201);

  const differentQuantity = await reserveRequest({ order_id: orderId, product_id: productId, quantity: 2 });
  assert.equal(differentQuantity.statusCode, 409);
  assert.equal(differentQuantity.json().error, 'reservation_conflict');

  const differentProduct = await reserveRequest({ order_id: orderId, product_id: otherProductId, quantity: 1 });
  assert.equal(differentProduct.statusCode, 409);
  assert.equal(differentProduct.json().error, 'reservation_conflict');

  assert.equal(await products.stockOf(productId), 9);
  assert.equal(await products.stockOf(otherProductId), 10);
});

test('an unknown product is 404 and leaves no reservation', async () => {
  const orderId = uniqueId('order');
  const response = await reserveRequest({ order_id: orderId, product_id: uniqueId('NOPE'), quantity: 1 });
  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error, 'not_found');
  assert.equal((await app.inject({ method: 'GET', url: `/reservations/${orderId}` })).statusCode, 404);
});

test('release puts the stock back once, however often it is called', async () => {
  const productId = await products.create({ stock: 10 });
  const orderId = uniqueId('order');
  await reserveRequest({ order_id: orderId, product_id: productId, quantity: 4 });
  assert.equal(await products.stockOf(productId), 6);

  const first = await releaseRequest(orderId);
  assert.equal(first.statusCode, 200);
  assert.deepEqual(first.json(), { order_id: orderId, status: 'released' });
  const second = await releaseRequest(orderId);
  assert.equal(second.statusCode, 200);
  assert.deepEqual(second.json(), { order_id: orderId, status: 'released' });
  assert.equal(await products.stockOf(productId), 10);

  const stored = await app.inject({ method: 'GET', url: `/reservations/${orderId}` });
  assert.equal(stored.json().status, 'released');
});

test('concurrent releases of one reservation restore the stock once', async () => {
  const productId = await products.create({ stock: 10 });
  const orderId = uniqueId('order');
  await reserveRequest({ order_id: orderId, product_id: productId, quantity: 5 });
  const responses = await Promise.all(Array.from({ length: 10 }, () => releaseRequest(orderId)));
  assert.ok(responses.every((r) => r.statusCode === 200));
  assert.equal(await products.stockOf(productId), 10);
});

test('reserving again after a release replays the released reservation and deducts nothing', async () => {
  const productId = await products.create({ stock: 10 });
  const orderId = uniqueId('order');
  const body = { order_id: orderId, product_id: productId, quantity: 3 };
  await reserveRequest(body);
  await releaseRequest(orderId);
  const again = await reserveRequest(body);
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().status, 'released');
  assert.equal(await products.stockOf(productId), 10);
});

test('releasing an order without a reservation is 404', async () => {
  const response = await releaseRequest(uniqueId('order'));
  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error, 'not_found');
});

test('invalid reservation bodies are 400, never 500, and touch nothing', async () => {
  const productId = await products.create({ stock: 10 });
  const orderId = uniqueId('order');
  const invalid: unknown[] = [
    { order_id: orderId, product_id: productId, quantity: 0 },
    { order_id: orderId, product_id: productId, quantity: -1 },
    { order_id: orderId, product_id: productId, quantity: '1' },
    { order_id: orderId, product_id: productId, quantity: 1.5 },
    { order_id: orderId, product_id: productId, quantity: 2_147_483_648 },
    { order_id: orderId, product_id: productId },
    { order_id: orderId, quantity: 1 },
    { product_id: productId, quantity: 1 },
    { order_id: '', product_id: productId, quantity: 1 },
    { order_id: 'has space', product_id: productId, quantity: 1 },
    { order_id: orderId, product_id: productId, quantity: 1, price_cents: 1 },
    [],
    null,
  ];
  for (const body of invalid) {
    const response = await reserveRequest(body);
    assert.equal(response.statusCode, 400, `body ${JSON.stringify(body)} answered ${response.statusCode}`);
    assert.equal(response.json().error, 'invalid_request');
  }
  for (const text of ['{"order_id":', '"text"', '42']) {
    const raw = await app.inject({ method: 'POST', url: '/reservations', headers: { 'content-type': 'application/json' }, payload: text });
    assert.equal(raw.statusCode, 400, `payload ${text} answered ${raw.statusCode}`);
  }
  assert.equal(await products.stockOf(productId), 10);
  assert.equal((await app.inject({ method: 'GET', url: `/reservations/${orderId}` })).statusCode, 404);
});

test('reserve and release are traced as inventory.deduct and inventory.release with business attributes', async () => {
  const productId = await products.create({ stock: 3 });
  const orderId = uniqueId('order');
  telemetry.spans.reset();
  await reserveRequest({ order_id: orderId, product_id: productId, quantity: 2 });
  await reserveRequest({ order_id: uniqueId('order'), product_id: productId, quantity: 2 });
  await releaseRequest(orderId);
  const spans = await telemetry.finishedSpans();

  const deducts = spans.filter((s) => s.name === 'inventory.deduct');
  assert.equal(deducts.length, 2);
  const [reserved, short] = deducts;
  assert.ok(reserved && short);
  assert.equal(reserved.attributes['order.id'], orderId);
  assert.equal(reserved.attributes['product.id'], productId);
  assert.equal(reserved.attributes['inventory.quantity'], 2);
  assert.equal(reserved.attributes['inventory.outcome'], 'reserved');
  assert.equal(reserved.status.code, SpanStatusCode.UNSET);
  // Running out is a business outcome: visible on the span, not an error.
  assert.equal(short.attributes['inventory.outcome'], 'insufficient_stock');
  assert.equal(short.attributes['inventory.available'], 1);
  assert.equal(short.events[0]?.name, 'inventory.insufficient_stock');
  assert.notEqual(short.status.code, SpanStatusCode.ERROR);

  // The SQL runs inside the span, as the kit's postgres span: one statement,
  // one round trip (the claim and the deduct run in reserve_stock).
  const reservedId = reserved.spanContext().spanId;
  const children = spans.filter((s) => s.parentSpanContext?.spanId === reservedId).map((s) => s.name);
  assert.deepEqual(children, ['SELECT reserve_stock']);

  const released = spans.find((s) => s.name === 'inventory.release');
  assert.ok(released);
  assert.equal(released.attributes['order.id'], orderId);
  assert.equal(released.attributes['product.id'], productId);
  assert.equal(released.attributes['inventory.quantity'], 2);
  assert.equal(released.attributes['inventory.outcome'], 'released');
});

test('reservations and releases are counted by outcome', async () => {
  const count = async (name: string) => {
    const metric = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === name);
    const points = (metric?.dataPoints ?? []) as { attributes: Record<string, unknown>; value: number }[];
    return (outcome: string) => points.find((p) => p.attributes.outcome === outcome)?.value ?? 0;
  };
  const beforeReservations = await count('inventory.reservations');
  const beforeReleases = await count('inventory.releases');

  const productId = await products.create({ stock: 1 });
  const orderId = uniqueId('order');
  await reserveRequest({ order_id: orderId, product_id: productId, quantity: 1 });
  await reserveRequest({ order_id: orderId, product_id: productId, quantity: 1 });
  await reserveRequest({ order_id: uniqueId('order'), product_id: productId, quantity: 1 });
  await reserveRequest({ order_id: uniqueId('order'), product_id: uniqueId('NOPE'), quantity: 1 });
  await releaseRequest(orderId);
  await releaseRequest(orderId);

  const afterReservations = await count('inventory.reservations');
  const afterReleases = await count('inventory.releases');
  for (const outcome of ['reserved', 'replayed', 'insufficient_stock', 'unknown_product']) {
    assert.equal(afterReservations(outcome) - beforeReservations(outcome), 1, outcome);
  }
  assert.equal(afterReleases('released') - beforeReleases('released'), 1);
  assert.equal(afterReleases('already_released') - beforeReleases('already_released'), 1);
});
