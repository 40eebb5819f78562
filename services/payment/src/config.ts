// payment-service configuration, read from the environment at start.
import { SERVICES, localRedisUrl } from '@shop/contracts';
import { integer, loadConfigOrExit, number, port, string, url, type ConfigCheck, type ConfigOf } from '@shop/kit';

export const SERVICE_NAME = SERVICES.payment.otelName;

export const configSpec = {
  port: port('PORT', SERVICES.payment.port),
  host: string('HOST', { default: '0.0.0.0' }),
  redisUrl: url('REDIS_URL', { protocols: ['redis:', 'rediss:'], default: localRedisUrl() }),
  // The simulated processor: fault injection comes from here, not code edits.
  latencyMs: integer('PAYMENT_LATENCY_MS', { default: 100, min: 0, max: 60_000 }),
  declineRate: number('PAYMENT_DECLINE_RATE', { default: 0, min: 0, max: 1 }),
  limitCents: integer('PAYMENT_LIMIT_CENTS', { default: 100_000, min: 1 }),
  // How long a claim on an order stays valid: a processor that crashes mid
  // charge blocks retries of that order for at most this long.
  leaseMs: integer('PAYMENT_LEASE_MS', { default: 30_000, min: 1_000, max: 3_600_000 }),
  logLevel: string('LOG_LEVEL', { default: 'info' }),
};

/** Headroom a claim keeps over the slowest charge, so it never expires mid charge. */
export const LEASE_HEADROOM_MS = 1_000;

/** The one rule that spans two variables. */
export const configCheck: ConfigCheck<ConfigOf<typeof configSpec>> = (config) => {
  if (config.leaseMs >= config.latencyMs + LEASE_HEADROOM_MS) return [];
  return [
    {
      variable: 'PAYMENT_LEASE_MS',
      message: `must be at least PAYMENT_LATENCY_MS + ${LEASE_HEADROOM_MS}, got ${config.leaseMs} with PAYMENT_LATENCY_MS ${config.latencyMs}`,
    },
  ];
};

/** loadConfigOrExit with the rule above. */
export function loadPaymentConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfigOrExit(SERVICE_NAME, configSpec, env, configCheck);
}
