// One order placed through a real port-forward to the gateway (shopctl's
// cluster mode), and its trace read back through a port-forward to Jaeger:
// one trace, all five services, the Kafka hop under the order's context, and
// every span's resource enriched by the collector's k8s attributes
// processor (k8s.deployment.name is set by nothing else) with the pod,
// namespace and node it ran on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICES as TABLE, SERVICE_NAMES } from '@shop/contracts';
import { core, eventually, forward, shopctl, type Obj } from './support.ts';

const SERVICES = SERVICE_NAMES.map((s) => TABLE[s].otelName);

test('an order through a port-forward to the gateway is one trace across five services in Jaeger, k8s attributes added by the collector', async () => {
  const order = await shopctl(['order', '--json']);
  assert.equal(order.code, 0, order.stderr);
  const { trace_id: traceId, response } = JSON.parse(order.stdout);
  const orderId = response.order_id as string;
  assert.match(traceId, /^[0-9a-f]{32}$/);

  const smoke = await shopctl(['smoke', '--orders', '1', '--json']);
  assert.equal(smoke.code, 0, `shopctl smoke: ${smoke.stdout}${smoke.stderr}`);

  const resourceSpans: Obj[] = await forward('observability', 'jaeger', 16686, (url) =>
    eventually('the whole trace in Jaeger', 60, async () => {
      const res = await fetch(`${url}/api/v3/traces/${traceId}`);
      if (!res.ok) return undefined;
      const body = (await res.json()) as Obj;
      const rs: Obj[] = body.result?.resourceSpans ?? [];
      const services = new Set(rs.map((r) => attr(r.resource, 'service.name')));
      const names = rs.flatMap((r) => r.scopeSpans.flatMap((s: Obj) => s.spans.map((x: Obj) => x.name)));
      return SERVICES.every((s) => services.has(s)) && names.includes('notification.send') ? rs : undefined;
    }),
  );
  const spans = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s: Obj) => s.spans.map((x: Obj) => ({ ...x, resource: r.resource }))));
  assert.ok(
    spans.every((s) => s.traceId === traceId || Buffer.from(s.traceId, 'base64').toString('hex') === traceId),
    'one trace',
  );

  // The Kafka hop: notification's spans descend from order-service's context.
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const process = spans.find((s) => s.name === 'notification.process')!;
  const chain: Obj[] = [];
  for (let p = byId.get(process.parentSpanId); p; p = byId.get(p.parentSpanId)) chain.push(p);
  assert.ok(
    chain.some((s) => attr(s.resource, 'service.name') === 'order-service'),
    'the consumer span descends from order-service',
  );
  assert.ok(
    chain.some((s) => s.name === 'gateway.createOrder'),
    'and from the gateway request',
  );
  assert.ok(
    spans.some((s) => (s.attributes ?? []).some((a: Obj) => a.key === 'order.id' && a.value.stringValue === orderId)),
    'order.id on the spans',
  );

  const pods = new Set((await core.listPodForAllNamespaces()).items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
  for (const r of resourceSpans) {
    const service = attr(r.resource, 'service.name');
    const [pod, namespace, node, deployment] = ['k8s.pod.name', 'k8s.namespace.name', 'k8s.node.name', 'k8s.deployment.name'].map((k) => attr(r.resource, k));
    assert.equal(namespace, 'shop', `${service}: k8s.namespace.name`);
    assert.ok(pods.has(`${namespace}/${pod}`), `${service}: k8s.pod.name ${pod} is a pod of the cluster`);
    assert.equal(node, 'otel-shop-node', `${service}: k8s.node.name`);
    assert.ok(deployment && pod!.startsWith(`${deployment}-`), `${service}: k8s.deployment.name ${deployment} (only the k8s attributes processor sets it)`);
  }
});

function attr(resource: Obj | undefined, key: string): string | undefined {
  const kv = (resource?.attributes ?? []).find((a: Obj) => a.key === key);
  return kv?.value?.stringValue;
}
