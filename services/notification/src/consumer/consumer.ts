// Runs the consumer group and keeps it running: topics ensured and the
// group joined in the background (Kafka down at start does not stop the
// service; readiness says not ready until it has joined), restarted when
// kafkajs gives up on a crash, and stopped cleanly on shutdown, after the
// message in hand is finished.
import { ensureTopics, runConsumer, type MessageHandler } from '@shop/kit';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from './process-message.ts';

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  dlqTopic: string;
  handler: MessageHandler;
  log: Logger & { error(obj: object, msg: string): void };
  /** Longest pause between attempts to (re)start. */
  maxBackoffMs?: number;
}

export interface NotificationConsumer {
  start(): void;
  /** Throws unless the consumer is running and has joined its group. */
  assertReady(): void;
  readonly joined: boolean;
  /** Resolves once the group was joined (tests wait for it). */
  whenJoined(): Promise<void>;
  stop(): Promise<void>;
}

export function createNotificationConsumer(options: ConsumerOptions): NotificationConsumer {
  const { kafka, log } = options;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  let consumer: Consumer | undefined;
  let joined = false;
  let stopped = false;
  let restarting: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let joinWaiters: (() => void)[] = [];

  function watch(current: Consumer): void {
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = current.events;
    current.on(GROUP_JOIN, (event) => {
      joined = true;
      log.info({ group: options.groupId, member: event.payload.memberId, partitions: event.payload.memberAssignment }, 'consumer joined its group');
      for (const resolve of joinWaiters) resolve();
      joinWaiters = [];
    });
    current.on(CRASH, (event) => {
      joined = false;
      log.error({ err: { message: event.payload.error?.message, name: event.payload.error?.name }, restart: event.payload.restart }, 'consumer crashed');
      // kafkajs restarts by itself after retriable errors; after others it
      // stays down, so we start a fresh consumer.
      if (!event.payload.restart && !stopped) restart();
    });
    current.on(STOP, () => {
      joined = false;
    });
    current.on(DISCONNECT, () => {
      joined = false;
    });
  }

  async function startOnce(): Promise<void> {
    await ensureTopicsSafely();
    const created = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      // The broker holds a fetch until 16 KiB are there or 100 ms passed:
      // under load one fetch (and one offset commit) carries many messages
      // instead of one each; idle, a message waits at most 100 ms more.
      minBytes: 16 * 1024,
      maxWaitTimeInMs: 100,
    });
    watch(created);
    consumer = created;
    try {
      await runConsumer(created, { topics: [options.topic], fromBeginning: true, handler: options.handler, groupId: options.groupId });
    } catch (err) {
      await created.disconnect().catch(() => {});
      throw err;
    }
  }

  async function ensureTopicsSafely(): Promise<void> {
    try {
      await ensureTopics(kafka, [
        { topic: options.topic, numPartitions: 3 },
        { topic: options.dlqTopic, numPartitions: 1 },
      ]);
    } catch (err) {
      // order-service creates the same topics; losing that race is fine.
      if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS' && !/already exists/i.test((err as Error).message)) throw err;
    }
  }

  function restart(): void {
    restarting ??= (async () => {
      for (let attempt = 0; !stopped; attempt++) {
        try {
          if (consumer) await consumer.disconnect().catch(() => {});
          await startOnce();
          if (attempt > 0) log.info({}, 'consumer started after retrying');
          return;
        } catch (err) {
          if (attempt === 0) log.warn({ err: { message: (err as Error).message } }, 'cannot start the consumer yet; retrying in the background');
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(maxBackoffMs, 500 * 2 ** attempt)).unref();
        });
      }
    })().finally(() => {
      restarting = undefined;
    });
  }

  return {
    start: restart,
    get joined() {
      return joined;
    },
    assertReady() {
      if (stopped) throw new Error('consumer stopped');
      if (!joined) throw new Error('consumer has not joined its group');
    },
    whenJoined() {
      if (joined) return Promise.resolve();
      return new Promise((resolve) => joinWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      wake?.();
      await restarting;
      // Waits for the message being processed, then leaves the group.
      await consumer?.disconnect();
      joined = false;
    },
  };
}
