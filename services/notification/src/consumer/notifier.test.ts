// The consumer side against the real Kafka and Postgres: each event sent and
// recorded once, duplicates skipped, poison parked on the dead-letter topic
// without stopping the partition, retries then dead-lettering when the
// channel keeps failing, the trace carried across Kafka, a pending event
// left by a crash sent on redelivery, and a stop that finishes the message
// in hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, trace, context } from '@opentelemetry/api';
import { installTestTelemetry } from '@shop/kit/test/otel';

const telemetry = installTestTelemetry();
const support = await import('../../test/support.ts');
const { eventually, orderEvent, publish, uniqueTopics, startTestNotifier } = support;
const { buildApp } = await import('../app.ts');
const { notifications } = await import('../db/schema.ts');
const { eq, inArray } = await import('drizzle-orm');

const { sql, db } = await support.openStores();
const healthy = uniqueTopics('ok');
const failing = uniqueTopics('fail');
const draining = uniqueTopics('drain');
await support.createTopics(healthy, failing, draining);

let main: ReturnType<typeof startTestNotifier>;
let broken: ReturnType<typeof startTestNotifier>;
let dlq: Awaited<ReturnType<typeof support.readTopics>>;
const app = buildApp({ sql, db, consumerReady: () => main.notifier.consumer.assertReady(), logLevel: 'silent' });

before(async () => {
  main = startTestNotifier({ db, topics: healthy });
  broken = startTestNotifier({ db, topics: failing, settings: { failureRate: 1, maxAttempts: 3 } });
  [dlq] = await Promise.all([
    support.readTopics([healthy.dlqTopic, failing.dlqTopic]),
    main.notifier.consumer.whenJoined(),
    broken.notifier.consumer.whenJoined(),
  ]);
});

after(async () => {
  await Promise.all([main.notifier.stop(), broken.notifier.stop(), dlq.stop()]);
  await app.close();
  await support.disconnectProducer();
  await support.deleteTopics([healthy, failing, draining].flatMap((t) => [t.topic, t.dlqTopic]));
  await sql.end();
});

const rowsOf = (eventIds: string[]) => db.select().from(notifications).where(inArray(notifications.eventId, eventIds));
const rowOf = async (eventId: string) => (await rowsOf([eventId]))[0];

async function metric(name: string, attributes: Record<string, string> = {}): Promise<number> {
  const found = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === name);
  const points = (found?.dataPoints ?? []).filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
  return points.reduce((sum, p) => sum + (typeof p.value === 'number' ? p.value : (p.value as { count: number }).count), 0);
}

test('an event is sent once and recorded, and the admin API shows it', async () => {
  const sentBefore = await metric('notifications.sent');
  const lagBefore = await metric('notification.lag');
  const delayBefore = await metric('notification.delay', { 'notification.outcome': 'sent' });
  const event = orderEvent();
  await publish(healthy.topic, event.order_id, event);
  const row = await eventually(
    () => rowOf(event.event_id),
    (r) => r?.status === 'sent',
  );
  assert.equal(row?.orderId, event.order_id);
  assert.equal(row?.type, 'order.created');
  assert.equal(row?.channel, 'email');
  assert.equal(row?.attempts, 1);
  assert.equal(row?.lastError, null);
  assert.ok(row?.sentAt instanceof Date);
  assert.equal(await metric('notifications.sent'), sentBefore + 1);
  assert.equal(await metric('notification.lag'), lagBefore + 1, 'one lag observation');
  assert.equal(await metric('notification.delay', { 'notification.outcome': 'sent' }), delayBefore + 1, 'its delay, as sent');

  const response = await app.inject({ method: 'GET', url: `/notifications?order_id=${event.order_id}` });
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.equal(body.notifications.length, 1);
  assert.deepEqual(Object.keys(body.notifications[0]).sort(), ['attempts', 'channel', 'created_at', 'event_id', 'order_id', 'sent_at', 'status']);
  assert.equal(body.notifications[0].event_id, event.event_id);
  assert.equal(body.notifications[0].status, 'sent');
  assert.match(body.notifications[0].sent_at, /^\d{4}-\d{2}-\d{2}T/);
  assert.ok(!JSON.stringify(body).includes(event.user_id), 'no user id in the admin API');

  assert.deepEqual((await app.inject({ method: 'GET', url: '/notifications?order_id=no-such-order' })).json(), { notifications: [] });
  assert.equal((await app.inject({ method: 'GET', url: '/notifications' })).statusCode, 400);
  assert.equal((await app.inject({ method: 'GET', url: '/notifications?order_id=%C3%BC' })).statusCode, 400);
});

test('the same event delivered twice makes one notification', async () => {
  const duplicatesBefore = await metric('notifications.duplicates');
  const sentBefore = await metric('notifications.sent');
  const event = orderEvent();
  await publish(healthy.topic, event.order_id, event);
  await publish(healthy.topic, event.order_id, event);
  // A marker behind them on the same partition: once it is sent, both copies were handled.
  const marker = orderEvent({ order_id: event.order_id });
  await publish(healthy.topic, event.order_id, marker);
  await eventually(
    () => rowOf(marker.event_id),
    (r) => r?.status === 'sent',
  );
  const rows = await db.select().from(notifications).where(eq(notifications.orderId, event.order_id));
  assert.deepEqual(
    rows.map((r) => [r.eventId, r.status, r.attempts]).sort(),
    [
      [event.event_id, 'sent', 1],
      [marker.event_id, 'sent', 1],
    ].sort(),
  );
  assert.equal(await metric('notifications.duplicates'), duplicatesBefore + 1);
  assert.equal(await metric('notifications.sent'), sentBefore + 2);
});

test('poison messages go to the dead-letter topic with their reason, and the partition moves on', async () => {
  const key = `order-${Date.now()}`;
  const poison: [string, string][] = [
    ['{"event_id": "e1", ', 'invalid_json'],
    [JSON.stringify({ ...orderEvent(), quantity: '2' }), 'invalid_event: /quantity'],
    [JSON.stringify({ ...orderEvent(), type: 'order.deleted' }), 'invalid_event: /type'],
    [JSON.stringify({ ...orderEvent(), occurred_at: 'yesterday' }), 'invalid_event: /occurred_at'],
    [JSON.stringify({ order_id: 'x' }), 'invalid_event'],
    ['[]', 'invalid_event'],
  ];
  const deadBefore = await metric('notifications.dead_lettered', { reason: 'invalid_event' });
  for (const [value] of poison) await publish(healthy.topic, key, value, { headers: { 'event-type': 'order.created', 'x-custom': 'kept' } });
  const after = orderEvent({ order_id: key });
  await publish(healthy.topic, key, after);

  await eventually(
    () => rowOf(after.event_id),
    (r) => r?.status === 'sent',
  );
  const letters = await eventually(
    async () => dlq.messages.filter((m) => m.topic === healthy.dlqTopic && m.key?.toString() === key),
    (m) => m.length === poison.length,
  );
  const header = (m: (typeof letters)[number], name: string) => m.headers?.[name]?.toString();
  letters.sort((a, b) => Number(header(a, 'original-offset')) - Number(header(b, 'original-offset')));
  letters.forEach((letter, i) => {
    const [value, reason] = poison[i]!;
    assert.equal(letter.value?.toString(), value, 'the value byte for byte');
    assert.ok(header(letter, 'dlq-reason')?.startsWith(reason), `${header(letter, 'dlq-reason')} starts with ${reason}`);
    assert.equal(header(letter, 'dlq-attempts'), '0', 'no retries for poison');
    assert.equal(header(letter, 'original-topic'), healthy.topic);
    assert.match(header(letter, 'original-partition') ?? '', /^[0-2]$/);
    assert.match(header(letter, 'original-offset') ?? '', /^\d+$/);
    assert.equal(header(letter, 'x-custom'), 'kept', 'original headers travel along');
    assert.match(header(letter, 'traceparent') ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });
  assert.equal(await metric('notifications.dead_lettered', { reason: 'invalid_event' }), deadBefore + poison.length);
  assert.ok(main.logged.some((l) => l.level === 'warn' && l.msg === 'poison message dead-lettered'));
});

test('notification.process continues the producer’s trace across Kafka, and notification.send is its child', async () => {
  const tracer = trace.getTracer('test-producer');
  const event = orderEvent();
  const producerSpan = tracer.startSpan('order.sendNotification', { kind: SpanKind.PRODUCER });
  await publish(healthy.topic, event.order_id, event, { ctx: trace.setSpan(context.active(), producerSpan) });
  producerSpan.end();
  await eventually(
    () => rowOf(event.event_id),
    (r) => r?.status === 'sent',
  );

  const spans = await eventually(
    () => telemetry.finishedSpans(),
    (s) =>
      s.some((x) => x.name === 'notification.process' && x.attributes['notification.event_id'] === event.event_id) &&
      s.some((x) => x.name === `process ${healthy.topic}` && x.spanContext().traceId === producerSpan.spanContext().traceId),
  );
  const process = spans.find((s) => s.name === 'notification.process' && s.attributes['notification.event_id'] === event.event_id)!;
  assert.equal(process.kind, SpanKind.CONSUMER);
  assert.equal(process.spanContext().traceId, producerSpan.spanContext().traceId);
  // The kit's consumer handles the message inside its `process <topic>` span, the producer's child.
  const consumed = spans.find((s) => s.spanContext().spanId === process.parentSpanContext?.spanId);
  assert.equal(consumed?.name, `process ${healthy.topic}`);
  assert.equal(consumed?.kind, SpanKind.CONSUMER);
  assert.equal(consumed?.parentSpanContext?.spanId, producerSpan.spanContext().spanId);
  assert.equal(consumed?.attributes['messaging.consumer.group.name'], healthy.groupId);
  assert.equal(process.attributes['order.id'], event.order_id);
  assert.equal(process.attributes['messaging.destination.name'], healthy.topic);
  assert.equal(process.attributes['notification.outcome'], 'sent');
  const send = spans.filter((s) => s.name === 'notification.send' && s.parentSpanContext?.spanId === process.spanContext().spanId);
  assert.equal(send.length, 1);
  assert.equal(send[0]!.spanContext().traceId, producerSpan.spanContext().traceId);
  const database = spans.filter((s) => s.spanContext().traceId === producerSpan.spanContext().traceId && s.attributes['db.system.name'] === 'postgresql');
  assert.ok(
    database.some((s) => s.name === 'INSERT notifications'),
    'the claim is traced too',
  );
  for (const span of [process, ...send]) assert.ok(!JSON.stringify(span.attributes).includes(event.user_id), 'no user id in spans');
});

test('with failure rate 1 an event is tried NOTIFY_MAX_ATTEMPTS times, then dead-lettered', async () => {
  const failedBefore = await metric('notifications.failed');
  const deadBefore = await metric('notifications.dead_lettered', { reason: 'max_attempts' });
  const delayBefore = await metric('notification.delay', { 'notification.outcome': 'dead_lettered' });
  telemetry.spans.reset();
  const event = orderEvent();
  await publish(failing.topic, event.order_id, event);
  const row = await eventually(
    () => rowOf(event.event_id),
    (r) => r?.status === 'dead_lettered',
  );
  assert.equal(row?.attempts, 3);
  assert.equal(row?.lastError, 'simulated channel failure');
  assert.equal(row?.sentAt, null);
  const [letter] = await eventually(
    async () => dlq.messages.filter((m) => m.topic === failing.dlqTopic && m.key?.toString() === event.order_id),
    (m) => m.length === 1,
  );
  assert.equal(letter!.headers?.['dlq-attempts']?.toString(), '3');
  assert.match(letter!.headers?.['dlq-reason']?.toString() ?? '', /^max_attempts: simulated channel failure/);
  assert.equal(letter!.headers?.['event-id']?.toString(), event.event_id);
  assert.deepEqual(JSON.parse(letter!.value!.toString()), event, 'same value');
  assert.equal(await metric('notifications.failed'), failedBefore + 3);
  assert.equal(await metric('notifications.dead_lettered', { reason: 'max_attempts' }), deadBefore + 1);
  assert.equal(await metric('notification.delay', { 'notification.outcome': 'dead_lettered' }), delayBefore + 1, 'its delay, as dead-lettered');

  const spans = await telemetry.finishedSpans();
  const process = spans.find((s) => s.name === 'notification.process' && s.attributes['notification.event_id'] === event.event_id)!;
  const sends = spans.filter((s) => s.name === 'notification.send' && s.parentSpanContext?.spanId === process.spanContext().spanId);
  assert.deepEqual(
    sends.map((s) => s.attributes['notification.attempt']),
    [1, 2, 3],
  );
  assert.ok(
    sends.every((s) => s.status.code === 2),
    'each failed send is an error span',
  );
  assert.equal(process.attributes['notification.outcome'], 'dead_lettered');
  assert.equal(process.status.code, 2);
  assert.equal(letter!.headers?.traceparent?.toString().split('-')[1], process.spanContext().traceId, 'the DLQ message stays in the trace');

  // A redelivery of the dead-lettered event is a duplicate, not another round.
  await publish(failing.topic, event.order_id, event);
  const marker = orderEvent({ order_id: event.order_id });
  await publish(failing.topic, event.order_id, marker);
  await eventually(
    () => rowOf(marker.event_id),
    (r) => r?.status === 'dead_lettered',
  );
  assert.equal((await rowOf(event.event_id))?.attempts, 3);
});

test('an event left pending by a crashed delivery is sent when it comes again', async () => {
  const event = orderEvent();
  // What a crash between the claim (and one failed attempt) and the send leaves behind.
  await db
    .insert(notifications)
    .values({ eventId: event.event_id, orderId: event.order_id, type: event.type, status: 'pending', attempts: 1, lastError: 'simulated channel failure' });
  await publish(healthy.topic, event.order_id, event);
  const row = await eventually(
    () => rowOf(event.event_id),
    (r) => r?.status === 'sent',
  );
  assert.equal(row?.attempts, 2, 'attempts count across deliveries');
  assert.ok(main.logged.some((l) => l.msg.startsWith('resuming a pending event')));
});

test('readiness needs Postgres and a joined consumer', async () => {
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200, ready.body);
  assert.deepEqual(ready.json().checks, { postgres: 'ok', consumer: 'ok' });
  const notJoined = buildApp({
    sql,
    db,
    consumerReady: () => {
      throw new Error('consumer has not joined its group');
    },
    logLevel: 'silent',
  });
  const response = await notJoined.inject({ method: 'GET', url: '/readyz' });
  assert.equal(response.statusCode, 503);
  assert.match(response.json().checks.consumer, /not joined/);
  await notJoined.close();
});

test('stopping finishes the message in hand before leaving the group', async () => {
  const slow = startTestNotifier({ db, topics: draining, settings: { latencyMs: 1500 } });
  await slow.notifier.consumer.whenJoined();
  const event = orderEvent();
  await publish(draining.topic, event.order_id, event);
  await eventually(
    () => rowOf(event.event_id),
    (r) => r !== undefined,
    20_000,
  );
  // The send (1.5 s) is under way: stop now.
  await slow.notifier.stop();
  const row = await rowOf(event.event_id);
  assert.equal(row?.status, 'sent', 'the message in hand was finished');
  assert.equal(slow.notifier.consumer.joined, false);
});

test('a message whose handling failed (database unreachable) is not committed: the group gets it again', { timeout: 60_000 }, async () => {
  const topics = uniqueTopics('uncommitted');
  await support.createTopics(topics);
  const { createPostgres } = await import('@shop/kit');
  const { createDatabase } = await import('../db/client.ts');
  // Nothing listens on port 1: every query fails as with a database outage.
  const deadSql = createPostgres('postgres://shop@127.0.0.1:1/notifications', { connectTimeout: 1 });
  const failing = startTestNotifier({ db: createDatabase(deadSql), topics });
  try {
    await failing.notifier.consumer.whenJoined();
    const event = orderEvent();
    await publish(topics.topic, event.order_id, event);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await rowOf(event.event_id), undefined);
    await failing.notifier.stop();

    const healthy = startTestNotifier({ db, topics });
    const row = await eventually(
      () => rowOf(event.event_id),
      (r) => r?.status === 'sent',
      30_000,
    );
    assert.equal(row?.attempts, 1);
    await healthy.notifier.stop();
  } finally {
    await failing.notifier.stop();
    await deadSql.end();
    await support.deleteTopics([topics.topic, topics.dlqTopic]);
  }
});

test('with Kafka unreachable at start the service keeps trying, reports not ready, and stops promptly', { timeout: 60_000 }, async () => {
  const { createKafka } = await import('@shop/kit');
  const { logLevel } = await import('kafkajs');
  const nowhere = createKafka({ clientId: 'notification-test-nowhere', brokers: ['127.0.0.1:1'], connectionTimeout: 200, logLevel: logLevel.NOTHING });
  const stranded = startTestNotifier({ db, kafka: nowhere, topics: uniqueTopics('nowhere') });
  // kafkajs retries the connection itself (~6 s with the kit's settings) before the first attempt fails.
  await eventually(
    async () => stranded.logged.some((l) => l.level === 'warn' && l.msg.startsWith('cannot start the consumer yet')),
    (logged) => logged,
    30_000,
  );
  assert.equal(stranded.notifier.consumer.joined, false);
  assert.throws(() => stranded.notifier.consumer.assertReady(), /not joined/);
  const started = performance.now();
  await stranded.notifier.stop();
  assert.ok(performance.now() - started < 15_000, `stop took ${Math.round(performance.now() - started)} ms`);
});
