// Liveness and readiness of inventory-service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPostgres } from '@shop/kit';
import { buildApp } from './app.ts';
import { TEST_DATABASE_URL } from '../test/database.ts';

test('ready when PostgreSQL answers', async () => {
  const sql = createPostgres(TEST_DATABASE_URL, { max: 1 });
  const app = buildApp({ sql, logLevel: 'silent' });
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { postgres: 'ok' } });
  } finally {
    await app.close();
    await sql.end();
  }
});

test('not ready (503) when PostgreSQL cannot be reached, while still alive', async () => {
  // Port 1 on localhost refuses connections.
  const sql = createPostgres('postgres://shop@127.0.0.1:1/inventory', { max: 1, connectTimeout: 1 });
  const app = buildApp({ sql, logLevel: 'silent' });
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().status, 'not_ready');
    assert.match(ready.json().checks.postgres, /^down/);
    // A request that needs the database is 503 too, not 500.
    const product = await app.inject({ method: 'GET', url: '/products/PROD-123' });
    assert.equal(product.statusCode, 503);
    assert.equal(product.json().error, 'service_unavailable');
  } finally {
    await app.close();
    await sql.end();
  }
});
