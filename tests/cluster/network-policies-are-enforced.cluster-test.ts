// The NetworkPolicies hold on the real node (kube-router's firewall enforces
// them): a pod with no allowed flow reaches neither the databases, nor
// payment, nor the collector; a pod that carries order's labels reaches what
// order may reach, and not what it may not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_IP } from './node/layout.ts';
import { core, eventually, podsOf, readyEndpoint, type Obj } from './support.ts';

const PROBE_NS = 'netpol-probe';

/** A node script that tries each host:port once and prints what happened. */
function probeScript(targets: string[]): string {
  return `
const net = require('node:net');
const targets = ${JSON.stringify(targets)};
Promise.all(targets.map((t) => new Promise((resolve) => {
  const [host, port] = t.split(':');
  const s = net.connect({ host, port: Number(port), timeout: 4000 });
  const done = (r) => { s.destroy(); resolve([t, r]); };
  s.on('connect', () => done('open'));
  s.on('timeout', () => done('timeout'));
  s.on('error', (e) => done(e.code));
}))).then((r) => console.log(JSON.stringify(Object.fromEntries(r))));`;
}

async function probe(namespace: string, name: string, labels: Record<string, string>, targets: string[]): Promise<Record<string, string>> {
  const gateway = (await podsOf('shop')).find((p) => p.metadata!.labels?.['app.kubernetes.io/name'] === 'gateway')!;
  const body: Obj = {
    metadata: { name, namespace, labels },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: gateway.spec!.containers[0]!.image,
          command: ['node', '-e', probeScript(targets)],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          // Never Ready: a pod with a service's labels must not join its Service.
          readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1 },
          resources: { limits: { cpu: '200m', memory: '96Mi' } },
        },
      ],
    },
  };
  await core.createNamespacedPod({ namespace, body });
  return eventually(`probe ${namespace}/${name}`, 120, async () => {
    const pod = await core.readNamespacedPod({ name, namespace });
    if (pod.status?.phase !== 'Succeeded') return undefined;
    const log = await core.readNamespacedPodLog({ name, namespace });
    return JSON.parse(String(log).trim().split('\n').at(-1)!);
  });
}

after(async () => {
  await core.deleteNamespace({ name: PROBE_NS }).catch(() => {});
  await core.deleteNamespacedPod({ name: 'netpol-as-order', namespace: 'shop' }).catch(() => {});
});

test('a pod with no allowed flow reaches neither the databases, nor payment, nor the collector', async () => {
  await core.createNamespace({ body: { metadata: { name: PROBE_NS } } });
  const collector = (await podsOf('observability')).find((p) => p.metadata!.labels?.['app.kubernetes.io/name'] === 'otel-collector')!;
  const targets = [
    'postgres.shop.svc.cluster.local:5432',
    'redis.shop.svc.cluster.local:6379',
    'payment.shop.svc.cluster.local:8083',
    `${collector.status!.podIP}:4318`,
    `${NODE_IP}:4318`,
  ];
  const result = await probe(PROBE_NS, 'netpol-intruder', { 'app.kubernetes.io/name': 'intruder' }, targets);
  for (const t of targets) assert.notEqual(result[t], 'open', `${t} must refuse a pod without a flow (got ${result[t]})`);
});

test("a pod with order's labels reaches what order may, and nothing else", async () => {
  const allowed = [
    'postgres.shop.svc.cluster.local:5432',
    'inventory.shop.svc.cluster.local:8082',
    'payment.shop.svc.cluster.local:8083',
    'shop-kafka-bootstrap.kafka.svc.cluster.local:9092',
    `${NODE_IP}:4318`,
  ];
  // Each allowed Service must have somewhere to connect, or "refused" would say nothing about the policy.
  for (const host of allowed.filter((t) => t.includes('.svc.'))) {
    const [name, namespace] = host.split('.');
    await readyEndpoint(namespace!, name!);
  }
  const denied = ['redis.shop.svc.cluster.local:6379', 'jaeger.observability.svc.cluster.local:4317', 'prometheus.observability.svc.cluster.local:9090'];
  const result = await probe(
    'shop',
    'netpol-as-order',
    { 'app.kubernetes.io/name': 'order', 'app.kubernetes.io/component': 'service', 'app.kubernetes.io/part-of': 'otel-shop' },
    [...allowed, ...denied],
  );
  for (const t of allowed) assert.equal(result[t], 'open', `order may reach ${t} (got ${result[t]})`);
  for (const t of denied) assert.notEqual(result[t], 'open', `order may not reach ${t}`);
});
