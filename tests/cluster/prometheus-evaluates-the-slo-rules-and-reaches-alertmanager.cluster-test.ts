// The SLO rules on the live Prometheus (after the traffic and faults of the
// dashboard test before this one): every generated group is loaded and
// every rule evaluates without error; Prometheus has found the chart's
// Alertmanager; Alertmanager runs the chart's routes (a receiver per
// severity), and every alert Prometheus fires reaches it. An alert driven
// to firing on purpose, with a fault flag, is the next test's
// (slo-page-alert-fires-on-a-fault-flag-and-resolves).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OBJECTIVES } from '@shop/contracts';
import { sloRuleGroups } from '@shop/cdk8s/slo/rules';
import { eventually, forward, type Obj } from './support.ts';

const getJson = async (url: string): Promise<Obj> => {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return (await res.json()) as Obj;
};

test('Prometheus has loaded every SLO rule group, and every rule evaluates without error', async () => {
  const expected = sloRuleGroups(OBJECTIVES);
  await forward('observability', 'prometheus', 9090, async (url) => {
    const groups = await eventually('every rule evaluated once', 60, async () => {
      const body = await getJson(`${url}/api/v1/rules`);
      const gs = body.data.groups as Obj[];
      return gs.every((g) => (g.rules as Obj[]).every((r) => r.lastEvaluation && !r.lastEvaluation.startsWith('0001'))) ? gs : undefined;
    });
    assert.deepEqual(groups.map((g) => g.name).sort(), expected.map((g) => g.name).sort());
    for (const g of groups) {
      assert.equal(g.rules.length, expected.find((e) => e.name === g.name)!.rules.length, g.name);
      for (const r of g.rules as Obj[]) assert.equal(r.health, 'ok', `${g.name} ${r.name}: ${r.lastError}`);
    }
  });
});

test('Prometheus sends to the Alertmanager of the chart, which routes each severity to its receiver and holds what fires', async () => {
  const firing = await forward('observability', 'prometheus', 9090, async (url) => {
    await eventually('Alertmanager among the active ones', 60, async () => {
      const body = await getJson(`${url}/api/v1/alertmanagers`);
      return (body.data.activeAlertmanagers as Obj[]).some((a) => String(a.url).includes(':9093/api/v2/alerts')) ? true : undefined;
    });
    const alerts = (await getJson(`${url}/api/v1/alerts`)).data.alerts as Obj[];
    return alerts.filter((a) => a.state === 'firing').map((a) => `${a.labels.alertname} ${a.labels.severity}`);
  });
  await forward('observability', 'alertmanager', 9093, async (url) => {
    const status = await getJson(`${url}/api/v2/status`);
    const routes = (status.config.original as string).match(/receiver: "?(\w+)"?/g) ?? [];
    for (const r of ['null', 'page', 'ticket'])
      assert.ok(
        routes.some((x) => x.includes(r)),
        `receiver ${r} in ${status.config.original}`,
      );
    process.stdout.write(`# alerts firing in Prometheus: ${firing.length ? firing.join(', ') : 'none'}\n`);
    await eventually('every firing alert in Alertmanager', 90, async () => {
      const held = ((await getJson(`${url}/api/v2/alerts`)) as unknown as Obj[]).map((a) => `${a.labels.alertname} ${a.labels.severity}`);
      return firing.every((f) => held.includes(f)) ? true : undefined;
    });
  });
});
