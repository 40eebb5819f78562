// The fault flags on the real node: `shopctl flags set paymentFailure 1
// --context ...`, as a user bound to the chart's Role would type it, changes
// the answers of orders placed through a port-forward to the gateway within
// 15 s (the path: the ConfigMap through the API, flag-sync's watch, the file,
// flagd, the services' sync streams), with no pod restarted or replaced;
// the affected order's trace carries the flag; `reset` brings back 201s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { placeOrder, type OrderAnswer } from '@shop/cli/gateway/orders-api';
import { waitForTrace, type FlatSpan } from '@shop/kit/test/jaeger';
import { eventually, forward, podRestarts, shopctl } from './support.ts';

const API_KEY = 'dev-only-api-key';
/** How long a change may take to reach every service in a cluster (docs/flags.md). */
const CHANGE_WITHIN_MS = 15_000;

const order = (url: string, traceparent?: string): Promise<OrderAnswer> =>
  placeOrder({ url, apiKey: API_KEY }, { userId: `flags-${randomUUID().slice(0, 8)}`, productId: 'PROD-123', quantity: 1 }, traceparent ? { traceparent } : {});

test('paymentFailure 1 through the Kubernetes API: orders answer 402 within 15 s, nothing restarted; reset: 201 again', async () => {
  const before = await podRestarts('shop');
  await forward('shop', 'gateway', 8080, async (url) => {
    assert.equal((await order(url)).status, 201, 'normal before the flag');

    const setAt = Date.now();
    const set = await shopctl(['flags', 'set', 'paymentFailure', '1']);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /^paymentFailure set to 1 \(fraction\) in ConfigMap shop\/fault-flags \(context otel-shop-node\)\n {2}flagd serves it/);
    const declinedAfter = await eventually('an order declined', CHANGE_WITHIN_MS / 1000, async () =>
      (await order(url)).status === 402 ? Date.now() - setAt : undefined,
    );
    process.stdout.write(`# paymentFailure reached payment ${declinedAfter} ms after shopctl started\n`);
    assert.ok(declinedAfter <= CHANGE_WITHIN_MS, `${declinedAfter} ms`);

    // Every order now, and its trace says why.
    const traceId = randomUUID().replaceAll('-', '');
    const declined = await order(url, `00-${traceId}-${'1'.repeat(16)}-01`);
    assert.equal(declined.status, 402, JSON.stringify(declined.body));
    for (let i = 0; i < 3; i++) assert.equal((await order(url)).status, 402);
    await forward('observability', 'jaeger', 16686, async (jaegerQueryUrl) => {
      const carries = (x: FlatSpan) =>
        x.service === 'payment-service' && x.events.some((e) => e.name === 'feature_flag.evaluation' && e.attributes['feature_flag.key'] === 'paymentFailure');
      const spans = await waitForTrace(traceId, { jaegerQueryUrl, timeoutMs: 30_000, until: (all) => all.some(carries) });
      assert.ok(spans.some(carries));
    });

    const reset = await shopctl(['flags', 'reset']);
    assert.equal(reset.code, 0, reset.stderr);
    await eventually('an order created again', CHANGE_WITHIN_MS / 1000, async () => ((await order(url)).status === 201 ? true : undefined));
  });
  assert.deepEqual(await podRestarts('shop'), before, 'the same pods, none restarted');
});
