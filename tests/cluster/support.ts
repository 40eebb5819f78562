// What the cluster tests share. They run inside the node's network namespace,
// started by tests/cluster/deploy.ts once every workload is ready
// (KUBECONFIG and SHOP_NODE_DIR are set by it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { loadKubeConfig } from '@shop/cli/kubeconfig';
import { ServicePortForward } from '@shop/cli/port-forward';
import { runShopctl, type ShopctlRun } from '@shop/cli/test-support/run-shopctl';
import { pollUntil } from '../infra/settings.ts';

export type Obj = Record<string, any>;

const nodeDir = process.env.SHOP_NODE_DIR;
if (!nodeDir || !process.env.KUBECONFIG) throw new Error('the cluster tests run inside make test-cluster (tests/cluster/main.ts)');
export const KUBECONFIG = process.env.KUBECONFIG;
export const CONTEXT = 'otel-shop-node';

export const kc = new KubeConfig();
kc.loadFromFile(KUBECONFIG);
export const core = kc.makeApiClient(CoreV1Api);
export const apps = kc.makeApiClient(AppsV1Api);
const discovery = kc.makeApiClient(DiscoveryV1Api);

/** The objects `helm install` created (helm get manifest). */
export const rendered: Obj[] = JSON.parse(readFileSync(path.join(nodeDir, 'rendered.json'), 'utf8'));

export const CHART_NAMESPACES = ['shop', 'kafka', 'observability'];

export async function podsOf(namespace: string): Promise<V1Pod[]> {
  return (await core.listNamespacedPod({ namespace })).items;
}

/** shopctl in cluster mode, as a user runs it: its own port-forwards through the API server. */
export function shopctl(args: string[], timeoutMs = 120_000): Promise<ShopctlRun> {
  return runShopctl([...args, '--kubeconfig', KUBECONFIG, '--context', CONTEXT], { timeoutMs });
}

/** A port-forward to a Service's port, as `kubectl port-forward svc/...` makes one. */
export async function forward<T>(namespace: string, service: string, port: number, use: (url: string) => Promise<T>): Promise<T> {
  const kube = loadKubeConfig({ kubeconfig: KUBECONFIG, context: CONTEXT });
  const pf = await ServicePortForward.open(kube, { namespace, service, port });
  try {
    return await use(pf.url);
  } finally {
    await pf.close();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `get` once a second until it returns a value, for up to `seconds`. */
export const eventually = <T>(what: string, seconds: number, get: () => Promise<T | undefined>): Promise<T> => pollUntil(what, seconds * 1000, get, 1000);

/**
 * Waits until a Service has a ready endpoint. Right after a load test a
 * readiness probe can miss, and a Service without endpoints refuses its
 * connections: that is not what a NetworkPolicy test asks.
 */
export async function readyEndpoint(namespace: string, service: string, seconds = 60): Promise<void> {
  await eventually(`a ready endpoint of ${namespace}/${service}`, seconds, async () => {
    const slices = await discovery.listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${service}` });
    return slices.items.some((s) => (s.endpoints ?? []).some((e) => e.conditions?.ready)) || undefined;
  });
}

/** Each pod of a namespace with the restarts of its containers: equal before and after means nothing was restarted or replaced. */
export async function podRestarts(namespace: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of await podsOf(namespace)) {
    if (p.status?.phase === 'Succeeded') continue;
    const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
    out[p.metadata!.name!] = statuses.reduce((sum, c) => sum + c.restartCount, 0);
  }
  return out;
}

/** Grafana's built-in variables and the dashboards' own, as "All" and a one-hour range fill them in. */
export function grafanaToPromQL(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '2m')
    .replaceAll('$__interval', '30s')
    .replaceAll('$__range', '1h')
    .replace(/\$\{?(\w+)\}?/g, '.*');
}

/** A Prometheus query (or label_values()) through its HTTP API: the result, asserted successful. */
export async function promQuery(url: string, expr: string): Promise<Obj[]> {
  const label = /^label_values\((.*),\s*(\w+)\)$/.exec(expr);
  if (label) {
    const res = await fetch(`${url}/api/v1/label/${label[2]}/values?match[]=${encodeURIComponent(label[1]!)}`);
    const body = (await res.json()) as Obj;
    assert.equal(body.status, 'success', `${expr}: ${JSON.stringify(body)}`);
    return body.data;
  }
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as Obj;
  assert.equal(body.status, 'success', `${expr}: ${JSON.stringify(body)}`);
  return body.data.result;
}
