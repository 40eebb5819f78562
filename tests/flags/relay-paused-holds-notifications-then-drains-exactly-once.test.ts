// relayPaused true: within 5 s of `shopctl flags set`, the outbox relay
// publishes nothing: orders are still created, their events wait in the
// outbox and no notification arrives; each such order's trace carries the
// flag. After `reset`, the backlog drains: every one of those orders is
// notified exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICES, SPANS } from '@shop/contracts';
import { closeStores, createProduct, eventually, newTraceparent, notificationsFor, ordersDb } from '../e2e/support.ts';
import { createdOrder, flagEvent, localPids, resetFlags, setFlag, spansWithFlag, untilChanged } from './support.ts';

before(resetFlags);
after(async () => {
  await resetFlags();
  await closeStores();
});

const unsent = async (orderIds: string[]) =>
  (await ordersDb`select count(*)::int as n from outbox where aggregate_id::text = any(${orderIds}) and sent_at is null`)[0]?.n as number;

/** Whether the relay holds an order's event: still unsent after several of the relay's 200 ms passes. */
async function held(orderId: string): Promise<boolean> {
  await eventually(
    () => unsent([orderId]),
    (n) => n === 0,
    1_500,
  );
  return (await unsent([orderId])) === 1;
}

test("relayPaused holds every new order's notification; reset drains them, each notified exactly once", { timeout: 120_000 }, async () => {
  const pids = localPids();
  const productId = await createProduct({ priceCents: 100, stock: 100 });

  await setFlag('relayPaused', 'true');
  const firstHeld: string[] = [];
  await untilChanged(
    async () => {
      const orderId = await createdOrder(productId);
      const isHeld = await held(orderId);
      if (isHeld) firstHeld.push(orderId);
      return isHeld;
    },
    (isHeld) => isHeld,
  );

  const trace = newTraceparent();
  const traced = await createdOrder(productId, trace.traceparent);
  const orderIds = [...firstHeld, traced, await createdOrder(productId), await createdOrder(productId)];
  // Nothing arrives while paused: a fair wait, several relay passes and consumer polls long.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  assert.equal(await unsent(orderIds), orderIds.length, 'every event waits in the outbox');
  for (const orderId of orderIds) assert.deepEqual(await notificationsFor(orderId), [], `order ${orderId} was notified while the relay was paused`);

  const [outboxWrite] = await spansWithFlag(trace.traceId, 'relayPaused');
  assert.equal(outboxWrite?.service, SERVICES.order.otelName);
  assert.equal(outboxWrite?.name, SPANS.orderSendNotification);
  assert.equal(flagEvent(outboxWrite!, 'relayPaused')['feature_flag.result.value'], true);

  await resetFlags();
  for (const orderId of orderIds) {
    const notifications = await eventually(
      () => notificationsFor(orderId),
      (n) => n.some((x) => x.status === 'sent'),
      30_000,
    );
    assert.equal(notifications.filter((x) => x.status === 'sent').length, 1, `order ${orderId}: ${JSON.stringify(notifications)}`);
  }
  assert.equal(await unsent(orderIds), 0, 'the backlog drained');
  // Given time to redeliver, still one each.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  for (const orderId of orderIds) assert.equal((await notificationsFor(orderId)).length, 1, `order ${orderId}`);
  assert.deepEqual(localPids(), pids, 'no process restarted');
});
