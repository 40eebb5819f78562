// notificationFailure 1: within 5 s of `shopctl flags set`, every send of a
// new order's notification fails: retried, then dead-lettered, each failed
// notification.send span carrying the flag. The orders themselves are
// created. After `reset`, notifications are sent again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICES, SPANS } from '@shop/contracts';
import { closeStores, createProduct, eventually, newTraceparent, notificationsFor } from '../e2e/support.ts';
import { createdOrder, flagEvent, localPids, resetFlags, setFlag, spansWithFlag, untilChanged } from './support.ts';

before(resetFlags);
after(async () => {
  await resetFlags();
  await closeStores();
});

/** The notification of an order once it is settled (sent or dead-lettered), or failing while still retrying. */
async function outcome(orderId: string): Promise<{ status: string; attempts: number }> {
  const rows = await eventually(
    () => notificationsFor(orderId),
    (n) => n.length === 1 && (n[0]!.status !== 'pending' || n[0]!.attempts > 0),
    20_000,
  );
  assert.equal(rows.length, 1, `order ${orderId}: ${JSON.stringify(rows)}`);
  return { status: rows[0]!.status, attempts: rows[0]!.attempts };
}

test('notificationFailure 1 fails every send of new orders until they are dead-lettered, and shows on each send; reset sends again', {
  timeout: 120_000,
}, async () => {
  const pids = localPids();
  const productId = await createProduct({ priceCents: 100, stock: 100 });
  assert.deepEqual(await outcome(await createdOrder(productId)), { status: 'sent', attempts: 1 });

  await setFlag('notificationFailure', '1');
  // Each attempt places an order and waits for its first send: sent, or failing.
  await untilChanged(
    async () => outcome(await createdOrder(productId)),
    (n) => n.status !== 'sent',
  );

  const trace = newTraceparent();
  const orderId = await createdOrder(productId, trace.traceparent);
  const parked = await eventually(
    () => notificationsFor(orderId),
    (n) => n[0]?.status === 'dead_lettered',
    30_000,
  );
  assert.equal(parked[0]?.status, 'dead_lettered', JSON.stringify(parked));
  assert.equal(parked[0]?.attempts, 5, 'NOTIFY_MAX_ATTEMPTS sends, each failed');
  const sends = await spansWithFlag(trace.traceId, 'notificationFailure', { atLeast: 5 });
  assert.equal(sends.length, 5, `one evaluation per send: ${sends.map((s) => s.name).join(', ')}`);
  for (const send of sends) {
    assert.equal(send.service, SERVICES.notification.otelName);
    assert.equal(send.name, SPANS.notificationSend);
    assert.equal(send.status.code, 2, 'each send failed (status ERROR)');
    assert.equal(flagEvent(send, 'notificationFailure')['feature_flag.result.value'], 1);
  }

  await resetFlags();
  await untilChanged(
    async () => outcome(await createdOrder(productId)),
    (n) => n.status === 'sent',
  );
  assert.deepEqual(localPids(), pids, 'no process restarted');
});
