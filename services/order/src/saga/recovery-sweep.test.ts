// The recovery sweep against the real orders database and the real
// inventory and payment services: orders left pending (as a crash mid-saga
// leaves them) with a real reservation and/or a real payment behind them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { installTestTelemetry } from '@shop/kit/test/otel';
import { freePort } from '@shop/kit/test/process';

const telemetry = installTestTelemetry();
const { createRecoverySweep } = await import('./recovery-sweep.ts');
const { InventoryClient } = await import('../clients/inventory-client.ts');
const { PaymentClient } = await import('../clients/payment-client.ts');
const { findOrder, insertPendingOrder } = await import('../persistence/orders-repo.ts');
const { findOutboxByAggregate } = await import('../outbox/outbox-repo.ts');
const { startPeers } = await import('../../test/peers.ts');
const { createScratchOrdersDatabase, testProducts, uniqueUser, getJson, postJson, eventually } = await import('../../test/stores.ts');
const { captureLog } = await import('../../test/log.ts');

let peers: Awaited<ReturnType<typeof startPeers>>;
// A database of this file's own: the sweep of a running order-service (make
// local) shares the orders database and would settle these orders first.
let stores: Awaited<ReturnType<typeof createScratchOrdersDatabase>>;
let products: ReturnType<typeof testProducts>;

before(async () => {
  [peers, stores] = await Promise.all([startPeers(), createScratchOrdersDatabase()]);
  products = testProducts();
});

after(async () => {
  await products?.close();
  await stores?.drop();
  await peers?.stop();
});

function sweep(options: { paymentUrl?: string } = {}) {
  return createRecoverySweep({
    db: stores.db,
    inventory: new InventoryClient({ baseUrl: peers.inventory.url }),
    payment: new PaymentClient({ baseUrl: options.paymentUrl ?? peers.payment.url, timeoutMs: 1000 }),
    log: captureLog().log,
    // Only orders this old; the ones made here are backdated past it, while
    // orders other tests have in flight right now are far younger.
    recoverAfterMs: 60_000,
    batchSize: 500,
  });
}

/** A pending order as the saga leaves it after recording it (optionally `ageMinutes` old). */
async function pendingOrder(options: { priceCents: number; stock: number; quantity?: number; ageMinutes?: number }) {
  const productId = await products.create({ priceCents: options.priceCents, stock: options.stock });
  const quantity = options.quantity ?? 1;
  const id = randomUUID();
  await insertPendingOrder(stores.db, {
    id,
    userId: uniqueUser(),
    productId,
    quantity,
    unitPriceCents: options.priceCents,
    totalCents: options.priceCents * quantity,
    currency: 'USD',
  });
  const age = options.ageMinutes ?? 10;
  await stores.sql`update orders set created_at = now() - make_interval(mins => ${age}) where id = ${id}`;
  return { id, productId, quantity, totalCents: options.priceCents * quantity };
}

async function reserve(order: { id: string; productId: string; quantity: number }) {
  const response = await postJson(`${peers.inventory.url}/reservations`, { order_id: order.id, product_id: order.productId, quantity: order.quantity });
  assert.equal(response.status, 201, JSON.stringify(response.body));
}

async function pay(order: { id: string; totalCents: number }) {
  return postJson(`${peers.payment.url}/payments`, { order_id: order.id, amount_cents: order.totalCents, currency: 'USD' });
}

const settled = (id: string) =>
  eventually(
    () => findOrder(stores.db, id),
    (o) => o?.status !== 'pending',
  );

test('reserved and paid, then abandoned: the sweep finishes it as created, with its outbox row, in one transaction', async () => {
  const order = await pendingOrder({ priceCents: 1250, stock: 10, quantity: 2 });
  await reserve(order);
  const payment = await pay(order);
  assert.equal(payment.status, 201);

  const results = await sweep().runOnce();
  const done = await settled(order.id);
  assert.equal(done?.status, 'created');
  assert.equal(done?.transactionId, payment.body.transaction_id);
  assert.equal(await products.stockOf(order.productId), 8, 'the reservation stands');
  const rows = await findOutboxByAggregate(stores.db, order.id);
  assert.equal(rows.length, 1);
  assert.equal((rows[0]!.payload as { order_id?: string }).order_id, order.id);
  // The recovery's own trace travels with the row (when this sweep, not
  // another test file's, was the one that settled it).
  if (results.get(order.id) === 'created') {
    const recover = (await telemetry.finishedSpans()).find((s) => s.name === 'order.recover' && s.attributes['order.id'] === order.id);
    assert.ok(recover, 'order.recover span');
    assert.equal(rows[0]?.traceContext.traceparent?.split('-')[1], recover.spanContext().traceId);
  }
});

test('reserved but never charged: the sweep releases the stock and marks it failed (recovered_without_payment)', async () => {
  const order = await pendingOrder({ priceCents: 500, stock: 5, quantity: 3 });
  await reserve(order);
  assert.equal(await products.stockOf(order.productId), 2);

  await sweep().runOnce();
  const done = await settled(order.id);
  assert.equal(done?.status, 'failed');
  assert.equal(done?.failureReason, 'recovered_without_payment');
  assert.equal(await products.stockOf(order.productId), 5, 'stock restored');
  assert.equal((await getJson(`${peers.inventory.url}/reservations/${order.id}`)).body.status, 'released');
  assert.equal((await findOutboxByAggregate(stores.db, order.id)).length, 0);
});

test('never reserved, never charged: released is a 404 at inventory, which is fine; the order fails', async () => {
  const order = await pendingOrder({ priceCents: 500, stock: 5 });
  await sweep().runOnce();
  const done = await settled(order.id);
  assert.equal(done?.status, 'failed');
  assert.equal(done?.failureReason, 'recovered_without_payment');
  assert.equal(await products.stockOf(order.productId), 5);
});

test('reserved and declined: the sweep releases the stock and marks it payment_failed', async () => {
  const order = await pendingOrder({ priceCents: 150_000, stock: 2 });
  await reserve(order);
  const payment = await pay(order);
  assert.equal(payment.status, 402);

  await sweep().runOnce();
  const done = await settled(order.id);
  assert.equal(done?.status, 'payment_failed');
  assert.equal(done?.failureReason, 'limit_exceeded');
  assert.equal(done?.transactionId, payment.body.transaction_id);
  assert.equal(await products.stockOf(order.productId), 2);
});

test('payment unreachable: the sweep leaves the order pending and its stock held, and settles it once payment answers', async () => {
  const order = await pendingOrder({ priceCents: 700, stock: 4 });
  await reserve(order);
  const results = await sweep({ paymentUrl: `http://127.0.0.1:${await freePort()}` }).runOnce();
  // Another test file's sweep may hold or settle the row; this one only ever leaves it pending.
  if (results.has(order.id)) assert.equal(results.get(order.id), 'still_pending');
  assert.equal((await findOrder(stores.db, order.id))?.status, 'pending');
  assert.equal(await products.stockOf(order.productId), 3);

  await sweep().runOnce();
  assert.equal((await settled(order.id))?.status, 'failed');
  assert.equal(await products.stockOf(order.productId), 4);
});

test('young pending orders are left to the request still working on them', async () => {
  const order = await pendingOrder({ priceCents: 700, stock: 4, ageMinutes: 0 });
  await reserve(order);
  const results = await sweep().runOnce();
  assert.equal(results.has(order.id), false);
  assert.equal((await findOrder(stores.db, order.id))?.status, 'pending');
  assert.equal(await products.stockOf(order.productId), 3);
  // Tidy up as the request would have: release, then settle it as failed.
  await postJson(`${peers.inventory.url}/reservations/${order.id}/release`);
  await stores.sql`update orders set status = 'failed', failure_reason = 'test_cleanup' where id = ${order.id}`;
});

test('two sweeps side by side settle each order once (FOR UPDATE SKIP LOCKED)', async () => {
  const orders = await Promise.all([0, 1, 2, 3].map(() => pendingOrder({ priceCents: 300, stock: 3 })));
  for (const order of orders) {
    await reserve(order);
    assert.equal((await pay(order)).status, 201);
  }
  const [a, b] = await Promise.all([sweep().runOnce(), sweep().runOnce()]);
  for (const order of orders) {
    const seen = Number(a.get(order.id) === 'created') + Number(b.get(order.id) === 'created');
    assert.ok(seen <= 1, 'never settled twice');
    assert.equal((await settled(order.id))?.status, 'created');
    assert.equal((await findOutboxByAggregate(stores.db, order.id)).length, 1, 'one outbox row');
  }
});
