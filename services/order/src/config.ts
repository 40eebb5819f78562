// order-service configuration, read from the environment at start.
import { SERVICES, localDatabaseUrl, serviceDatabase, localKafkaBrokers, localServiceUrl } from '@shop/contracts';
import { boolean, hostPorts, integer, loadConfigOrExit, port, string, url, type ConfigCheck, type ConfigOf } from '@shop/kit';

export const SERVICE_NAME = SERVICES.order.otelName;

export const configSpec = {
  port: port('PORT', SERVICES.order.port),
  host: string('HOST', { default: '0.0.0.0' }),
  databaseUrl: url('DATABASE_URL', {
    protocols: ['postgres:', 'postgresql:'],
    default: localDatabaseUrl(serviceDatabase('order')),
  }),
  databasePoolSize: integer('DATABASE_POOL_SIZE', { default: 10, min: 2, max: 100 }),
  migrateOnStart: boolean('MIGRATE_ON_START', true),
  kafkaBrokers: hostPorts('KAFKA_BROKERS', localKafkaBrokers()),
  inventoryUrl: url('INVENTORY_URL', { protocols: ['http:', 'https:'], default: localServiceUrl('inventory') }),
  paymentUrl: url('PAYMENT_URL', { protocols: ['http:', 'https:'], default: localServiceUrl('payment') }),
  inventoryTimeoutMs: integer('INVENTORY_TIMEOUT_MS', { default: 2000, min: 50, max: 60_000 }),
  // How long a product's price read from inventory is used for pricing
  // (0: read it for every order). A stale one costs a second reservation
  // attempt, never a wrong charge: the reservation re-checks the price.
  productCacheTtlMs: integer('PRODUCT_CACHE_TTL_MS', { default: 30_000, min: 0, max: 3_600_000 }),
  // Above the payment processor's simulated latency, with room to spare.
  paymentTimeoutMs: integer('PAYMENT_TIMEOUT_MS', { default: 3000, min: 50, max: 60_000 }),
  outboxPollMs: integer('OUTBOX_POLL_MS', { default: 200, min: 10, max: 60_000 }),
  outboxBatchSize: integer('OUTBOX_BATCH_SIZE', { default: 100, min: 1, max: 10_000 }),
  outboxMaxBackoffMs: integer('OUTBOX_MAX_BACKOFF_MS', { default: 10_000, min: 10, max: 600_000 }),
  recoveryIntervalMs: integer('RECOVERY_INTERVAL_MS', { default: 5000, min: 10, max: 3_600_000 }),
  recoveryAfterMs: integer('RECOVERY_AFTER_MS', { default: 30_000, min: 0, max: 86_400_000 }),
  logLevel: string('LOG_LEVEL', { default: 'info' }),
};

/**
 * The longest a payment step can take: the charge, then up to three lookups
 * (the HttpClient retries GETs twice) with their backoff.
 */
export function paymentStepBoundMs(paymentTimeoutMs: number): number {
  return 4 * paymentTimeoutMs + 1000;
}

/**
 * The rule that spans variables: a request starts its charge no later than
 * half of RECOVERY_AFTER_MS, and that charge must be settled before the
 * sweep may take the order over.
 */
export const configCheck: ConfigCheck<ConfigOf<typeof configSpec>> = (config) => {
  const bound = paymentStepBoundMs(config.paymentTimeoutMs);
  if (chargeDeadlineMs(config.recoveryAfterMs) >= bound) return [];
  return [
    {
      variable: 'RECOVERY_AFTER_MS',
      message:
        `must be at least 2 x (4 x PAYMENT_TIMEOUT_MS + 1000) = ${2 * bound}, ` +
        `got ${config.recoveryAfterMs} with PAYMENT_TIMEOUT_MS ${config.paymentTimeoutMs}`,
    },
  ];
};

function chargeDeadlineMs(recoveryAfterMs: number): number {
  return Math.floor(recoveryAfterMs / 2);
}

/** loadConfigOrExit with the rule above, and the charge deadline it implies. */
export function loadOrderConfig(env: Record<string, string | undefined> = process.env) {
  const config = loadConfigOrExit(SERVICE_NAME, configSpec, env, configCheck);
  return { ...config, chargeDeadlineMs: chargeDeadlineMs(config.recoveryAfterMs) };
}
