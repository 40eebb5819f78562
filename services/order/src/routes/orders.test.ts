// POST /orders and GET /orders/:id through the app, against the real orders
// database, the real inventory and payment services (child processes) and
// the real Kafka broker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { installTestTelemetry } from '@shop/kit/test/otel';
import { freePort } from '@shop/kit/test/process';

const telemetry = installTestTelemetry();
const { createKafka, createPublisher, ensureTopics } = await import('@shop/kit');
const { buildApp } = await import('../app.ts');
const { InventoryClient } = await import('../clients/inventory-client.ts');
const { PaymentClient } = await import('../clients/payment-client.ts');
const { createOutboxRelay } = await import('../outbox/outbox-relay.ts');
const { createRecoverySweep } = await import('../saga/recovery-sweep.ts');
const { findOrder } = await import('../persistence/orders-repo.ts');
const { findOutboxByAggregate } = await import('../outbox/outbox-repo.ts');
const { ORDER_TOPICS } = await import('../outbox/topics.ts');
const { registerOutboxPendingGauge } = await import('../metrics.ts');
const { countUnsent, insertOutboxMessage } = await import('../outbox/outbox-repo.ts');
const { startPeers, startPeer } = await import('../../test/peers.ts');
const { openOrdersDatabase, testProducts, uniqueUser, getJson, eventually, KAFKA_BROKERS } = await import('../../test/stores.ts');
const { collectTopic } = await import('../../test/kafka.ts');
const { captureLog } = await import('../../test/log.ts');

type App = ReturnType<typeof buildApp>;

let peers: Awaited<ReturnType<typeof startPeers>>;
let stores: Awaited<ReturnType<typeof openOrdersDatabase>>;
let products: ReturnType<typeof testProducts>;
let app: App;
const silent = { logLevel: 'silent' };

function appWith(
  options: { inventoryUrl?: string; paymentUrl?: string; paymentTimeoutMs?: number; chargeDeadlineMs?: number; productCacheTtlMs?: number } = {},
): App {
  return buildApp({
    ...stores,
    ...(options.chargeDeadlineMs === undefined ? {} : { chargeDeadlineMs: options.chargeDeadlineMs }),
    inventory: new InventoryClient({ baseUrl: options.inventoryUrl ?? peers.inventory.url, productCacheTtlMs: options.productCacheTtlMs ?? 0 }),
    payment: new PaymentClient({
      baseUrl: options.paymentUrl ?? peers.payment.url,
      ...(options.paymentTimeoutMs ? { timeoutMs: options.paymentTimeoutMs } : {}),
    }),
    ...silent,
  });
}

before(async () => {
  [peers, stores] = await Promise.all([startPeers(), openOrdersDatabase()]);
  products = testProducts();
  app = appWith();
  await app.ready();
});

after(async () => {
  await app?.close();
  await products?.close();
  await stores?.sql.end({ timeout: 5 });
  await peers?.stop();
});

function post(body: unknown, headers: Record<string, string> = {}, target: App = app) {
  return target.inject({ method: 'POST', url: '/orders', payload: body as Record<string, unknown>, headers });
}

const paymentFor = (orderId: string) => getJson(`${peers.payment.url}/payments?order_id=${orderId}`);
const reservationFor = (orderId: string) => getJson(`${peers.inventory.url}/reservations/${orderId}`);

/** Makes an order look abandoned long ago, so a sweep takes it (and only it is touched by this file). */
async function backdate(orderId: string): Promise<void> {
  await stores.sql`update orders set created_at = now() - interval '10 minutes' where id = ${orderId}`;
}

test('a cached price that changed is priced again: the order is created at the new price, and a client amount is judged against it', async () => {
  const productId = await products.create({ priceCents: 1000, stock: 10 });
  const cached = appWith({ productCacheTtlMs: 600_000 });
  await cached.ready();
  try {
    const first = await post({ user_id: uniqueUser(), product_id: productId, quantity: 1 }, {}, cached);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().unit_price_cents, 1000);

    await products.setPrice(productId, 1200);
    telemetry.spans.reset();
    const repriced = await post({ user_id: uniqueUser(), product_id: productId, quantity: 2 }, { 'idempotency-key': randomUUID() }, cached);
    assert.equal(repriced.statusCode, 201, repriced.body);
    const order = repriced.json();
    assert.equal(order.unit_price_cents, 1200, 'the reservation refused the cached 1000; priced again from inventory');
    assert.equal(order.total_cents, 2400);
    const stored = await findOrder(stores.db, order.order_id);
    assert.equal(stored?.totalCents, 2400);
    assert.equal((await paymentFor(order.order_id)).body.amount_cents, 2400, 'charged the price it reserved at');
    const spans = await telemetry.finishedSpans();
    assert.ok(spans.find((s) => s.name === 'order.create')?.events.some((e) => e.name === 'order.price_changed'));

    await products.setPrice(productId, 1500);
    const withAmount = await post({ user_id: uniqueUser(), product_id: productId, quantity: 1, amount_cents: 1500 }, {}, cached);
    assert.equal(withAmount.statusCode, 201, `an amount right for the current price is right, whatever the cache held: ${withAmount.body}`);
    assert.equal(withAmount.json().unit_price_cents, 1500);
    const stale = await post({ user_id: uniqueUser(), product_id: productId, quantity: 1, amount_cents: 1200 }, {}, cached);
    assert.equal(stale.statusCode, 400);
    assert.equal(stale.json().error, 'amount_mismatch');
    assert.equal(await products.stockOf(productId), 10 - 1 - 2 - 1, 'one reservation per created order, none at a stale price');
  } finally {
    await cached.close();
  }
});

test('happy path: 201, the order is created with its transaction id, one outbox row, and the relay publishes it in the request trace', async () => {
  const productId = await products.create({ priceCents: 1999, stock: 10 });
  const userId = uniqueUser();
  const response = await post({ user_id: userId, product_id: productId, quantity: 2, amount_cents: 3998 });
  assert.equal(response.statusCode, 201, response.body);
  const body = response.json();
  assert.equal(body.status, 'created');
  assert.equal(body.user_id, userId);
  assert.equal(body.product_id, productId);
  assert.equal(body.quantity, 2);
  assert.equal(body.unit_price_cents, 1999);
  assert.equal(body.total_cents, 3998);
  assert.equal(body.currency, 'USD');
  assert.match(body.transaction_id, /\S/);
  assert.equal(response.headers['idempotent-replayed'], undefined);

  const order = await findOrder(stores.db, body.order_id);
  assert.equal(order?.status, 'created');
  assert.equal(order?.transactionId, body.transaction_id);
  assert.equal(await products.stockOf(productId), 8);
  const payment = await paymentFor(body.order_id);
  assert.equal(payment.body.status, 'succeeded');
  assert.equal(payment.body.transaction_id, body.transaction_id);
  assert.equal(payment.body.amount_cents, 3998);

  // The spans of the saga, one trace.
  const spans = await telemetry.finishedSpans();
  const create = spans.find((s) => s.name === 'order.create' && s.attributes['order.id'] === body.order_id);
  assert.ok(create, 'order.create span');
  assert.equal(create.attributes['product.id'], productId);
  assert.equal(create.attributes['order.quantity'], 2);
  assert.equal(create.attributes['order.total_cents'], 3998);
  const traceId = create.spanContext().traceId;
  const inTrace = new Set(spans.filter((s) => s.spanContext().traceId === traceId).map((s) => s.name));
  for (const name of ['order.checkInventory', 'order.saveDatabase', 'order.processPayment', 'order.sendNotification']) {
    assert.ok(inTrace.has(name), `${name} in the order's trace (have ${[...inTrace].join(', ')})`);
  }

  const [row, ...more] = await findOutboxByAggregate(stores.db, body.order_id);
  assert.equal(more.length, 0, 'exactly one outbox row');
  assert.ok(row);
  assert.equal(row.topic, 'order-notifications');
  assert.equal(row.messageKey, body.order_id);
  assert.deepEqual(
    { ...(row.payload as Record<string, unknown>), occurred_at: undefined },
    {
      event_id: row.id,
      type: 'order.created',
      order_id: body.order_id,
      user_id: userId,
      product_id: productId,
      quantity: 2,
      total_cents: 3998,
      currency: 'USD',
      occurred_at: undefined,
    },
  );
  assert.equal(row.traceContext.traceparent?.split('-')[1], traceId);

  // Relay it to the real broker and read it back.
  const kafka = createKafka({ clientId: 'order-service-test', brokers: KAFKA_BROKERS });
  await ensureTopics(kafka, ORDER_TOPICS);
  const consumer = await collectTopic('order-notifications');
  const relay = createOutboxRelay({ db: stores.db, publisher: createPublisher(kafka), log: captureLog().log, pollMs: 50 });
  relay.start();
  try {
    const sent = await eventually(
      async () => (await findOutboxByAggregate(stores.db, body.order_id))[0],
      (r) => r?.sentAt != null,
    );
    assert.ok(sent?.sentAt, 'the relay marked the row sent');
    const messages = await consumer.waitFor(body.order_id);
    assert.equal(messages.length, 1, 'one message keyed by the order id');
    const [message] = messages;
    assert.equal(message?.traceId, traceId, 'the message continues the order request trace');
    assert.equal(message?.eventId, row.id);
    assert.equal(message?.eventType, 'order.created');
    assert.deepEqual(message?.value, row.payload);
  } finally {
    await relay.stop();
    await consumer.stop();
  }
});

test('idempotent replay: same key and body gives the same order and status code, one reservation, one payment, one outbox row', async () => {
  const productId = await products.create({ priceCents: 700, stock: 10 });
  const body = { user_id: uniqueUser(), product_id: productId, quantity: 1 };
  const key = randomUUID();
  const first = await post(body, { 'idempotency-key': key });
  assert.equal(first.statusCode, 201, first.body);
  // Same body, other key order: the canonical hash matches.
  const replay = await post({ quantity: 1, product_id: productId, user_id: body.user_id }, { 'idempotency-key': key });
  assert.equal(replay.statusCode, 201, replay.body);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.deepEqual(replay.json(), first.json());

  const orderId = first.json().order_id;
  assert.equal(await products.stockOf(productId), 9, 'stock deducted once');
  const reservation = await reservationFor(orderId);
  assert.equal(reservation.body.quantity, 1);
  const payment = await paymentFor(orderId);
  assert.equal(payment.body.transaction_id, first.json().transaction_id);
  const rows = await stores.sql`select id from orders where user_id = ${body.user_id}`;
  assert.equal(rows.length, 1, 'one order');
  assert.equal((await findOutboxByAggregate(stores.db, orderId)).length, 1, 'one outbox row');

  const conflicting = await post({ ...body, quantity: 2 }, { 'idempotency-key': key });
  assert.equal(conflicting.statusCode, 409);
  assert.equal(conflicting.json().error, 'idempotency_conflict');
  const withAmount = await post({ ...body, amount_cents: 700 }, { 'idempotency-key': key });
  assert.equal(withAmount.statusCode, 409, 'another body, even an equivalent one, is a conflict');
  assert.equal(await products.stockOf(productId), 9);

  const otherUser = await post({ ...body, user_id: uniqueUser() }, { 'idempotency-key': key });
  assert.equal(otherUser.statusCode, 201, 'the key is scoped to the user');
  assert.notEqual(otherUser.json().order_id, orderId);
});

test('a replay is answered from the record even when the product lookup would now fail: new price, inventory down', async () => {
  const productId = await products.create({ priceCents: 700, stock: 10 });
  const body = { user_id: uniqueUser(), product_id: productId, quantity: 1, amount_cents: 700 };
  const key = randomUUID();
  const first = await post(body, { 'idempotency-key': key });
  assert.equal(first.statusCode, 201, first.body);

  await products.setPrice(productId, 900);
  const afterRepricing = await post(body, { 'idempotency-key': key });
  assert.equal(afterRepricing.statusCode, 201, `the old amount is no mismatch for a replay: ${afterRepricing.body}`);
  assert.equal(afterRepricing.headers['idempotent-replayed'], 'true');
  assert.deepEqual(afterRepricing.json(), first.json());
  const fresh = await post(body, { 'idempotency-key': randomUUID() });
  assert.equal(fresh.statusCode, 400, 'a new request is priced anew');
  assert.equal(fresh.json().error, 'amount_mismatch');

  const inventoryDown = appWith({ inventoryUrl: `http://127.0.0.1:${await freePort()}` });
  try {
    const replay = await post(body, { 'idempotency-key': key }, inventoryDown);
    assert.equal(replay.statusCode, 201, replay.body);
    assert.equal(replay.json().order_id, first.json().order_id);
    const unknownKey = await post(body, { 'idempotency-key': randomUUID() }, inventoryDown);
    assert.equal(unknownKey.statusCode, 503, unknownKey.body);
  } finally {
    await inventoryDown.close();
  }
  assert.equal(await products.stockOf(productId), 9, 'stock deducted once');
});

test('idempotent replay of failures repeats their status code', async () => {
  const scarce = await products.create({ priceCents: 100, stock: 1 });
  const rejectedBody = { user_id: uniqueUser(), product_id: scarce, quantity: 2 };
  const rejectedKey = randomUUID();
  const rejected = await post(rejectedBody, { 'idempotency-key': rejectedKey });
  assert.equal(rejected.statusCode, 409);
  const rejectedAgain = await post(rejectedBody, { 'idempotency-key': rejectedKey });
  assert.equal(rejectedAgain.statusCode, 409);
  assert.equal(rejectedAgain.json().error, 'insufficient_stock');
  assert.equal(rejectedAgain.json().order_id, rejected.json().order_id);
  assert.equal(rejectedAgain.headers['idempotent-replayed'], 'true');

  const expensive = await products.create({ priceCents: 150_000, stock: 3 });
  const declinedBody = { user_id: uniqueUser(), product_id: expensive, quantity: 1 };
  const declinedKey = randomUUID();
  const declined = await post(declinedBody, { 'idempotency-key': declinedKey });
  assert.equal(declined.statusCode, 402);
  const declinedAgain = await post(declinedBody, { 'idempotency-key': declinedKey });
  assert.equal(declinedAgain.statusCode, 402);
  assert.equal(declinedAgain.headers['idempotent-replayed'], 'true');
  assert.deepEqual(
    { ...(declinedAgain.json() as Record<string, unknown>), trace_id: undefined },
    { ...(declined.json() as Record<string, unknown>), trace_id: undefined },
  );
  assert.equal(await products.stockOf(expensive), 3);
});

test('a replay while the first request is still pending is 409 request_in_progress', async () => {
  const productId = await products.create({ priceCents: 100, stock: 5 });
  const body = { user_id: uniqueUser(), product_id: productId, quantity: 1 };
  const key = randomUUID();
  // A payment slow enough that the replay arrives while the first is pending.
  const slowPayment = await startPeer('payment', { PAYMENT_LATENCY_MS: '1500' });
  const slowApp = appWith({ paymentUrl: slowPayment.url });
  try {
    const first = post(body, { 'idempotency-key': key }, slowApp);
    const pending = await eventually(
      () => stores.sql`select id from orders where user_id = ${body.user_id}`,
      (rows) => rows.length === 1,
    );
    assert.equal(pending.length, 1);
    const replay = await post(body, { 'idempotency-key': key }, slowApp);
    assert.equal(replay.statusCode, 409, replay.body);
    assert.equal(replay.json().error, 'request_in_progress');
    assert.equal(replay.json().order_id, pending[0]?.id);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal((await first).statusCode, 201);
  } finally {
    await slowApp.close();
    await slowPayment.stop();
  }
});

test('insufficient stock: 409 with available, the order is rejected and nothing is charged', async () => {
  const productId = await products.create({ priceCents: 500, stock: 2 });
  const userId = uniqueUser();
  const response = await post({ user_id: userId, product_id: productId, quantity: 3 });
  assert.equal(response.statusCode, 409, response.body);
  const body = response.json();
  assert.equal(body.error, 'insufficient_stock');
  assert.equal(body.available, 2);
  assert.equal(body.status, 'rejected');
  assert.ok('trace_id' in body);
  const order = await findOrder(stores.db, body.order_id);
  assert.equal(order?.status, 'rejected');
  assert.equal(order?.failureReason, 'insufficient_stock');
  assert.equal((await paymentFor(body.order_id)).status, 404, 'no payment for a rejected order');
  assert.equal(await products.stockOf(productId), 2);
  assert.equal((await findOutboxByAggregate(stores.db, body.order_id)).length, 0);
});

test('payment declined: 402, the stock is released and the order is payment_failed', async () => {
  // Above the card limit (PAYMENT_LIMIT_CENTS, 100000 by default).
  const productId = await products.create({ priceCents: 150_000, stock: 4 });
  const before = await products.stockOf(productId);
  const response = await post({ user_id: uniqueUser(), product_id: productId, quantity: 1 });
  assert.equal(response.statusCode, 402, response.body);
  const body = response.json();
  assert.equal(body.error, 'payment_declined');
  assert.equal(body.status, 'payment_failed');
  assert.equal(body.reason, 'limit_exceeded');
  assert.match(body.transaction_id, /\S/);
  assert.equal(await products.stockOf(productId), before, 'compensation put the stock back');
  const order = await findOrder(stores.db, body.order_id);
  assert.equal(order?.status, 'payment_failed');
  assert.equal(order?.transactionId, body.transaction_id);
  assert.equal((await paymentFor(body.order_id)).body.status, 'declined');
  assert.equal((await reservationFor(body.order_id)).body.status, 'released');
  assert.equal((await findOutboxByAggregate(stores.db, body.order_id)).length, 0, 'no event for a failed order');
});

test('payment declined for the seeded PROD-999 (250000 cents): 402 and its reservation released', async () => {
  const response = await post({ user_id: uniqueUser(), product_id: 'PROD-999', quantity: 1, amount_cents: 250_000 });
  assert.equal(response.statusCode, 402, response.body);
  const orderId = response.json().order_id;
  assert.equal((await findOrder(stores.db, orderId))?.status, 'payment_failed');
  const reservation = await reservationFor(orderId);
  assert.equal(reservation.body.status, 'released');
  assert.equal(reservation.body.quantity, 1);
});

test('amount mismatch: 400 amount_mismatch, and nothing is recorded or reserved', async () => {
  const productId = await products.create({ priceCents: 1999, stock: 10 });
  const userId = uniqueUser();
  const response = await post({ user_id: userId, product_id: productId, quantity: 2, amount_cents: 3999 });
  assert.equal(response.statusCode, 400, response.body);
  assert.equal(response.json().error, 'amount_mismatch');
  assert.equal(response.json().expected_cents, 3998);
  assert.equal((await stores.sql`select id from orders where user_id = ${userId}`).length, 0);
  assert.equal(await products.stockOf(productId), 10);
});

test('an unknown product is 404 and records nothing', async () => {
  const userId = uniqueUser();
  const response = await post({ user_id: userId, product_id: `NO-SUCH-${randomUUID()}`, quantity: 1 });
  assert.equal(response.statusCode, 404, response.body);
  assert.equal(response.json().error, 'not_found');
  assert.equal((await stores.sql`select id from orders where user_id = ${userId}`).length, 0);
});

const INVALID_BODIES: [string, unknown][] = [
  ['missing user_id', { product_id: 'PROD-123', quantity: 1 }],
  ['missing product_id', { user_id: 'u1', quantity: 1 }],
  ['missing quantity', { user_id: 'u1', product_id: 'PROD-123' }],
  ['empty user_id', { user_id: '', product_id: 'PROD-123', quantity: 1 }],
  ['blank user_id', { user_id: '   ', product_id: 'PROD-123', quantity: 1 }],
  ['product_id with a slash', { user_id: 'u1', product_id: '../admin', quantity: 1 }],
  ['quantity as string', { user_id: 'u1', product_id: 'PROD-123', quantity: '2' }],
  ['quantity zero', { user_id: 'u1', product_id: 'PROD-123', quantity: 0 }],
  ['quantity negative', { user_id: 'u1', product_id: 'PROD-123', quantity: -1 }],
  ['quantity fractional', { user_id: 'u1', product_id: 'PROD-123', quantity: 1.5 }],
  ['quantity huge', { user_id: 'u1', product_id: 'PROD-123', quantity: 1e12 }],
  ['amount_cents fractional', { user_id: 'u1', product_id: 'PROD-123', quantity: 1, amount_cents: 29.99 }],
  ['amount_cents negative', { user_id: 'u1', product_id: 'PROD-123', quantity: 1, amount_cents: -1 }],
  ['unknown field', { user_id: 'u1', product_id: 'PROD-123', quantity: 1, price: 1 }],
  ['user_id as number', { user_id: 42, product_id: 'PROD-123', quantity: 1 }],
  ['array body', [1, 2]],
  ['null body', null],
];

for (const [name, body] of INVALID_BODIES) {
  test(`invalid body (${name}) is 400 with the JSON error body`, async () => {
    const response = await app.inject({ method: 'POST', url: '/orders', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    assert.equal(response.statusCode, 400, response.body);
    const error = response.json();
    assert.equal(typeof error.error, 'string');
    assert.equal(typeof error.message, 'string');
    assert.ok('trace_id' in error);
  });
}

test('malformed JSON and a malformed Idempotency-Key are 400', async () => {
  const malformed = await app.inject({ method: 'POST', url: '/orders', body: '{"user_id": ', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.statusCode, 400);
  const body = { user_id: 'u1', product_id: 'PROD-123', quantity: 1 };
  assert.equal((await post(body, { 'idempotency-key': 'x'.repeat(300) })).statusCode, 400);
  assert.equal((await post(body, { 'idempotency-key': 'tab\tinside' })).statusCode, 400);
  assert.equal((await post(body, { 'idempotency-key': 'caf\u00e9' })).statusCode, 400);
});

test('GET /orders/:id returns the order in any status; unknown ids are 404, ids outside the contract 400, never 500', async () => {
  const productId = await products.create({ priceCents: 300, stock: 1 });
  const created = await post({ user_id: uniqueUser(), product_id: productId, quantity: 1 });
  const rejected = await post({ user_id: uniqueUser(), product_id: productId, quantity: 1 });
  assert.equal(created.statusCode, 201);
  assert.equal(rejected.statusCode, 409);
  const fetched = await app.inject({ method: 'GET', url: `/orders/${created.json().order_id}` });
  assert.equal(fetched.statusCode, 200);
  assert.deepEqual(fetched.json(), created.json());
  const fetchedRejected = await app.inject({ method: 'GET', url: `/orders/${rejected.json().order_id}` });
  assert.equal(fetchedRejected.json().status, 'rejected');
  assert.equal(fetchedRejected.json().failure_reason, 'insufficient_stock');
  for (const id of [randomUUID(), 'not-a-uuid', '1']) {
    const response = await app.inject({ method: 'GET', url: `/orders/${encodeURIComponent(id)}` });
    assert.equal(response.statusCode, 404, `${id}: ${response.body}`);
    assert.equal(response.json().error, 'not_found');
  }
  // The same OrderId shape the gateway refuses with 400 (@shop/contracts).
  for (const id of ["'; drop table orders; --", 'a b', 'x'.repeat(65)]) {
    const response = await app.inject({ method: 'GET', url: `/orders/${encodeURIComponent(id)}` });
    assert.equal(response.statusCode, 400, `${id}: ${response.body}`);
    assert.equal(response.json().error, 'invalid_request');
  }
});

test('payment unreachable: 503, the order stays pending with its stock held, and the recovery sweep settles it', async () => {
  const productId = await products.create({ priceCents: 250, stock: 5 });
  const deadPayment = `http://127.0.0.1:${await freePort()}`;
  const isolated = appWith({ paymentUrl: deadPayment });
  try {
    const response = await post({ user_id: uniqueUser(), product_id: productId, quantity: 2 }, {}, isolated);
    assert.equal(response.statusCode, 503, response.body);
    const body = response.json();
    assert.equal(body.status, 'pending');
    const orderId = body.order_id;
    assert.equal((await findOrder(stores.db, orderId))?.status, 'pending', 'never lose the order');
    assert.equal(await products.stockOf(productId), 3, 'stock still held: nothing is compensated blind');

    await backdate(orderId);
    const sweep = createRecoverySweep({
      db: stores.db,
      inventory: new InventoryClient({ baseUrl: peers.inventory.url }),
      payment: new PaymentClient({ baseUrl: peers.payment.url }),
      log: captureLog().log,
      recoverAfterMs: 60_000,
      batchSize: 500,
    });
    await sweep.runOnce();
    const settled = await eventually(
      () => findOrder(stores.db, orderId),
      (o) => o?.status !== 'pending',
    );
    assert.equal(settled?.status, 'failed');
    assert.equal(settled?.failureReason, 'recovered_without_payment');
    assert.equal(await products.stockOf(productId), 5, 'the sweep put the stock back');
  } finally {
    await isolated.close();
  }
});

test('payment too slow: the order stays pending (never compensated while a charge may land), then the sweep finishes it as created', async () => {
  const productId = await products.create({ priceCents: 400, stock: 5 });
  const slowPayment = await startPeer('payment', { PAYMENT_LATENCY_MS: '1200' });
  const impatient = appWith({ paymentUrl: slowPayment.url, paymentTimeoutMs: 300 });
  try {
    const response = await post({ user_id: uniqueUser(), product_id: productId, quantity: 1 }, {}, impatient);
    assert.equal(response.statusCode, 503, response.body);
    const orderId = response.json().order_id;
    assert.equal((await findOrder(stores.db, orderId))?.status, 'pending');
    assert.equal(await products.stockOf(productId), 4);
    // The charge lands after the order-service gave up waiting.
    const payment = await eventually(
      () => getJson(`${slowPayment.url}/payments?order_id=${orderId}`),
      (p) => p.status === 200,
    );
    assert.equal(payment.body.status, 'succeeded');

    await backdate(orderId);
    const sweep = createRecoverySweep({
      db: stores.db,
      inventory: new InventoryClient({ baseUrl: peers.inventory.url }),
      payment: new PaymentClient({ baseUrl: slowPayment.url }),
      log: captureLog().log,
      recoverAfterMs: 60_000,
      batchSize: 500,
    });
    await sweep.runOnce();
    const settled = await eventually(
      () => findOrder(stores.db, orderId),
      (o) => o?.status !== 'pending',
    );
    assert.equal(settled?.status, 'created');
    assert.equal(settled?.transactionId, payment.body.transaction_id, 'the one charge that happened');
    assert.equal(await products.stockOf(productId), 4);
    assert.equal((await findOutboxByAggregate(stores.db, orderId)).length, 1);
  } finally {
    await impatient.close();
    await slowPayment.stop();
  }
});

test('a saga too slow to charge before the recovery window compensates instead of charging', async () => {
  const productId = await products.create({ priceCents: 100, stock: 3 });
  const late = appWith({ chargeDeadlineMs: 0 });
  try {
    const response = await post({ user_id: uniqueUser(), product_id: productId, quantity: 1 }, {}, late);
    assert.equal(response.statusCode, 503, response.body);
    const orderId = response.json().order_id;
    const order = await findOrder(stores.db, orderId);
    assert.equal(order?.status, 'failed');
    assert.equal(order?.failureReason, 'saga_timeout');
    assert.equal((await paymentFor(orderId)).status, 404, 'never charged');
    assert.equal(await products.stockOf(productId), 3, 'stock released');
  } finally {
    await late.close();
  }
});

test('readiness checks PostgreSQL only', async () => {
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready', checks: { postgres: 'ok' } });
});

test('unreachable dependencies answer 503, never 500: the database (readiness too) and inventory', async () => {
  const { createPostgres } = await import('@shop/kit');
  const { createDatabase } = await import('../db/client.ts');
  const deadSql = createPostgres(`postgres://shop@127.0.0.1:${await freePort()}/orders`, { max: 1, connectTimeout: 1 });
  const noDatabase = buildApp({
    sql: deadSql,
    db: createDatabase(deadSql),
    inventory: new InventoryClient({ baseUrl: peers.inventory.url }),
    payment: new PaymentClient({ baseUrl: peers.payment.url }),
    ...silent,
  });
  const noInventory = appWith({ inventoryUrl: `http://127.0.0.1:${await freePort()}` });
  try {
    const ready = await noDatabase.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.match(ready.json().checks.postgres, /^down/);
    const order = await post({ user_id: uniqueUser(), product_id: 'PROD-123', quantity: 1 }, { 'idempotency-key': randomUUID() }, noDatabase);
    assert.equal(order.statusCode, 503, order.body);
    assert.equal(order.json().error, 'service_unavailable');

    const userId = uniqueUser();
    const blind = await post({ user_id: userId, product_id: 'PROD-123', quantity: 1 }, {}, noInventory);
    assert.equal(blind.statusCode, 503, blind.body);
    assert.equal((await stores.sql`select id from orders where user_id = ${userId}`).length, 0, 'nothing recorded without a price');
  } finally {
    await noDatabase.close();
    await noInventory.close();
    await deadSql.end({ timeout: 1 });
  }
});

test('business metrics: orders.created, orders.failed by reason, outbox.pending', async () => {
  const value = async (name: string, attributes: Record<string, string> = {}) => {
    const metric = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === name);
    const points = (metric?.dataPoints ?? []) as { attributes: Record<string, unknown>; value: unknown }[];
    const point = points.find((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
    return typeof point?.value === 'number' ? point.value : 0;
  };
  const createdBefore = await value('orders.created');
  const stockBefore = await value('orders.failed', { reason: 'insufficient_stock' });
  const mismatchBefore = await value('orders.failed', { reason: 'amount_mismatch' });
  const productId = await products.create({ priceCents: 100, stock: 1 });
  assert.equal((await post({ user_id: uniqueUser(), product_id: productId, quantity: 1 })).statusCode, 201);
  assert.equal((await post({ user_id: uniqueUser(), product_id: productId, quantity: 1 })).statusCode, 409);
  assert.equal((await post({ user_id: uniqueUser(), product_id: productId, quantity: 1, amount_cents: 1 })).statusCode, 400);
  assert.equal(await value('orders.created'), createdBefore + 1);
  assert.equal(await value('orders.failed', { reason: 'insufficient_stock' }), stockBefore + 1);
  assert.equal(await value('orders.failed', { reason: 'amount_mismatch' }), mismatchBefore + 1);

  // A row of a topic no relay serves stays unsent: the gauge sees at least it.
  const eventId = randomUUID();
  await insertOutboxMessage(stores.db, {
    id: eventId,
    aggregateId: randomUUID(),
    topic: `order-metrics-test-${eventId}`,
    messageKey: eventId,
    payload: {},
    traceContext: {},
  });
  const unregister = registerOutboxPendingGauge(() => countUnsent(stores.db));
  try {
    const pending = await value('outbox.pending');
    assert.ok(Number.isInteger(pending) && pending >= 1, `outbox.pending = ${pending}`);
  } finally {
    unregister();
    await stores.sql`delete from outbox where id = ${eventId}`;
  }
});
