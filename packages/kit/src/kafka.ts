// Kafka through kafkajs. Each message sent carries the W3C context of the
// trace it continues, given explicitly, so a message published later (an
// outbox relay) continues the trace of the request that caused it; the
// kit's own producer and consumer spans (telemetry/messaging.ts) hang there.
import { Kafka, Partitioners, logLevel, type Consumer, type IHeaders, type Producer, type KafkaConfig } from 'kafkajs';
import { context, type Context } from '@opentelemetry/api';
import { injectContext } from './telemetry/context.ts';
import { processTraced, sendTraced, type MessageHandler } from './telemetry/messaging.ts';

export { contextFromHeaders, sendTraced, type MessageHandler, type TracedMessage } from './telemetry/messaging.ts';

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

export function createPublisher(kafka: Kafka): Publisher {
  // Not kafkajs's idempotent producer: it wants unlimited retries, and a send
  // that never gives up would stall an outbox relay through a broker outage.
  // Delivery is at-least-once; consumers dedupe by event id.
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const publishBatch: Publisher['publishBatch'] = async (topic, messages) => {
    if (messages.length === 0) return;
    await sendTraced(
      topic,
      messages.map((m) => ({ message: { key: m.key, value: JSON.stringify(m.value), ...(m.headers ? { headers: m.headers } : {}) }, ctx: m.ctx })),
      (records) => producer.send({ topic, acks: -1, messages: records }),
    );
  };
  return {
    producer,
    publish: (topic, key, value, options = {}) =>
      publishBatch(topic, [{ key, value, ctx: options.ctx ?? context.active(), ...(options.headers ? { headers: options.headers } : {}) }]),
    publishBatch,
  };
}

/**
 * Subscribes a consumer group and runs `handler` for each message, one at a
 * time per partition, inside the message's `process <topic>` span
 * (telemetry/messaging.ts).
 */
export async function runConsumer(
  consumer: Consumer,
  options: { topics: string[]; fromBeginning?: boolean; handler: MessageHandler; groupId?: string },
): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({ autoCommit: true, eachMessage: processTraced(options.handler, options.groupId === undefined ? {} : { groupId: options.groupId }) });
}
