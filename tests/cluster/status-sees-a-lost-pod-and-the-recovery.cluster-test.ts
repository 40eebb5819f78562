// `shopctl status` on the live cluster: healthy, listing the alerts Prometheus
// fires; with a service pod deleted, the degradation; then the recovery, and
// no order accepted meanwhile lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core, eventually, forward, podsOf, shopctl, sleep } from './support.ts';

type Report = {
  verdict: string;
  components: { component: string; verdict: string; details: string[] }[];
  alerts?: { source: string; firing?: { name: string; severity: string }[]; error?: string };
};
const statusOf = async () => {
  const run = await shopctl(['status', '--json']);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
};

test('shopctl status is healthy; a deleted payment pod is reported, the system recovers, no accepted order is lost', async () => {
  const first = await statusOf();
  assert.equal(first.report.verdict, 'healthy', JSON.stringify(first.report.components.filter((c) => c.verdict !== 'healthy')));
  assert.equal(first.code, 0);
  // The alerts it lists are the ones Prometheus fires (read again if one changed state in between).
  const firingNow = () =>
    forward('observability', 'prometheus', 9090, async (url) =>
      ((await (await fetch(`${url}/api/v1/alerts`)).json()) as { data: { alerts: { state: string; labels: Record<string, string> }[] } }).data.alerts
        .filter((a) => a.state === 'firing')
        .map((a) => `${a.labels.alertname} ${a.labels.severity}`)
        .sort(),
    );
  await eventually('shopctl status to list the alerts Prometheus fires', 60, async () => {
    const { report } = await statusOf();
    assert.equal(report.alerts?.source, 'observability/prometheus');
    assert.equal(report.alerts?.error, undefined, 'the alerts are read');
    const listed = JSON.stringify(report.alerts?.firing?.map((a) => `${a.name} ${a.severity}`).sort());
    return listed === JSON.stringify(await firingNow()) ? true : undefined;
  });

  const [payment] = (await podsOf('shop')).filter((p) => p.metadata!.labels?.['app.kubernetes.io/name'] === 'payment');
  await core.deleteNamespacedPod({ name: payment!.metadata!.name!, namespace: 'shop', gracePeriodSeconds: 0 });

  const degraded = await eventually('shopctl status to report the missing payment pod', 30, async () => {
    const s = await statusOf();
    return s.report.verdict === 'degraded' ? s : undefined;
  });
  const paymentStatus = degraded.report.components.find((c) => c.component === 'deployment/payment')!;
  assert.equal(paymentStatus.verdict, 'degraded', JSON.stringify(paymentStatus));
  assert.notEqual(degraded.code, 0, 'a degraded verdict is a failing exit');

  // Orders while payment is away: some may be refused (503), every accepted one must be kept.
  const accepted: string[] = [];
  for (let i = 0; i < 8; i++) {
    const run = await shopctl(['order', '--json']);
    const out = JSON.parse(run.stdout);
    if (out.http_status === 201) accepted.push(out.response.order_id);
    await sleep(1500);
  }

  const healthy = await eventually('shopctl status to be healthy again', 240, async () => {
    const s = await statusOf();
    return s.report.verdict === 'healthy' ? s : undefined;
  });
  assert.equal(healthy.code, 0);
  for (let i = 0; i < 3; i++) {
    const run = await shopctl(['order', '--json']);
    assert.equal(JSON.parse(run.stdout).http_status, 201, `after the recovery: ${run.stdout}`);
    accepted.push(JSON.parse(run.stdout).response.order_id);
  }
  await forward('shop', 'gateway', 8080, async (url) => {
    for (const id of accepted) {
      const res = await fetch(`${url}/api/orders/${id}`, { headers: { authorization: 'Bearer dev-only-api-key' } });
      const order = (await res.json()) as { status: string };
      assert.equal(res.status, 200, `order ${id} is lost`);
      assert.equal(order.status, 'created', `order ${id}: ${JSON.stringify(order)}`);
    }
  });
});
