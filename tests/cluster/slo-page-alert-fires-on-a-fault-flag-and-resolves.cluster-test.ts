// The order availability objective's page on the real node (docs/slo.md),
// driven by a fault flag as an operator would rehearse an incident: with
// `paymentUnreachable` on (shopctl flags --context), orders answer 503; the
// multiwindow burn-rate alert fires in Prometheus within 10 minutes,
// reaches Alertmanager, and `shopctl status` lists it; the RED dashboard's
// error ratio shows the failures. After `reset`, healthy orders dilute the
// windows and the page resolves, in Prometheus and in Alertmanager. The
// rules run as in any cluster: evaluated every 15 s, windows unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DASHBOARDS } from '@shop/cdk8s/dashboards';
import { expressions } from '@shop/cdk8s/dashboards/builder';
import { sloRuleGroups } from '@shop/cdk8s/slo/rules';
import { placeOrder } from '@shop/cli/gateway/orders-api';
import { OBJECTIVES } from '@shop/contracts';
import { eventually, forward, grafanaToPromQL, promQuery, shopctl, type Obj } from './support.ts';

const OBJECTIVE = 'order-placement-availability';
const PAGE = sloRuleGroups(OBJECTIVES)
  .flatMap((g) => g.rules)
  .find((r) => r.alert && r.labels?.severity === 'page' && String(r.expr).includes(`slo="${OBJECTIVE}"`))!;

const order = (url: string) =>
  placeOrder({ url, apiKey: 'dev-only-api-key' }, { userId: `slo-${randomUUID().slice(0, 8)}`, productId: 'PROD-123', quantity: 1 }).then((a) => a.status);

async function pageState(prometheus: string): Promise<'inactive' | 'pending' | 'firing'> {
  const body = (await (await fetch(`${prometheus}/api/v1/alerts`)).json()) as Obj;
  const alert = (body.data.alerts as Obj[]).find((a) => a.labels.alertname === PAGE.alert && a.labels.severity === 'page');
  return alert?.state ?? 'inactive';
}

/** Places healthy orders, four at a time, until `done` holds (checked every 5 s). */
async function ordersUntil(gateway: string, what: string, withinMs: number, done: () => Promise<boolean>): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  const deadline = Date.now() + withinMs;
  while (!(await done())) {
    if (Date.now() > deadline) assert.fail(`${what}: not within ${withinMs / 1000} s (orders: ${JSON.stringify(statuses)})`);
    const until = Date.now() + 5_000;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < until) {
          const status = await order(gateway);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
  }
  return statuses;
}

test(`paymentUnreachable pages (${PAGE.alert}) within 10 min, reaches Alertmanager and shopctl status; after reset it resolves`, async () => {
  assert.ok(PAGE, 'the page alert of the objective');
  try {
    await runScenario();
  } finally {
    await shopctl(['flags', 'reset']);
  }
});

async function runScenario(): Promise<void> {
  await forward('shop', 'gateway', 8080, (gateway) =>
    forward('observability', 'prometheus', 9090, (prometheus) =>
      forward('observability', 'alertmanager', 9093, async (alertmanager) => {
        // Earlier tests' faults (Redis stalled) may have burned budget: healthy orders first, until no page.
        const calm = await ordersUntil(gateway, 'no page before the flag', 8 * 60_000, async () => (await pageState(prometheus)) === 'inactive');
        process.stdout.write(`# before the flag: ${JSON.stringify(calm)}\n`);

        const setAt = Date.now();
        const set = await shopctl(['flags', 'set', 'paymentUnreachable', 'true']);
        assert.equal(set.code, 0, set.stderr);
        await eventually('an order answered 503', 15, async () => ((await order(gateway)) === 503 ? true : undefined));
        // A few failures at a time, spread over the services' metric exports (every 60 s): a series
        // that first appears already counting its failures has no increase for rate() to see.
        // One every 4 s or so: few enough that healthy orders can dilute the windows afterwards.
        let failures = 1;
        let polls = 0;
        await eventually(`${PAGE.alert} firing`, 10 * 60 - (Date.now() - setAt) / 1000, async () => {
          if ((await pageState(prometheus)) === 'firing') return true;
          if (++polls % 4 === 0) {
            assert.equal(await order(gateway), 503);
            failures++;
          }
          return undefined;
        });
        process.stdout.write(`# the page fired ${Math.round((Date.now() - setAt) / 1000)} s after the flag was set, after ${failures} failed orders\n`);

        const held = await eventually('the page in Alertmanager', 120, async () => {
          const alerts = (await (await fetch(`${alertmanager}/api/v2/alerts?active=true`)).json()) as Obj[];
          return alerts.find((a) => a.labels.alertname === PAGE.alert && a.labels.severity === 'page');
        });
        assert.equal(held.labels.slo, OBJECTIVE);
        assert.match(held.annotations.runbook, /docs\/slo.md#order-placement-availability/);

        const status = await shopctl(['status', '--json']);
        const firing = (JSON.parse(status.stdout).alerts?.firing ?? []) as Obj[];
        assert.ok(
          firing.some((a) => a.name === PAGE.alert && a.severity === 'page'),
          status.stdout,
        );

        const errorRatio = DASHBOARDS.flatMap((d) => expressions(d)).find((e) => e.includes('STATUS_CODE_ERROR') && e.includes(' / sum by (service_name)'))!;
        // The span metrics' error series may be new (no earlier test failed an order): rate() sees
        // it once a later export has counted more failures, so a failing order every 4 s or so.
        await eventually("the error ratio panel shows the gateway's failures", 180, async () => {
          if (++polls % 4 === 0) assert.equal(await order(gateway), 503);
          const ratios = await promQuery(prometheus, grafanaToPromQL(errorRatio));
          return Number(ratios.find((r) => r.metric.service_name === 'gateway')?.value?.[1] ?? 0) > 0 ? true : undefined;
        });

        const reset = await shopctl(['flags', 'reset']);
        assert.equal(reset.code, 0, reset.stderr);
        const resetAt = Date.now();
        const healthy = await ordersUntil(gateway, `${PAGE.alert} resolved`, 10 * 60_000, async () => (await pageState(prometheus)) === 'inactive');
        process.stdout.write(`# resolved ${Math.round((Date.now() - resetAt) / 1000)} s after reset, orders: ${JSON.stringify(healthy)}\n`);
        await eventually('the page resolved in Alertmanager', 180, async () => {
          const alerts = (await (await fetch(`${alertmanager}/api/v2/alerts?active=true`)).json()) as Obj[];
          return alerts.some((a) => a.labels.alertname === PAGE.alert && a.labels.severity === 'page') ? undefined : true;
        });
      }),
    ),
  );
}
