// paymentFailure 1: within 5 s of `shopctl flags set`, orders answer 402 and
// their stock goes back; the charge's span in the order's trace carries the
// flag; after `reset`, orders are created again. No process restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICES, SPANS } from '@shop/contracts';
import { closeStores, createProduct, newTraceparent, placeOrder, stockOf, uniqueKey, uniqueUser } from '../e2e/support.ts';
import { flagEvent, localPids, resetFlags, setFlag, spansWithFlag, untilChanged } from './support.ts';

before(resetFlags);
after(async () => {
  await resetFlags();
  await closeStores();
});

const order = (productId: string, traceparent?: string) =>
  placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 1 }, { idempotencyKey: uniqueKey(), headers: traceparent ? { traceparent } : {} });

test('paymentFailure 1 declines the next orders (402, stock released) and shows on the charge; reset creates orders again', { timeout: 90_000 }, async () => {
  const pids = localPids();
  const warmup = await createProduct({ priceCents: 100, stock: 100 });
  assert.equal((await order(warmup)).status, 201);

  await setFlag('paymentFailure', '1');
  const declined = await untilChanged(
    () => order(warmup),
    (r) => r.status !== 201,
  );
  assert.equal(declined.value.status, 402, JSON.stringify(declined.value.body));
  assert.equal(declined.value.body.error, 'payment_declined');

  // On a product of its own, so the stock before and after is this order's alone.
  const productId = await createProduct({ priceCents: 250, stock: 10 });
  const trace = newTraceparent();
  const answer = await order(productId, trace.traceparent);
  assert.equal(answer.status, 402, JSON.stringify(answer.body));
  assert.equal(answer.body.reason, 'card_declined');
  assert.equal(await stockOf(productId), 10, 'the reserved stock was released');

  const [charge] = await spansWithFlag(trace.traceId, 'paymentFailure');
  assert.equal(charge?.service, SERVICES.payment.otelName);
  assert.equal(charge?.name, SPANS.paymentProcess);
  assert.equal(charge?.attributes['payment.decline_reason'], 'card_declined');
  assert.deepEqual(flagEvent(charge!, 'paymentFailure'), {
    'feature_flag.key': 'paymentFailure',
    'feature_flag.result.variant': 'on',
    'feature_flag.result.value': 1,
    'feature_flag.provider.name': 'flagd',
    'feature_flag.result.reason': 'static',
  });

  await resetFlags();
  const created = await untilChanged(
    () => order(productId),
    (r) => r.status === 201,
  );
  assert.equal(created.value.body.status, 'created');
  assert.equal(await stockOf(productId), 9);
  assert.deepEqual(localPids(), pids, 'no process restarted');
});
