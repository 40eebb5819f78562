// The consumer side of the service assembled from configuration: channel,
// dead-letter publisher, message handler and the supervised consumer.
import type { FaultFlags } from '@shop/kit';
import type { Kafka } from 'kafkajs';
import type { Database } from '../db/client.ts';
import { simulatedChannel, type Channel } from '../domain/channel.ts';
import { createNotificationConsumer, type NotificationConsumer } from './consumer.ts';
import { createDeadLetterPublisher } from './dead-letter.ts';
import { createMessageHandler, type Logger } from './process-message.ts';

export interface NotifierSettings {
  topic: string;
  dlqTopic: string;
  groupId: string;
  latencyMs: number;
  failureRate: number;
  maxAttempts: number;
  backoffMs: number;
  backoffMaxMs: number;
}

export interface Notifier {
  consumer: NotificationConsumer;
  /** Stops consuming (after the message in hand), then the DLQ producer. */
  stop(): Promise<void>;
}

export function createNotifier(options: {
  kafka: Kafka;
  db: Database;
  settings: NotifierSettings;
  log: Logger & { error(obj: object, msg: string): void };
  channel?: Channel;
  /** The fault flags (notificationFailure, for the simulated channel); every flag off when absent. */
  flags?: FaultFlags;
}): Notifier {
  const { kafka, db, settings, log } = options;
  const deadLetters = createDeadLetterPublisher(kafka, settings.dlqTopic);
  const handler = createMessageHandler({
    db,
    channel: options.channel ?? simulatedChannel({ latencyMs: settings.latencyMs, failureRate: settings.failureRate, flags: options.flags }),
    deadLetters,
    maxAttempts: settings.maxAttempts,
    backoff: { baseMs: settings.backoffMs, maxMs: settings.backoffMaxMs },
    log,
  });
  const consumer = createNotificationConsumer({ kafka, groupId: settings.groupId, topic: settings.topic, dlqTopic: settings.dlqTopic, handler, log });
  return {
    consumer,
    async stop() {
      await consumer.stop();
      await deadLetters.disconnect();
    },
  };
}
