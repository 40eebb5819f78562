// The gateway's configuration, read once from the environment at start.
import { SERVICES, localRedisUrl, localServiceUrl } from '@shop/contracts';
import { integer, number, optionalString, port, string, url, type ConfigOf } from '@shop/kit';
import { DEFAULT_TRACE_BUDGET } from './auth/trace-budget.ts';

export const SERVICE_NAME = SERVICES.gateway.otelName;

export const configSpec = {
  port: port('PORT', SERVICES.gateway.port),
  host: string('HOST', { default: '0.0.0.0' }),
  logLevel: string('LOG_LEVEL', { default: 'info' }),
  redisUrl: url('REDIS_URL', { protocols: ['redis:', 'rediss:'], default: localRedisUrl() }),
  orderUrl: url('ORDER_URL', { protocols: ['http:', 'https:'], default: localServiceUrl('order') }),
  inventoryUrl: url('INVENTORY_URL', { protocols: ['http:', 'https:'], default: localServiceUrl('inventory') }),
  // The order saga calls inventory and payment in turn; give it room.
  orderTimeoutMs: integer('ORDER_TIMEOUT_MS', { default: 10_000, min: 100, max: 60_000 }),
  // Deadline of each read (GET order, GET product); reads are retried twice.
  readTimeoutMs: integer('UPSTREAM_READ_TIMEOUT_MS', { default: 2_000, min: 100, max: 60_000 }),
  // Comma-separated sha256 hex digests of the accepted API keys.
  apiKeyHashes: optionalString('SHOP_API_KEY_HASHES'),
  // A plaintext key for local runs; hashed at start and then forgotten.
  apiKey: optionalString('SHOP_API_KEY'),
  rateLimitPerSecond: integer('RATE_LIMIT_PER_SECOND', { default: 50, min: 1, max: 1_000_000 }),
  rateLimitBurst: integer('RATE_LIMIT_BURST', { default: 100, min: 1, max: 1_000_000 }),
  // A rate-limit check slower than this is skipped (fail open).
  rateLimitTimeoutMs: integer('RATE_LIMIT_TIMEOUT_MS', { default: 250, min: 10, max: 10_000 }),
  // Sampled traces a caller may ask for (a traceparent with flag 01), per
  // API key: beyond it its requests continue unsampled (docs/storefront.md).
  traceBudgetPerSecond: number('TRACE_BUDGET_PER_SECOND', { default: DEFAULT_TRACE_BUDGET.perSecond, min: 0.001, max: 1_000_000 }),
  traceBudgetBurst: integer('TRACE_BUDGET_BURST', { default: DEFAULT_TRACE_BUDGET.burst, min: 1, max: 1_000_000 }),
};

export type GatewayConfig = ConfigOf<typeof configSpec>;
