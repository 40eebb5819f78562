// A kafkajs consumer (its own unique group) that collects what reaches a
// topic, so tests can check what the relay really published.
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { contextFromHeaders, createKafka, headerText } from '@shop/kit';
import { KAFKA_BROKERS } from './stores.ts';

export interface Received {
  key: string;
  value: Record<string, unknown>;
  traceId: string | undefined;
  traceparent: string | undefined;
  eventId: string | undefined;
  eventType: string | undefined;
  partition: number;
}

export async function collectTopic(topic: string) {
  const kafka = createKafka({ clientId: 'order-service-test', brokers: KAFKA_BROKERS });
  const consumer = kafka.consumer({ groupId: `order-service-test-${randomUUID()}` });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      received.push({
        key: message.key?.toString() ?? '',
        value: JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>,
        traceId: trace.getSpanContext(contextFromHeaders(message.headers))?.traceId,
        traceparent: headerText(message.headers, 'traceparent'),
        eventId: headerText(message.headers, 'event-id'),
        eventType: headerText(message.headers, 'event-type'),
        partition,
      });
    },
  });
  return {
    received,
    /** Waits until `count` messages with this key arrived (or the deadline passes). */
    async waitFor(key: string, count = 1, timeoutMs = 30_000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = received.filter((r) => r.key === key);
        if (matching.length >= count || Date.now() > deadline) return matching;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: () => consumer.disconnect(),
  };
}
