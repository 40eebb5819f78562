// The per-key rate limit is shared by gateway replicas through Redis. Two
// extra gateway processes (the real entry point, same Redis, same tiny limit,
// one key of their own so the shared key's budget is untouched) are blasted
// concurrently with that key: together they admit no more than the limit
// allows, and every refusal is a 429 with Retry-After.
//
// The limiter is a sliding-window counter (services/gateway/src/rate-limit):
// window w = 1000 * burst / per_second ms, limit = burst, time from Redis.
// Within one window a fresh key is admitted exactly `limit` times. Across a
// boundary at most floor(limit + a * e / w) are admitted, where a is the
// previous window's count and e how far the blast reached into the new one;
// the test reads Redis TIME around the blast and asserts the exact figure for
// the case it observed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { sha256 } from '@shop/gateway/auth/api-keys';
import { REDIS_URL, distinctiveKey, startGateway } from './support.ts';

const PER_SECOND = 2;
const BURST = 10;
const WINDOW_MS = Math.round((1000 * BURST) / PER_SECOND);
const PER_REPLICA = 30;

const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
await redis.connect();
after(() => redis.quit());

async function redisNowMs(): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

test('two gateway replicas blasted with one key admit together no more than the limit; the rest are 429 with Retry-After', { timeout: 90_000 }, async (t) => {
  const key = distinctiveKey('ratelimit');
  const env = { SHOP_API_KEY: key, RATE_LIMIT_PER_SECOND: String(PER_SECOND), RATE_LIMIT_BURST: String(BURST), LOG_LEVEL: 'warn' };
  const replicas = await Promise.all([startGateway(env), startGateway(env)]);
  after(() => Promise.all(replicas.map((r) => r.stop())));

  // Start right after a window boundary, so the blast normally fits in one window.
  const now = await redisNowMs();
  const intoWindow = now % WINDOW_MS;
  if (intoWindow > WINDOW_MS - 3000) await new Promise((resolve) => setTimeout(resolve, WINDOW_MS - intoWindow + 50));

  const t0 = await redisNowMs();
  const answers = await Promise.all(
    replicas.flatMap((replica, index) =>
      Array.from({ length: PER_REPLICA }, async () => {
        const response = await fetch(`${replica.url}/api/products/PROD-123`, {
          headers: { authorization: `Bearer ${key}` },
          signal: AbortSignal.timeout(15_000),
        });
        return {
          replica: index,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: (await response.json()) as Record<string, unknown>,
        };
      }),
    ),
  );
  const t1 = await redisNowMs();

  const accepted = answers.filter((a) => a.status !== 429);
  const refused = answers.filter((a) => a.status === 429);
  for (const a of accepted) assert.equal(a.status, 200, `an admitted request reads the product: ${JSON.stringify(a)}`);
  for (const r of refused) {
    assert.match(r.retryAfter ?? '', /^[1-9]\d*$/, `Retry-After ${r.retryAfter}`);
    assert.ok(Number(r.retryAfter) <= Math.ceil((2 * WINDOW_MS) / 1000), `Retry-After ${r.retryAfter} within two windows`);
    assert.equal(r.body.error, 'rate_limited');
    assert.equal(typeof r.body.message, 'string');
    assert.ok('trace_id' in r.body);
  }

  const first = Math.floor(t0 / WINDOW_MS);
  const last = Math.floor(t1 / WINDOW_MS);
  // What the limiter itself counted, per window (only admitted requests are counted).
  const counted = async (index: number) => Number((await redis.get(`gateway:ratelimit:{${sha256(key).toString('hex').slice(0, 8)}}:${index}`)) ?? 0);
  const perWindow = await Promise.all(Array.from({ length: last - first + 1 }, (_, i) => counted(first + i)));
  const byReplica = replicas.map((_, i) => accepted.filter((a) => a.replica === i).length);
  t.diagnostic(
    `blast of ${answers.length} over ${t1 - t0} ms (Redis time), windows ${first}..${last} of ${WINDOW_MS} ms: admitted ${accepted.length} (replica A ${byReplica[0]}, B ${byReplica[1]}), refused ${refused.length}; limiter counts ${perWindow.join('+')}`,
  );

  assert.equal(
    accepted.length,
    perWindow.reduce((a, b) => a + b, 0),
    'every admitted request was counted in Redis: none passed by failing open',
  );
  if (first === last) {
    // One window, a fresh key: exactly the limit, however the requests were spread over the replicas.
    assert.equal(accepted.length, BURST);
  } else {
    assert.equal(last, first + 1, 'the blast spans at most one boundary');
    const a = perWindow[0]!;
    const reach = t1 - last * WINDOW_MS;
    const bound = Math.floor(BURST + (a * reach) / WINDOW_MS);
    assert.ok(a <= BURST, `first window admitted ${a}`);
    assert.ok(accepted.length <= bound, `admitted ${accepted.length} > ${bound} = floor(${BURST} + ${a} * ${reach} / ${WINDOW_MS})`);
  }
  assert.equal(refused.length, answers.length - accepted.length);
  // Each replica alone would have admitted BURST: the sum shows the budget is shared.
  assert.ok(accepted.length < 2 * BURST);
});
