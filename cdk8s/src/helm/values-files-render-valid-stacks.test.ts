// Every values file the chart ships or is tested with (values.yaml,
// values-production.yaml, ci/*-values.yaml) renders a stack that holds
// together: `helm lint --strict` passes (Helm 4, and Helm 3 rendering the
// same objects), `helm template` renders exactly the
// objects the cdk8s app builds for the same values, every object validates
// against the Kubernetes and Strimzi schemas, the NetworkPolicies allow
// exactly the flows the configuration makes (test/flow-check.ts), nothing
// names a component that is not deployed, and the stack fits the budget.
// The schema refuses an unknown key and a wrong type for every value, and
// NOTES.txt tells what is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Ajv } from 'ajv';
import { CHART_DIR } from '../model/paths.ts';
import { BUDGET_LIMITS, budget, totals } from '../checks/budget.ts';
import { FlowCheck } from '../../test/flow-check.ts';
import { invalidObjects } from '../../test/schemas.ts';
import { COLLECTOR, GRAFANA, JAEGER, KAFKA, POSTGRES, PROMETHEUS, REDIS, SERVICES } from '../model/topology.ts';
import { CHART_DEFAULT_VALUES, CI_PROFILES, DEV_VALUES, PRODUCTION_VALUES, mergeValues, type Values } from '../model/values.ts';
import { THREE_NAMESPACES_ARGS, byId, helm, helm3, id, objects, parseYamlDocs, run, type Obj } from '../../test/test-support.ts';

const HELM = helm();
const HELM3 = helm3();

interface Case {
  name: string;
  args: string[];
  values: Values;
}

/** The release's namespace in every render: where an empty namespaces.<key> puts its part. */
const RELEASE_NAMESPACE = 'otel-shop-ci';
/** namespaces.<key>, or the release's namespace when empty. */
const namespacesOf = (v: Values): Values['namespaces'] => ({
  shop: v.namespaces.shop || RELEASE_NAMESPACE,
  kafka: v.namespaces.kafka || RELEASE_NAMESPACE,
  observability: v.namespaces.observability || RELEASE_NAMESPACE,
});

// Over make dev's three namespaces (which DEV_VALUES has), except the chart's bare defaults.
const CASES: Case[] = [
  { name: 'defaults', args: [], values: CHART_DEFAULT_VALUES },
  { name: 'three-namespaces', args: THREE_NAMESPACES_ARGS, values: DEV_VALUES },
  { name: 'production', args: [...THREE_NAMESPACES_ARGS, '-f', join(CHART_DIR, 'values-production.yaml')], values: PRODUCTION_VALUES },
  ...Object.entries(CI_PROFILES).map(([name, p]) => ({
    name,
    args: [...THREE_NAMESPACES_ARGS, '-f', join(CHART_DIR, 'ci', `${name}-values.yaml`)],
    values: mergeValues<Values>(DEV_VALUES, p.values),
  })),
];

const rendered = new Map<string, Obj[]>();
function render(c: Case): Obj[] {
  if (!rendered.has(c.name)) rendered.set(c.name, parseYamlDocs(run(HELM, ['template', 'otel-shop', CHART_DIR, '--namespace', RELEASE_NAMESPACE, ...c.args])));
  return structuredClone(rendered.get(c.name)!);
}
const byName = (name: string) => CASES.find((c) => c.name === name)!;

function strings(o: unknown): string[] {
  if (typeof o === 'string') return [o];
  if (Array.isArray(o)) return o.flatMap(strings);
  if (o && typeof o === 'object') return Object.values(o).flatMap(strings);
  return [];
}

/** The in-cluster addresses of what a case does not deploy: nothing may name them. */
function absentAddresses(v: Values): string[] {
  const fq = (name: string, ns: string) => `${name}.${ns}.svc.cluster.local`;
  const out: string[] = [];
  const ns = namespacesOf(v);
  if (!v.postgresql.enabled) out.push(fq(POSTGRES.name, ns.shop));
  if (!v.redis.enabled) out.push(fq(REDIS.name, ns.shop));
  if (!v.kafka.enabled) out.push(fq(`${KAFKA.cluster}-kafka-bootstrap`, ns.kafka));
  if (!v.observability.enabled)
    for (const n of [COLLECTOR.name, `${COLLECTOR.name}-metrics`, JAEGER.name, PROMETHEUS.name, GRAFANA.name]) out.push(fq(n, ns.observability));
  if (!v.services.notification.enabled) out.push(fq('notification', ns.shop));
  return out;
}

for (const c of CASES) {
  test(`${c.name}: helm lint --strict passes and helm template renders exactly the cdk8s objects for the same values`, () => {
    run(HELM, ['lint', '--strict', CHART_DIR, '--namespace', RELEASE_NAMESPACE, ...c.args]);
    const a = byId(render(c));
    const b = byId(objects(c.values, RELEASE_NAMESPACE));
    assert.deepEqual([...a.keys()], [...b.keys()], 'the same objects');
    const differ = [...b.keys()].filter((k) => !isDeepStrictEqual(a.get(k), b.get(k)));
    for (const k of differ.slice(0, 1)) assert.deepEqual(a.get(k), b.get(k), `${k} differs`);
    assert.deepEqual(differ, []);
  });

  test(`${c.name}: Helm 3 lints the chart with --strict and renders the same objects as Helm 4`, () => {
    run(HELM3, ['lint', '--strict', CHART_DIR, '--namespace', RELEASE_NAMESPACE, ...c.args]);
    const helm3 = byId(parseYamlDocs(run(HELM3, ['template', 'otel-shop', CHART_DIR, '--namespace', RELEASE_NAMESPACE, ...c.args])));
    const helm4 = byId(render(c));
    assert.deepEqual([...helm3.keys()], [...helm4.keys()], 'the same objects');
    for (const [k, o] of helm4) assert.deepEqual(helm3.get(k), o, `${k} differs between Helm 3 and Helm 4`);
  });

  test(`${c.name}: every rendered object validates against the Kubernetes and Strimzi schemas`, async () => {
    const list = render(c);
    assert.ok(list.length > 20, `only ${list.length} objects`);
    assert.deepEqual(await invalidObjects(list), []);
  });

  test(`${c.name}: the NetworkPolicies allow exactly the flows the configuration makes, and nothing names what is not deployed`, () => {
    const list = render(c);
    // Resolving every configured address fails on one that names a missing Service.
    const check = new FlowCheck(list, namespacesOf(c.values));
    if (c.values.networkPolicies.enabled) {
      assert.ok(check.flows.length > 15, `only ${check.flows.length} flows derived`);
      assert.deepEqual(check.blocked(), []);
      assert.deepEqual(check.unused(), []);
    } else {
      assert.deepEqual(list.filter((o) => o.kind === 'NetworkPolicy').map(id), []);
      assert.equal(list.find((o) => o.kind === 'Kafka')?.spec.kafka.listeners[0].networkPolicyPeers, undefined);
    }
    const texts = list.flatMap(strings);
    for (const address of absentAddresses(c.values)) assert.ok(!texts.some((t) => t.includes(address)), `${address} is not deployed but named`);
  });

  test(`${c.name}: the stack fits the budget (at most 3 CPU and 4 GiB requested)`, () => {
    const t = totals(budget(render(c)));
    assert.ok(t.cpuMillis <= BUDGET_LIMITS.cpuMillis && t.memoryBytes <= BUDGET_LIMITS.memoryBytes, JSON.stringify(t));
  });
}

const deployment = (list: Obj[], name: string) => list.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
const envOf = (list: Obj[], name: string): Obj => Object.fromEntries(deployment(list, name).spec.template.spec.containers[0].env.map((e: Obj) => [e.name, e]));

test('external: no PostgreSQL, Redis, Kafka or telemetry objects; the services point at the given addresses and Secrets', () => {
  const list = render(byName('external'));
  const names = list.map(id);
  for (const n of names) assert.doesNotMatch(n, /\/(postgres|redis|otel-collector|jaeger|prometheus|grafana)[^/]*$/, n);
  for (const kind of ['StatefulSet', 'PersistentVolumeClaim', 'Kafka', 'KafkaNodePool', 'KafkaTopic', 'DaemonSet'])
    assert.ok(!list.some((o) => o.kind === kind), kind);
  assert.deepEqual(
    list.filter((o) => o.kind === 'Secret').map(id),
    ['Secret/shop/gateway-api-keys', 'Secret/shop/storefront-api-key', 'Secret/shop/load-generator-api-key'],
    'only the API keys stay dev-only',
  );
  assert.ok(!list.some((o) => o.metadata.namespace === 'observability' || o.metadata.name === 'observability'));
  const order = envOf(list, 'order');
  assert.equal(order.DATABASE_URL.value, 'postgres://shop:$(POSTGRES_PASSWORD)@db.example.com:5433/orders');
  assert.deepEqual(order.POSTGRES_PASSWORD.valueFrom.secretKeyRef, { name: 'shop-postgres', key: 'postgres-password' });
  assert.equal(order.KAFKA_BROKERS.value, 'kafka-0.example.com:9093,kafka-1.example.com:9093');
  assert.equal(order.OTEL_EXPORTER_OTLP_ENDPOINT.value, 'https://otlp.example.com:4318');
  const gateway = envOf(list, 'gateway');
  assert.equal(gateway.REDIS_URL.value, 'redis://:$(REDIS_PASSWORD)@cache.example.com:6380');
  assert.deepEqual(gateway.REDIS_PASSWORD.valueFrom.secretKeyRef, { name: 'shop-redis', key: 'redis-password' });
  // The migration gets the same database.
  const migrate = deployment(list, 'order').spec.template.spec.initContainers[0];
  assert.ok(migrate.env.some((e: Obj) => e.name === 'DATABASE_URL' && e.value === order.DATABASE_URL.value));
  // Egress to the external ports only, to any address.
  const orderPolicy = list.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'order')!;
  const external = orderPolicy.spec.egress.filter((r: Obj) => r.to.some((p: Obj) => p.ipBlock)).flatMap((r: Obj) => r.ports.map((p: Obj) => p.port));
  assert.deepEqual(external.sort(), [4318, 5433, 9093]);
});

test('observability off: the SDK is disabled, no exporter endpoint, nothing in the observability namespace, no dashboards', () => {
  const list = render(byName('observability-off'));
  for (const s of Object.keys(SERVICES)) {
    const env = envOf(list, s);
    assert.equal(env.OTEL_SDK_DISABLED?.value, 'true', s);
    assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, undefined, s);
  }
  assert.ok(!list.some((o) => o.metadata.namespace === 'observability' || (o.kind === 'Namespace' && o.metadata.name === 'observability')));
  assert.deepEqual(
    list.filter((o) => o.kind === 'Service' && o.spec.type === 'NodePort').map(id),
    ['Service/shop/gateway-nodeport', 'Service/shop/storefront-nodeport'],
    'no NodePort into the observability namespace',
  );
  assert.ok(!list.some((o) => o.kind === 'ClusterRole'));
});

test('no notification: no object, allow rule, Kafka listener peer or dashboard panel about it', () => {
  const list = render(byName('no-notification'));
  // The topics stay: order publishes its events (the outbox) whether anyone consumes them or not.
  assert.deepEqual(list.filter((o) => o.kind !== 'KafkaTopic' && /notification/.test(o.metadata.name)).map(id), []);
  const notificationPods = JSON.stringify({ 'app.kubernetes.io/name': 'notification' });
  for (const np of list.filter((o) => o.kind === 'NetworkPolicy')) assert.ok(!JSON.stringify(np.spec).includes(notificationPods), id(np));
  const peers = list.find((o) => o.kind === 'Kafka')!.spec.kafka.listeners[0].networkPolicyPeers;
  assert.ok(!JSON.stringify(peers).includes(notificationPods));
  assert.equal(peers.length, 2, 'order and the collector');
  const dashboards = list.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboards')!;
  const text = Object.values<string>(dashboards.data).join('\n');
  assert.doesNotMatch(text, /notifications?_|notification-service/);
  assert.match(text, /outbox_pending/, 'the Kafka dashboard keeps the outbox');
  // With it (the defaults) the panels are there: the check is not vacuous.
  const full = render(byName('defaults')).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboards')!;
  assert.match(Object.values<string>(full.data).join('\n'), /notifications_sent_total/);
});

test("no storefront: no dashboard row about the pages' spans, which the defaults have", () => {
  const dashboardsText = (list: Obj[]) =>
    Object.values<string>(list.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboards')!.data).join('\n');
  assert.doesNotMatch(dashboardsText(render(byName('no-storefront'))), /storefront-web/);
  assert.match(dashboardsText(render(byName('defaults'))), /storefront-web/);
});

test('one replica: every workload runs one pod and no autoscaler exists, although autoscaling is on globally', () => {
  const list = render(byName('one-replica'));
  assert.deepEqual(list.filter((o) => o.kind === 'HorizontalPodAutoscaler').map(id), []);
  for (const o of list.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) assert.equal(o.spec.replicas, 1, id(o));
  const production = render(byName('production'));
  assert.deepEqual(
    production
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((o) => [o.metadata.name, o.spec.minReplicas, o.spec.maxReplicas])
      .sort(),
    [
      ['gateway', 2, 6],
      ['inventory', 2, 6],
      ['order', 2, 6],
      ['payment', 2, 6],
    ],
  );
});

test('tuned: namespaces, images, extra env, resources, pod security and storage come from the values', () => {
  const list = render(byName('tuned'));
  const namespaces = new Set(list.map((o) => o.metadata.namespace).filter(Boolean));
  assert.deepEqual([...namespaces].sort(), ['store', 'streams', 'telemetry']);
  assert.deepEqual(
    list
      .filter((o) => o.kind === 'Namespace')
      .map((o) => o.metadata.name)
      .sort(),
    ['store', 'telemetry'],
  );
  assert.equal(deployment(list, 'gateway').spec.template.spec.containers[0].image, 'registry.example.com/team/mirror/gateway:9.9.9');
  assert.equal(deployment(list, 'order').spec.template.spec.containers[0].image, 'registry.example.com/team/otel-shop/order:1.2.3');
  assert.equal(deployment(list, 'order').spec.template.spec.containers[0].imagePullPolicy, 'Always');
  const gatewayEnv = deployment(list, 'gateway').spec.template.spec.containers[0].env as Obj[];
  assert.deepEqual(gatewayEnv.at(-1), { name: 'LOG_LEVEL', value: 'debug' }, 'appended last');
  assert.equal(envOf(list, 'gateway').ORDER_URL.value, 'http://order.store.svc.cluster.local:8081');
  assert.equal(envOf(list, 'order').KAFKA_BROKERS.value, 'shop-kafka-bootstrap.streams.svc.cluster.local:9092');
  assert.equal(envOf(list, 'order').OTEL_TRACES_SAMPLER_ARG.value, '0.25');
  assert.equal(envOf(list, 'order').DEPLOYMENT_ENVIRONMENT.value, 'staging');
  assert.deepEqual(deployment(list, 'order').spec.template.spec.containers[0].resources.limits, { cpu: '1', memory: '384Mi' });
  const pod = deployment(list, 'payment').spec.template.spec.securityContext;
  assert.deepEqual([pod.runAsUser, pod.runAsGroup, pod.fsGroup, pod.runAsNonRoot], [2000, 3000, 3000, true]);
  const pg = list.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'postgres')!;
  assert.equal(pg.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '5Gi');
  assert.equal(list.find((o) => o.kind === 'KafkaNodePool')!.spec.storage.size, '10Gi');
  const collector = list.find((o) => o.kind === 'DaemonSet')!.spec.template.spec.containers[0];
  assert.equal(collector.env.find((e: Obj) => e.name === 'GOMEMLIMIT').value, '819MiB', '80% of 1Gi');
  assert.deepEqual(
    list.filter((o) => o.kind === 'Secret').map(id),
    ['Secret/telemetry/alertmanager-config'],
    'devCredentials.create=false: no credentials, only the configuration Alertmanager reads from a Secret',
  );
  assert.ok(!list.some((o) => o.kind === 'Service' && o.spec.type === 'NodePort'), 'kindNodePorts.enabled=false');
});

// ---------------------------------------------------------------------------
// The schema.

// Ajv knows draft-07 by its http:// id: the keywords are what matter here.
const { $schema: _draft, ...schema } = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

function paths(o: unknown, prefix: string[] = []): string[][] {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return [prefix];
  return [prefix, ...Object.entries(o).flatMap(([k, v]) => paths(v, [...prefix, k]))];
}
function withValue(path: string[], value: unknown): Values {
  const v = structuredClone(DEV_VALUES) as unknown as Record<string, any>;
  const parent = path.slice(0, -1).reduce((o, k) => o[k], v);
  parent[path.at(-1)!] = value;
  return v as unknown as Values;
}

test('values.schema.json accepts every shipped values file and refuses, for every value, an unknown key beside it and a wrong type', () => {
  for (const c of CASES) assert.ok(validate(c.values), `${c.name}: ${JSON.stringify(validate.errors)}`);
  const refused: string[] = [];
  for (const path of paths(DEV_VALUES)) {
    const here = path.reduce<any>((o, k) => o[k], DEV_VALUES);
    const isObject = here !== null && typeof here === 'object' && !Array.isArray(here);
    if (isObject) {
      const bad = structuredClone(here);
      bad.unknownKey = 1;
      if (path.length === 0 ? validate({ ...DEV_VALUES, unknownKey: 1 }) : validate(withValue(path, bad)))
        refused.push(`${path.join('.') || '(root)'} takes an unknown key`);
    }
    if (path.length === 0) continue;
    const wrong = typeof here === 'string' ? 12 : typeof here === 'number' || typeof here === 'boolean' ? 'text' : Array.isArray(here) ? 'text' : 'text';
    if (validate(withValue(path, wrong))) refused.push(`${path.join('.')} takes ${JSON.stringify(wrong)}`);
  }
  assert.deepEqual(refused, []);
  // An extra env var must be a name/value pair.
  assert.equal(validate(withValue(['services', 'gateway', 'env'], [{ name: 'A', valu: 'b' }])), false);
  // External PostgreSQL needs its host.
  assert.equal(validate(withValue(['postgresql', 'enabled'], false)), false);
});

test("helm refuses a misspelt key and a wrong type with the schema's message", () => {
  const fails = (args: string[], ...messages: RegExp[]) => {
    let stderr = '';
    try {
      run(HELM, ['template', 'otel-shop', CHART_DIR, ...args]);
    } catch (err) {
      stderr = String((err as { stderr?: string }).stderr ?? err);
    }
    assert.ok(stderr, `${args.join(' ')} was accepted`);
    for (const m of messages) assert.match(stderr, m, args.join(' '));
  };
  fails(['--set', 'services.gateway.replica=2'], /values don't meet the specifications of the schema/, /additional ?properties/i, /replica/);
  fails(['--set', 'postgres.enabled=false'], /additional ?properties/i, /postgres/);
  fails(['--set-string', 'services.order.replicas=two'], /replicas/, /integer/);
  fails(['--set', 'networkPolicies.enabled=maybe'], /enabled/, /boolean/);
  fails(['--set', 'postgresql.enabled=false'], /host/);
});

// ---------------------------------------------------------------------------
// NOTES.txt, rendered the way `helm install` would (it is not part of
// `helm template`'s output): through tpl in a scratch copy of the chart.

function notes(args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'otel-shop-notes-'));
  try {
    const chart = join(dir, 'otel-shop');
    cpSync(CHART_DIR, chart, { recursive: true });
    cpSync(join(chart, 'templates', 'NOTES.txt'), join(chart, 'notes.txt'));
    writeFileSync(join(chart, 'templates', 'zz-notes.yaml'), 'notes: {{ tpl (.Files.Get "notes.txt") . | toJson }}\n');
    return parseYamlDocs(run(HELM, ['template', 'otel-shop', chart, '--show-only', 'templates/zz-notes.yaml', ...args]))[0]!.notes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('NOTES.txt: the port-forwards and where to look, for the values given', () => {
  const dev = notes(THREE_NAMESPACES_ARGS);
  assert.match(dev, /kubectl -n shop port-forward svc\/gateway 8080/);
  assert.match(dev, /kubectl -n observability port-forward svc\/jaeger 16686/);
  assert.match(dev, /kubectl -n observability port-forward svc\/grafana 3000/);
  assert.match(dev, /http:\/\/127\.0\.0\.1:30686/);
  assert.match(dev, /Strimzi operator/);
  const release = notes(['--namespace', 'team-a']);
  assert.match(release, /kubectl -n team-a port-forward svc\/gateway 8080/);
  assert.match(release, /kubectl -n team-a port-forward svc\/jaeger 16686/);
  const off = notes(['-f', join(CHART_DIR, 'ci', 'observability-off-values.yaml')]);
  assert.doesNotMatch(off, /jaeger|grafana|Grafana|Jaeger/);
  assert.match(off, /Telemetry is off/);
  const external = notes(['-f', join(CHART_DIR, 'ci', 'external-values.yaml')]);
  assert.doesNotMatch(external, /Jaeger|Grafana|Strimzi/);
  assert.match(external, /Telemetry goes to https:\/\/otlp\.example\.com:4318/);
  assert.match(external, /PostgreSQL: external, db\.example\.com:5433/);
  const tuned = notes(['-f', join(CHART_DIR, 'ci', 'tuned-values.yaml')]);
  assert.match(tuned, /kubectl -n store port-forward svc\/gateway 8080/);
  assert.match(tuned, /kubectl -n telemetry port-forward svc\/jaeger 16686/);
  assert.doesNotMatch(tuned, /127\.0\.0\.1:30080|dev-only/);
});

test('flags off: no flagd, flag-sync, flags ConfigMap, Role or allow rule, and no service told where flagd is', () => {
  const list = render(byName('flags-off'));
  assert.deepEqual(list.filter((o) => /flag/.test(o.metadata.name)).map(id), []);
  const flagdPods = JSON.stringify({ 'app.kubernetes.io/name': 'flagd' });
  for (const np of list.filter((o) => o.kind === 'NetworkPolicy')) assert.ok(!JSON.stringify(np.spec).includes(flagdPods), id(np));
  assert.doesNotMatch(JSON.stringify(list.filter((o) => o.kind === 'Deployment')), /FLAGD_/);
  // With it (the defaults) they are there: the check is not vacuous.
  const full = render(byName('defaults'));
  assert.ok(full.some((o) => o.kind === 'Deployment' && o.metadata.name === 'flagd'));
  assert.match(JSON.stringify(full.filter((o) => o.kind === 'Deployment')), /FLAGD_HOST/);
});

test('no load generator: nor its Deployment, Secret or allow rule; the gateway still accepts the other keys', () => {
  const list = render(byName('no-load-generator'));
  assert.deepEqual(list.filter((o) => /load-generator/.test(o.metadata.name)).map(id), []);
  const pods = JSON.stringify({ 'app.kubernetes.io/name': 'load-generator' });
  for (const np of list.filter((o) => o.kind === 'NetworkPolicy')) assert.ok(!JSON.stringify(np.spec).includes(pods), id(np));
  assert.ok(render(byName('defaults')).some((o) => o.kind === 'Deployment' && o.metadata.name === 'load-generator'));
});
