// The outbox's promise: with the broker down, orders still succeed, and their
// notifications arrive once it is back: nothing lost, nothing doubled.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closeStores, createProduct, eventually, notificationsFor, ordersDb, placeOrder, uniqueKey, uniqueUser } from './support.ts';

const INFRA = fileURLToPath(new URL('../../scripts/local/infra.sh', import.meta.url));
const infra = (...args: string[]) => execFileSync('bash', [INFRA, ...args], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });

after(async () => {
  infra('up', 'kafka'); // whatever happened, leave the broker running for the next test
  await closeStores();
});

test('orders placed while Kafka is down succeed and are notified exactly once after it returns', { timeout: 180_000 }, async () => {
  const productId = await createProduct({ priceCents: 250, stock: 20 });
  infra('down', 'kafka');

  const orderIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const response = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 1 }, { idempotencyKey: uniqueKey() });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    orderIds.push(response.body.order_id);
  }
  // The events wait in the outbox, unsent.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const pending = await ordersDb`select count(*)::int as n from outbox where aggregate_id::text = any(${orderIds}) and sent_at is null`;
  assert.equal(pending[0]?.n, 3);

  infra('up', 'kafka');
  for (const orderId of orderIds) {
    const notifications = await eventually(
      () => notificationsFor(orderId),
      (n) => n.some((x) => x.status === 'sent'),
      90_000,
    );
    assert.equal(notifications.filter((x) => x.status === 'sent').length, 1, `order ${orderId}: ${JSON.stringify(notifications)}`);
  }
  const sent = await ordersDb`select count(*)::int as n from outbox where aggregate_id::text = any(${orderIds}) and sent_at is not null`;
  assert.equal(sent[0]?.n, 3);
  // Given time to redeliver, still one each.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  for (const orderId of orderIds) assert.equal((await notificationsFor(orderId)).length, 1);
});
