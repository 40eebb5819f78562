// One order through the whole system: gateway -> order -> inventory ->
// payment -> outbox -> Kafka -> notification, and the one trace it leaves.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ancestors,
  closeStores,
  eventually,
  notificationsFor,
  ordersDb,
  paymentsFor,
  placeTracedOrder,
  stockOf,
  inventoryDb,
  waitForOrderTrace,
  TRACED_SERVICES as SERVICES,
} from './support.ts';

after(closeStores);

test('an order is created, stock deducted, charged once, notified once, in ONE trace across all five services', async () => {
  const { response, productId, traceId } = await placeTracedOrder({ priceCents: 1250, stock: 10, quantity: 2 });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  assert.equal(response.body.status, 'created');
  const orderId: string = response.body.order_id;
  assert.match(orderId, /^[0-9a-f-]{36}$/);

  const [order] = await ordersDb`select status, total_cents, transaction_id from orders where id = ${orderId}`;
  assert.equal(order?.status, 'created');
  assert.equal(Number(order?.total_cents), 2500);
  assert.equal(await stockOf(productId), 8);
  const [reservation] = await inventoryDb`select quantity, status from reservations where order_id = ${orderId}`;
  assert.deepEqual({ ...reservation, quantity: Number(reservation?.quantity) }, { quantity: 2, status: 'reserved' });

  const payment = await paymentsFor(orderId);
  assert.equal(payment.status, 200);
  assert.equal(payment.body.status, 'succeeded');
  assert.equal(payment.body.transaction_id, order?.transaction_id);
  assert.equal(Number(payment.body.amount_cents), 2500);

  const notifications = await eventually(
    () => notificationsFor(orderId),
    (n) => n.some((x) => x.status === 'sent'),
  );
  assert.equal(notifications.length, 1, JSON.stringify(notifications));
  assert.equal(notifications[0]?.status, 'sent');

  const spans = await waitForOrderTrace(traceId);
  const services = new Set(spans.map((s) => s.service));
  for (const name of SERVICES) assert.ok(services.has(name), `no span from ${name}; services: ${[...services].join(', ')}`);
  const names = new Set(spans.map((s) => s.name));
  for (const name of [
    'gateway.createOrder',
    'gateway.callOrderService',
    'order.create',
    'order.checkInventory',
    'order.processPayment',
    'order.saveDatabase',
    'order.sendNotification',
    'inventory.deduct',
    'payment.process',
    'notification.process',
    'notification.send',
  ]) {
    assert.ok(names.has(name), `no ${name} span; names: ${[...names].join(', ')}`);
  }
  assert.ok(spans.every((s) => s.traceId === traceId));

  // The Kafka hop keeps the chain: the consumer's spans descend from order's context.
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const processSpan = spans.find((s) => s.name === 'notification.process')!;
  const chain = ancestors(processSpan, byId);
  assert.ok(
    chain.some((s) => s.service === 'order-service'),
    `notification.process ancestors: ${chain.map((s) => `${s.service}:${s.name}`).join(' <- ')}`,
  );
  assert.ok(
    chain.some((s) => s.name === 'gateway.createOrder'),
    'and ultimately from the gateway request',
  );

  const orderSpan = spans.find((s) => s.name === 'order.create')!;
  assert.equal(orderSpan.attributes['order.id'], orderId);
  const gatewayServer = spans.find((s) => s.service === 'gateway' && s.kind === 2);
  assert.equal(gatewayServer?.attributes['http.route'], '/api/orders');
  const dbSpans = spans.filter((s) => s.attributes['db.system.name'] === 'postgresql');
  assert.ok(dbSpans.length > 0 && dbSpans.every((s) => s.attributes['db.operation.name'] && s.attributes['db.namespace']));
});
