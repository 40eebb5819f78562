// paymentLatencyMs 1500: within 5 s of `shopctl flags set`, a charge takes at
// least 1.5 s (the payment.process span, and the order around it), and the
// span carries the flag; after `reset`, charges take their configured time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SPANS } from '@shop/contracts';
import { closeStores, createProduct, newTraceparent } from '../e2e/support.ts';
import { flagEvent, localPids, resetFlags, setFlag, spansWithFlag, timedOrder, untilChanged } from './support.ts';

before(resetFlags);
after(async () => {
  await resetFlags();
  await closeStores();
});

test('paymentLatencyMs 1500 makes each charge take at least 1.5 s and shows on it; reset makes charges quick again', { timeout: 90_000 }, async () => {
  const pids = localPids();
  const productId = await createProduct({ priceCents: 100, stock: 100 });
  const quick = await timedOrder(productId);
  assert.equal(quick.status, 201);
  assert.ok(quick.ms < 1_500, `an order before the flag took ${Math.round(quick.ms)} ms`);

  await setFlag('paymentLatencyMs', '1500');
  await untilChanged(
    () => timedOrder(productId),
    (r) => r.ms >= 1_500,
  );

  const trace = newTraceparent();
  const slow = await timedOrder(productId, trace.traceparent);
  assert.equal(slow.status, 201, "slow, not failed: under order-service's payment timeout");
  assert.ok(slow.ms >= 1_500, `took ${Math.round(slow.ms)} ms`);
  const [charge] = await spansWithFlag(trace.traceId, 'paymentLatencyMs');
  assert.equal(charge?.name, SPANS.paymentProcess);
  assert.ok(charge!.durationMs >= 1_500, `payment.process took ${charge!.durationMs} ms`);
  assert.equal(flagEvent(charge!, 'paymentLatencyMs')['feature_flag.result.value'], 1500);

  await resetFlags();
  await untilChanged(
    () => timedOrder(productId),
    (r) => r.status === 201 && r.ms < 1_000,
  );
  assert.deepEqual(localPids(), pids, 'no process restarted');
});
