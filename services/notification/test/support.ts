// Shared by notification-service's tests: the real Postgres (migrated) and
// Kafka, per-run topics and groups, a raw producer, a dead-letter reader,
// and a notifier (the service's consumer side) started on its own topic.
import { randomUUID } from 'node:crypto';
import { type ROOT_CONTEXT, context } from '@opentelemetry/api';
import { createKafka, createPostgres, ensureTopics, runMigrations, traceHeaders } from '@shop/kit';
import { Partitioners, type IHeaders, type KafkaMessage } from 'kafkajs';
import { createDatabase } from '../src/db/client.ts';
import { MIGRATIONS_FOLDER } from '../src/db/migrations.ts';
import { createNotifier, type NotifierSettings } from '../src/consumer/wiring.ts';
import type { OrderCreatedEvent } from '../src/domain/order-event.ts';

export const DATABASE_URL =
  process.env.NOTIFICATIONS_DATABASE_URL ?? `postgres://shop@${process.env.DATABASE_HOST ?? '127.0.0.1'}:${process.env.DATABASE_PORT ?? '5432'}/notifications`;
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export async function openStores() {
  await runMigrations(DATABASE_URL, MIGRATIONS_FOLDER);
  const sql = createPostgres(DATABASE_URL, { max: 4, applicationName: 'notification-test' });
  return { sql, db: createDatabase(sql) };
}

export const kafka = createKafka({ clientId: `notification-test-${process.pid}`, brokers: KAFKA_BROKERS });

/** A topic and group of this test run only, so runs never see each other's messages. */
export function uniqueTopics(label: string) {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  return { topic: `notif-test-${id}`, dlqTopic: `notif-test-${id}.dlq`, groupId: `notif-test-${id}` };
}

export function orderEvent(overrides: Partial<OrderCreatedEvent> = {}): OrderCreatedEvent {
  return {
    event_id: randomUUID(),
    type: 'order.created',
    order_id: randomUUID(),
    user_id: 'user-1',
    product_id: 'PROD-123',
    quantity: 2,
    total_cents: 5998,
    currency: 'USD',
    occurred_at: new Date().toISOString(),
    ...overrides,
  };
}

const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
let producerConnected: Promise<void> | undefined;

/** Publishes raw bytes (or an event as JSON) with the headers order-service would add, in the trace of `ctx`. */
export async function publish(topic: string, key: string, value: string | OrderCreatedEvent, options: { headers?: IHeaders; ctx?: typeof ROOT_CONTEXT } = {}) {
  producerConnected ??= producer.connect();
  await producerConnected;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const headers: IHeaders = { ...traceHeaders(options.ctx ?? context.active()), ...options.headers };
  if (typeof value !== 'string') Object.assign(headers, { 'event-id': value.event_id, 'event-type': value.type });
  await producer.send({ topic, acks: -1, messages: [{ key, value: text, headers }] });
}

/** Collects every message of the given topics from the beginning. */
export async function readTopics(topics: string[]) {
  const messages: (KafkaMessage & { topic: string; partition: number })[] = [];
  const consumer = kafka.consumer({ groupId: `notif-test-reader-${randomUUID()}` });
  let joined!: () => void;
  const ready = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ topic, partition, message }) => void messages.push({ ...message, topic, partition }) });
  await ready;
  return { messages, stop: () => consumer.disconnect() };
}

export interface TestNotifierOptions {
  db: ReturnType<typeof createDatabase>;
  /** Another Kafka client (an unreachable broker, for instance). */
  kafka?: typeof kafka;
  topics: { topic: string; dlqTopic: string; groupId: string };
  settings?: Partial<NotifierSettings>;
}

export type Logged = { level: string; obj: object; msg: string };

export function startTestNotifier(options: TestNotifierOptions) {
  const logged: Logged[] = [];
  const log = {
    info: (obj: object, msg: string) => void logged.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg: string) => void logged.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg: string) => void logged.push({ level: 'error', obj, msg }),
  };
  const notifier = createNotifier({
    kafka: options.kafka ?? kafka,
    db: options.db,
    settings: { latencyMs: 5, failureRate: 0, maxAttempts: 3, backoffMs: 10, backoffMaxMs: 40, ...options.topics, ...options.settings },
    log,
  });
  notifier.consumer.start();
  return { notifier, logged };
}

export async function createTopics(...sets: { topic: string; dlqTopic: string }[]) {
  await ensureTopics(
    kafka,
    sets.flatMap((s) => [
      { topic: s.topic, numPartitions: 3 },
      { topic: s.dlqTopic, numPartitions: 1 },
    ]),
  );
}

export async function deleteTopics(topics: string[]) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => {});
  await admin.disconnect();
}

export async function disconnectProducer() {
  if (producerConnected) await producer.disconnect();
}

/** Polls `probe` until `done` holds; fails after the deadline with the last value. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
