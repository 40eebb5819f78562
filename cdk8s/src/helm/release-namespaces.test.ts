// The chart follows Helm's convention on namespaces: by default every part
// of the stack goes to the release's namespace (`helm install -n team-a`),
// which the chart neither creates nor labels; named namespaces are created
// once each (values-three-namespaces.yaml is make dev's layout); and a
// second release in another namespace, with the values file for it, shares
// nothing with the first: no object, no cluster-wide name, no node port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CHART_DIR } from '../model/paths.ts';
import { SERVICES } from '../model/topology.ts';
import { THREE_NAMESPACES_ARGS, helm, parseYamlDocs, run, type Obj } from '../../test/test-support.ts';

const HELM = helm();

function template(release: string, namespace: string, ...args: string[]): Obj[] {
  return parseYamlDocs(run(HELM, ['template', release, CHART_DIR, '--namespace', namespace, ...args]));
}

const namespaced = (list: Obj[]) => list.filter((o) => o.metadata.namespace !== undefined);
const clusterWide = (list: Obj[]) => list.filter((o) => o.metadata.namespace === undefined);
const hostPorts = (list: Obj[]) =>
  list.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).flatMap((c: Obj) => (c.ports ?? []).map((p: Obj) => p.hostPort).filter(Boolean)));
const nodePorts = (list: Obj[]) => list.flatMap((o) => (o.kind === 'Service' ? o.spec.ports.map((p: Obj) => p.nodePort).filter(Boolean) : []));

test('by default every object is in the release namespace, which the chart does not create', () => {
  const list = template('otel-shop', 'team-a');
  assert.ok(namespaced(list).length > 60);
  assert.deepEqual([...new Set(namespaced(list).map((o) => o.metadata.namespace))], ['team-a']);
  assert.deepEqual(
    list.filter((o) => o.kind === 'Namespace'),
    [],
  );
  // The cluster-wide objects (the collector's RBAC) are named after the namespace, so releases elsewhere do not collide.
  assert.deepEqual(
    clusterWide(list).map((o) => `${o.kind}/${o.metadata.name}`),
    ['ClusterRole/team-a-otel-collector', 'ClusterRoleBinding/team-a-otel-collector'],
  );
  // Every address points into the release's namespace.
  const gateway = list.find((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway')!;
  const env = Object.fromEntries(gateway.spec.template.spec.containers[0].env.map((e: Obj) => [e.name, e.value]));
  assert.equal(env.ORDER_URL, `http://order.team-a.svc.cluster.local:${SERVICES.order.port}`);
  // One namespace: its default deny once, and the policies of every workload in it.
  const policies = list.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
  assert.equal(policies.filter((n) => n === 'default-deny').length, 1);
  assert.ok(!policies.includes('default-deny-ingress'), "Kafka's own-namespace policy is not needed");
  assert.ok(policies.includes('kafka-egress'), "Strimzi's pods keep their open egress under the shared default deny");
});

test('names namespaces: each created once, never the release namespace itself', () => {
  const three = template('otel-shop', 'default', ...THREE_NAMESPACES_ARGS, '--set', 'kafka.operator=none');
  assert.deepEqual(
    three.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
    ['shop', 'kafka', 'observability'],
  );
  // Installed into `shop`, the chart leaves that namespace to Helm and creates the other two.
  const intoShop = template('otel-shop', 'shop', ...THREE_NAMESPACES_ARGS, '--set', 'kafka.operator=none');
  assert.deepEqual(
    intoShop.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
    ['kafka', 'observability'],
  );
  // Kafka beside the telemetry stack: one namespace, created once, with one default deny.
  const shared = template('otel-shop', 'default', '--set', 'namespaces.shop=shop,namespaces.observability=infra,namespaces.kafka=infra,kafka.operator=none');
  assert.deepEqual(
    shared.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
    ['shop', 'infra'],
  );
  const denies = shared.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny').map((o) => o.metadata.namespace);
  assert.deepEqual(denies, ['shop', 'infra']);
  assert.ok(shared.some((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'kafka-topics' && o.metadata.namespace === 'infra'));
});

test('a second release beside the first (ci/beside-another-release-values.yaml) shares no object, cluster-wide name or node port', () => {
  const first = template('otel-shop', 'default', ...THREE_NAMESPACES_ARGS);
  const second = template('shop-b', 'team-b', '-f', join(CHART_DIR, 'ci', 'beside-another-release-values.yaml'));
  const key = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const firstKeys = new Set(first.map(key));
  assert.deepEqual(
    second.map(key).filter((k) => firstKeys.has(k)),
    [],
  );
  assert.deepEqual([...new Set(namespaced(second).map((o) => o.metadata.namespace))], ['team-b']);
  assert.deepEqual(
    hostPorts(second).filter((p) => hostPorts(first).includes(p)),
    [],
  );
  assert.deepEqual(hostPorts(second).sort(), [14317, 14318]);
  assert.deepEqual(nodePorts(second), []);
  // The services of the second release send their telemetry to its own collector's node port.
  const order = second.find((o) => o.kind === 'Deployment' && o.metadata.name === 'order')!;
  const endpoint = order.spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT');
  assert.equal(endpoint.value, 'http://$(NODE_IP):14318');
});
