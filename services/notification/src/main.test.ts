// notification-service as it really runs: `node --import
// @shop/kit/telemetry/register src/main.ts`, exporting to the real Jaeger.
// The kit's `process <topic>` span sits between the producer's span and
// notification.process; the chain must lead back to the producer, and the
// dead letter's `send` span hang under the processing that gave up.
// SIGTERM then stops it cleanly.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startService } from '@shop/kit/test/process';
import { OTLP_ENDPOINT, waitForTrace, type FlatSpan } from '@shop/kit/test/jaeger';
import { DATABASE_URL, createTopics, deleteTopics, disconnectProducer, eventually, orderEvent, publish, uniqueTopics } from '../test/support.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const topics = uniqueTopics('main');
await createTopics(topics);
after(async () => {
  await disconnectProducer();
  await deleteTopics([topics.topic, topics.dlqTopic]);
});

test('started with the telemetry hook: consumes, traces across Kafka into Jaeger, and stops on SIGTERM', { timeout: 60_000 }, async () => {
  const service = await startService(
    MAIN,
    {
      DATABASE_URL,
      KAFKA_TOPIC: topics.topic,
      KAFKA_GROUP_ID: topics.groupId,
      HOST: '127.0.0.1',
      OTEL_SERVICE_NAME: 'notification-service',
      OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      // Jaeger takes traces only.
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
    { telemetry: true },
  );
  let stopped = false;
  after(async () => {
    if (!stopped) await service.stop();
  });

  await eventually(
    async () => (await fetch(`${service.url}/readyz`)).status,
    (status) => status === 200,
  );

  const traceId = randomBytes(16).toString('hex');
  const producerSpanId = randomBytes(8).toString('hex');
  const traceparent = `00-${traceId}-${producerSpanId}-01`;
  const event = orderEvent();
  await publish(topics.topic, event.order_id, event, { headers: { traceparent } });
  await publish(topics.topic, event.order_id, 'not json', { headers: { traceparent } });

  const notifications = await eventually(
    async () =>
      ((await (await fetch(`${service.url}/notifications?order_id=${event.order_id}`)).json()) as { notifications: { status: string }[] }).notifications,
    (n) => n.some((x) => x.status === 'sent'),
  );
  assert.equal(notifications.length, 1);

  const spans = await waitForTrace(traceId, {
    until: (s) =>
      s.filter((x) => x.name === 'notification.process').length === 2 && s.some((x) => x.name === 'notification.send') && s.some((x) => x.kind === 4),
  });
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain = (span: FlatSpan) => {
    const ids: string[] = [];
    for (let id = span.parentSpanId; id; id = byId.get(id)?.parentSpanId ?? '') ids.push(id);
    return ids;
  };
  const sent = spans.find((s) => s.name === 'notification.process' && s.attributes['notification.outcome'] === 'sent')!;
  assert.equal(sent.service, 'notification-service');
  assert.equal(sent.kind, 5, 'CONSUMER');
  assert.ok(chain(sent).includes(producerSpanId), 'notification.process descends from the producer’s span');
  const parent = byId.get(sent.parentSpanId);
  assert.equal(parent?.scope, '@shop/kit/kafka', 'nested under the kit’s process span');
  assert.equal(parent?.name, `process ${topics.topic}`);
  assert.equal(parent?.kind, 5, 'CONSUMER');
  assert.equal(parent?.parentSpanId, producerSpanId);
  assert.equal(parent?.attributes['messaging.consumer.group.name'], topics.groupId);
  assert.equal(parent?.attributes['messaging.destination.name'], topics.topic);
  const send = spans.find((s) => s.name === 'notification.send')!;
  assert.equal(send.parentSpanId, sent.spanId);

  const poison = spans.find((s) => s.name === 'notification.process' && s.attributes['notification.outcome'] === 'invalid')!;
  assert.ok(chain(poison).includes(producerSpanId));
  const dlqSend = spans.find((s) => s.kind === 4 && s.name === `send ${topics.dlqTopic}`);
  assert.equal(dlqSend?.parentSpanId, poison.spanId, 'the dead letter is published inside notification.process');

  stopped = true;
  assert.equal(await service.stop(), 0, 'SIGTERM: clean exit');
  assert.match(service.output(), /shutdown complete/);
});
