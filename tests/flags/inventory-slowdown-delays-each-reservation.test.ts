// inventorySlowdownMs 800: within 5 s of `shopctl flags set`, each stock
// reservation takes at least 0.8 s (the inventory.deduct span, which carries
// the flag) and the orders still succeed; after `reset`, reservations are
// quick again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICES, SPANS } from '@shop/contracts';
import { closeStores, createProduct, newTraceparent, stockOf } from '../e2e/support.ts';
import { flagEvent, localPids, resetFlags, setFlag, spansWithFlag, timedOrder, untilChanged } from './support.ts';

before(resetFlags);
after(async () => {
  await resetFlags();
  await closeStores();
});

test('inventorySlowdownMs 800 delays each reservation and shows on it; orders still succeed; reset makes them quick again', { timeout: 90_000 }, async () => {
  const pids = localPids();
  const productId = await createProduct({ priceCents: 100, stock: 100 });
  assert.equal((await timedOrder(productId)).status, 201);

  await setFlag('inventorySlowdownMs', '800');
  await untilChanged(
    () => timedOrder(productId),
    (r) => r.ms >= 800,
  );

  const trace = newTraceparent();
  const stock = await stockOf(productId);
  const slow = await timedOrder(productId, trace.traceparent);
  assert.equal(slow.status, 201);
  assert.ok(slow.ms >= 800, `took ${Math.round(slow.ms)} ms`);
  assert.equal(await stockOf(productId), stock - 1);
  const [reservation] = await spansWithFlag(trace.traceId, 'inventorySlowdownMs');
  assert.equal(reservation?.service, SERVICES.inventory.otelName);
  assert.equal(reservation?.name, SPANS.inventoryDeduct);
  assert.ok(reservation!.durationMs >= 800, `inventory.deduct took ${reservation!.durationMs} ms`);
  assert.equal(flagEvent(reservation!, 'inventorySlowdownMs')['feature_flag.result.value'], 800);

  await resetFlags();
  await untilChanged(
    () => timedOrder(productId),
    (r) => r.status === 201 && r.ms < 600,
  );
  assert.deepEqual(localPids(), pids, 'no process restarted');
});
