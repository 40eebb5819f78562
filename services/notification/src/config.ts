// notification-service configuration, read once from the environment at start.
import { NOTIFICATION_CONSUMER_GROUP, ORDER_NOTIFICATIONS, SERVICES, localDatabaseUrl, serviceDatabase, localKafkaBrokers } from '@shop/contracts';
import { boolean, hostPorts, integer, number, optionalString, port, string, url, type ConfigOf } from '@shop/kit';

export const SERVICE_NAME = SERVICES.notification.otelName;

export const configSpec = {
  port: port('PORT', SERVICES.notification.port),
  host: string('HOST', { default: '0.0.0.0' }),
  logLevel: string('LOG_LEVEL', { default: 'info' }),
  databaseUrl: url('DATABASE_URL', { protocols: ['postgres:', 'postgresql:'], default: localDatabaseUrl(serviceDatabase('notification')) }),
  databasePoolSize: integer('DATABASE_POOL_SIZE', { default: 5, min: 1, max: 100 }),
  migrateOnStart: boolean('MIGRATE_ON_START', true),
  kafkaBrokers: hostPorts('KAFKA_BROKERS', localKafkaBrokers()),
  // Configurable so tests (and side-by-side environments) use their own.
  topic: string('KAFKA_TOPIC', { default: ORDER_NOTIFICATIONS.name }),
  /** Defaults to `<KAFKA_TOPIC>.dlq`. */
  dlqTopic: optionalString('KAFKA_DLQ_TOPIC'),
  groupId: string('KAFKA_GROUP_ID', { default: NOTIFICATION_CONSUMER_GROUP }),
  // The simulated channel and its retries (fault injection by configuration).
  latencyMs: integer('NOTIFY_LATENCY_MS', { default: 20, min: 0, max: 60_000 }),
  failureRate: number('NOTIFY_FAILURE_RATE', { default: 0, min: 0, max: 1 }),
  maxAttempts: integer('NOTIFY_MAX_ATTEMPTS', { default: 5, min: 1, max: 100 }),
  backoffMs: integer('NOTIFY_BACKOFF_MS', { default: 100, min: 0, max: 60_000 }),
  backoffMaxMs: integer('NOTIFY_BACKOFF_MAX_MS', { default: 2_000, min: 0, max: 300_000 }),
};

export type NotificationConfig = ConfigOf<typeof configSpec>;
