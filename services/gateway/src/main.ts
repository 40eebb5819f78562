// gateway: wiring. Configuration, Redis, peers, the app, and a graceful stop.
import { SERVICES } from '@shop/contracts';
import { ConfigError, HttpClient, createRedis, failConfig, loadConfigOrExit, logRedisConnection, runService } from '@shop/kit';
import { buildApp } from './app.ts';
import { loadApiKeys, type ApiKeyring } from './auth/api-keys.ts';
import { configSpec, SERVICE_NAME } from './config.ts';

const config = loadConfigOrExit(SERVICE_NAME, configSpec);

let keyring: ApiKeyring;
try {
  keyring = loadApiKeys({ hashes: config.apiKeyHashes, plaintext: config.apiKey });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  failConfig(SERVICE_NAME, err.message);
}

// Fail fast instead of queueing while Redis is away: the rate limiter
// fails open and readiness reports the outage at once.
const redis = createRedis(config.redisUrl, { offlineQueue: false, lazyConnect: true });

const app = buildApp({
  redis,
  keyring,
  order: new HttpClient({ baseUrl: config.orderUrl, peer: SERVICES.order.otelName, timeoutMs: config.orderTimeoutMs }),
  inventory: new HttpClient({ baseUrl: config.inventoryUrl, peer: SERVICES.inventory.otelName, timeoutMs: config.readTimeoutMs }),
  rateLimit: { perSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst, timeoutMs: config.rateLimitTimeoutMs },
  readTimeoutMs: config.readTimeoutMs,
  traceBudget: { perSecond: config.traceBudgetPerSecond, burst: config.traceBudgetBurst },
  logLevel: config.logLevel,
});

logRedisConnection(redis, app.log);
// Not awaited: a gateway started while Redis is down still serves (fail-open)
// and reports not ready until Redis answers.
redis.connect().catch(() => {});

app.addHook('onClose', async () => {
  await redis.quit().catch(() => redis.disconnect());
});

app.log.info({ keys: keyring.size, rate_limit: { per_second: config.rateLimitPerSecond, burst: config.rateLimitBurst } }, 'gateway configured');
await runService(app, { port: config.port, host: config.host });
