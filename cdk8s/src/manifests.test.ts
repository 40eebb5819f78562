// Every object the app synthesizes is valid: core objects against the
// Kubernetes OpenAPI schemas (kubernetes-models, Kubernetes 1.36), Strimzi
// resources against the Strimzi 1.2.0 CRDs (scripts/tools/strimzi-crds.sh), the way the
// API server's strict field validation would judge them (unknown fields are
// errors, except where the CRD preserves them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TOPICS } from '@shop/contracts';
import { PRODUCTION_VALUES } from './model/values.ts';
import { CORE_GROUPS, crdValidators, validateCore } from '../test/schemas.ts';
import { id, objects, type Obj } from '../test/test-support.ts';

for (const [label, values] of [
  ['dev values', undefined],
  ['production values', PRODUCTION_VALUES],
] as const) {
  test(`every core object validates against the Kubernetes schemas (${label})`, async () => {
    const core = objects(values).filter((o) => CORE_GROUPS.has(o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''));
    assert.ok(core.length > 50, `only ${core.length} core objects`);
    const failures: string[] = [];
    for (const o of core) {
      try {
        await validateCore(o);
      } catch (err) {
        failures.push(`${id(o)}: ${(err as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('every Strimzi resource validates against the Strimzi 1.2.0 CRDs', () => {
  const validators = crdValidators();
  const strimzi = objects().filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'));
  assert.deepEqual(strimzi.map((o) => o.kind).sort(), ['Kafka', 'KafkaNodePool', 'KafkaTopic', 'KafkaTopic']);
  for (const o of strimzi) {
    assert.equal(o.apiVersion, 'kafka.strimzi.io/v1', `${id(o)}: Strimzi 1.x serves only kafka.strimzi.io/v1`);
    const validate = validators.get(`${o.apiVersion}/${o.kind}`);
    assert.ok(validate, `no served CRD version for ${o.apiVersion} ${o.kind}`);
    assert.ok(validate(o), `${id(o)}: ${JSON.stringify(validate.errors, null, 1)}`);
  }
});

test('the strict CRD check catches an unknown field (it is not vacuous)', () => {
  const validators = crdValidators();
  const kafka = objects().find((o) => o.kind === 'Kafka')!;
  kafka.spec.kafka.listners = [];
  assert.equal(validators.get('kafka.strimzi.io/v1/Kafka')!(kafka), false);
});

test('the Kafka cluster is KRaft on a dual-role node pool, Kafka 4.3.x, with the two topics', () => {
  const list = objects();
  const kafka = list.find((o) => o.kind === 'Kafka')!;
  const pool = list.find((o) => o.kind === 'KafkaNodePool')!;
  assert.match(kafka.spec.kafka.version, /^4\.3\.\d+$/);
  assert.equal(kafka.spec.zookeeper, undefined);
  assert.deepEqual([...pool.spec.roles].sort(), ['broker', 'controller']);
  assert.equal(pool.metadata.labels['strimzi.io/cluster'], kafka.metadata.name);
  const topics = list.filter((o) => o.kind === 'KafkaTopic');
  // The topics of the contract, as the order service creates them on `make local`.
  assert.deepEqual(topics.map((t) => [t.spec.topicName, t.spec.partitions]).sort(), TOPICS.map((t) => [t.name, t.partitions]).sort());
  for (const t of topics) {
    assert.equal(t.metadata.labels['strimzi.io/cluster'], kafka.metadata.name);
    assert.equal(t.metadata.namespace, kafka.metadata.namespace, 'the topic operator watches the cluster namespace');
  }
});

test('the topic operator puts no finalizer on the KafkaTopics (a clean-up that deletes the cluster with its topics never hangs)', () => {
  const kafka = objects().find((o) => o.kind === 'Kafka')!;
  const env = kafka.spec.entityOperator.template.topicOperatorContainer.env as Obj[];
  assert.deepEqual(
    env.filter((e) => e.name === 'STRIMZI_USE_FINALIZERS'),
    [{ name: 'STRIMZI_USE_FINALIZERS', value: 'false' }],
  );
});

test('the broker pods keep the fsGroup Strimzi gives persistent storage (0), which a template securityContext would replace', () => {
  const list = objects();
  const kafka = list.find((o) => o.kind === 'Kafka')!;
  const pool = list.find((o) => o.kind === 'KafkaNodePool')!;
  assert.equal(pool.spec.storage.type, 'persistent-claim');
  // Strimzi uses the pool's template, else the cluster's: both must carry it.
  for (const [what, template] of [
    ['KafkaNodePool', pool.spec.template],
    ['Kafka', kafka.spec.kafka.template],
  ] as const) {
    const context = template?.pod?.securityContext;
    if (context) assert.equal(context.fsGroup, 0, `${what}: a pod securityContext without fsGroup 0 leaves the broker unable to write its volume`);
  }
  assert.ok(pool.spec.template.pod.securityContext, 'the pool sets the restricted pod context');
});

test('object names are unique and every namespaced object has a namespace', () => {
  const list = objects();
  const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
  const seen = new Set<string>();
  for (const o of list) {
    assert.ok(!seen.has(id(o)), `duplicate ${id(o)}`);
    seen.add(id(o));
    if (clusterScoped.has(o.kind)) assert.equal(o.metadata.namespace, undefined, id(o));
    else assert.ok(o.metadata.namespace, `${id(o)} has no namespace`);
  }
});
