// The response schemas document the answers; they must not reshape them.
// A schema for a status makes Fastify serialize through fast-json-stringify,
// which drops fields the schema does not name and fails on a missing
// required one. So: a peer's answer, relayed, reaches the client exactly as
// the peer sent it (extra fields, missing fields and all), and the gateway's
// own errors, serialized through ErrorBody, keep their details. In-process:
// a recording peer, Redis unreachable (the rate limit fails open).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { conflict, createService } from '@shop/kit';
import { CreateOrderResponses, PUBLIC_SCHEMAS } from '@shop/contracts';
import { newApiKey, recordingPeer, testApp, unreachableRedis, type PeerAnswer, type RecordedRequest } from '../../test/support.ts';

let answer: (request: RecordedRequest) => PeerAnswer = () => ({ status: 500, body: { error: 'unexpected_call', message: 'no answer set', trace_id: null } });
const peer = await recordingPeer((request) => answer(request));
const redis = unreachableRedis();
const { digest, authorization } = newApiKey();
const app = testApp({ redis, keyHashes: [digest], orderUrl: peer.url, inventoryUrl: peer.url });
await app.ready();
after(async () => {
  await app.close();
  redis.disconnect();
  await peer.close();
});

const ORDER = {
  order_id: '3f1c2d9e-0000-4000-8000-000000000001',
  status: 'created',
  user_id: 'user-1',
  product_id: 'PROD-123',
  quantity: 2,
  unit_price_cents: 2999,
  total_cents: 5998,
  currency: 'USD',
  transaction_id: 'txn_1',
  failure_reason: null,
  created_at: '2026-11-25T00:58:15.458Z',
  updated_at: '2026-11-25T00:58:15.629Z',
};
const ORDER_REQUEST = { user_id: 'user-1', product_id: 'PROD-123', quantity: 2 };

const RELAYED: [string, 'GET' | 'POST', string, number, Record<string, unknown>][] = [
  [
    'a created order with a field Order does not name',
    'POST',
    '/api/orders',
    201,
    { ...ORDER, trace_id: '0af7651916cd43dd8448eb211c80319c', loyalty_points: 12 },
  ],
  ['a created order missing required fields', 'POST', '/api/orders', 201, { order_id: 'o-2', status: 'created' }],
  [
    'a decline with its details',
    'POST',
    '/api/orders',
    402,
    {
      error: 'payment_declined',
      message: 'declined',
      order_id: 'o-3',
      status: 'payment_failed',
      transaction_id: 'tx-1',
      reason: 'limit_exceeded',
      trace_id: null,
    },
  ],
  [
    'a stock conflict with available',
    'POST',
    '/api/orders',
    409,
    { error: 'insufficient_stock', message: 'only 1 left', available: 1, order_id: 'o-4', status: 'rejected', trace_id: null },
  ],
  ['an amount mismatch with expected_cents', 'POST', '/api/orders', 400, { error: 'amount_mismatch', message: 'no', expected_cents: 5998, trace_id: null }],
  [
    'a failed order with its reason',
    'POST',
    '/api/orders',
    503,
    { error: 'service_unavailable', message: 'retry', order_id: 'o-5', status: 'failed', reason: 'inventory_unavailable', trace_id: null },
  ],
  ['an order read, with an extra field', 'GET', '/api/orders/o-6', 200, { ...ORDER, order_id: 'o-6', shipped: false }],
  [
    'a product with a field Product does not name',
    'GET',
    '/api/products/PROD-123',
    200,
    { product_id: 'PROD-123', name: 'Wireless Mouse', price_cents: 2999, currency: 'USD', stock: 5, warehouse: 'north' },
  ],
  ['a product missing its stock', 'GET', '/api/products/PROD-124', 200, { product_id: 'PROD-124', name: 'Cable' }],
  [
    'an unknown product, with an extra field',
    'GET',
    '/api/products/NO-SUCH',
    404,
    { error: 'not_found', message: 'no such product', trace_id: null, hint: 'see the catalogue' },
  ],
];

for (const [name, method, url, status, body] of RELAYED) {
  test(`relayed as sent: ${name} (${method} ${url} ${status})`, async () => {
    answer = () => ({ status, body });
    const response = await app.inject({ method, url, headers: { authorization }, ...(method === 'POST' ? { payload: ORDER_REQUEST } : {}) });
    assert.equal(response.statusCode, status, response.body);
    assert.deepEqual(response.json(), body);
    assert.equal(response.body, JSON.stringify(body), 'the same bytes as the peer sent');
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
  });
}

test("the gateway's own error (401) is serialized through ErrorBody with every field", async () => {
  const response = await app.inject({ method: 'GET', url: '/api/orders/o-7' });
  assert.equal(response.statusCode, 401);
  assert.equal(response.headers['www-authenticate'], 'Bearer');
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['error', 'message', 'trace_id']);
  assert.equal(body.error, 'unauthorized');
});

test("an error with details keeps them through the contracts' response schemas (ErrorBody allows more fields)", async () => {
  // The same response schemas as POST /api/orders, on a bare service, with an
  // error that carries details (the gateway's own errors carry none today).
  const service = createService({ name: 'response-schemas-test', logLevel: 'silent' });
  for (const schema of PUBLIC_SCHEMAS) service.addSchema(schema);
  service.post('/orders', { schema: { response: CreateOrderResponses } }, async () => {
    throw conflict('insufficient_stock', 'only 1 left', { available: 1, order_id: 'o-8', status: 'rejected' });
  });
  after(() => service.close());
  const response = await service.inject({ method: 'POST', url: '/orders' });
  assert.equal(response.statusCode, 409);
  assert.deepEqual(response.json(), { available: 1, order_id: 'o-8', status: 'rejected', error: 'insufficient_stock', message: 'only 1 left', trace_id: null });
});
