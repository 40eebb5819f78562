// Kafka through kafkajs. The kafkajs instrumentation makes producer and
// consumer spans and carries context in message headers when it is active;
// these helpers also carry it explicitly, so a message published later (an
// outbox relay) continues the trace of the request that caused it.
import { Kafka, Partitioners, logLevel, type Consumer, type EachMessagePayload, type IHeaders, type Producer, type KafkaConfig } from 'kafkajs';
import { context, trace, SpanKind, type Context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { extractContext, injectContext, recordError } from './telemetry/context.ts';

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  /** ms to wait for a broker connection. */
  connectionTimeout?: number;
  requestTimeout?: number;
  /** Passed to kafkajs; its own logging is noisy, warnings are enough. */
  logLevel?: logLevel;
}

export function createKafka(options: KafkaOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeout ?? 3000,
    requestTimeout: options.requestTimeout ?? 10000,
    logLevel: options.logLevel ?? logLevel.WARN,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
  };
  return new Kafka(config);
}

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
}

/** Creates the topics that do not exist yet; safe to call at every start. */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.numPartitions ?? 3, replicationFactor: -1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Message headers carrying the W3C context of `ctx` (traceparent, tracestate, baggage). */
export function traceHeaders(ctx: Context = context.active()): IHeaders {
  return injectContext(ctx);
}

/** The producer-side context carried in a consumed message's headers. */
export function contextFromHeaders(headers: IHeaders | undefined, base: Context = context.active()): Context {
  return extractContext((headers ?? {}) as Record<string, unknown>, base);
}

/** A header value as text (kafkajs hands them over as Buffers). */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

export interface OutgoingMessage {
  key: string;
  value: unknown;
  headers?: Record<string, string>;
  /** The trace this message continues (its producer span's parent). */
  ctx: Context;
}

export interface Publisher {
  producer: Producer;
  /** Sends one keyed JSON message with trace headers of `ctx`; resolves once the broker acknowledged it. */
  publish(topic: string, key: string, value: unknown, options?: { headers?: Record<string, string>; ctx?: Context }): Promise<void>;
  /**
   * Sends messages of one topic in one produce request, each in its own
   * trace: a `send <topic>` PRODUCER span per message, child of its `ctx`,
   * whose context the message carries. Resolves once the broker acknowledged
   * all of them; on a failure none counts as sent.
   */
  publishBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
}

const producerTracer = trace.getTracer('@shop/kit/kafka');

export function createPublisher(kafka: Kafka): Publisher {
  // Not kafkajs's idempotent producer: it wants unlimited retries, and a send
  // that never gives up would stall an outbox relay through a broker outage.
  // Delivery is at-least-once; consumers dedupe by event id.
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  return {
    producer,
    async publish(topic, key, value, options = {}) {
      const ctx = options.ctx ?? context.active();
      await context.with(ctx, () =>
        producer.send({
          topic,
          acks: -1,
          messages: [{ key, value: JSON.stringify(value), headers: { ...traceHeaders(ctx), ...options.headers } }],
        }),
      );
    },
    async publishBatch(topic, messages) {
      if (messages.length === 0) return;
      // The kafkajs instrumentation gives every message of one send the same
      // parent (the active context), which would fold the orders' traces
      // into one: each message gets its own span here, and the send runs
      // with tracing suppressed so the instrumentation neither starts a
      // second span nor overwrites the headers.
      const spans = messages.map((m) =>
        producerTracer.startSpan(
          `send ${topic}`,
          {
            kind: SpanKind.PRODUCER,
            attributes: {
              'messaging.system.name': 'kafka',
              'messaging.destination.name': topic,
              'messaging.operation.name': 'send',
              'messaging.operation.type': 'send',
              'kafka.message.key': m.key,
              'messaging.batch.message_count': messages.length,
            },
          },
          m.ctx,
        ),
      );
      const records = messages.map((m, i) => ({
        key: m.key,
        value: JSON.stringify(m.value),
        headers: { ...traceHeaders(trace.setSpan(m.ctx, spans[i]!)), ...m.headers },
      }));
      try {
        await context.with(suppressTracing(context.active()), () => producer.send({ topic, acks: -1, messages: records }));
      } catch (err) {
        for (const span of spans) recordError(span, err);
        throw err;
      } finally {
        for (const span of spans) span.end();
      }
    },
  };
}

export type MessageHandler = (payload: EachMessagePayload) => Promise<void>;

/** Subscribes a consumer group and runs `handler` for each message, one at a time per partition. */
export async function runConsumer(consumer: Consumer, options: { topics: string[]; fromBeginning?: boolean; handler: MessageHandler }): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({ autoCommit: true, eachMessage: options.handler });
}
