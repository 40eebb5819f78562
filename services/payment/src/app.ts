// payment-service as a Fastify app, built from injected clients so tests
// can run it against the real Redis with app.inject.
import type { Redis } from 'ioredis';
import { createService, type App, type LogDestination } from '@shop/kit';
import { SERVICE_NAME } from './config.ts';
import type { Processor } from './domain/processor.ts';
import { redisPaymentStore } from './domain/store.ts';
import { pingRedis } from '@shop/kit';
import { paymentRoutes } from './routes/payments.ts';

export interface AppDeps {
  redis: Redis;
  processor: Processor;
  /** How long a charge in flight holds its order (PAYMENT_LEASE_MS). */
  leaseMs: number;
  logLevel?: string;
  logStream?: LogDestination;
}

export function buildApp(deps: AppDeps): App {
  const app = createService({
    name: SERVICE_NAME,
    readiness: { redis: () => pingRedis(deps.redis) },
    ...(deps.logLevel ? { logLevel: deps.logLevel } : {}),
    ...(deps.logStream ? { logStream: deps.logStream } : {}),
  });
  void app.register(paymentRoutes, { store: redisPaymentStore(deps.redis), processor: deps.processor, leaseMs: deps.leaseMs });
  return app;
}
