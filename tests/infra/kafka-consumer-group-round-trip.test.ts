// kafkajs against the real broker: admin creates a topic, a producer sends
// keyed messages with headers, a consumer group reads them back and commits
// its offsets, which admin then fetches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, Partitioners, logLevel, type LogEntry } from 'kafkajs';
import { kafkaBrokers, pollUntil, uniqueSuffix } from './settings.ts';

type Received = { partition: number; offset: string; key: string; value: string; headers: Record<string, string> };

test('kafkajs consumer group round trip: keys, values, headers and committed offsets', { timeout: 90_000 }, async (t) => {
  const suffix = uniqueSuffix();
  const topic = `it.round-trip.${suffix}`;
  const groupId = `it-group-${suffix}`;
  // kafkajs logs through its own logger; keep its errors for the report
  // instead of letting them interleave with the test output.
  const kafkaLog: string[] = [];
  const kafka = new Kafka({
    clientId: `system-tests-${suffix}`,
    brokers: kafkaBrokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, label, log }: LogEntry) => {
        kafkaLog.push(`${label} [${namespace}] ${log.message}${'error' in log ? ` (${String(log.error)})` : ''}`);
      },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  // Short fetch long-poll: disconnect waits for the in-flight fetch (5 s by default).
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 500 });

  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    t.diagnostic(
      `cluster ${cluster.clusterId}, controller ${cluster.controller}, brokers ${cluster.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(' ')}`,
    );
    assert.equal(cluster.brokers.length, 1);

    const created = await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    assert.equal(created, true, 'createTopics reported the topic already existed');
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.equal(metadata.topics[0]?.partitions.length, 3);

    const keys = ['order-a', 'order-b', 'order-c', 'order-d'];
    const sent = Array.from({ length: 12 }, (_, i) => ({
      key: keys[i % keys.length] ?? 'order-a',
      value: JSON.stringify({ seq: i, suffix }),
      headers: { 'event-type': 'order.created', seq: String(i) },
    }));
    await producer.connect();
    const acks = await producer.send({ topic, acks: -1, messages: sent });
    assert.ok(
      acks.every((a) => a.errorCode === 0),
      `produce errors: ${JSON.stringify(acks)}`,
    );

    const received: Received[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
        received.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          headers,
        });
      },
    });
    await pollUntil(`all ${sent.length} messages consumed`, 45_000, async () => (received.length >= sent.length ? true : undefined));

    // Values, keys and headers come back unchanged.
    const bySeq = [...received].sort((a, b) => JSON.parse(a.value).seq - JSON.parse(b.value).seq);
    assert.equal(bySeq.length, sent.length);
    bySeq.forEach((got, i) => {
      assert.equal(got.key, sent[i]?.key);
      assert.equal(got.value, sent[i]?.value);
      assert.deepEqual(got.headers, sent[i]?.headers);
    });
    // Same key, same partition: the ordering guarantee the order events rely on.
    for (const key of keys) {
      const partitions = new Set(received.filter((r) => r.key === key).map((r) => r.partition));
      assert.equal(partitions.size, 1, `key ${key} spread over partitions ${[...partitions].join(',')}`);
    }

    // Stopping the consumer commits what it resolved; the group's offsets
    // must then point past the last message of every partition.
    await consumer.disconnect();
    const expected = new Map<number, number>();
    for (const r of received) expected.set(r.partition, Math.max(expected.get(r.partition) ?? -1, Number(r.offset) + 1));
    const committed = await pollUntil('group offsets committed', 10_000, async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const all = offsets?.partitions ?? [];
      return all.every((p) => Number(p.offset) === (expected.get(p.partition) ?? -1)) ? all : undefined;
    });
    t.diagnostic(`group ${groupId} committed ${committed.map((p) => `p${p.partition}=${p.offset}`).join(' ')}`);
    assert.equal(
      committed.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0),
      sent.length,
    );

    const groups = await admin.describeGroups([groupId]);
    assert.equal(groups.groups[0]?.groupId, groupId);
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch((e: unknown) => kafkaLog.push(`deleteTopics: ${String(e)}`));
    await admin.disconnect().catch(() => {});
    for (const line of kafkaLog) t.diagnostic(`kafkajs: ${line}`);
  }
});
