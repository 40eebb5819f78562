// Against the real Redis: the Lua script's arithmetic, its atomicity under
// concurrent callers, and one limit shared by separate connections.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connectRedis } from '../../test/support.ts';
import { SlidingWindowLimiter } from './sliding-window.ts';

const a = await connectRedis();
const b = await connectRedis();
after(async () => {
  await a.quit();
  await b.quit();
});

const prefix = () => `gateway:test:${randomUUID()}`;

test('a burst is allowed at once, the next request is refused with Retry-After, and remaining counts down', async () => {
  const limiter = new SlidingWindowLimiter(a, { perSecond: 2, burst: 4, prefix: prefix() });
  assert.equal(limiter.windowMs, 2000);
  const decisions = [];
  for (let i = 0; i < 5; i++) decisions.push(await limiter.take('k1'));
  assert.deepEqual(
    decisions.map((d) => d.allowed),
    [true, true, true, true, false],
  );
  assert.deepEqual(
    decisions.slice(0, 4).map((d) => d.remaining),
    [3, 2, 1, 0],
  );
  const refused = decisions[4]!;
  assert.equal(refused.remaining, 0);
  assert.equal(refused.limit, 4);
  assert.ok(Number.isInteger(refused.retryAfterSeconds) && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 4, String(refused.retryAfterSeconds));
});

test('keys are limited independently', async () => {
  const limiter = new SlidingWindowLimiter(a, { perSecond: 1, burst: 1, prefix: prefix() });
  assert.equal((await limiter.take('k1')).allowed, true);
  assert.equal((await limiter.take('k1')).allowed, false);
  assert.equal((await limiter.take('k2')).allowed, true);
});

test('concurrent callers on two connections never get more than the limit between them', async () => {
  const shared = prefix();
  const left = new SlidingWindowLimiter(a, { perSecond: 5, burst: 10, prefix: shared });
  const right = new SlidingWindowLimiter(b, { perSecond: 5, burst: 10, prefix: shared });
  const decisions = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? left : right).take('k1')));
  assert.equal(decisions.filter((d) => d.allowed).length, 10);
  assert.ok(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterSeconds >= 1));
});

test('after Retry-After has passed a request is allowed again, and refused ones did not count', async () => {
  const limiter = new SlidingWindowLimiter(a, { perSecond: 10, burst: 3, prefix: prefix() });
  for (let i = 0; i < 3; i++) assert.equal((await limiter.take('k1')).allowed, true);
  let refused: Awaited<ReturnType<typeof limiter.take>> | undefined;
  for (let i = 0; i < 20; i++) refused = await limiter.take('k1');
  assert.equal(refused!.allowed, false);
  await new Promise((resolve) => setTimeout(resolve, refused!.retryAfterSeconds * 1000 + 50));
  assert.equal((await limiter.take('k1')).allowed, true);
});

test('counter keys expire on their own', async () => {
  const p = prefix();
  const limiter = new SlidingWindowLimiter(a, { perSecond: 10, burst: 5, prefix: p });
  await limiter.take('k1');
  const keys = await a.keys(`${p}:*`);
  assert.equal(keys.length, 1);
  const ttl = await a.pttl(keys[0]!);
  assert.ok(ttl > 0 && ttl <= 2 * limiter.windowMs, String(ttl));
});
