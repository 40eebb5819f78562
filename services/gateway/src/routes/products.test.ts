// GET /api/products through app.inject: a bad `limit` or `cursor` is
// refused before inventory is asked, a good one is sent on as it came (the
// cursor stays opaque to the gateway), and the page comes back as
// inventory wrote it. A recording HTTP peer stands in for inventory, so the
// test sees exactly what the gateway sent; Redis is the real one.
import { test, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { encodeProductCursor } from '@shop/contracts';
import { connectRedis, newApiKey, recordingPeer, testApp, type PeerAnswer, type RecordedRequest } from '../../test/support.ts';

let answer: (request: RecordedRequest) => PeerAnswer = () => ({ status: 500, body: { error: 'unexpected_call', message: 'no answer set', trace_id: null } });
const peer = await recordingPeer((request) => answer(request));
const redis = await connectRedis();
const { digest, authorization } = newApiKey();
const app = testApp({ redis, keyHashes: [digest], inventoryUrl: peer.url });
await app.ready();
after(async () => {
  await app.close();
  await redis.quit();
  await peer.close();
});
beforeEach(() => {
  peer.requests.length = 0;
});

const PAGE = {
  products: [{ product_id: 'PROD-123', name: 'Wireless Mouse', price_cents: 2999, currency: 'USD', stock: 5 }],
  next_cursor: encodeProductCursor('PROD-123'),
};

test('the page query is sent to inventory as it came, and the page relayed as inventory wrote it', async () => {
  answer = () => ({ status: 200, body: PAGE });
  const cursor = encodeProductCursor('PROD-000');
  const response = await app.inject({ method: 'GET', url: `/api/products?limit=1&cursor=${cursor}`, headers: { authorization } });
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(response.json(), PAGE);
  assert.deepEqual(
    peer.requests.map((r) => `${r.method} ${r.url}`),
    [`GET /products?limit=1&cursor=${cursor}`],
  );
  assert.equal(peer.requests[0]!.headers.authorization, undefined, 'the API key stays at the gateway');
});

test('without parameters none are sent, and inventory picks the default page size', async () => {
  answer = () => ({ status: 200, body: { products: [], next_cursor: null } });
  const response = await app.inject({ method: 'GET', url: '/api/products', headers: { authorization } });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { products: [], next_cursor: null });
  assert.equal(peer.requests[0]!.url, '/products');
});

test('a bad limit or a malformed cursor is 400 and inventory is not asked', async () => {
  for (const query of [
    'limit=0',
    'limit=101',
    'limit=2.5',
    'limit=-3',
    'limit=1e1',
    'limit=x',
    'cursor=',
    'cursor=a%2Fb',
    `cursor=${'A'.repeat(87)}`,
    'page=2',
  ]) {
    const response = await app.inject({ method: 'GET', url: `/api/products?${query}`, headers: { authorization } });
    assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
    const body = response.json();
    assert.equal(body.error, 'invalid_request', query);
    assert.equal(typeof body.message, 'string');
    assert.ok('trace_id' in body);
  }
  assert.equal(peer.requests.length, 0);
});

test("inventory's own refusal of a cursor (400) reaches the client unchanged", async () => {
  const refusal = { error: 'invalid_request', message: 'cursor is not one this API gave out', trace_id: null };
  answer = () => ({ status: 400, body: refusal });
  const response = await app.inject({ method: 'GET', url: '/api/products?cursor=QR', headers: { authorization } });
  assert.equal(response.statusCode, 400);
  assert.deepEqual(response.json(), refusal);
});

test('without a key it is 401, like every /api route', async () => {
  const response = await app.inject({ method: 'GET', url: '/api/products' });
  assert.equal(response.statusCode, 401);
  assert.equal(peer.requests.length, 0);
});
