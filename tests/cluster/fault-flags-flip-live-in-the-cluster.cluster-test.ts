// The fault flags on the real node: `shopctl flags set paymentFailure 1
// --context ...`, as a user bound to the chart's Role would type it, changes
// the answers of orders placed through a port-forward to the gateway within
// 15 s (the path: the ConfigMap through the API, flag-sync's watch, the file,
// flagd, the services' sync streams), with no pod restarted or replaced;
// the affected order's trace carries the flag; `reset` brings back 201s.
// The in-cluster load generator places its orders meanwhile, and they are
// in Prometheus; `loadGeneratorRate` turns it up live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { placeOrder, type OrderAnswer } from '@shop/cli/gateway/orders-api';
import { waitForTrace, type FlatSpan } from '@shop/kit/test/jaeger';
import { core, eventually, forward, podRestarts, podsOf, promQuery, shopctl } from './support.ts';

const API_KEY = 'dev-only-api-key';
/** How long a change may take to reach every service in a cluster (docs/flags.md). */
const CHANGE_WITHIN_MS = 15_000;

const order = (url: string, traceparent?: string): Promise<OrderAnswer> =>
  placeOrder({ url, apiKey: API_KEY }, { userId: `flags-${randomUUID().slice(0, 8)}`, productId: 'PROD-123', quantity: 1 }, traceparent ? { traceparent } : {});

/** What the services logged about the fault flags, for a failure's message. */
async function flagLogs(): Promise<string> {
  const lines: string[] = [];
  for (const pod of await podsOf('shop')) {
    const name = pod.metadata!.name!;
    if (!/^(order|payment|inventory|notification|flagd|load-generator)-/.test(name)) continue;
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
      const log = await core.readNamespacedPodLog({ name, namespace: 'shop', container: c.name, tailLines: 400 }).catch((e) => String(e));
      for (const line of String(log).split('\n')) if (/flag|flagd|sync/i.test(line)) lines.push(`${name}/${c.name}: ${line.slice(0, 300)}`);
    }
  }
  return lines.slice(-80).join('\n');
}

/** The first moment, after `since`, that `check` holds (polled for up to a minute, to report the real delay even when it is over the bound). */
async function firstTime(what: string, since: number, check: () => Promise<boolean>): Promise<number> {
  while (Date.now() - since < 60_000) {
    if (await check()) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`${what}: not within 60 s\n${await flagLogs()}`);
}

test('paymentFailure 1 through the Kubernetes API: orders answer 402 within 15 s, nothing restarted; reset: 201 again', async () => {
  const before = await podRestarts('shop');
  try {
    await forward('shop', 'gateway', 8080, async (url) => {
      assert.equal((await order(url)).status, 201, 'normal before the flag');

      const setAt = Date.now();
      const set = await shopctl(['flags', 'set', 'paymentFailure', '1']);
      assert.equal(set.code, 0, set.stderr);
      process.stdout.write(`# ${set.stdout.trim().replaceAll('\n', '\n# ')}\n`);
      assert.match(set.stdout, /^paymentFailure set to 1 \(fraction\) in ConfigMap shop\/fault-flags \(context otel-shop-node\)\n {2}flagd serves it/);
      const declinedAfter = await firstTime('an order declined', setAt, async () => (await order(url)).status === 402);
      process.stdout.write(`# paymentFailure reached payment ${declinedAfter} ms after shopctl started\n`);
      assert.ok(declinedAfter <= CHANGE_WITHIN_MS, `${declinedAfter} ms\n${await flagLogs()}`);

      // Every order now, and its trace says why.
      const traceId = randomUUID().replaceAll('-', '');
      const declined = await order(url, `00-${traceId}-${'1'.repeat(16)}-01`);
      assert.equal(declined.status, 402, JSON.stringify(declined.body));
      for (let i = 0; i < 3; i++) assert.equal((await order(url)).status, 402);
      await forward('observability', 'jaeger', 16686, async (jaegerQueryUrl) => {
        const carries = (x: FlatSpan) =>
          x.service === 'payment-service' &&
          x.events.some((e) => e.name === 'feature_flag.evaluation' && e.attributes['feature_flag.key'] === 'paymentFailure');
        const spans = await waitForTrace(traceId, { jaegerQueryUrl, timeoutMs: 30_000, until: (all) => all.some(carries) });
        assert.ok(spans.some(carries));
      });

      const resetAt = Date.now();
      const reset = await shopctl(['flags', 'reset']);
      assert.equal(reset.code, 0, reset.stderr);
      const createdAfter = await firstTime('an order created again', resetAt, async () => (await order(url)).status === 201);
      assert.ok(createdAfter <= CHANGE_WITHIN_MS, `${createdAfter} ms`);
    });
  } finally {
    await shopctl(['flags', 'reset']);
  }
  assert.deepEqual(await podRestarts('shop'), before, 'the same pods, none restarted');
});

test("the load generator's orders are in Prometheus, and loadGeneratorRate turns it up live", async () => {
  const placed = 'sum(load_generator_orders_total)';
  // load_generator.rate, unit {order}/s, as the collector's Prometheus exporter names it.
  const rate = 'max(load_generator_rate_per_second{source="flag"})';
  await forward('observability', 'prometheus', 9090, async (url) => {
    const count = async () => Number((await promQuery(url, placed))[0]?.value?.[1] ?? 0);
    await eventually('orders of the load generator in Prometheus', 180, async () => ((await count()) > 0 ? true : undefined));
    try {
      const set = await shopctl(['flags', 'set', 'loadGeneratorRate', '5']);
      assert.equal(set.code, 0, set.stderr);
      await eventually('the rate the flag sets, reported', 180, async () =>
        (await promQuery(url, rate)).some((r) => Number(r.value[1]) === 5) ? true : undefined,
      );
    } finally {
      await shopctl(['flags', 'reset']);
    }
  });
});
