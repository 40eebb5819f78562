// The saga's unhappy paths through the public API, checked in every store.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeStores, createProduct, eventually, notificationsFor, ordersDb, paymentsFor, placeOrder, stockOf, uniqueKey, uniqueUser, api } from './support.ts';

after(closeStores);

test('insufficient stock: 409, the order is rejected and nothing is charged', async () => {
  const productId = await createProduct({ priceCents: 500, stock: 3 });
  const response = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 4 });
  assert.equal(response.status, 409, JSON.stringify(response.body));
  assert.equal(response.body.error, 'insufficient_stock');
  assert.equal(response.body.available, 3);
  assert.equal(typeof response.body.trace_id === 'string' || response.body.trace_id === null, true);
  assert.equal(await stockOf(productId), 3);
  const rows = await ordersDb`select id, status from orders where product_id = ${productId}`;
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.status, 'rejected');
  assert.equal((await paymentsFor(rows[0]!.id)).status, 404, 'no payment for a rejected order');
});

test('payment declined: 402, the stock is put back and the order is payment_failed', async () => {
  // Above the payment processor's card limit (PAYMENT_LIMIT_CENTS, 100000 by default).
  const productId = await createProduct({ priceCents: 150_000, stock: 5 });
  const response = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 1 });
  assert.equal(response.status, 402, JSON.stringify(response.body));
  assert.equal(response.body.error, 'payment_declined');
  assert.equal(await stockOf(productId), 5, 'compensation released the reservation');
  const [order] = await ordersDb`select id, status from orders where product_id = ${productId}`;
  assert.equal(order?.status, 'payment_failed');
  const payment = await paymentsFor(order!.id);
  assert.equal(payment.body.status, 'declined');
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(await notificationsFor(order!.id), [], 'no notification for a failed order');
});

test('replaying with the same Idempotency-Key returns the same order: one charge, one notification', async () => {
  const productId = await createProduct({ priceCents: 700, stock: 10 });
  const body = { user_id: uniqueUser(), product_id: productId, quantity: 1 };
  const key = uniqueKey();
  const first = await placeOrder(body, { idempotencyKey: key });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const replays = await Promise.all([placeOrder(body, { idempotencyKey: key }), placeOrder(body, { idempotencyKey: key })]);
  for (const replay of replays) {
    assert.equal(replay.status, 201);
    assert.equal(replay.body.order_id, first.body.order_id);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  }
  assert.equal(await stockOf(productId), 9, 'stock deducted once');
  const orders = await ordersDb`select id from orders where product_id = ${productId}`;
  assert.equal(orders.length, 1);
  const payment = await paymentsFor(first.body.order_id);
  assert.equal(payment.body.status, 'succeeded');
  const notifications = await eventually(
    () => notificationsFor(first.body.order_id),
    (n) => n.length > 0,
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal((await notificationsFor(first.body.order_id)).length, 1, JSON.stringify(notifications));

  const conflicting = await placeOrder({ ...body, quantity: 2 }, { idempotencyKey: key });
  assert.equal(conflicting.status, 409);
  assert.equal(conflicting.body.error, 'idempotency_conflict');
});

test('a key the gateway accepts is accepted by order too: spaces inside, 128 characters', async () => {
  const productId = await createProduct({ priceCents: 100, stock: 10 });
  for (const key of [`retry ${uniqueKey()} of order 42`, `${uniqueKey()}-`.padEnd(128, 'k')]) {
    const body = { user_id: uniqueUser(), product_id: productId, quantity: 1 };
    const first = await placeOrder(body, { idempotencyKey: key });
    assert.equal(first.status, 201, `${JSON.stringify(key)}: ${JSON.stringify(first.body)}`);
    const replay = await placeOrder(body, { idempotencyKey: key });
    assert.equal(replay.status, 201);
    assert.equal(replay.body.order_id, first.body.order_id);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  }
});

test('the same key from two users makes two orders', async () => {
  const productId = await createProduct({ priceCents: 100, stock: 10 });
  const key = uniqueKey();
  const a = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 1 }, { idempotencyKey: key });
  const b = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 1 }, { idempotencyKey: key });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.notEqual(a.body.order_id, b.body.order_id);
});

const INVALID_BODIES: [string, unknown][] = [
  ['missing user_id', { product_id: 'PROD-123', quantity: 1 }],
  ['missing product_id', { user_id: 'u1', quantity: 1 }],
  ['missing quantity', { user_id: 'u1', product_id: 'PROD-123' }],
  ['quantity as string', { user_id: 'u1', product_id: 'PROD-123', quantity: '2' }],
  ['quantity zero', { user_id: 'u1', product_id: 'PROD-123', quantity: 0 }],
  ['quantity negative', { user_id: 'u1', product_id: 'PROD-123', quantity: -1 }],
  ['quantity fractional', { user_id: 'u1', product_id: 'PROD-123', quantity: 1.5 }],
  ['user_id as number', { user_id: 42, product_id: 'PROD-123', quantity: 1 }],
  ['amount with three decimals', { user_id: 'u1', product_id: 'PROD-123', quantity: 1, amount: 1.001 }],
  ['array body', [1, 2]],
  ['null body', null],
];

for (const [name, body] of INVALID_BODIES) {
  test(`invalid body (${name}) is 400 with the JSON error body`, async () => {
    const response = await placeOrder(body as Record<string, unknown>);
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.equal(typeof response.body.error, 'string');
    assert.equal(typeof response.body.message, 'string');
    assert.ok('trace_id' in response.body);
  });
}

test('an unknown product is 404', async () => {
  const response = await placeOrder({ user_id: uniqueUser(), product_id: 'NO-SUCH-PRODUCT', quantity: 1 });
  assert.equal(response.status, 404, JSON.stringify(response.body));
  assert.equal(response.body.error, 'not_found');
});

test('a client amount that disagrees with the price is rejected', async () => {
  const productId = await createProduct({ priceCents: 1999, stock: 10 });
  const response = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 2, amount: 39.99 });
  assert.equal(response.status, 400, JSON.stringify(response.body));
  assert.equal(response.body.error, 'amount_mismatch');
  assert.equal(await stockOf(productId), 10);
  const ok = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 2, amount: 39.98 });
  assert.equal(ok.status, 201);
});

test('malformed JSON is 400, a huge body 413, a wrong content type 415', async () => {
  const malformed = await api('POST', '/api/orders', { rawBody: '{"user_id": "u1", ' });
  assert.equal(malformed.status, 400);
  const huge = await api('POST', '/api/orders', { body: { user_id: 'u1', product_id: 'PROD-123', quantity: 1, pad: 'x'.repeat(100_000) } });
  assert.equal(huge.status, 413);
  const xml = await api('POST', '/api/orders', { rawBody: '<order/>', headers: { 'content-type': 'application/xml' } });
  assert.equal(xml.status, 415);
});

test('a missing or wrong API key is 401 with WWW-Authenticate', async () => {
  const missing = await api('GET', '/api/products/PROD-123', { key: null });
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error, 'unauthorized');
  assert.match(missing.headers.get('www-authenticate') ?? '', /Bearer/);
  const wrong = await api('GET', '/api/products/PROD-123', { key: 'not-the-key' });
  assert.equal(wrong.status, 401);
  const malformed = await api('GET', '/api/products/PROD-123', { headers: { authorization: 'Basic Zm9vOmJhcg==' }, key: null });
  assert.equal(malformed.status, 401);
  const ok = await api('GET', '/api/products/PROD-123');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.product_id, 'PROD-123');
});

test('GET /api/orders/:id returns the order; an unknown id is 404', async () => {
  const productId = await createProduct({ priceCents: 300, stock: 5 });
  const created = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 1 });
  const fetched = await api('GET', `/api/orders/${created.body.order_id}`);
  assert.equal(fetched.status, 200);
  assert.equal(fetched.body.order_id ?? fetched.body.id, created.body.order_id);
  assert.equal(fetched.body.status, 'created');
  assert.equal((await api('GET', '/api/orders/00000000-0000-4000-8000-000000000000')).status, 404);
  assert.ok([400, 404].includes((await api('GET', '/api/orders/not-a-uuid')).status));
});

test('over the rate limit: 429 with Retry-After', async () => {
  // Far more than the local limit allows in one second.
  const responses = await Promise.all(Array.from({ length: 400 }, () => api('GET', '/api/products/PROD-123')));
  const limited = responses.filter((r) => r.status === 429);
  const histogram = JSON.stringify(
    Object.fromEntries([...new Set(responses.map((r) => r.status))].map((s) => [s, responses.filter((r) => r.status === s).length])),
  );
  assert.ok(limited.length > 0, `statuses: ${histogram}`);
  assert.ok(
    responses.some((r) => r.status === 200),
    `statuses: ${histogram}`,
  );
  // What gets past the limiter is forwarded: on an overloaded machine (the
  // containerised tier runs inventory under half a CPU) a read may pass its
  // deadline and be a 504 or 503 in the error model. Anything else (a 500, a
  // dropped connection, another error) is a failure.
  const overload = (r: (typeof responses)[number]) =>
    (r.status === 504 && r.body.error === 'upstream_timeout') || (r.status === 503 && r.body.error === 'service_unavailable');
  assert.ok(
    responses.every((r) => r.status === 200 || r.status === 429 || overload(r)),
    `statuses: ${histogram}`,
  );
  for (const r of limited) {
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.equal(r.body.error, 'rate_limited');
  }
  // The window passes and the key works again.
  await new Promise((resolve) => setTimeout(resolve, Number(limited[0]!.headers.get('retry-after')) * 1000 + 200));
  assert.equal((await api('GET', '/api/products/PROD-123')).status, 200);
});
