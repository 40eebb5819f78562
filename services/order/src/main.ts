// order-service entry point: `node --import @shop/kit/telemetry/register src/main.ts`.
import { createKafka, createPostgres, createPublisher, lateFlags, migrateOrExit, runService, startFlags } from '@shop/kit';
import { buildApp } from './app.ts';
import { InventoryClient } from './clients/inventory-client.ts';
import { PaymentClient } from './clients/payment-client.ts';
import { loadOrderConfig, SERVICE_NAME } from './config.ts';
import { createDatabase } from './db/client.ts';
import { MIGRATIONS_FOLDER } from './db/migrations.ts';
import { registerOutboxPendingGauge } from './metrics.ts';
import { createOutboxRelay } from './outbox/outbox-relay.ts';
import { countUnsent } from './outbox/outbox-repo.ts';
import { ensureTopicsInBackground } from './outbox/topics.ts';
import { createRecoverySweep } from './saga/recovery-sweep.ts';

const config = loadOrderConfig();

if (config.migrateOnStart) await migrateOrExit(SERVICE_NAME, config.databaseUrl, MIGRATIONS_FOLDER);

const sql = createPostgres(config.databaseUrl, { max: config.databasePoolSize, applicationName: SERVICE_NAME });
const db = createDatabase(sql);
// The fault flags: paymentUnreachable (the payment client) and relayPaused (the outbox relay).
const flags = lateFlags();
const inventory = new InventoryClient({ baseUrl: config.inventoryUrl, timeoutMs: config.inventoryTimeoutMs, productCacheTtlMs: config.productCacheTtlMs });
const payment = new PaymentClient({ baseUrl: config.paymentUrl, timeoutMs: config.paymentTimeoutMs, flags });
const kafka = createKafka({ clientId: SERVICE_NAME, brokers: config.kafkaBrokers });

const app = buildApp({ sql, db, inventory, payment, chargeDeadlineMs: config.chargeDeadlineMs, flags, logLevel: config.logLevel });
flags.follow(await startFlags({ log: app.log.child({ component: 'flags' }) }));

const topics = ensureTopicsInBackground(kafka, app.log.child({ component: 'kafka-topics' }));
const relay = createOutboxRelay({
  db,
  publisher: createPublisher(kafka),
  log: app.log.child({ component: 'outbox-relay' }),
  pollMs: config.outboxPollMs,
  batchSize: config.outboxBatchSize,
  maxBackoffMs: config.outboxMaxBackoffMs,
  flags,
});
const sweep = createRecoverySweep({
  db,
  inventory,
  payment,
  log: app.log.child({ component: 'recovery-sweep' }),
  recoverAfterMs: config.recoveryAfterMs,
  intervalMs: config.recoveryIntervalMs,
  flags,
});
const unregisterGauge = registerOutboxPendingGauge(() => countUnsent(db));

app.addHook('onClose', async () => {
  // Background work first (it uses the pool), then the pool itself.
  topics.stop();
  unregisterGauge();
  await Promise.all([sweep.stop(), relay.stop()]);
  await flags.close();
  await sql.end({ timeout: 5 });
});

relay.start();
sweep.start();
await runService(app, { port: config.port, host: config.host });
