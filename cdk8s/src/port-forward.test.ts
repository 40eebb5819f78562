// A port-forward (skaffold's, `kubectl port-forward`, shopctl's cluster mode)
// reaches a pod through its container runtime, which dials localhost:<port>
// inside the pod's network namespace. So every port a forward targets must
// listen on an address that includes localhost: a server bound to the pod IP
// alone refuses the forward while the Service still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRAFANA, JAEGER, NS, PROMETHEUS, SERVICES } from './model/topology.ts';
import { ROOT, objects, parseYamlDocs, workloads, type Obj } from '../test/test-support.ts';

interface Forward {
  namespace: string;
  service: string;
  port: number;
  by: string;
}

function forwards(): Forward[] {
  const skaffold = parseYamlDocs(readFileSync(join(ROOT, 'skaffold.yaml'), 'utf8'));
  const out: Forward[] = skaffold.flatMap((d) =>
    (d.portForward ?? []).map((f: Obj) => ({ namespace: f.namespace, service: f.resourceName, port: f.port, by: 'skaffold' })),
  );
  // shopctl's cluster mode (--context) forwards the gateway and Jaeger's query port.
  out.push({ namespace: NS.shop, service: 'gateway', port: SERVICES.gateway.port, by: 'shopctl --context' });
  out.push({ namespace: NS.observability, service: JAEGER.name, port: JAEGER.query, by: 'shopctl --context' });
  // The others the docs and the chart's NOTES.txt tell users to forward.
  out.push({ namespace: NS.observability, service: GRAFANA.name, port: GRAFANA.port, by: 'NOTES.txt' });
  out.push({ namespace: NS.observability, service: PROMETHEUS.name, port: PROMETHEUS.port, by: 'docs/kubernetes.md' });
  return out;
}

/** Every address:port text a container could bind from: args, env, and the ConfigMaps its pod mounts. */
function listenTexts(list: Obj[], pod: Obj, container: Obj): string[] {
  const texts = [...(container.args ?? []), ...(container.command ?? []), ...(container.env ?? []).map((e: Obj) => `${e.name}=${e.value ?? ''}`)];
  for (const volume of pod.spec.volumes ?? []) {
    const cm =
      volume.configMap && list.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap.name && o.metadata.namespace === pod.namespace);
    if (cm) texts.push(...Object.values<string>(cm.data ?? {}));
  }
  return texts;
}

/** Variables the container gets from the downward API's status.podIP. */
function podIpVariables(container: Obj): string[] {
  return (container.env ?? []).filter((e: Obj) => e.valueFrom?.fieldRef?.fieldPath === 'status.podIP').map((e: Obj) => e.name);
}

export function podIpOnlyBindings(texts: string[], port: number, variables: string[]): string[] {
  const found: string[] = [];
  for (const v of variables) {
    const bound = new RegExp(`(\\$\\{env:${v}\\}|\\$\\(${v}\\)|\\$\\{${v}\\}|\\$${v}):${port}(?!\\d)`);
    for (const t of texts) if (bound.test(t)) found.push(`${t.match(bound)![0]}`);
  }
  return found;
}

test('every port a forward targets listens where the forward arrives (not on the pod IP alone)', () => {
  const list = objects();
  const checked: string[] = [];
  for (const f of forwards()) {
    const svc = list.find((o) => o.kind === 'Service' && o.metadata.name === f.service && o.metadata.namespace === f.namespace);
    assert.ok(svc, `${f.by}: no Service ${f.namespace}/${f.service}`);
    const port = svc.spec.ports.find((p: Obj) => p.port === f.port);
    assert.ok(port, `${f.by}: ${f.service} has no port ${f.port}`);
    const workload = workloads(list).find(
      (w) => w.metadata.namespace === f.namespace && Object.entries(svc.spec.selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v),
    )!;
    assert.ok(workload, `${f.service}: no workload behind it`);
    const pod = { namespace: f.namespace, spec: workload.spec.template.spec };
    for (const c of pod.spec.containers) {
      const cp = (c.ports ?? []).find((p: Obj) => p.name === port.targetPort || p.containerPort === (port.targetPort ?? port.port));
      if (!cp) continue;
      const bad = podIpOnlyBindings(listenTexts(list, pod, c), cp.containerPort, podIpVariables(c));
      assert.deepEqual(bad, [], `${f.by} forwards ${f.namespace}/${f.service}:${f.port}, but ${c.name} binds port ${cp.containerPort} to the pod IP only`);
      checked.push(`${f.service}:${cp.containerPort}`);
    }
  }
  assert.ok(checked.includes(`${JAEGER.name}:${JAEGER.query}`), 'the Jaeger query port was checked');
});

test('the check sees a pod-IP-only binding in any of its spellings', () => {
  // biome-ignore-start lint/suspicious/noTemplateCurlyInString: the collector's own ${env:...} syntax, literally
  assert.deepEqual(podIpOnlyBindings(['http:\n  endpoint: ${env:POD_IP}:16686\n'], 16686, ['POD_IP']), ['${env:POD_IP}:16686']);
  assert.deepEqual(podIpOnlyBindings(['--web.listen-address=$(POD_IP):9090'], 9090, ['POD_IP']), ['$(POD_IP):9090']);
  assert.deepEqual(podIpOnlyBindings(['endpoint: 0.0.0.0:16686', 'endpoint: ${env:POD_IP}:4317'], 16686, ['POD_IP']), []);
  // biome-ignore-end lint/suspicious/noTemplateCurlyInString: the collector's own ${env:...} syntax, literally
});
