// Prometheus in the cluster holds the span metrics of all five services, and
// every query of every Grafana dashboard returns data from it (Grafana itself
// cannot be built here: its queries run against Prometheus's API, with
// Grafana's variables as a dashboard opened on "All" fills them in). Traffic
// first, with the faults the failure panels are there for, each undone:
// orders that succeed, are declined, lack stock; a refused key; a duplicate
// delivery on the topic; notifications that cannot be sent (retried, then
// dead-lettered); Redis stalled for a while (the rate limit fails open,
// payment answers 503); and an order placed in the storefront in a real
// browser (the storefront row reads the pages' spans). Last, a few more
// orders, and a wait until the SLO recording rules have a ratio of every
// objective over their shortest window (the SLO dashboard reads them): the
// rules are evaluated as in any cluster, every 15 s, windows unchanged.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { DASHBOARDS } from '@shop/cdk8s/dashboards';
import { expressions } from '@shop/cdk8s/dashboards/builder';
import { KAFKA, KAFKA_BOOTSTRAP } from '@shop/cdk8s/topology';
import { ATTRIBUTE_NAMES, OBJECTIVES, STOREFRONT } from '@shop/contracts';
import { semanticConventions } from '@shop/kit/test/semantic-conventions';
import { series } from '@shop/cdk8s/slo/promql';
import { RECORD, sliWindows } from '@shop/cdk8s/slo/rules';
import { artifactsDir, launchChromium, orderFromCatalogue, shopper } from '../browser/shopper.ts';
import { allServicesReady, duplicateDeliveryScript, kafkaJob, withEnv, withFrozen } from './faults.ts';
import { eventually, forward, grafanaToPromQL, promQuery, shopctl } from './support.ts';

const SERVICES = ['gateway', 'order-service', 'inventory-service', 'payment-service', 'notification-service'];

before(async () => {
  const browser = await launchChromium();
  try {
    await forward('shop', STOREFRONT.name, STOREFRONT.port, async (url) => {
      const { context, page } = await shopper(browser, url);
      await orderFromCatalogue(page, { id: 'PROD-123', name: 'Wireless Mouse' }, 1, artifactsDir('storefront-cluster-dashboards')).finally(() =>
        context.close(),
      );
    });
  } finally {
    await browser.close();
  }
  for (let i = 0; i < 5; i++) assert.equal((await shopctl(['order', '--json'])).code, 0);
  // A declined payment (over the card limit) and a lack of stock: exit 1, the orders are answered.
  const declined = await shopctl(['order', '--product', 'PROD-999', '--json']);
  assert.equal(JSON.parse(declined.stdout).http_status, 402, declined.stdout);
  const noStock = await shopctl(['order', '--product', 'PROD-LOW', '--quantity', '50', '--json']);
  assert.equal(JSON.parse(noStock.stdout).http_status, 409, noStock.stdout);
  await forward('shop', 'gateway', 8080, async (url) => {
    const res = await fetch(`${url}/api/products/PROD-123`, { headers: { authorization: 'Bearer not-a-key' } });
    assert.equal(res.status, 401);
  });

  await kafkaJob('duplicate-delivery', duplicateDeliveryScript(KAFKA_BOOTSTRAP, KAFKA.topic));

  await withEnv('shop', 'notification', { NOTIFY_FAILURE_RATE: '1', NOTIFY_MAX_ATTEMPTS: '2' }, async () => {
    for (let i = 0; i < 2; i++) assert.equal((await shopctl(['order', '--json'])).code, 0);
    await forward('observability', 'prometheus', 9090, (url) =>
      eventually('a dead letter', 120, async () => ((await promQuery(url, 'notifications_dead_lettered_total')).length ? true : undefined)),
    );
  });

  await withFrozen('shop', 'redis', async () => {
    await forward('shop', 'gateway', 8080, async (url) => {
      for (let i = 0; i < 3; i++) await fetch(`${url}/api/products/PROD-123`, { headers: { authorization: 'Bearer dev-only-api-key' } });
    });
    await shopctl(['order', '--json']);
  });
  await allServicesReady();
  for (let i = 0; i < 3; i++) assert.equal((await shopctl(['order', '--json'])).code, 0);
  await forward('observability', 'prometheus', 9090, (url) =>
    eventually('an error ratio of every objective over its shortest window', 120, async () => {
      const found = await promQuery(url, RECORD.errorRatio(sliWindows()[0]!));
      return OBJECTIVES.every((o) => found.some((r) => r.metric.slo === o.name)) ? true : undefined;
    }),
  );
});

test('the series every objective is read from are in Prometheus, the threshold buckets among them', async () => {
  await forward('observability', 'prometheus', 9090, async (url) => {
    for (const o of OBJECTIVES) {
      assert.ok((await promQuery(url, series(o, '_count'))).length > 0, `${o.name}: ${series(o, '_count')}`);
      // The bucket at the threshold, by its le as Prometheus stores it: else the SLI would count every event bad.
      if (o.sli.kind === 'good-within') {
        const bucket = series(o, '_bucket', o.sli.good, o.sli.thresholdSeconds);
        assert.ok((await promQuery(url, bucket)).length > 0, `${o.name}: ${bucket}`);
      }
    }
  });
});

test('Prometheus holds span metrics for all five services', async () => {
  await forward('observability', 'prometheus', 9090, async (url) => {
    const services = await eventually('span metrics of every service', 120, async () => {
      const result = await promQuery(url, 'sum by (service_name) (traces_span_metrics_calls_total)');
      const found = new Set(result.map((r) => r.metric.service_name));
      return SERVICES.every((s) => found.has(s)) ? found : undefined;
    });
    assert.deepEqual([...services].filter((s) => SERVICES.includes(s)).sort(), [...SERVICES].sort());
  });
});

test('every query of every Grafana dashboard returns data from Prometheus', async () => {
  const queries = DASHBOARDS.flatMap((d) => expressions(d).map((e) => ({ dashboard: String(d.title), expr: e })));
  assert.ok(queries.length > 20, `${queries.length} queries`);
  await forward('observability', 'prometheus', 9090, async (url) => {
    const empty: string[] = [];
    for (const q of queries) {
      const promql = grafanaToPromQL(q.expr);
      try {
        await eventually(`${q.dashboard}: ${promql}`, empty.length ? 5 : 90, async () => ((await promQuery(url, promql)).length ? true : undefined));
      } catch {
        empty.push(`${q.dashboard}: ${promql}`);
      }
    }
    assert.deepEqual(empty, [], 'queries without data');
  });
});

// Labels Prometheus and the collector's exporter add to every series (job and
// instance from service.name and service.instance.id, a histogram's buckets),
// and otel_scope_* for the meter; the rest are the metrics' own attributes.
const SERIES_LABELS = new Set(['__name__', 'job', 'instance', 'le', 'quantile']);

test("every attribute of the five services' own metrics is a current convention or the contract's own", async () => {
  // Prometheus writes an attribute's dots as underscores.
  const asLabel = (name: string) => name.replaceAll('.', '_');
  const known = new Set(ATTRIBUTE_NAMES.map(asLabel));
  const deprecated = new Map<string, string>();
  for (const [name, convention] of semanticConventions()) {
    if (convention.deprecated) deprecated.set(asLabel(name), `${name}: ${convention.deprecated}`);
    else known.add(asLabel(name));
  }
  await forward('observability', 'prometheus', 9090, async (url) => {
    // The collector's span metrics and each job's target_info carry the collector's labels, not the services'.
    const found = await promQuery(url, `{job=~"${SERVICES.join('|')}", __name__!~"target_info|traces_span_metrics_.*"}`);
    assert.ok(found.length > 20, `${found.length} series of the services' own metrics`);
    const labels = new Map<string, string>();
    for (const { metric } of found) {
      for (const label of Object.keys(metric))
        if (!SERIES_LABELS.has(label) && !label.startsWith('otel_scope_') && !labels.has(label)) labels.set(label, metric.__name__);
    }
    const problems = [...labels]
      .filter(([label]) => !known.has(label))
      .map(
        ([label, metric]) =>
          `${label} (on ${metric}) ${deprecated.has(label) ? `is a deprecated convention, ${deprecated.get(label)}` : 'is neither a convention nor in ATTRIBUTES'}`,
      );
    assert.deepEqual(problems, []);
  });
});
