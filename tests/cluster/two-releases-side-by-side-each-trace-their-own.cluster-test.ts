// A second release of the chart beside the tier's, as the chart's
// convention allows: `helm install shop-b -n team-b` with the values file
// for a second release (ci/beside-another-release-values.yaml: everything in
// the release's namespace, Kafka without an operator, the collector on other
// node ports, no kind NodePorts). Both answer; an order placed in either is
// one whole trace in that release's own Jaeger, with every span's
// k8s.namespace.name its release's, and is absent from the other's;
// `shopctl smoke -n <namespace>` finds each release's Jaeger by itself. Then
// the second release is uninstalled and leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { BatchV1Api } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { cachedTool } from '@shop/cdk8s/paths';
import { SERVICES as TABLE, SERVICE_NAMES } from '@shop/contracts';
import { TIER_VALUES } from './overlay.ts';
import { workloadStates } from './readiness.ts';
import { apps, core, eventually, forward, kc, shopctl, type Obj } from './support.ts';
import { provisionVolumes } from './volumes.ts';

const RELEASE = 'shop-b';
const NAMESPACE = 'team-b';
const CHART = path.resolve(import.meta.dirname, '..', '..', 'charts', 'otel-shop');
const SECOND_RELEASE_VALUES = path.join(CHART, 'ci', 'beside-another-release-values.yaml');
/** The tier's release (deploy.ts): make dev's three namespaces. */
const FIRST = { shop: 'shop', jaeger: 'observability' };
const SECOND = { shop: NAMESPACE, jaeger: NAMESPACE };
const SERVICES = SERVICE_NAMES.map((s) => TABLE[s].otelName);
const batch = kc.makeApiClient(BatchV1Api);
const say = (line: string) => process.stdout.write(`# ${line}\n`);

async function helm(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(cachedTool('helm.sh'), args, { env: process.env, maxBuffer: 16 * 2 ** 20 });
  return stdout;
}

/** An order placed through a port-forward to a release's gateway: its trace id. */
async function placeOrder(release: typeof FIRST): Promise<string> {
  const order = await shopctl(['order', '--json', '--namespace', release.shop]);
  assert.equal(order.code, 0, order.stderr);
  return JSON.parse(order.stdout).trace_id as string;
}

/** The trace's resource spans in a release's Jaeger ([] while it has none). */
async function traceIn(release: typeof FIRST, traceId: string): Promise<Obj[]> {
  return forward(release.jaeger, 'jaeger', 16686, async (url) => {
    const res = await fetch(`${url}/api/v3/traces/${traceId}`);
    if (!res.ok) return [];
    return ((await res.json()) as Obj).result?.resourceSpans ?? [];
  });
}

const attr = (resource: Obj | undefined, key: string): string | undefined => (resource?.attributes ?? []).find((a: Obj) => a.key === key)?.value?.stringValue;
const whole = (rs: Obj[]) => {
  const services = new Set(rs.map((r) => attr(r.resource, 'service.name')));
  const names = rs.flatMap((r) => r.scopeSpans.flatMap((s: Obj) => s.spans.map((x: Obj) => x.name)));
  return SERVICES.every((s) => services.has(s)) && names.includes('notification.send');
};

/** An order in `release` is one whole trace in its own Jaeger, every span from its namespace, and none of it in `other`'s. */
async function tracesOnItsOwn(release: typeof FIRST, other: typeof FIRST): Promise<void> {
  const traceId = await placeOrder(release);
  const rs = await eventually(`the whole trace in ${release.jaeger}'s Jaeger`, 90, async () => {
    const found = await traceIn(release, traceId);
    return whole(found) ? found : undefined;
  });
  for (const r of rs) assert.equal(attr(r.resource, 'k8s.namespace.name'), release.shop, `${attr(r.resource, 'service.name')}: k8s.namespace.name`);
  assert.deepEqual(await traceIn(other, traceId), [], `the trace of an order in ${release.shop} is not in ${other.jaeger}'s Jaeger`);
}

test('a second release in its own namespace answers and traces on its own beside the first, and uninstalls cleanly', async (t) => {
  t.after(async () => {
    await helm(['uninstall', RELEASE, '--namespace', NAMESPACE, '--wait', '--timeout', '5m']).catch(() => undefined);
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
    await eventually(`namespace ${NAMESPACE} to be gone`, 300, async () => {
      const names = (await core.listNamespace()).items.map((n) => n.metadata!.name);
      return names.includes(NAMESPACE) ? undefined : true;
    });
    for (const pv of (await core.listPersistentVolume()).items.filter((v) => v.spec?.claimRef?.namespace === NAMESPACE))
      await core.deletePersistentVolume({ name: pv.metadata!.name! }).catch(() => undefined);
  });

  const started = Date.now();
  await helm(['install', RELEASE, CHART, '--namespace', NAMESPACE, '--create-namespace', '-f', SECOND_RELEASE_VALUES, ...TIER_VALUES]);
  const jobs = (await batch.listNamespacedJob({ namespace: NAMESPACE })).items;
  assert.ok(jobs.length > 0, 'the topics Job');
  await eventually(`every workload of ${RELEASE} ready and its Jobs complete`, 600, async () => {
    await provisionVolumes(core, process.env.SHOP_NODE_DIR!, say);
    const waiting = (await workloadStates(apps, NAMESPACE)).filter((w) => !w.ready);
    const running = (await batch.listNamespacedJob({ namespace: NAMESPACE })).items.filter((j) => !j.status?.succeeded);
    return waiting.length === 0 && running.length === 0 ? true : undefined;
  });
  say(`${RELEASE} in ${NAMESPACE}: every workload ready ${((Date.now() - started) / 1000).toFixed(0)} s after helm install`);

  // Nothing of the second release outside its namespace but the collector's RBAC, named after it.
  const manifest = parseAllDocuments(await helm(['get', 'manifest', RELEASE, '--namespace', NAMESPACE]))
    .map((d) => d.toJSON() as Obj | null)
    .filter((o): o is Obj => Boolean(o));
  const outside = manifest.filter((o) => o.metadata.namespace !== NAMESPACE).map((o) => `${o.kind}/${o.metadata.name}`);
  assert.deepEqual(outside.sort(), [`ClusterRole/${NAMESPACE}-otel-collector`, `ClusterRoleBinding/${NAMESPACE}-otel-collector`]);
  // Both collectors run on the one node, on their own node ports.
  const collectors = (await apps.listDaemonSetForAllNamespaces()).items.filter((d) => d.metadata!.name === 'otel-collector');
  assert.deepEqual(collectors.map((d) => `${d.metadata!.namespace}:${d.status?.numberReady}`).sort(), [`${FIRST.jaeger}:1`, `${NAMESPACE}:1`]);

  await tracesOnItsOwn(SECOND, FIRST);
  await tracesOnItsOwn(FIRST, SECOND);
  // shopctl finds each release's Jaeger from the services' namespace alone: beside them, or make dev's observability.
  for (const release of [SECOND, FIRST]) {
    const smoke = await shopctl(['smoke', '--orders', '1', '--json', '--namespace', release.shop]);
    assert.equal(smoke.code, 0, `shopctl smoke -n ${release.shop}: ${smoke.stdout}${smoke.stderr}`);
  }
});
