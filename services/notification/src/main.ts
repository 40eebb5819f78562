// notification-service entry point: `node --import @shop/kit/telemetry/register src/main.ts`.
import { deadLetterTopic } from '@shop/contracts';
import { createKafka, createPostgres, lateFlags, loadConfigOrExit, migrateOrExit, runService, startFlags } from '@shop/kit';
import { buildApp } from './app.ts';
import { configSpec, SERVICE_NAME } from './config.ts';
import { createNotifier } from './consumer/wiring.ts';
import { createDatabase } from './db/client.ts';
import { MIGRATIONS_FOLDER } from './db/migrations.ts';

const config = loadConfigOrExit(SERVICE_NAME, configSpec);

if (config.migrateOnStart) await migrateOrExit(SERVICE_NAME, config.databaseUrl, MIGRATIONS_FOLDER);

const sql = createPostgres(config.databaseUrl, { max: config.databasePoolSize, applicationName: SERVICE_NAME });
const db = createDatabase(sql);
const kafka = createKafka({ clientId: SERVICE_NAME, brokers: config.kafkaBrokers });

let consumerReady = (): void => {
  throw new Error('consumer not started');
};
const app = buildApp({ sql, db, consumerReady: () => consumerReady(), logLevel: config.logLevel });

// The fault flags: notificationFailure replaces NOTIFY_FAILURE_RATE while it is on.
const flags = lateFlags();
const notifier = createNotifier({
  kafka,
  db,
  settings: { ...config, dlqTopic: config.dlqTopic ?? deadLetterTopic(config.topic) },
  log: app.log.child({ component: 'consumer' }),
  flags,
});
consumerReady = () => notifier.consumer.assertReady();
flags.follow(await startFlags({ log: app.log.child({ component: 'flags' }) }));

app.addHook('onClose', async () => {
  // The consumer first (it finishes the message in hand and uses the pool), then the pool.
  await notifier.stop();
  await flags.close();
  await sql.end({ timeout: 5 });
});

notifier.consumer.start();
app.log.info(
  { topic: config.topic, group: config.groupId, latency_ms: config.latencyMs, failure_rate: config.failureRate, max_attempts: config.maxAttempts },
  'notification-service configured',
);
await runService(app, { port: config.port, host: config.host });
