// No route without authentication except the documented exceptions: the
// probes (/healthz, /readyz) and the API's own description
// (/api/openapi.json, README "API"). The route table is not written down
// here: the gateway's app is built in-process (buildApp, real Redis) and asked
// for its routes (Fastify's onRoute hook and printRoutes), then every route
// but those three is called on the RUNNING gateway without a valid key and
// must answer 401 with `WWW-Authenticate: Bearer`. A route added later is
// covered without touching this test; a new open route fails it until it is
// added to OPEN below (and to the gateway's OPEN_PATHS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { HttpClient } from '@shop/kit';
import { buildApp } from '@shop/gateway/app';
import { loadApiKeys } from '@shop/gateway/auth/api-keys';
import { OPEN_PATHS } from '@shop/gateway/openapi/document';
import { header, rawRequest } from '@shop/kit/test/raw-http';
import { API_KEY, GATEWAY_URL, REDIS_URL, assertErrorContract } from './support.ts';

// Written out rather than imported: widening the gateway's list alone must
// not widen what this test lets through.
const PROBES = new Set(['/healthz', '/readyz']);
const OPENAPI = '/api/openapi.json';
const OPEN = new Set([...PROBES, OPENAPI]);

interface Route {
  method: string;
  url: string;
}

/** Parses Fastify's printRoutes({ commonPrefix: false }) tree into method + full path pairs. */
function parseRouteTree(tree: string): Route[] {
  const routes: Route[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (depth > 0 ? prefixes[depth - 1]! : '') + match[2]!;
    prefixes[depth] = path;
    for (const method of match[3]?.split(',').map((m) => m.trim()) ?? []) routes.push({ method, url: path });
  }
  return routes;
}

async function gatewayRoutes(): Promise<{ printed: Route[]; hooked: Route[] }> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await redis.connect();
  const nowhere = 'http://127.0.0.1:1';
  const app = buildApp({
    redis,
    keyring: loadApiKeys({ hashes: createHash('sha256').update(randomUUID()).digest('hex') }),
    order: new HttpClient({ baseUrl: nowhere, peer: 'order-service' }),
    inventory: new HttpClient({ baseUrl: nowhere, peer: 'inventory-service' }),
    rateLimit: { perSecond: 1000, burst: 1000, timeoutMs: 250, prefix: `gateway:test:routes:${randomUUID()}` },
    readTimeoutMs: 500,
    logLevel: 'silent',
  });
  // Routes of the /api plugin are registered when it loads (at ready), after this hook.
  const hooked: Route[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) hooked.push({ method, url: route.url });
  });
  try {
    await app.ready();
    return { printed: parseRouteTree(app.printRoutes({ commonPrefix: false })), hooked };
  } finally {
    await app.close();
    await redis.quit();
  }
}

const { printed, hooked } = await gatewayRoutes();
const key = (r: Route) => `${r.method} ${r.url}`;

test("the gateway's route table is read from the app itself", (t) => {
  t.diagnostic(`routes: ${printed.map(key).join(', ')}`);
  assert.ok(
    hooked.some((r) => key(r) === 'POST /api/orders'),
    `onRoute saw the /api routes: ${hooked.map(key).join(', ')}`,
  );
  for (const route of hooked)
    assert.ok(
      printed.some((p) => key(p) === key(route)),
      `${key(route)} (onRoute) appears in printRoutes`,
    );
  for (const expected of ['POST /api/orders', 'GET /api/orders/:id', 'GET /api/products/:id', 'GET /healthz', 'GET /readyz', `GET ${OPENAPI}`]) {
    assert.ok(
      printed.some((p) => key(p) === expected),
      `${expected} is among the routes`,
    );
  }
});

const CREDENTIALS: [string, [string, string][]][] = [
  ['no Authorization', []],
  ['a wrong key', [['Authorization', `Bearer wrong-${randomUUID()}`]]],
  ['the key with a different case', [['Authorization', `Bearer ${API_KEY.toUpperCase()}`]]],
  ['Basic credentials', [['Authorization', `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`]]],
  ['an empty Bearer', [['Authorization', 'Bearer ']]],
  ['the bare key, no scheme', [['Authorization', API_KEY]]],
  ['the key as a query parameter', []],
];

test("the exceptions are the gateway's declared open paths, and each is a route", () => {
  assert.deepEqual(new Set(OPEN_PATHS), OPEN, 'the gateway declares the same open paths (openapi/document.ts)');
  for (const url of OPEN)
    assert.ok(
      printed.some((r) => r.url === url),
      `${url} is a route`,
    );
});

for (const route of printed.filter((r) => !OPEN.has(r.url))) {
  test(`${route.method} ${route.url} answers 401 without a valid key`, async () => {
    const path = route.url.replaceAll(/:[A-Za-z_]+/g, 'SEC-NONE-1');
    const body =
      route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH' ? '{"user_id":"u1","product_id":"PROD-123","quantity":1}' : undefined;
    for (const [name, headers] of CREDENTIALS) {
      const target =
        name === 'the key as a query parameter' ? `${path}?api_key=${encodeURIComponent(API_KEY)}&access_token=${encodeURIComponent(API_KEY)}` : path;
      const outcome = await rawRequest(GATEWAY_URL, {
        method: route.method,
        target,
        headers: [...headers, ...(body ? [['Content-Type', 'application/json'] as [string, string]] : [])],
        ...(body ? { body } : {}),
      });
      const what = `${route.method} ${target} with ${name}`;
      assert.ok(
        outcome.kind === 'answer' && outcome.status === 401,
        `${what}: ${JSON.stringify(outcome.kind === 'answer' ? [outcome.status, outcome.text] : outcome)}`,
      );
      assert.equal(header(outcome, 'www-authenticate'), 'Bearer', what);
      assertErrorContract(outcome, what, route.method);
      if (route.method !== 'HEAD') assert.equal((outcome.json as { error: string }).error, 'unauthorized', what);
    }
  });
}

for (const route of printed.filter((r) => OPEN.has(r.url))) {
  test(`${route.method} ${route.url} is open: 200 without a key`, async () => {
    const outcome = await rawRequest(GATEWAY_URL, { method: route.method, target: route.url });
    assert.ok(outcome.kind === 'answer' && outcome.status === 200, JSON.stringify(outcome));
  });
}

test(`GET ${OPENAPI} answers the OpenAPI document as JSON without a key, even with a wrong one`, async () => {
  for (const headers of [[], [['Authorization', `Bearer wrong-${randomUUID()}`]]] as [string, string][][]) {
    const outcome = await rawRequest(GATEWAY_URL, { method: 'GET', target: OPENAPI, headers });
    assert.ok(outcome.kind === 'answer' && outcome.status === 200, JSON.stringify(outcome));
    assert.match(header(outcome, 'content-type') ?? '', /^application\/json/);
    assert.match(String((outcome.json as { openapi?: unknown }).openapi), /^3\./);
  }
});
