// order-service as a real process (telemetry through --import, as in
// production) beside real inventory and payment processes, Kafka and Jaeger:
// the wiring of main.ts — migrations, relay, readiness, shutdown — and one
// trace from the incoming request through to the Kafka message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SpanKind } from '@opentelemetry/api';
import { installTestTelemetry } from '@shop/kit/test/otel';
import { waitForTrace } from '@shop/kit/test/jaeger';

installTestTelemetry();
const { startPeers, startPeer } = await import('../test/peers.ts');
const { openOrdersDatabase, createScratchOrdersDatabase, testProducts, uniqueUser, eventually } = await import('../test/stores.ts');
const { collectTopic } = await import('../test/kafka.ts');
const { findOutboxByAggregate } = await import('./outbox/outbox-repo.ts');

const ORDER_DIR = fileURLToPath(new URL('..', import.meta.url));
// OTLP kinds are 1-based (api's SpanKind is 0-based).
const OTLP_SERVER = SpanKind.SERVER + 1;
const OTLP_PRODUCER = SpanKind.PRODUCER + 1;

let peers: Awaited<ReturnType<typeof startPeers>>;
let stores: Awaited<ReturnType<typeof openOrdersDatabase>>;
let products: ReturnType<typeof testProducts>;
let consumer: Awaited<ReturnType<typeof collectTopic>>;

before(async () => {
  [peers, stores] = await Promise.all([startPeers(), openOrdersDatabase()]);
  products = testProducts();
  consumer = await collectTopic('order-notifications');
});

after(async () => {
  await consumer?.stop();
  await products?.close();
  await stores?.sql.end({ timeout: 5 });
  await peers?.stop();
});

function startOrderService(env: Record<string, string> = {}) {
  return startPeer('order', {
    INVENTORY_URL: peers.inventory.url,
    PAYMENT_URL: peers.payment.url,
    OUTBOX_POLL_MS: '50',
    LOG_LEVEL: 'info',
    ...env,
  });
}

function newTraceparent() {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

async function placeOrder(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

test('with Kafka unreachable, order-service still starts, is ready and takes orders; the events wait in the outbox', async (t) => {
  // A database of this test's own: no other relay (another test's, `make
  // local`'s) can send these rows, and this relay holds no one else's.
  const scratch = await createScratchOrdersDatabase();
  t.after(() => scratch.drop());
  const productId = await products.create({ priceCents: 321, stock: 5 });
  const order = await startOrderService({ KAFKA_BROKERS: '127.0.0.1:1', DATABASE_URL: scratch.url });
  let orderId: string;
  let traceId: string;
  try {
    const ready = await fetch(`${order.url}/readyz`);
    assert.equal(ready.status, 200, 'readiness is Postgres only');
    const trace = newTraceparent();
    traceId = trace.traceId;
    const response = await placeOrder(order.url, { user_id: uniqueUser(), product_id: productId, quantity: 1 }, { traceparent: trace.traceparent });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    orderId = response.body.order_id;
    const row = await eventually(
      async () => (await findOutboxByAggregate(scratch.db, orderId))[0],
      (r) => (r?.attempts ?? 0) > 0,
      30_000,
    );
    assert.ok((row?.attempts ?? 0) > 0, 'the relay tried');
    assert.equal(row?.sentAt, null, 'never marked sent without an ack');
    assert.match(row?.lastError ?? '', /\S/);
  } finally {
    assert.equal(await order.stop(), 0, `clean shutdown: ${order.output()}`);
  }
  const lines = order
    .output()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg?: string; component?: string });
  assert.equal(lines.filter((l) => l.component === 'outbox-relay' && l.msg?.startsWith('kafka unavailable')).length, 1, 'one line per outage');

  // Broker back (another instance pointed at the real one): sent once, in the original trace.
  const healthy = await startOrderService({ DATABASE_URL: scratch.url });
  try {
    const messages = await consumer.waitFor(orderId, 1, 30_000);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.traceId, traceId);
    // Marked sent once acknowledged (the message can be read a moment before that commit).
    const row = await eventually(
      async () => (await findOutboxByAggregate(scratch.db, orderId))[0],
      (r) => r?.sentAt != null,
    );
    assert.ok(row?.sentAt);
  } finally {
    assert.equal(await healthy.stop(), 0);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(consumer.received.filter((m) => m.key === orderId).length, 1, 'exactly once');
});

test('one trace from the incoming request through inventory, payment and the outbox to the Kafka message', async () => {
  const productId = await products.create({ priceCents: 1500, stock: 5 });
  const order = await startOrderService();
  const { traceId, traceparent } = newTraceparent();
  let orderId: string;
  try {
    const response = await placeOrder(order.url, { user_id: uniqueUser(), product_id: productId, quantity: 2, amount_cents: 3000 }, { traceparent });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    orderId = response.body.order_id;
    const messages = await consumer.waitFor(orderId);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.traceId, traceId, 'the Kafka message continues the request trace');
    const fetched = await fetch(`${order.url}/orders/${orderId}`);
    assert.equal(((await fetched.json()) as { status: string }).status, 'created');
  } finally {
    assert.equal(await order.stop(), 0);
  }

  const spans = await waitForTrace(traceId, {
    until: (s) =>
      ['order.create', 'order.sendNotification', 'payment.process', 'inventory.get'].every((name) => s.some((x) => x.name === name)) &&
      s.some((x) => x.service === 'order-service' && x.kind === OTLP_PRODUCER),
  });
  const names = spans.map((s) => `${s.service}:${s.name}`);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const ancestors = (span: (typeof spans)[number]) => {
    const chain: string[] = [];
    for (let p = byId.get(span.parentSpanId); p; p = byId.get(p.parentSpanId)) chain.push(p.name);
    return chain;
  };
  const create = spans.find((s) => s.name === 'order.create');
  assert.ok(create, names.join(', '));
  assert.equal(create.service, 'order-service');
  assert.equal(create.attributes['order.id'], orderId);
  assert.equal(create.attributes['order.total_cents'], 3000);
  const chain: (typeof spans)[number][] = [];
  for (let p = byId.get(create.parentSpanId); p; p = byId.get(p.parentSpanId)) chain.push(p);
  const server = chain.find((s) => s.kind === OTLP_SERVER);
  assert.ok(server, `order.create runs inside the HTTP server span (${chain.map((s) => s.name).join(' < ')})`);
  assert.equal(server.attributes['http.route'], '/orders');
  assert.equal(server.parentSpanId, traceparent.split('-')[2], 'the server span continues the caller context');
  for (const name of ['order.checkInventory', 'order.processPayment', 'order.saveDatabase', 'order.sendNotification']) {
    const span = spans.find((s) => s.name === name);
    assert.ok(span && ancestors(span).includes('order.create'), `${name} under order.create (${names.join(', ')})`);
  }
  for (const name of ['inventory.get', 'inventory.deduct']) {
    const span = spans.find((s) => s.name === name);
    assert.ok(span && ancestors(span).includes('order.checkInventory'), `${name} under order.checkInventory`);
  }
  const payment = spans.find((s) => s.name === 'payment.process');
  assert.ok(payment && ancestors(payment).includes('order.processPayment'), 'payment.process under order.processPayment');
  const producer = spans.find((s) => s.service === 'order-service' && s.kind === OTLP_PRODUCER);
  assert.ok(producer && ancestors(producer).includes('order.sendNotification'), 'the Kafka publish descends from order.sendNotification');
});

test('a bad configuration stops the start with one line naming the variable', () => {
  const result = spawnSync(process.execPath, ['src/main.ts'], {
    cwd: ORDER_DIR,
    env: { ...process.env, PORT: 'not-a-port', OUTBOX_POLL_MS: '0' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(result.status, 78);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /^order-service: invalid configuration: .*PORT .*OUTBOX_POLL_MS/);
});

test('RECOVERY_AFTER_MS shorter than a payment step can take is refused at start', () => {
  const result = spawnSync(process.execPath, ['src/main.ts'], {
    cwd: ORDER_DIR,
    env: { ...process.env, RECOVERY_AFTER_MS: '5000', PAYMENT_TIMEOUT_MS: '3000' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(result.status, 78);
  assert.match(result.stderr.trim(), /^order-service: invalid configuration: RECOVERY_AFTER_MS must be at least .*PAYMENT_TIMEOUT_MS 3000$/);
});
