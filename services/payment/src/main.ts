// payment-service entry point:
//   node --import @shop/kit/telemetry/register src/main.ts
import { createRedis, lateFlags, logRedisConnection, runService, startFlags } from '@shop/kit';
import { buildApp } from './app.ts';
import { LEASE_HEADROOM_MS, loadPaymentConfig } from './config.ts';
import { simulatedProcessor } from './domain/processor.ts';

const config = loadPaymentConfig();

const redis = createRedis(config.redisUrl);
// The fault flags (paymentLatencyMs, paymentFailure) replace the configured
// latency and decline rate while they are on.
const flags = lateFlags();
const settings = {
  latencyMs: config.latencyMs,
  declineRate: config.declineRate,
  limitCents: config.limitCents,
  maxLatencyMs: config.leaseMs - LEASE_HEADROOM_MS,
};
const app = buildApp({
  redis,
  processor: simulatedProcessor(settings, Math.random, flags),
  leaseMs: config.leaseMs,
  logLevel: config.logLevel,
});
// Attached in the same tick the client was made, before it can emit anything.
logRedisConnection(redis, app.log);
flags.follow(await startFlags({ log: app.log.child({ component: 'flags' }) }));
app.addHook('onClose', async () => {
  await flags.close();
  await redis.quit().catch(() => redis.disconnect());
});

await runService(app, { port: config.port, host: config.host });
