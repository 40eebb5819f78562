// The storefront in a real browser through a port-forward, as a user of
// `make dev` opens it: catalogue, product, order 2, `created` on the
// order's page. Its trace, read back through a port-forward to Jaeger, is
// one trace from the click in the page to notification.send; the backend's
// spans carry the k8s attributes of their pods, and the page's spans, which
// the storefront forwarded, carry none (the collector labels a span with
// the pod that states its uid, never by the connection it came on).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICES, SERVICE_NAMES, SPANS, STOREFRONT } from '@shop/contracts';
import { waitForTrace } from '@shop/kit/test/jaeger';
import type { Browser } from 'playwright-core';
import { artifactsDir, launchChromium, orderFromCatalogue, roots, shopper } from '../browser/shopper.ts';
import { core, forward } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('a click in the storefront, through a port-forward, is one trace to notification.send, each backend span labelled with its pod', async () => {
  const placed = await forward('shop', STOREFRONT.name, STOREFRONT.port, async (url) => {
    const { context, page, problems } = await shopper(browser, url);
    try {
      const order = await orderFromCatalogue(page, { id: 'PROD-123', name: 'Wireless Mouse' }, 2, artifactsDir('storefront-cluster'));
      assert.deepEqual(problems, [], 'no console error on any page');
      assert.deepEqual(order.a11y, [], 'no serious or critical accessibility violation');
      return order;
    } finally {
      await context.close();
    }
  });

  const spans = await forward('observability', 'jaeger', 16686, (jaegerQueryUrl) =>
    waitForTrace(placed.traceId, {
      jaegerQueryUrl,
      timeoutMs: 60_000,
      until: (s) => s.some((x) => x.name === SPANS.notificationSend) && s.some((x) => x.service === STOREFRONT.webOtelName && x.name === 'click'),
    }),
  );
  const [root, ...others] = roots(spans);
  assert.deepEqual(others, [], `one root: ${roots(spans).map((s) => `${s.service}/${s.name}`)}`);
  assert.equal(root?.service, STOREFRONT.webOtelName, "the root is the page's click");
  const services = new Set(spans.map((s) => s.service));
  for (const name of SERVICE_NAMES) assert.ok(services.has(SERVICES[name].otelName), `${SERVICES[name].otelName} in the trace`);
  assert.ok(spans.some((s) => s.name === SPANS.gatewayCreateOrder && s.attributes['order.id'] === placed.orderId));

  const pods = new Set((await core.listPodForAllNamespaces()).items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
  for (const span of spans) {
    const r = span.resource;
    const where = `${span.service}/${span.name}`;
    if (span.service === STOREFRONT.webOtelName) {
      const k8s = Object.keys(r).filter((k) => k.startsWith('k8s.'));
      assert.deepEqual(k8s, [], `${where}: a browser's span names no pod`);
      continue;
    }
    assert.equal(r['k8s.namespace.name'], 'shop', `${where}: k8s.namespace.name`);
    assert.ok(pods.has(`shop/${r['k8s.pod.name']}`), `${where}: k8s.pod.name ${r['k8s.pod.name']} is a pod of the cluster`);
    const deployment = String(r['k8s.deployment.name'] ?? '');
    assert.ok(deployment && String(r['k8s.pod.name']).startsWith(`${deployment}-`), `${where}: k8s.deployment.name (only the collector sets it)`);
  }
  assert.ok(
    spans.some((s) => s.service === STOREFRONT.otelName && s.resource['k8s.deployment.name'] === STOREFRONT.name),
    "the storefront's own spans name its Deployment",
  );
});
