// payment-service entry point:
//   node --import @shop/kit/telemetry/register src/main.ts
import { createRedis, logRedisConnection, runService } from '@shop/kit';
import { buildApp } from './app.ts';
import { loadPaymentConfig } from './config.ts';
import { simulatedProcessor } from './domain/processor.ts';

const config = loadPaymentConfig();

const redis = createRedis(config.redisUrl);
const app = buildApp({
  redis,
  processor: simulatedProcessor({ latencyMs: config.latencyMs, declineRate: config.declineRate, limitCents: config.limitCents }),
  leaseMs: config.leaseMs,
  logLevel: config.logLevel,
});
// Attached in the same tick the client was made, before it can emit anything.
logRedisConnection(redis, app.log);
app.addHook('onClose', async () => {
  await redis.quit().catch(() => redis.disconnect());
});

await runService(app, { port: config.port, host: config.host });
