// The gateway's front door, through app.inject against the real Redis:
// authentication, rate limiting shared by replicas, fail-open, readiness,
// and the rejection metric.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { installTestTelemetry } from '@shop/kit/test/otel';

const telemetry = installTestTelemetry();
const { captureLogs, connectRedis, newApiKey, recordingPeer, testApp, unreachableRedis } = await import('../test/support.ts');
const { DEVELOPMENT_KEY } = await import('./auth/api-keys.ts');

const redis = await connectRedis();
const inventory = await recordingPeer((request) => ({
  status: 200,
  body: { product_id: request.url.split('/').pop(), name: 'Widget', price_cents: 1999, currency: 'USD', stock: 5 },
}));
after(async () => {
  await redis.quit();
  await inventory.close();
});

async function rejectedCount(reason: string): Promise<number> {
  const metric = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === 'gateway.requests.rejected');
  const point = metric?.dataPoints.find((p) => p.attributes.reason === reason);
  return Number(point?.value ?? 0);
}

test('a missing, wrong or non-Bearer key is 401 with WWW-Authenticate, and no key ever reaches the logs', async () => {
  const { key, digest, authorization } = newApiKey();
  const logs = captureLogs();
  const app = testApp({ redis, keyHashes: [digest], inventoryUrl: inventory.url, logStream: logs.stream });
  after(() => app.close());
  const before = await rejectedCount('unauthorized');
  const wrongKey = `wrong-${key}`;
  const attempts: Record<string, string>[] = [
    {},
    { authorization: `Bearer ${wrongKey}` },
    { authorization: `Basic ${Buffer.from(`user:${key}`).toString('base64')}` },
    { authorization: key },
    { authorization: 'Bearer' },
  ];
  for (const headers of attempts) {
    const response = await app.inject({ method: 'GET', url: '/api/products/PROD-123', headers });
    assert.equal(response.statusCode, 401, JSON.stringify(headers));
    assert.equal(response.headers['www-authenticate'], 'Bearer');
    const body = response.json();
    assert.equal(body.error, 'unauthorized');
    assert.equal(typeof body.message, 'string');
    assert.ok('trace_id' in body);
  }
  // A POST without a key is refused before its body is even looked at.
  const post = await app.inject({ method: 'POST', url: '/api/orders', payload: 'not json at all', headers: { 'content-type': 'application/json' } });
  assert.equal(post.statusCode, 401);
  assert.equal(inventory.requests.length, 0, 'nothing was forwarded');
  assert.equal(await rejectedCount('unauthorized'), before + attempts.length + 1);

  const ok = await app.inject({ method: 'GET', url: '/api/products/PROD-123', headers: { authorization } });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().product_id, 'PROD-123');

  const text = logs.text();
  assert.ok(logs.lines.length > 0);
  assert.ok(!text.includes(key), 'the valid key is not logged');
  assert.ok(!text.includes(wrongKey), 'a wrong key is not logged');
  assert.ok(!text.includes(digest), 'nor the full digest');
  // The caller is named by its key id only.
  const completed = logs.parsed().filter((l) => l.msg === 'request completed' && l['http.response.status_code'] === 200);
  assert.equal(completed.at(-1)?.['gateway.api_key.id'], digest.slice(0, 8));
});

test('with no key configured the development key works and a warning says so, without the key', async () => {
  const logs = captureLogs();
  const app = testApp({ redis, keyHashes: [], inventoryUrl: inventory.url, logStream: logs.stream });
  after(() => app.close());
  await app.ready();
  const warning = logs.parsed().find((l) => l.level === 40 && /development key/.test(String(l.msg)));
  assert.ok(warning, logs.text());
  const response = await app.inject({ method: 'GET', url: '/api/products/PROD-1', headers: { authorization: `Bearer ${DEVELOPMENT_KEY}` } });
  assert.equal(response.statusCode, 200);
  assert.ok(!logs.text().includes(DEVELOPMENT_KEY));
});

test('over the limit: 429 with Retry-After and X-RateLimit headers; the limit is per key', async () => {
  const first = newApiKey();
  const second = newApiKey();
  const app = testApp({ redis, keyHashes: [first.digest, second.digest], inventoryUrl: inventory.url, perSecond: 1, burst: 3 });
  after(() => app.close());
  const before = await rejectedCount('rate_limited');
  const get = (authorization: string) => app.inject({ method: 'GET', url: '/api/products/PROD-123', headers: { authorization } });
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const response = await get(first.authorization);
    statuses.push(response.statusCode);
    assert.equal(response.headers['x-ratelimit-limit'], '3');
    assert.equal(response.headers['x-ratelimit-remaining'], String(2 - i));
  }
  assert.deepEqual(statuses, [200, 200, 200]);
  const limited = await get(first.authorization);
  assert.equal(limited.statusCode, 429);
  const retryAfter = Number(limited.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, String(limited.headers['retry-after']));
  assert.equal(limited.headers['x-ratelimit-limit'], '3');
  assert.equal(limited.headers['x-ratelimit-remaining'], '0');
  assert.equal(limited.json().error, 'rate_limited');
  assert.equal(await rejectedCount('rate_limited'), before + 1);
  // Another key has its own budget.
  assert.equal((await get(second.authorization)).statusCode, 200);
});

test('two gateway instances on the same Redis share one limit per key', async () => {
  const { digest, authorization } = newApiKey();
  const options = { redis, keyHashes: [digest], inventoryUrl: inventory.url, perSecond: 1, burst: 4, rateLimitPrefix: 'gateway:ratelimit' };
  const other = await connectRedis();
  const replicaA = testApp(options);
  const replicaB = testApp({ ...options, redis: other });
  after(async () => {
    await replicaA.close();
    await replicaB.close();
    await other.quit();
  });
  const statuses = [];
  for (let i = 0; i < 6; i++) {
    const replica = i % 2 ? replicaB : replicaA;
    statuses.push((await replica.inject({ method: 'GET', url: '/api/products/PROD-123', headers: { authorization } })).statusCode);
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
});

test('with Redis unreachable the rate limit fails open: requests pass, counted and logged as a warning', async () => {
  const { digest, authorization } = newApiKey();
  const logs = captureLogs();
  const broken = unreachableRedis();
  const app = testApp({ redis: broken, keyHashes: [digest], inventoryUrl: inventory.url, perSecond: 1, burst: 1, logStream: logs.stream });
  after(() => app.close());
  const errorsBefore = await metricSum('gateway.ratelimit.errors');
  for (let i = 0; i < 3; i++) {
    const response = await app.inject({ method: 'GET', url: '/api/products/PROD-123', headers: { authorization } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-ratelimit-limit'], undefined);
  }
  assert.equal(await metricSum('gateway.ratelimit.errors'), errorsBefore + 3);
  const warnings = logs.parsed().filter((l) => l.level === 40 && /fail-open/.test(String(l.msg)));
  assert.equal(warnings.length, 1, 'one warning, not one per request');

  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.match(ready.json().checks.redis, /^down/);
});

test('readiness is Redis only: ready while order and inventory are down', async () => {
  const app = testApp({ redis, keyHashes: [] });
  after(() => app.close());
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready', checks: { redis: 'ok' } });
  assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
});

async function metricSum(name: string): Promise<number> {
  const metric = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).reduce((sum, p) => sum + Number(p.value), 0);
}
