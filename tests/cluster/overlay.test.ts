// The cluster tier's overlay (overlay.ts) is what Strimzi's operator would
// make of the chart's Kafka resources, read from them, and takes away only
// Grafana: checked against the generated manifests (the chart with defaults).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KAFKA_BOOTSTRAP } from '@shop/cdk8s/topology';
import { overlay } from './overlay.ts';

type Obj = Record<string, any>;
const dir = path.resolve(import.meta.dirname, '..', '..', 'cdk8s', 'manifests');
const objects: Obj[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON() as Obj))
  .filter(Boolean);
const kafka = objects.find((o) => o.kind === 'Kafka')!;
const pool = objects.find((o) => o.kind === 'KafkaNodePool')!;
const o = overlay(objects, 'otel-shop/order:0.1.0');
const byKind = (kind: string) => o.apply.filter((x) => x.kind === kind);

test('the broker pods are the node pool as Strimzi would run it: name, labels, security, resources, storage, the cluster config', () => {
  const sts = byKind('StatefulSet')[0]!;
  assert.equal(sts.metadata.name, `${kafka.metadata.name}-${pool.metadata.name}`, 'pods are <cluster>-<pool>-<n>, as Strimzi names them');
  assert.equal(sts.spec.replicas, pool.spec.replicas);
  const labels = sts.spec.template.metadata.labels;
  assert.deepEqual(
    [labels['strimzi.io/cluster'], labels['strimzi.io/kind'], labels['strimzi.io/pool-name']],
    [kafka.metadata.name, 'Kafka', pool.metadata.name],
  );
  const pod = sts.spec.template.spec;
  assert.deepEqual(pod.securityContext, pool.spec.template.pod.securityContext);
  assert.equal(pod.securityContext.fsGroup, 0);
  const c = pod.containers[0];
  assert.deepEqual(c.securityContext, pool.spec.template.kafkaContainer.securityContext);
  assert.deepEqual(c.resources, pool.spec.resources);
  const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
  assert.match(env.KAFKA_CONFIG, /^auto\.create\.topics\.enable=false$/m);
  assert.match(env.KAFKA_CONFIG, /^offsets\.topic\.replication\.factor=1$/m);
  assert.equal(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, pool.spec.storage.size);
});

test("clients find the broker where Strimzi's Services would put it", () => {
  const services = byKind('Service').map((s) => s.metadata.name);
  assert.deepEqual(services.sort(), ['shop-kafka-bootstrap', 'shop-kafka-brokers']);
  const [host, port] = KAFKA_BOOTSTRAP.split(':');
  assert.equal(host, 'shop-kafka-bootstrap.kafka.svc.cluster.local');
  assert.ok(
    byKind('Service')
      .find((s) => s.metadata.name === 'shop-kafka-bootstrap')!
      .spec.ports.some((p: Obj) => p.port === Number(port)),
  );
});

test("the broker's NetworkPolicy lets in exactly the listener's networkPolicyPeers (and the topic job)", () => {
  const policy = byKind('NetworkPolicy')[0]!;
  const peers = policy.spec.ingress[0].from;
  assert.deepEqual(peers.slice(0, -1), kafka.spec.kafka.listeners[0].networkPolicyPeers);
  assert.deepEqual(policy.spec.ingress[0].ports, [{ port: 9092, protocol: 'TCP' }]);
});

test("the topics are the KafkaTopics' and only Grafana is taken away", () => {
  const job = byKind('Job')[0]!;
  const script = job.spec.template.spec.containers[0].command[2];
  for (const t of objects.filter((x) => x.kind === 'KafkaTopic')) {
    assert.ok(script.includes(`"topic":"${t.spec.topicName}","numPartitions":${t.spec.partitions}`), t.spec.topicName);
  }
  assert.deepEqual(o.remove, [{ kind: 'Deployment', namespace: 'observability', name: 'grafana' }]);
});
