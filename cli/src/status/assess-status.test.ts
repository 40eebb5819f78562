import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessCluster, assessKafka, assessNodePool, assessWorkload } from './assess-status.ts';
import type { ClusterSnapshot, PodFacts, StrimziFacts, WorkloadFacts } from './snapshot.ts';

const pod = (name: string, extra: Partial<PodFacts> = {}): PodFacts => ({
  name,
  ready: true,
  restarts: 0,
  waitingReasons: [],
  lastTerminationReasons: [],
  ...extra,
});
const deployment = (name: string, extra: Partial<WorkloadFacts> = {}): WorkloadFacts => ({
  kind: 'Deployment',
  namespace: 'shop',
  name,
  found: true,
  desired: 2,
  ready: 2,
  updated: 2,
  generation: 3,
  observedGeneration: 3,
  pods: [pod(`${name}-a`), pod(`${name}-b`)],
  ...extra,
});
const kafka = (extra: Partial<StrimziFacts> = {}): StrimziFacts => ({
  kind: 'Kafka',
  namespace: 'kafka',
  name: 'shop',
  found: true,
  kindKnown: true,
  generation: 1,
  observedGeneration: 1,
  conditions: [{ type: 'Ready', status: 'True' }],
  kafkaVersion: '4.3.1',
  ...extra,
});
const pool = (extra: Partial<StrimziFacts> = {}): StrimziFacts => ({
  kind: 'KafkaNodePool',
  namespace: 'kafka',
  name: 'dual-role',
  found: true,
  kindKnown: true,
  generation: 1,
  observedGeneration: 1,
  conditions: [],
  specReplicas: 1,
  statusReplicas: 1,
  nodeIds: [0],
  pods: [pod('shop-dual-role-0')],
  ...extra,
});

test('a Deployment with every replica ready is healthy; old restarts are shown, not held against it', () => {
  const status = assessWorkload(deployment('gateway', { pods: [pod('gateway-a', { restarts: 3, lastTerminationReasons: ['OOMKilled'] }), pod('gateway-b')] }));
  assert.equal(status.verdict, 'healthy');
  assert.equal(status.ready, '2/2');
  assert.equal(status.restarts, 3);
  assert.deepEqual(status.details, ['gateway-a restarted 3× (last: OOMKilled)']);
});

test('unready replicas, a crash-looping pod, a rollout or zero replicas make a Deployment degraded', () => {
  assert.deepEqual(assessWorkload(deployment('order', { ready: 1 })).details, ['1 of 2 not ready']);
  const crashing = assessWorkload(deployment('payment', { ready: 2, pods: [pod('payment-a', { waitingReasons: ['CrashLoopBackOff'], restarts: 7 })] }));
  assert.equal(crashing.verdict, 'degraded');
  assert.match(crashing.details[0]!, /payment-a CrashLoopBackOff/);
  assert.deepEqual(assessWorkload(deployment('order', { updated: 1 })).details, ['rollout in progress (1/2 updated)']);
  assert.deepEqual(assessWorkload(deployment('order', { desired: 0, ready: 0, updated: 0 })).details, ['scaled to 0 replicas']);
  // A container waiting for a normal reason (still creating) is not called stuck.
  assert.equal(assessWorkload(deployment('order', { pods: [pod('x', { waitingReasons: ['ContainerCreating'] })] })).verdict, 'healthy');
});

test('an absent workload is missing', () => {
  const status = assessWorkload({ ...deployment('gateway'), found: false });
  assert.equal(status.verdict, 'missing');
  assert.deepEqual(status.details, ['no Deployment shop/gateway']);
});

test('Kafka follows its Strimzi conditions: Ready, not Ready, NotReady, none yet, stale generation, warnings', () => {
  assert.equal(assessKafka(kafka()).verdict, 'healthy');
  assert.deepEqual(
    assessKafka(
      kafka({
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'Warning', status: 'True', reason: 'KafkaStorage', message: 'ephemeral' },
        ],
      }),
    ).details,
    ['Kafka 4.3.1', 'warning: KafkaStorage: ephemeral'],
  );
  assert.deepEqual(assessKafka(kafka({ conditions: [{ type: 'Ready', status: 'False', reason: 'TimeoutException', message: 'brokers not ready' }] })).details, [
    'not Ready: TimeoutException: brokers not ready',
  ]);
  assert.deepEqual(assessKafka(kafka({ conditions: [{ type: 'NotReady', status: 'True', reason: 'Creating' }] })).details, ['NotReady: Creating']);
  assert.deepEqual(assessKafka(kafka({ conditions: [] })).details, ['no Ready condition: not reconciled by the Strimzi operator yet']);
  assert.equal(assessKafka(kafka({ generation: 2 })).verdict, 'degraded');
  assert.equal(assessKafka(kafka({ found: false })).verdict, 'missing');
  assert.deepEqual(assessKafka(kafka({ found: false, kindKnown: false })).details, ['Strimzi CRDs are not installed (no kafkas.kafka.strimzi.io/v1)']);
});

test('a node pool is healthy when all its nodes exist and their pods are ready', () => {
  assert.equal(assessNodePool(pool()).verdict, 'healthy');
  assert.deepEqual(assessNodePool(pool({ specReplicas: 3, statusReplicas: 1, nodeIds: [0] })).details.slice(0, 2), [
    '1 of 3 nodes created',
    '2 of 3 broker pods not ready',
  ]);
  assert.deepEqual(assessNodePool(pool({ statusReplicas: undefined, pods: [] })).details.slice(0, 1), [
    'no status: not reconciled by the Strimzi operator yet',
  ]);
  assert.equal(assessNodePool(pool({ pods: [pod('shop-dual-role-0', { ready: false })] })).ready, '0/1');
});

function snapshot(extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    context: 'kind-shop',
    server: 'https://127.0.0.1:6443',
    services: ['gateway', 'order'].map((name) => deployment(name)),
    kafka: kafka(),
    nodePools: [pool()],
    nodePoolKindKnown: true,
    collector: {
      ...deployment('otel-collector'),
      kind: 'DaemonSet',
      namespace: 'observability',
      desired: 1,
      ready: 1,
      updated: 1,
      pods: [pod('otel-collector-x')],
    },
    ...extra,
  };
}

test("Kafka run by the chart is judged as its StatefulSet, and Strimzi's resources are not asked for", () => {
  const broker: WorkloadFacts = { ...deployment('shop-dual-role'), kind: 'StatefulSet', namespace: 'kafka', desired: 1, ready: 0, updated: 1 };
  const snapshot: ClusterSnapshot = {
    context: 'kind-otel-shop',
    server: 'https://127.0.0.1:6443',
    services: [deployment('gateway')],
    kafkaBroker: broker,
    kafka: kafka({ found: false, conditions: [] }),
    nodePools: [],
    nodePoolKindKnown: true,
    collector: { ...deployment('otel-collector'), kind: 'DaemonSet' },
  };
  const report = assessCluster(snapshot, 'shop');
  assert.deepEqual(
    report.components.map((c) => [c.component, c.verdict]),
    [
      ['deployment/gateway', 'healthy'],
      ['statefulset/shop-dual-role', 'degraded'],
      ['daemonset/otel-collector', 'healthy'],
    ],
  );
  assert.deepEqual(report.components[1]?.details, ['1 of 1 not ready']);
  assert.equal(report.verdict, 'degraded');
});

test('overall: healthy when all are, degraded when any is not, missing when nothing is there', () => {
  assert.equal(assessCluster(snapshot(), 'shop').verdict, 'healthy');
  assert.equal(assessCluster(snapshot({ nodePools: [] }), 'shop').verdict, 'degraded');
  const nothing = snapshot({
    services: [{ ...deployment('gateway'), found: false }],
    kafka: kafka({ found: false }),
    nodePools: [],
    collector: { ...deployment('otel-collector'), kind: 'DaemonSet', found: false },
  });
  const report = assessCluster(nothing, 'shop');
  assert.equal(report.verdict, 'missing');
  assert.deepEqual(
    report.components.map((c) => c.component),
    ['deployment/gateway', 'kafka/shop', 'kafkanodepool/*', 'daemonset/otel-collector'],
  );
});
