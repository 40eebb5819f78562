// Liveness and readiness of payment-service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { buildApp } from './app.ts';
import { simulatedProcessor } from './domain/processor.ts';
import { createRedis } from '@shop/kit';
import { TEST_REDIS_URL } from '../test/redis.ts';

const processor = simulatedProcessor({ latencyMs: 0, declineRate: 0, limitCents: 100_000 });

test('ready when Redis answers PING', async () => {
  const redis = new Redis(TEST_REDIS_URL);
  const app = buildApp({ redis, processor, leaseMs: 5_000, logLevel: 'silent' });
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { redis: 'ok' } });
  } finally {
    await app.close();
    await redis.quit();
  }
});

test('not ready (503) when Redis cannot be reached; charges answer 503, not 500, and do not hang', async () => {
  // Port 1 on localhost refuses connections.
  const redis = createRedis('redis://127.0.0.1:1');
  redis.on('error', () => {});
  const app = buildApp({ redis, processor, leaseMs: 5_000, logLevel: 'silent' });
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.match(ready.json().checks.redis, /^down/);
    const started = performance.now();
    const charge = await app.inject({
      method: 'POST',
      url: '/payments',
      payload: { order_id: 'order-redis-down', amount_cents: 100, currency: 'USD' },
    });
    assert.equal(charge.statusCode, 503);
    assert.equal(charge.json().error, 'service_unavailable');
    assert.ok(performance.now() - started < 3_000);
  } finally {
    await app.close();
    redis.disconnect();
  }
});
