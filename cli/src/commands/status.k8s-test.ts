// shopctl status against a real kube-apiserver + etcd (scripts/kubernetes/k8s-test-env.sh):
// the objects are real API objects; their status is what a controller would
// write. Run: make test-k8s.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAllYaml, type KubernetesObject, type V1DaemonSet, type V1Deployment } from '@kubernetes/client-node';
import { ClusterObjects } from '../test-support/cluster-objects.ts';
import { freePort } from '../test-support/free-port.ts';
import { CDK8S_MANIFESTS_DIR } from '../test-support/repo-paths.ts';
import { jsonOf, runShopctl } from '../test-support/run-shopctl.ts';
import { startTestApiServer, type TestApiServer } from '../test-support/test-api-server.ts';

const SERVICES = ['gateway', 'order', 'inventory', 'payment', 'notification'];

let server: TestApiServer;
let objects: ClusterObjects;

before(async () => {
  server = await startTestApiServer();
  objects = new ClusterObjects(server.admin.config);
});
after(() => server?.stop());

/** Each scenario gets namespaces of its own, passed through the name flags (which are tested with it). */
function namespacesOf(scenario: string) {
  return { shop: `${scenario}-shop`, kafka: `${scenario}-kafka`, observability: `${scenario}-observability` };
}

function status(scenario: string, ...extra: string[]) {
  const ns = namespacesOf(scenario);
  return runShopctl([
    'status',
    '--kubeconfig',
    server.kubeconfig,
    '--namespace',
    ns.shop,
    '--kafka-namespace',
    ns.kafka,
    '--observability-namespace',
    ns.observability,
    ...extra,
  ]);
}

interface ShopShape {
  ready?: Partial<Record<string, number>>;
  crashLooping?: string;
  withKafka?: boolean;
  kafkaConditions?: { type: string; status: string; reason?: string; message?: string }[];
  collector?: { desired: number; ready: number };
}

/** The deployment as cdk8s names it: five Deployments, the Strimzi cluster `shop` with pool `dual-role`, the collector DaemonSet. */
async function deployShop(scenario: string, shape: ShopShape = {}): Promise<void> {
  const ns = namespacesOf(scenario);
  for (const name of Object.values(ns)) await objects.namespace(name);
  for (const name of SERVICES) {
    const ready = shape.ready?.[name] ?? 1;
    await objects.deployment(ns.shop, name, 1, ready);
    const crashing = shape.crashLooping === name;
    await objects.pod(
      ns.shop,
      `${name}-7d9c5-x1`,
      { 'app.kubernetes.io/name': name },
      {
        ready: ready > 0 && !crashing,
        restarts: crashing ? 7 : name === 'order' ? 2 : 0,
        ...(crashing ? { waitingReason: 'CrashLoopBackOff', lastTerminationReason: 'Error' } : {}),
        ...(name === 'order' ? { lastTerminationReason: 'OOMKilled' } : {}),
      },
    );
  }
  if (shape.withKafka ?? true) {
    await objects.kafka(ns.kafka, 'shop', shape.kafkaConditions ?? [{ type: 'Ready', status: 'True' }]);
    await objects.nodePool(ns.kafka, 'dual-role', 'shop', 1, 1);
    await objects.pod(ns.kafka, 'shop-dual-role-0', { 'strimzi.io/cluster': 'shop', 'strimzi.io/kind': 'Kafka', 'strimzi.io/pool-name': 'dual-role' });
  }
  const collector = shape.collector ?? { desired: 1, ready: 1 };
  await objects.daemonSet(ns.observability, 'otel-collector', collector.desired, collector.ready);
  for (let i = 0; i < collector.desired; i++) {
    await objects.pod(ns.observability, `otel-collector-${i}`, { 'app.kubernetes.io/name': 'otel-collector' }, { ready: i < collector.ready });
  }
}

type Component = { namespace: string; component: string; verdict: string; ready: string; restarts: number; details: string[] };
const byName = (json: { components: Component[] }) => Object.fromEntries(json.components.map((c) => [c.component, c]));

describe('before the Strimzi CRDs are installed', () => {
  test('Kafka and its node pools are reported missing because the CRDs are not installed', async () => {
    await deployShop('nocrd', { withKafka: false });
    const run = await status('nocrd', '--json');
    assert.equal(run.code, 1, run.stderr);
    const json = jsonOf(run);
    assert.equal(json.verdict, 'degraded');
    const components = byName(json);
    assert.equal(components['kafka/shop']?.verdict, 'missing');
    assert.deepEqual(components['kafka/shop']?.details, ['Strimzi CRDs are not installed (no kafkas.kafka.strimzi.io/v1)']);
    assert.deepEqual(components['kafkanodepool/*']?.details, ['Strimzi CRDs are not installed (no kafkanodepools.kafka.strimzi.io/v1)']);
    assert.equal(components['deployment/gateway']?.verdict, 'healthy');
  });
});

describe('Kafka run by the chart itself (kafka.operator=none)', () => {
  test('its StatefulSet stands for Kafka: HEALTHY when its pod is ready, DEGRADED when not, with no Strimzi resource asked for', async () => {
    const labels = { 'strimzi.io/cluster': 'shop', 'strimzi.io/kind': 'Kafka' };
    for (const [scenario, ready] of [
      ['chartkafka', 1],
      ['chartkafkadown', 0],
    ] as const) {
      await deployShop(scenario, { withKafka: false });
      const { kafka } = namespacesOf(scenario);
      await objects.statefulSet(kafka, 'shop-dual-role', labels, 1, ready);
      await objects.pod(kafka, 'shop-dual-role-0', labels, { ready: ready === 1 });
      const run = await status(scenario, '--json');
      const components = byName(jsonOf(run));
      assert.equal(components['kafka/shop'], undefined, 'no Strimzi row');
      assert.equal(components['kafkanodepool/*'], undefined, 'no Strimzi row');
      const broker = components['statefulset/shop-dual-role'];
      if (ready) {
        assert.equal(run.code, 0, run.stdout + run.stderr);
        assert.deepEqual([broker?.verdict, broker?.ready], ['healthy', '1/1']);
      } else {
        assert.equal(run.code, 1);
        assert.deepEqual([broker?.verdict, broker?.details], ['degraded', ['1 of 1 not ready']]);
      }
    }
  });
});

describe('with the Strimzi 1.2.0 CRDs applied (server-side)', () => {
  before(() => objects.installStrimziCrds());

  test('a fully ready deployment is HEALTHY, exit 0, with every component on its own row', async () => {
    await deployShop('healthy');
    const run = await status('healthy');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.match(lines[0]!, /^context shop-test \(https:\/\/127\.0\.0\.1:\d+\)$/);
    for (const name of SERVICES) assert.match(run.stdout, new RegExp(`^healthy-shop +deployment/${name} +1/1 +\\d+ +healthy`, 'm'));
    assert.match(run.stdout, /^healthy-shop +deployment\/order +1\/1 +2 +healthy +order-7d9c5-x1 restarted 2× \(last: OOMKilled\)$/m);
    assert.match(run.stdout, /^healthy-kafka +kafka\/shop +Ready +0 +healthy +Kafka 4\.3\.1$/m);
    assert.match(run.stdout, /^healthy-kafka +kafkanodepool\/dual-role +1\/1 +0 +healthy +node ids 0$/m);
    assert.match(run.stdout, /^healthy-observability +daemonset\/otel-collector +1\/1 +0 +healthy$/m);
    assert.equal(lines.at(-2), 'verdict: HEALTHY (8 components)');
  });

  test('an unready, crash-looping service, an unready Kafka and a short collector are DEGRADED with reasons, exit 1', async () => {
    await deployShop('degraded', {
      ready: { payment: 0 },
      crashLooping: 'payment',
      kafkaConditions: [{ type: 'Ready', status: 'False', reason: 'TimeoutException', message: 'Reconciliation timed out' }],
      collector: { desired: 2, ready: 1 },
    });
    const run = await status('degraded', '--json');
    assert.equal(run.code, 1);
    const json = jsonOf(run);
    assert.equal(json.verdict, 'degraded');
    const components = byName(json);
    assert.deepEqual(components['deployment/payment'], {
      namespace: 'degraded-shop',
      component: 'deployment/payment',
      verdict: 'degraded',
      ready: '0/1',
      restarts: 7,
      details: ['1 of 1 not ready', 'payment-7d9c5-x1 CrashLoopBackOff', 'payment-7d9c5-x1 restarted 7× (last: Error)'],
    });
    assert.equal(components['kafka/shop']?.verdict, 'degraded');
    assert.deepEqual(components['kafka/shop']?.details, ['not Ready: TimeoutException: Reconciliation timed out']);
    assert.equal(components['daemonset/otel-collector']?.ready, '1/2');
    assert.equal(components['deployment/gateway']?.verdict, 'healthy');

    const human = await status('degraded');
    assert.equal(human.code, 1);
    assert.match(human.stdout, /^verdict: DEGRADED \(3 of 8 components\)$/m);
    assert.match(human.stdout, /^ {2}degraded-shop\/deployment\/payment: degraded, 1 of 1 not ready; payment-7d9c5-x1 CrashLoopBackOff$/m);
  });

  test('namespaces with nothing of the shop in them are MISSING, exit 1', async () => {
    const run = await status('empty');
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^verdict: MISSING: nothing of the shop was found here \(wrong context or namespaces\?\)$/m);
    const json = jsonOf(await status('empty', '--json'));
    assert.equal(json.verdict, 'missing');
    assert.ok(json.components.every((c: Component) => c.verdict === 'missing'));
    assert.deepEqual(byName(json)['kafkanodepool/*']?.details, ['no KafkaNodePool labelled strimzi.io/cluster=shop']);
  });

  test('other names are configurable: a Deployment list, another Kafka cluster and collector', async () => {
    const run = await status('healthy', '--services', 'gateway,order', '--kafka-cluster', 'other', '--collector', 'collector', '--json');
    const components = byName(jsonOf(run));
    assert.deepEqual(Object.keys(components), ['deployment/gateway', 'deployment/order', 'kafka/other', 'kafkanodepool/*', 'daemonset/collector']);
    assert.equal(components['kafka/other']?.verdict, 'missing');
  });
});

describe('against the manifests cdk8s synthesizes (cdk8s/manifests)', () => {
  before(async () => {
    const documents = readdirSync(CDK8S_MANIFESTS_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .flatMap((f) => loadAllYaml(readFileSync(join(CDK8S_MANIFESTS_DIR, f), 'utf8')) as KubernetesObject[])
      .filter(Boolean);
    const read = new Set(['Deployment', 'DaemonSet', 'Kafka', 'KafkaNodePool', 'Service']);
    const wanted = documents.filter((d) => read.has(d.kind!));
    // Namespaces as the manifests define them (with their Pod Security labels); the rest (kafka: Strimzi's Helm release) bare.
    const defined = documents.filter((d) => d.kind === 'Namespace');
    for (const ns of defined) await objects.apply(ns);
    const definedNames = new Set(defined.map((d) => d.metadata!.name));
    for (const ns of new Set(wanted.map((d) => d.metadata!.namespace!))) if (!definedNames.has(ns)) await objects.namespace(ns);
    for (const object of wanted) await objects.apply(object);

    // What the controllers, the kubelet and the Strimzi operator would report once everything runs.
    for (const object of wanted) {
      const { name, namespace } = object.metadata as { name: string; namespace: string };
      if (object.kind === 'Deployment') {
        await objects.deploymentStatus(namespace, name, (object as V1Deployment).spec?.replicas ?? 1);
        await objects.podFromTemplate(namespace, `${name}-0`, (object as V1Deployment).spec!.template);
      } else if (object.kind === 'DaemonSet') {
        await objects.daemonSetStatus(namespace, name, 1, 1);
        await objects.podFromTemplate(namespace, `${name}-0`, (object as V1DaemonSet).spec!.template);
      } else if (object.kind === 'Kafka') {
        await objects.kafkaStatus(namespace, name, [{ type: 'Ready', status: 'True' }]);
      } else if (object.kind === 'KafkaNodePool') {
        const replicas = (object as { spec: { replicas: number } }).spec.replicas;
        const cluster = object.metadata!.labels!['strimzi.io/cluster']!;
        await objects.nodePoolStatus(namespace, name, replicas);
        for (let i = 0; i < replicas; i++) {
          await objects.pod(namespace, `${cluster}-${name}-${i}`, { 'strimzi.io/cluster': cluster, 'strimzi.io/kind': 'Kafka', 'strimzi.io/pool-name': name });
        }
      }
    }
  });

  test('applied as they are and made ready, `shopctl status` with its default names finds every component HEALTHY', async () => {
    const run = await runShopctl(['status', '--kubeconfig', server.kubeconfig, '--json']);
    const json = jsonOf(run);
    assert.deepEqual(
      json.components.filter((c: Component) => c.verdict !== 'healthy'),
      [],
      'the default names (namespaces, Deployments, Kafka cluster, node pool label, collector) are the ones cdk8s deploys',
    );
    assert.equal(json.verdict, 'healthy');
    assert.equal(run.code, 0);
    assert.deepEqual(
      json.components.map((c: Component) => `${c.namespace}/${c.component}`),
      [...SERVICES.map((s) => `shop/deployment/${s}`), 'kafka/kafka/shop', 'kafka/kafkanodepool/dual-role', 'observability/daemonset/otel-collector'],
    );
  });

  test('cluster mode with default names resolves the gateway and Jaeger Services cdk8s defines to their pods and ports', async () => {
    // No kubelet: the forward itself fails at the API server, after the resolution this test is about.
    const order = await runShopctl(['order', '--context', 'shop-test'], { env: { KUBECONFIG: server.kubeconfig } });
    assert.equal(order.stderr, 'shopctl order: port-forward to pod shop/gateway-0 port 8080 failed: pod gateway-0 does not have a host assigned\n');
    const trace = await runShopctl(['trace', '4bf92f3577b34da6a3ce929d0e0e4736', '--context', 'shop-test'], { env: { KUBECONFIG: server.kubeconfig } });
    assert.equal(trace.stderr, 'shopctl trace: port-forward to pod observability/jaeger-0 port 16686 failed: pod jaeger-0 does not have a host assigned\n');
  });
});

describe('failures are one line and exit 1', () => {
  test('a user RBAC grants nothing is told what it may not do (403)', async () => {
    const run = await status('healthy', '--context', 'shop-test-no-rights');
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /^shopctl status: not allowed to list \S+ in namespace healthy-\S+ \(403 Forbidden\): .*User "shopctl-test-nobody" cannot list resource/,
    );
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  test('an API server that does not answer is named with the reason', async () => {
    const port = await freePort();
    const file = join(server.dir, 'kubeconfig-unreachable');
    writeFileSync(file, readFileSync(server.kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${port}`));
    const run = await runShopctl(['status', '--kubeconfig', file]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(
        `^shopctl status: cannot reach the Kubernetes API server at https://127\\.0\\.0\\.1:${port} to list \\S+ in namespace \\S+: .*ECONNREFUSED.*\\n$`,
      ),
    );
  });

  test('an unknown --context lists the contexts there are', async () => {
    const run = await runShopctl(['status', '--kubeconfig', server.kubeconfig, '--context', 'kind-shop']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, `shopctl status: no kube context "kind-shop" in ${server.kubeconfig} (contexts: shop-test, shop-test-no-rights)\n`);
  });
});
