import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { installTestTelemetry } from '../test/otel.ts';

const otel = installTestTelemetry();
const { createKafka, ensureTopics, createPublisher, runConsumer, contextFromHeaders, headerText } = await import('./kafka.ts');

const kafka = createKafka({ clientId: 'kit-kafka-test', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',') });
const topic = `kit-test-${randomUUID()}`;
const publisher = createPublisher(kafka);
const consumer = kafka.consumer({ groupId: `kit-test-${randomUUID()}` });

after(async () => {
  await consumer.disconnect();
  await publisher.producer.disconnect();
});

test('ensureTopics creates missing topics and is safe to repeat', async () => {
  await ensureTopics(kafka, [{ topic, numPartitions: 2 }]);
  await ensureTopics(kafka, [{ topic, numPartitions: 2 }]);
  const admin = kafka.admin();
  await admin.connect();
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  await admin.disconnect();
  assert.equal(metadata.topics[0]?.partitions.length, 2);
});

test('a published message carries the context of its send span, a child of the span it continues', async () => {
  await publisher.producer.connect();
  const tracer = trace.getTracer('kafka-test');
  // Published from outside the span, with the span's context passed explicitly,
  // as an outbox relay does for a request that finished long ago.
  let published!: { traceId: string; spanId: string };
  const ctx = tracer.startActiveSpan('order.create', (span) => {
    published = span.spanContext();
    span.end();
    return context.active();
  });
  await publisher.publish(topic, 'order-1', { event: 'order.created' }, { ctx, headers: { 'event-id': 'evt-1' } });

  const received = new Promise<{ key: string; value: unknown; traceId: string; parentSpanId: string; eventId: string | undefined }>((resolve) => {
    void runConsumer(consumer, {
      topics: [topic],
      fromBeginning: true,
      handler: async ({ message }) => {
        const remote = trace.getSpanContext(contextFromHeaders(message.headers));
        resolve({
          key: message.key?.toString() ?? '',
          value: JSON.parse(message.value?.toString() ?? 'null'),
          traceId: remote?.traceId ?? '',
          parentSpanId: remote?.spanId ?? '',
          eventId: headerText(message.headers, 'event-id'),
        });
      },
    });
  });
  const message = await received;
  assert.equal(message.key, 'order-1');
  assert.deepEqual(message.value, { event: 'order.created' });
  assert.equal(message.eventId, 'evt-1');
  assert.equal(message.traceId, published.traceId);
  const send = (await otel.finishedSpans()).find((span) => span.name === `send ${topic}`);
  assert.equal(send?.parentSpanContext?.spanId, published.spanId);
  assert.equal(message.parentSpanId, send?.spanContext().spanId);
  // The process span ends once the handler (which answered above) returned.
  let processed: ReadableSpan | undefined;
  for (let tries = 0; !processed && tries < 50; tries++) {
    processed = (await otel.finishedSpans()).find((span) => span.name === `process ${topic}`);
    if (!processed) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(processed?.parentSpanContext?.spanId, send?.spanContext().spanId, 'the consumer’s span is the send span’s child');
});
