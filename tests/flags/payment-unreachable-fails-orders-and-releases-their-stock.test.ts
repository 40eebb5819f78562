// paymentUnreachable true: within 5 s of `shopctl flags set`, order-service
// cannot reach payment: orders answer 503, nothing is charged, their stock
// goes back, and the payment step of the order's trace carries the flag;
// after `reset`, orders are created again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICES, SPANS } from '@shop/contracts';
import { closeStores, createProduct, newTraceparent, ordersDb, paymentsFor, placeOrder, stockOf, uniqueKey, uniqueUser } from '../e2e/support.ts';
import { flagEvent, localPids, resetFlags, setFlag, spansWithFlag, untilChanged } from './support.ts';

before(resetFlags);
after(async () => {
  await resetFlags();
  await closeStores();
});

const order = (productId: string, traceparent?: string) =>
  placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 2 }, { idempotencyKey: uniqueKey(), headers: traceparent ? { traceparent } : {} });

test('paymentUnreachable fails the next orders with 503 (nothing charged, stock released) and shows on the payment step; reset restores them', {
  timeout: 90_000,
}, async () => {
  const pids = localPids();
  const warmup = await createProduct({ priceCents: 100, stock: 100 });
  assert.equal((await order(warmup)).status, 201);

  await setFlag('paymentUnreachable', 'true');
  const failed = await untilChanged(
    () => order(warmup),
    (r) => r.status !== 201,
  );
  assert.equal(failed.value.status, 503, JSON.stringify(failed.value.body));

  const productId = await createProduct({ priceCents: 300, stock: 10 });
  const trace = newTraceparent();
  const answer = await order(productId, trace.traceparent);
  assert.equal(answer.status, 503, JSON.stringify(answer.body));
  assert.equal(answer.body.error, 'service_unavailable');
  assert.equal(answer.body.status, 'failed');
  assert.equal(await stockOf(productId), 10, 'the reserved stock was released');
  assert.equal((await paymentsFor(answer.body.order_id)).status, 404, 'payment never saw the order');
  const [row] = await ordersDb`select status, failure_reason from orders where id = ${answer.body.order_id}`;
  assert.deepEqual({ ...row }, { status: 'failed', failure_reason: 'payment_unavailable' });

  const [step] = await spansWithFlag(trace.traceId, 'paymentUnreachable');
  assert.equal(step?.service, SERVICES.order.otelName);
  assert.equal(step?.name, SPANS.orderProcessPayment);
  assert.equal(flagEvent(step!, 'paymentUnreachable')['feature_flag.result.value'], true);

  await resetFlags();
  await untilChanged(
    () => order(productId),
    (r) => r.status === 201,
  );
  assert.equal(await stockOf(productId), 8);
  assert.deepEqual(localPids(), pids, 'no process restarted');
});
