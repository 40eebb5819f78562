// The OpenAPI document of the gateway as it would serve it, built without
// Redis or peers: for the docs/api.md generator and the tests. The app is
// built and made ready, never listens, and no dependency is called.
import { SERVICES } from '@shop/contracts';
import { HttpClient } from '@shop/kit';
import { Redis } from 'ioredis';
import { buildApp } from '../app.ts';
import { loadApiKeys } from '../auth/api-keys.ts';
import { OPENAPI_PATH } from './document.ts';

/** Fetches the served document through app.inject, so it is exactly what GET /api/openapi.json answers. */
export async function servedDocument(): Promise<Record<string, unknown>> {
  // lazyConnect: nothing connects unless a command is sent, and none is.
  const redis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
  const nowhere = 'http://127.0.0.1:1';
  const app = buildApp({
    redis,
    keyring: loadApiKeys({}),
    order: new HttpClient({ baseUrl: nowhere, peer: SERVICES.order.otelName }),
    inventory: new HttpClient({ baseUrl: nowhere, peer: SERVICES.inventory.otelName }),
    rateLimit: { perSecond: 1, burst: 1, timeoutMs: 1 },
    readTimeoutMs: 1,
    logLevel: 'silent',
  });
  try {
    const response = await app.inject({ method: 'GET', url: OPENAPI_PATH });
    if (response.statusCode !== 200) throw new Error(`GET ${OPENAPI_PATH} answered ${response.statusCode}: ${response.body}`);
    return response.json();
  } finally {
    await app.close();
    redis.disconnect();
  }
}
