// The outbox relay against the real orders database and the real Kafka
// broker. Rows here go to a topic of this test run's own, so relays of other
// test runs (which publish order-notifications) never touch them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { context, trace } from '@opentelemetry/api';
import { installTestTelemetry } from '@shop/kit/test/otel';

installTestTelemetry();
const { createKafka, createPublisher, ensureTopics, injectContext } = await import('@shop/kit');
const { createOutboxRelay } = await import('./outbox-relay.ts');
const { insertOutboxMessage, findOutboxByAggregate } = await import('./outbox-repo.ts');
const { openOrdersDatabase, KAFKA_BROKERS } = await import('../../test/stores.ts');
const { collectTopic } = await import('../../test/kafka.ts');
const { captureLog } = await import('../../test/log.ts');

const topic = `order-relay-test-${randomUUID()}`;
let stores: Awaited<ReturnType<typeof openOrdersDatabase>>;
let consumer: Awaited<ReturnType<typeof collectTopic>>;
const kafka = createKafka({ clientId: 'order-relay-test', brokers: KAFKA_BROKERS });
// A broker address nothing listens on, with few retries, so a failed pass is quick (the idempotent producer insists on some).
const deadKafka = new Kafka({
  clientId: 'order-relay-test-dead',
  brokers: ['127.0.0.1:1'],
  connectionTimeout: 500,
  retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
  logLevel: logLevel.NOTHING,
});

before(async () => {
  stores = await openOrdersDatabase();
  await ensureTopics(kafka, [{ topic, numPartitions: 3 }]);
  consumer = await collectTopic(topic);
});

after(async () => {
  await consumer?.stop();
  await stores?.sql.end({ timeout: 5 });
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
});

/** Writes `n` outbox rows as a request would, inside a span; returns them with that span's trace id. */
async function writeRows(n: number) {
  const span = trace.getTracer('relay-test').startSpan('order.sendNotification');
  const traceContext = context.with(trace.setSpan(context.active(), span), () => injectContext());
  span.end();
  const ids: { eventId: string; orderId: string }[] = [];
  for (let i = 0; i < n; i++) {
    const eventId = randomUUID();
    const orderId = randomUUID();
    await insertOutboxMessage(stores.db, {
      id: eventId,
      aggregateId: orderId,
      topic,
      messageKey: orderId,
      payload: { event_id: eventId, type: 'order.created', order_id: orderId },
      traceContext,
    });
    ids.push({ eventId, orderId });
  }
  return { ids, traceId: span.spanContext().traceId };
}

async function rowOf(orderId: string) {
  const [row] = await findOutboxByAggregate(stores.db, orderId);
  assert.ok(row);
  return row;
}

test('Kafka unreachable: rows stay unsent with attempts counted; with the broker back they are sent exactly once, in their trace', async () => {
  const { ids, traceId } = await writeRows(3);

  const dead = createOutboxRelay({ db: stores.db, publisher: createPublisher(deadKafka), log: captureLog().log, topics: [topic] });
  const failed = await dead.runOnce();
  assert.equal(failed.sent, 0);
  assert.ok(failed.error, 'the pass reports why it stopped');
  for (const { orderId } of ids) {
    const row = await rowOf(orderId);
    assert.equal(row.sentAt, null, 'never marked sent without an ack');
    assert.ok(row.attempts > 0);
    assert.match(row.lastError ?? '', /\S/);
  }
  await dead.runOnce();
  assert.ok((await rowOf(ids[0]!.orderId)).attempts >= 2, 'retried, not dropped');
  await dead.stop();

  const live = createOutboxRelay({ db: stores.db, publisher: createPublisher(kafka), log: captureLog().log, topics: [topic] });
  try {
    const run = await live.runOnce();
    assert.equal(run.error, undefined);
    assert.equal(run.sent, 3);
    for (const { orderId } of ids) {
      const row = await rowOf(orderId);
      assert.ok(row.sentAt, 'sent after the ack');
      assert.equal(row.lastError, null);
    }
    assert.equal((await live.runOnce()).claimed, 0, 'nothing left to send');
  } finally {
    await live.stop();
  }

  for (const { orderId, eventId } of ids) {
    const messages = await consumer.waitFor(orderId);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.eventId, eventId);
    assert.equal(messages[0]?.eventType, 'order.created');
    assert.equal(messages[0]?.traceId, traceId, 'the publish continues the trace stored with the row');
  }
  // Time for any duplicate to show up: there is none.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const { orderId } of ids) assert.equal(consumer.received.filter((m) => m.key === orderId).length, 1);
});

test('the relay loop backs off while Kafka is down and logs the outage once, not once per row or pass', async () => {
  const { ids } = await writeRows(2);
  const { log, lines } = captureLog();
  const dead = createOutboxRelay({ db: stores.db, publisher: createPublisher(deadKafka), log, topics: [topic], pollMs: 20, maxBackoffMs: 100 });
  dead.start();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await dead.stop();
  const row = await rowOf(ids[0]!.orderId);
  assert.ok(row.attempts >= 2, `retried (${row.attempts} attempts)`);
  assert.equal(row.sentAt, null);
  assert.equal(lines.filter((l) => l.level === 'warn').length, 1, JSON.stringify(lines));

  // Broker back: the loop sends them and says so once.
  const live = createOutboxRelay({ db: stores.db, publisher: createPublisher(kafka), log, topics: [topic], pollMs: 20 });
  live.start();
  try {
    for (const { orderId } of ids) assert.equal((await consumer.waitFor(orderId)).length, 1);
  } finally {
    await live.stop();
  }
});

test('two relays side by side send every row exactly once (FOR UPDATE SKIP LOCKED)', async () => {
  const { ids } = await writeRows(30);
  const relays = [0, 1].map(() =>
    createOutboxRelay({ db: stores.db, publisher: createPublisher(kafka), log: captureLog().log, topics: [topic], batchSize: 5 }),
  );
  try {
    // Passes side by side until neither finds anything left to claim.
    for (let pass = 0; pass < 20; pass++) {
      const runs = await Promise.all(relays.map((r) => r.runOnce()));
      assert.ok(runs.every((r) => r.error === undefined));
      if (runs.every((r) => r.claimed === 0)) break;
    }
    for (const { orderId } of ids) assert.ok((await rowOf(orderId)).sentAt, 'every row sent');
  } finally {
    await Promise.all(relays.map((r) => r.stop()));
  }
  for (const { orderId } of ids) assert.equal((await consumer.waitFor(orderId)).length, 1);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const eventIds = consumer.received.filter((m) => ids.some((i) => i.orderId === m.key)).map((m) => m.eventId);
  assert.equal(eventIds.length, 30);
  assert.equal(new Set(eventIds).size, 30);
});

test('a relay leaves rows of topics it does not publish alone', async () => {
  const { ids } = await writeRows(1);
  const other = createOutboxRelay({ db: stores.db, publisher: createPublisher(kafka), log: captureLog().log, topics: [`${topic}-other`] });
  try {
    const run = await other.runOnce();
    assert.equal(run.claimed, 0);
    assert.equal((await rowOf(ids[0]!.orderId)).attempts, 0);
  } finally {
    await other.stop();
  }
  const live = createOutboxRelay({ db: stores.db, publisher: createPublisher(kafka), log: captureLog().log, topics: [topic] });
  await live.runOnce();
  await live.stop();
});
