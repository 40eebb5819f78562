// The gateway in front of the real order, inventory and payment services
// (each started as its own process, as in production), through app.inject
// with the real Redis: every public route reaches the right service, and
// the services' answers (201, 402, 404, 409, 400, replays) come back as they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { installTestTelemetry } from '@shop/kit/test/otel';
import type { RunningService } from '@shop/kit/test/process';

installTestTelemetry();
const { startService } = await import('@shop/kit/test/process');
const { createPostgres } = await import('@shop/kit');
const { connectRedis, newApiKey, testApp } = await import('../test/support.ts');

const SERVICES = fileURLToPath(new URL('../../', import.meta.url));
const mains = { inventory: `${SERVICES}inventory/src/main.ts`, payment: `${SERVICES}payment/src/main.ts`, order: `${SERVICES}order/src/main.ts` };

const PG = `postgres://shop@${process.env.DATABASE_HOST ?? '127.0.0.1'}:${process.env.DATABASE_PORT ?? '5432'}`;
const quiet = { LOG_LEVEL: 'warn', HOST: '127.0.0.1', OTEL_SDK_DISABLED: 'true' };
const running: RunningService[] = [];
let app: ReturnType<typeof testApp>;
let redis: Awaited<ReturnType<typeof connectRedis>>;
const inventoryDb = createPostgres(`${PG}/inventory`, { max: 2 });
const { authorization, digest } = newApiKey();

before(async () => {
  const [inventory, payment] = await Promise.all([
    startService(mains.inventory, { ...quiet, DATABASE_URL: `${PG}/inventory` }),
    startService(mains.payment, { ...quiet }),
  ]);
  running.push(inventory, payment);
  const order = await startService(mains.order, { ...quiet, DATABASE_URL: `${PG}/orders`, INVENTORY_URL: inventory.url, PAYMENT_URL: payment.url });
  running.push(order);
  redis = await connectRedis();
  app = testApp({ redis, keyHashes: [digest], orderUrl: order.url, inventoryUrl: inventory.url, orderTimeoutMs: 10_000 });
  await app.ready();
});

after(async () => {
  await app?.close();
  await redis?.quit();
  await Promise.all(running.map((service) => service.stop()));
  await inventoryDb.end();
});

async function product(priceCents: number, stock: number): Promise<string> {
  const id = `GW-${randomUUID().slice(0, 12).toUpperCase()}`;
  await inventoryDb`insert into products (id, name, price_cents, stock) values (${id}, ${`Gateway test ${id}`}, ${priceCents}, ${stock})`;
  return id;
}

function placeOrder(body: Record<string, unknown>, idempotencyKey?: string) {
  return app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: { authorization, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    payload: body,
  });
}

const user = () => `user-${randomUUID().slice(0, 8)}`;

test('GET /api/products/:id reaches inventory; an unknown product is its 404', async () => {
  const id = await product(1999, 5);
  const found = await app.inject({ method: 'GET', url: `/api/products/${id}`, headers: { authorization } });
  assert.equal(found.statusCode, 200, found.body);
  assert.deepEqual(found.json(), { product_id: id, name: `Gateway test ${id}`, price_cents: 1999, currency: 'USD', stock: 5 });
  const unknown = await app.inject({ method: 'GET', url: '/api/products/NO-SUCH-PRODUCT', headers: { authorization } });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error, 'not_found');
});

test('an order with amount in major units is created, and GET /api/orders/:id returns it', async () => {
  const id = await product(2999, 10);
  const created = await placeOrder({ user_id: user(), product_id: id, quantity: 2, amount: 59.98 });
  assert.equal(created.statusCode, 201, created.body);
  const body = created.json();
  assert.equal(body.status, 'created');
  assert.equal(body.total_cents, 5998);
  assert.equal(typeof body.order_id, 'string');
  const fetched = await app.inject({ method: 'GET', url: `/api/orders/${body.order_id}`, headers: { authorization } });
  assert.equal(fetched.statusCode, 200, fetched.body);
  assert.equal(fetched.json().status, 'created');
  const unknown = await app.inject({ method: 'GET', url: `/api/orders/${randomUUID()}`, headers: { authorization } });
  assert.equal(unknown.statusCode, 404);
});

test('Idempotency-Key is forwarded: a replay returns the same order with Idempotent-Replayed, a changed body is 409', async () => {
  const id = await product(500, 10);
  const body = { user_id: user(), product_id: id, quantity: 1 };
  const key = `gw-${randomUUID()}`;
  const first = await placeOrder(body, key);
  assert.equal(first.statusCode, 201, first.body);
  assert.equal(first.headers['idempotent-replayed'], undefined);
  const replay = await placeOrder(body, key);
  assert.equal(replay.statusCode, 201, replay.body);
  assert.equal(replay.json().order_id, first.json().order_id);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  const rows = (await inventoryDb`select stock from products where id = ${id}`) as unknown as { stock: number }[];
  assert.equal(Number(rows[0]?.stock), 9, 'stock deducted once');
  const conflicting = await placeOrder({ ...body, quantity: 2 }, key);
  assert.equal(conflicting.statusCode, 409);
  assert.equal(conflicting.json().error, 'idempotency_conflict');
});

test("order's refusals come through: amount mismatch 400, insufficient stock 409, declined 402, unknown product 404", async () => {
  const cheap = await product(1999, 3);
  const mismatch = await placeOrder({ user_id: user(), product_id: cheap, quantity: 2, amount: 39.99 });
  assert.equal(mismatch.statusCode, 400, mismatch.body);
  assert.equal(mismatch.json().error, 'amount_mismatch');
  const short = await placeOrder({ user_id: user(), product_id: cheap, quantity: 4 });
  assert.equal(short.statusCode, 409, short.body);
  assert.equal(short.json().error, 'insufficient_stock');
  assert.equal(short.json().available, 3);
  const expensive = await product(150_000, 2);
  const declined = await placeOrder({ user_id: user(), product_id: expensive, quantity: 1 });
  assert.equal(declined.statusCode, 402, declined.body);
  assert.equal(declined.json().error, 'payment_declined');
  const unknown = await placeOrder({ user_id: user(), product_id: 'NO-SUCH-PRODUCT', quantity: 1 });
  assert.equal(unknown.statusCode, 404, unknown.body);
});
