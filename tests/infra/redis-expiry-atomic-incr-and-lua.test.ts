// ioredis against the real Redis: expiry, atomic INCR under concurrency from
// several connections, a Lua script, and the server's version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { redisUrl, uniqueSuffix } from './settings.ts';

test('ioredis: SET with expiry, concurrent INCR, EVAL and INFO server', { timeout: 30_000 }, async (t) => {
  const prefix = `it:${uniqueSuffix()}`;
  const clients = Array.from({ length: 4 }, () => new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }));
  const [redis] = clients;
  assert.ok(redis);
  try {
    await Promise.all(clients.map((c) => c.connect()));

    const info = await redis.info('server');
    const version = /^redis_version:(\S+)/m.exec(info)?.[1];
    const port = /^tcp_port:(\d+)/m.exec(info)?.[1];
    t.diagnostic(`Redis ${version} on ${redis.options.host}:${port} (${redisUrl})`);
    assert.match(version ?? '', /^\d+\.\d+\.\d+$/);
    assert.equal(port, new URL(redisUrl).port || '6379');

    // Expiry: a TTL is set, and a short one really expires.
    assert.equal(await redis.set(`${prefix}:session`, 'v', 'EX', 60), 'OK');
    const ttl = await redis.ttl(`${prefix}:session`);
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
    await redis.set(`${prefix}:flash`, 'v', 'PX', 150);
    assert.equal(await redis.get(`${prefix}:flash`), 'v');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await redis.get(`${prefix}:flash`), null);

    // 4 connections x 50 concurrent INCRs: every value 1..200 handed out once.
    const counter = `${prefix}:counter`;
    const results = await Promise.all(clients.flatMap((c) => Array.from({ length: 50 }, () => c.incr(counter))));
    assert.equal(await redis.get(counter), '200');
    assert.deepEqual(
      [...results].sort((a, b) => a - b),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );

    // Lua: a fixed-window rate limiter (the gateway's shape) runs atomically.
    const limiter = `
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      if n > tonumber(ARGV[1]) then return {0, n, redis.call('PTTL', KEYS[1])} end
      return {1, n, redis.call('PTTL', KEYS[1])}`;
    const key = `${prefix}:rate`;
    const verdicts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [allowed, count, pttl] = (await redis.eval(limiter, 1, key, 3, 10_000)) as [number, number, number];
      assert.equal(count, i + 1);
      assert.ok(pttl > 0 && pttl <= 10_000, `pttl ${pttl}`);
      verdicts.push(allowed);
    }
    assert.deepEqual(verdicts, [1, 1, 1, 0, 0]);
  } finally {
    const keys = await redis.keys(`${prefix}:*`).catch(() => [] as string[]);
    if (keys.length) await redis.del(...keys).catch(() => 0);
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
});
