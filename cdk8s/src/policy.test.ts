// The policy every workload follows, checked over the synthesized objects:
// resources, probes, the restricted security context, image pinning and
// naming, Service selectors, and NetworkPolicies that allow exactly the flows
// the configuration actually makes (derived here from env URLs, the
// collector, Prometheus and Grafana configuration, and the NodePorts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MIGRATE_COMMAND } from './constructs/microservice.ts';
import { SIZES } from './model/sizing.ts';
import { DEV_VALUES, PRODUCTION_VALUES } from './model/values.ts';
import { DEPLOYABLE_NAMES, IMAGE_NAMES, NS, SERVICES, SERVICE_NAMES, serviceImageName } from './model/topology.ts';
import { FlowCheck } from '../test/flow-check.ts';
import { ROOT, id, matches, objects, parseYamlDocs, podTemplates, workloads, type Obj } from '../test/test-support.ts';

const list = objects();
const templates = podTemplates(list);
const allContainers = (spec: Obj): Obj[] => [...(spec.initContainers ?? []), ...(spec.containers ?? [])];

/** The pods Strimzi creates, as far as our resources define them (templates, resources). */
function strimziPods(): { owner: string; podSecurity: Obj; containers: { name: string; securityContext: Obj; resources: Obj }[] }[] {
  const kafka = list.find((o) => o.kind === 'Kafka')!;
  const pool = list.find((o) => o.kind === 'KafkaNodePool')!;
  return [
    {
      owner: id(pool),
      podSecurity: pool.spec.template.pod.securityContext,
      containers: [{ name: 'kafka', securityContext: pool.spec.template.kafkaContainer.securityContext, resources: pool.spec.resources }],
    },
    {
      owner: `${id(kafka)} entity operator`,
      podSecurity: kafka.spec.entityOperator.template.pod.securityContext,
      containers: [
        {
          name: 'topic-operator',
          securityContext: kafka.spec.entityOperator.template.topicOperatorContainer.securityContext,
          resources: kafka.spec.entityOperator.topicOperator.resources,
        },
      ],
    },
  ];
}

function strimziOperatorValues(): Obj {
  return parse(readFileSync(join(ROOT, 'charts', 'strimzi-operator.values.yaml'), 'utf8'));
}

test('every container, init containers and Strimzi-managed ones included, has CPU and memory requests and limits', () => {
  const check = (where: string, res: Obj | undefined) => {
    for (const kind of ['requests', 'limits']) {
      for (const r of ['cpu', 'memory']) assert.ok(res?.[kind]?.[r], `${where}: no ${kind}.${r}`);
    }
  };
  for (const t of templates) for (const c of allContainers(t.spec)) check(`${t.owner} ${c.name}`, c.resources);
  for (const p of strimziPods()) for (const c of p.containers) check(`${p.owner} ${c.name}`, c.resources);
  check('Strimzi operator (charts/strimzi-operator.values.yaml)', strimziOperatorValues().resources);
});

test('every app container has a liveness and a readiness probe', () => {
  for (const t of templates) {
    for (const c of t.spec.containers) {
      assert.ok(c.livenessProbe, `${t.owner} ${c.name}: no livenessProbe`);
      assert.ok(c.readinessProbe, `${t.owner} ${c.name}: no readinessProbe`);
    }
  }
  for (const s of DEPLOYABLE_NAMES) {
    const c = list.find((o) => o.kind === 'Deployment' && o.metadata.name === s)!.spec.template.spec.containers[0];
    assert.equal(c.livenessProbe.httpGet.path, '/healthz', s);
    assert.equal(c.readinessProbe.httpGet.path, '/readyz', s);
  }
});

function assertRestrictedContainer(where: string, sc: Obj | undefined, pod: Obj | undefined) {
  assert.ok(sc, `${where}: no securityContext`);
  assert.equal(sc.allowPrivilegeEscalation, false, `${where}: allowPrivilegeEscalation`);
  assert.equal(sc.readOnlyRootFilesystem, true, `${where}: readOnlyRootFilesystem`);
  assert.ok((sc.capabilities?.drop ?? []).includes('ALL'), `${where}: capabilities.drop ALL`);
  assert.deepEqual(sc.capabilities?.add ?? [], [], `${where}: capabilities.add`);
  assert.notEqual(sc.privileged, true, `${where}: privileged`);
  assert.ok(sc.runAsNonRoot === true || pod?.runAsNonRoot === true, `${where}: runAsNonRoot`);
  assert.ok((sc.runAsUser ?? pod?.runAsUser ?? 1) !== 0, `${where}: runs as uid 0`);
  const seccomp = sc.seccompProfile?.type ?? pod?.seccompProfile?.type;
  assert.equal(seccomp, 'RuntimeDefault', `${where}: seccompProfile`);
}

test('every container runs with the restricted security context (ours, Strimzi-managed, the Strimzi operator)', () => {
  for (const t of templates) {
    assert.equal(t.spec.securityContext?.runAsNonRoot, true, `${t.owner}: pod runAsNonRoot`);
    assert.equal(t.spec.securityContext?.seccompProfile?.type, 'RuntimeDefault', `${t.owner}: pod seccomp`);
    for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) assert.notEqual(t.spec[k], true, `${t.owner}: ${k}`);
    assert.ok(!(t.spec.volumes ?? []).some((v: Obj) => v.hostPath), `${t.owner}: hostPath volume`);
    for (const c of allContainers(t.spec)) {
      assertRestrictedContainer(`${t.owner} ${c.name}`, c.securityContext, t.spec.securityContext);
      // A read-only root filesystem still needs a writable /tmp.
      const tmp = (c.volumeMounts ?? []).find((m: Obj) => m.mountPath === '/tmp');
      assert.ok(tmp, `${t.owner} ${c.name}: no /tmp mount`);
      assert.ok(t.spec.volumes.find((v: Obj) => v.name === tmp.name)?.emptyDir, `${t.owner} ${c.name}: /tmp is not an emptyDir`);
    }
  }
  for (const p of strimziPods()) {
    for (const c of p.containers) assertRestrictedContainer(`${p.owner} ${c.name}`, c.securityContext, p.podSecurity);
  }
  const op = strimziOperatorValues();
  assertRestrictedContainer('Strimzi operator', { ...op.securityContext, seccompProfile: op.podSecurityContext.seccompProfile }, op.podSecurityContext);
  assert.ok(op.extraEnvs.some((e: Obj) => e.name === 'STRIMZI_POD_SECURITY_PROVIDER_CLASS' && e.value === 'restricted'));
});

test('the shop namespace enforces the restricted Pod Security Standard', () => {
  const ns = list.find((o) => o.kind === 'Namespace' && o.metadata.name === NS.shop)!;
  assert.equal(ns.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
});

function skaffoldArtifacts(): string[] {
  const docs = parseYamlDocs(readFileSync(join(ROOT, 'skaffold.yaml'), 'utf8'));
  return docs.flatMap((d) => (d.build?.artifacts ?? []).map((a: Obj) => a.image as string));
}

test('third-party images are pinned (a tag that is not latest, or a digest); ours are the skaffold artifacts', () => {
  const artifacts = skaffoldArtifacts();
  assert.deepEqual([...artifacts].sort(), IMAGE_NAMES.map(serviceImageName).sort());
  const used = new Set<string>();
  for (const t of templates) {
    for (const c of allContainers(t.spec)) {
      const ref: string = c.image;
      const at = ref.indexOf('@');
      const nameTag = at >= 0 ? ref.slice(0, at) : ref;
      const slash = nameTag.lastIndexOf('/');
      const colon = nameTag.lastIndexOf(':');
      const base = colon > slash ? nameTag.slice(0, colon) : nameTag;
      const tag = colon > slash ? nameTag.slice(colon + 1) : undefined;
      if (base.startsWith('otel-shop/')) {
        assert.ok(artifacts.includes(base), `${t.owner} ${c.name}: ${base} is not a skaffold artifact`);
        used.add(base);
      } else {
        assert.ok(at >= 0 || (tag && tag !== 'latest'), `${t.owner} ${c.name}: ${ref} is not pinned`);
      }
    }
  }
  assert.deepEqual([...used].sort(), IMAGE_NAMES.map(serviceImageName).sort(), 'every image of ours is deployed');
});

test('every Service selects pods of a workload, on ports those pods declare', () => {
  for (const svc of list.filter((o) => o.kind === 'Service')) {
    const targets = templates.filter((t) => t.namespace === svc.metadata.namespace && matches(svc.spec.selector, t.labels));
    assert.ok(svc.spec.selector && Object.keys(svc.spec.selector).length, `${id(svc)} has no selector`);
    assert.ok(targets.length > 0, `${id(svc)} selects no pod template`);
    for (const p of svc.spec.ports) {
      for (const t of targets) {
        const ports = t.spec.containers.flatMap((c: Obj) => c.ports ?? []);
        const ok = ports.some((cp: Obj) => cp.name === p.targetPort || cp.containerPort === (p.targetPort ?? p.port));
        assert.ok(ok, `${id(svc)} port ${p.name}: ${t.owner} has no port ${p.targetPort ?? p.port}`);
      }
    }
  }
});

test('PodDisruptionBudgets point at real workloads', () => {
  for (const pdb of list.filter((o) => o.kind === 'PodDisruptionBudget')) {
    assert.ok(
      templates.some((t) => t.namespace === pdb.metadata.namespace && matches(pdb.spec.selector.matchLabels, t.labels)),
      id(pdb),
    );
  }
  for (const s of DEPLOYABLE_NAMES)
    assert.ok(
      list.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === s),
      `${s}: no PDB`,
    );
});

test('dev (kind, no metrics-server) has no autoscalers and fixed replicas; production autoscales the request-driven services', () => {
  const dev = objects();
  assert.deepEqual(dev.filter((o) => o.kind === 'HorizontalPodAutoscaler').map(id), [], 'an HPA on kind would never act (targets <unknown>)');
  for (const s of SERVICE_NAMES) {
    const deployment = dev.find((o) => o.kind === 'Deployment' && o.metadata.name === s)!;
    assert.equal(deployment.spec.replicas, DEV_VALUES.services[s].replicas, `${s}: fixed replicas in dev`);
  }
  const production = objects(PRODUCTION_VALUES);
  for (const hpa of production.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const target = production.find(
      (o) => o.kind === hpa.spec.scaleTargetRef.kind && o.metadata.name === hpa.spec.scaleTargetRef.name && o.metadata.namespace === hpa.metadata.namespace,
    );
    assert.ok(target, `${id(hpa)}: no target`);
    assert.equal(target.spec.replicas, undefined, `${id(target)}: the HPA owns replicas`);
    assert.ok(hpa.spec.minReplicas <= hpa.spec.maxReplicas, id(hpa));
  }
  for (const s of SERVICE_NAMES) {
    const hasHpa = production.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === s);
    assert.equal(hasHpa, SERVICES[s].autoscale, `${s}: autoscaler in production`);
  }
});

test('the services: no API token, migrations in an init container, OTLP to the node collector, sized for kind', () => {
  for (const s of SERVICE_NAMES) {
    const d = list.find((o) => o.kind === 'Deployment' && o.metadata.name === s)!;
    const pod = d.spec.template.spec;
    const sa = list.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === pod.serviceAccountName && o.metadata.namespace === NS.shop)!;
    assert.equal(sa.automountServiceAccountToken, false, s);
    assert.equal(pod.automountServiceAccountToken, false, s);
    const main = pod.containers[0];
    const cm = list.find((o) => o.kind === 'ConfigMap' && o.metadata.name === main.envFrom[0].configMapRef.name)!;
    if (SERVICES[s].database) {
      assert.equal(pod.initContainers.length, 1, s);
      assert.ok(pod.initContainers[0].command.join(' ').includes(MIGRATE_COMMAND), `${s}: init container runs ${MIGRATE_COMMAND}`);
      assert.equal(pod.initContainers[0].image, main.image, s);
      assert.equal(cm.data.MIGRATE_ON_START, 'false', s);
    } else {
      assert.deepEqual(pod.initContainers ?? [], [], s);
    }
    const env = Object.fromEntries(main.env.map((e: Obj) => [e.name, e]));
    assert.equal(env.NODE_IP.valueFrom.fieldRef.fieldPath, 'status.hostIP');
    assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT.value, 'http://$(NODE_IP):4318');
    assert.deepEqual(main.resources.requests, SIZES.service.requests);
  }
});

// ---------------------------------------------------------------------------
// NetworkPolicies against the flows the configuration makes (test/flow-check.ts).

const check = new FlowCheck(list, DEV_VALUES.namespaces);
const { flows, policies } = check;
if (process.env.SHOW_FLOWS) for (const c of flows) console.log(check.label(c));
const DENY_ALL = [NS.shop, NS.observability];

test('shop and observability deny all traffic by default; kafka denies ingress by default', () => {
  for (const ns of DENY_ALL) {
    const deny = policies.find((p) => p.metadata.namespace === ns && p.metadata.name === 'default-deny')!;
    assert.deepEqual(deny.spec.podSelector, {});
    assert.deepEqual([...deny.spec.policyTypes].sort(), ['Egress', 'Ingress']);
    assert.equal(deny.spec.ingress, undefined);
    assert.equal(deny.spec.egress, undefined);
  }
  const kafkaDeny = policies.find((p) => p.metadata.namespace === NS.kafka)!;
  assert.deepEqual(kafkaDeny.spec.policyTypes, ['Ingress']);
});

test('every flow the configuration makes is allowed on both ends', () => {
  assert.ok(flows.length > 30, `only ${flows.length} flows derived`);
  assert.deepEqual(check.blocked(), []);
});

test('every NetworkPolicy allow (and every Kafka listener peer) matches a real flow', () => {
  assert.deepEqual(check.unused(), []);
});

test('the flow check is not vacuous: dropping an allow blocks a real flow', () => {
  const gateway = policies.find((p) => p.metadata.namespace === NS.shop && p.metadata.name === 'gateway')!;
  const saved = gateway.spec.egress;
  gateway.spec.egress = saved.filter((r: Obj) => !r.to.some((p: Obj) => p.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'order'));
  try {
    assert.ok(flows.some((c) => c.from.what.endsWith('/gateway') && c.to.what.endsWith('/order') && !check.egressAllowed(c)));
  } finally {
    gateway.spec.egress = saved;
  }
  assert.equal(workloads(list).length, 15);
});
