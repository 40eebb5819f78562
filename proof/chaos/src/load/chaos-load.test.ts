import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs, runChaosLoad, shouldRetry } from './chaos-load.ts';
import type { AttemptAnswer } from './order-attempt.ts';

const answer = (over: Partial<AttemptAnswer>): AttemptAnswer => ({
  outcome: 201,
  latencyMs: 1,
  json: true,
  error: undefined,
  orderId: undefined,
  orderStatus: undefined,
  retryAfterMs: undefined,
  ...over,
});

test('only answers that leave the outcome open are retried', () => {
  assert.equal(shouldRetry(answer({ outcome: 201 })), false);
  assert.equal(shouldRetry(answer({ outcome: 'timeout' })), true);
  assert.equal(shouldRetry(answer({ outcome: 'network-error' })), true);
  assert.equal(shouldRetry(answer({ outcome: 503, orderStatus: 'pending' })), true);
  assert.equal(shouldRetry(answer({ outcome: 503 })), true);
  // `failed` is final: the server says to use a new key.
  assert.equal(shouldRetry(answer({ outcome: 503, orderStatus: 'failed' })), false);
  assert.equal(shouldRetry(answer({ outcome: 409, error: 'request_in_progress' })), true);
  assert.equal(shouldRetry(answer({ outcome: 409, error: 'insufficient_stock' })), false);
  assert.equal(shouldRetry(answer({ outcome: 429, error: 'rate_limited', retryAfterMs: 1000 })), true);
  assert.equal(shouldRetry(answer({ outcome: 400 })), false);
});

test('the retry pause honours Retry-After and grows, within 0.5 to 4 s', () => {
  assert.equal(retryDelayMs(answer({}), 1), 500);
  assert.equal(retryDelayMs(answer({ retryAfterMs: 1000 }), 1), 1000);
  assert.equal(retryDelayMs(answer({}), 3), 2000);
  assert.equal(retryDelayMs(answer({ retryAfterMs: 30_000 }), 1), 4000);
});

test('the load sends at the rate, retries with the same key, and ends by itself', async () => {
  const seen: { key: string; user: string }[] = [];
  const result = await runChaosLoad(
    {
      ratePerSecond: 50,
      productId: 'P',
      userPrefix: 'u',
      stopArrivals: (ms) => ms >= 200,
      maxArrivalsMs: 1000,
      clientTimeoutMs: 1000,
      maxAttempts: 2,
      retryGraceMs: 1000,
      maxInFlight: 100,
    },
    async (order) => {
      const first = !seen.some((s) => s.key === order.idempotencyKey);
      seen.push({ key: order.idempotencyKey, user: order.userId });
      return first ? answer({ outcome: 503, error: 'service_unavailable', retryAfterMs: 10 }) : answer({ outcome: 201 });
    },
  );
  assert.ok(result.logicalOrders >= 9 && result.logicalOrders <= 12, `logical orders ${result.logicalOrders}`);
  assert.equal(result.attempts.length, result.logicalOrders * 2);
  const byKey = new Map<string, number>();
  for (const a of result.attempts) byKey.set(a.key, (byKey.get(a.key) ?? 0) + 1);
  assert.ok(
    [...byKey.values()].every((n) => n === 2),
    'each key tried twice, the second time after a 503',
  );
  assert.ok(result.attempts.filter((a) => a.attempt === 2).every((a) => a.outcome === 201));
});

test('a send that throws is recorded as a network error, not lost', async () => {
  const result = await runChaosLoad(
    {
      ratePerSecond: 100,
      productId: 'P',
      userPrefix: 'u',
      stopArrivals: (ms) => ms >= 30,
      maxArrivalsMs: 100,
      clientTimeoutMs: 100,
      maxAttempts: 1,
      retryGraceMs: 0,
      maxInFlight: 10,
    },
    async () => {
      throw new Error('boom');
    },
  );
  assert.ok(result.attempts.length > 0);
  assert.ok(result.attempts.every((a) => a.outcome === 'network-error'));
});
