// payment-service as a Fastify app, built from injected clients so tests
// can run it against the real Redis with app.inject.
import { createService, pingRedis, type App, type LogOptions } from '@shop/kit';
import type { Redis } from 'ioredis';
import { SERVICE_NAME } from './config.ts';
import type { Processor } from './domain/processor.ts';
import { redisPaymentStore } from './domain/store.ts';
import { paymentRoutes } from './routes/payments.ts';

export interface AppDeps extends LogOptions {
  redis: Redis;
  processor: Processor;
  /** How long a charge in flight holds its order (PAYMENT_LEASE_MS). */
  leaseMs: number;
}

export function buildApp(deps: AppDeps): App {
  const app = createService({
    name: SERVICE_NAME,
    readiness: { redis: () => pingRedis(deps.redis) },
    logLevel: deps.logLevel,
    logStream: deps.logStream,
  });
  void app.register(paymentRoutes, { store: redisPaymentStore(deps.redis), processor: deps.processor, leaseMs: deps.leaseMs });
  return app;
}
