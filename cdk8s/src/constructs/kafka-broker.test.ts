// Kafka without an operator (kafka.operator=none) is the same Kafka as the
// Strimzi mode, at the same address: the release, the broker settings, the
// topics, the names clients use. What runs it on a node is the cluster
// tier's business (tests/cluster); this checks what the chart asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objects, type Obj } from '../../test/test-support.ts';
import { IMAGES } from '../model/images.ts';
import { KAFKA, KAFKA_BOOTSTRAP, KAFKA_POD_LABELS } from '../model/topology.ts';
import { DEV_VALUES, type Values } from '../model/values.ts';
import { KAFKA_BROKER_CONFIG, KAFKA_TOPICS } from './kafka.ts';
import { KAFKA_NAMES } from './kafka-broker.ts';

const withoutOperator: Values = { ...DEV_VALUES, kafka: { ...DEV_VALUES.kafka, operator: 'none' } };
const list = objects(withoutOperator);
const inKafka = (kind: string) => list.filter((o) => o.kind === kind && o.metadata.namespace === DEV_VALUES.namespaces.kafka);
const script = (o: Obj): string => o.spec.template.spec.containers[0].command.join(' ');

test('the broker is the Kafka release Strimzi would run, with the same settings, one KRaft node that is broker and controller', () => {
  assert.equal(
    list.some((o) => o.apiVersion.startsWith('kafka.strimzi.io/')),
    false,
    'no Strimzi resource',
  );
  const [sts, ...more] = inKafka('StatefulSet');
  assert.ok(sts && more.length === 0, 'one StatefulSet');
  assert.equal(sts.metadata.name, KAFKA_NAMES.nodes);
  const c = sts.spec.template.spec.containers[0];
  assert.equal(c.image, IMAGES.kafka);
  assert.equal(IMAGES.kafka, `apache/kafka:${KAFKA.version}`, 'the image is the release the Strimzi mode asks for');
  for (const [k, v] of Object.entries(KAFKA_BROKER_CONFIG)) assert.ok(script(sts).includes(`\n${k}=${v}\n`), `${k}=${v}`);
  assert.match(script(sts), /^process\.roles=broker,controller$/m);
  assert.match(script(sts), /--standalone --ignore-formatted/, 'formats its storage once, as its own quorum');
  assert.match(script(sts), /^exec \/opt\/kafka\/bin\/kafka-server-start\.sh /m, 'Kafka is the container process, and gets its SIGTERM');
  assert.deepEqual(sts.spec.selector.matchLabels, KAFKA_POD_LABELS, "the labels clients' NetworkPolicies name in either mode");
  assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, DEV_VALUES.kafka.storage.size);
  const env = Object.fromEntries(c.env.filter((e: Obj) => 'value' in e).map((e: Obj) => [e.name, e.value]));
  assert.equal(env.KAFKA_HEAP_OPTS, `-Xms${DEV_VALUES.kafka.heap} -Xmx${DEV_VALUES.kafka.heap}`);
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.equal(sts.spec.template.spec.securityContext.runAsUser, 1000, "the image's appuser");
});

test('clients find it at the address of the Strimzi mode, and the chart makes its namespace, restricted', () => {
  const [host, port] = KAFKA_BOOTSTRAP.split(':');
  const bootstrap = inKafka('Service').find((s) => `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local` === host);
  assert.ok(bootstrap, `a Service for ${host}`);
  assert.deepEqual(
    bootstrap.spec.ports.map((p: Obj) => p.port),
    [Number(port)],
  );
  const brokers = inKafka('Service').find((s) => s.metadata.name === KAFKA_NAMES.brokers);
  assert.equal(brokers?.spec.clusterIP, 'None', 'the pods’ own DNS names, which the broker advertises');
  const ns = list.find((o) => o.kind === 'Namespace' && o.metadata.name === DEV_VALUES.namespaces.kafka);
  assert.equal(ns?.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
});

test('a Job creates the topics of the Strimzi mode with Kafka’s own tool, its name carries a hash of what it runs', () => {
  const [job, ...more] = inKafka('Job');
  assert.ok(job && more.length === 0, 'one Job');
  assert.equal(job.spec.template.spec.containers[0].image, IMAGES.kafka);
  for (const t of KAFKA_TOPICS) {
    const line = script(job)
      .split('\n')
      .find((l) => l.includes(`--topic ${t.name} `));
    assert.ok(line, t.name);
    assert.match(line, /kafka-topics\.sh .*--create --if-not-exists/);
    assert.match(line, new RegExp(`--partitions ${t.partitions} --replication-factor 1`));
    for (const [k, v] of Object.entries(t.config)) assert.ok(line.includes(`--config ${k}=${v}`), `${t.name} ${k}`);
  }
  assert.match(job.metadata.name, /^shop-kafka-topics-[0-9a-f]{8}$/);
});

test('the Strimzi mode (the default) has neither the broker, its Services, nor the Job', () => {
  const strimzi = objects();
  const kafkaNs = strimzi.filter((o) => o.metadata.namespace === DEV_VALUES.namespaces.kafka).map((o) => o.kind);
  assert.deepEqual([...new Set(kafkaNs)].sort(), ['Kafka', 'KafkaNodePool', 'KafkaTopic', 'NetworkPolicy']);
});
