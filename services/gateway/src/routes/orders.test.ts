// POST /api/orders, GET /api/orders/:id and GET /api/products/:id through
// app.inject: what is refused before a peer is called (the validation
// table), and what is sent to the peer and relayed back (checked on a
// recording HTTP peer, which shows exactly what the gateway sent).
import { test, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { installTestTelemetry } from '@shop/kit/test/otel';
import type { PeerAnswer, RecordedRequest } from '../../test/support.ts';

const telemetry = installTestTelemetry();
const { connectRedis, newApiKey, recordingPeer, testApp } = await import('../../test/support.ts');

let answer: (request: RecordedRequest) => PeerAnswer = () => ({ status: 500, body: { error: 'unexpected_call', message: 'no answer set' } });
const peer = await recordingPeer((request) => answer(request));
const redis = await connectRedis();
const { key, digest, authorization } = newApiKey();
const app = testApp({ redis, keyHashes: [digest], orderUrl: peer.url, inventoryUrl: peer.url, orderTimeoutMs: 500 });
await app.ready();
after(async () => {
  await app.close();
  await redis.quit();
  await peer.close();
});
beforeEach(() => {
  peer.requests.length = 0;
});

const VALID = { user_id: 'user-1', product_id: 'PROD-123', quantity: 2 };

function post(payload: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: { authorization, 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

async function invalidCount(): Promise<number> {
  const metric = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === 'gateway.requests.rejected');
  return Number(metric?.dataPoints.find((p) => p.attributes.reason === 'invalid')?.value ?? 0);
}

const INVALID: [string, unknown, Record<string, string>?][] = [
  ['missing user_id', { product_id: 'PROD-123', quantity: 1 }],
  ['missing product_id', { user_id: 'u1', quantity: 1 }],
  ['missing quantity', { user_id: 'u1', product_id: 'PROD-123' }],
  ['empty object', {}],
  ['user_id as number', { ...VALID, user_id: 42 }],
  ['product_id as number', { ...VALID, product_id: 123 }],
  ['quantity as string', { ...VALID, quantity: '2' }],
  ['quantity 0', { ...VALID, quantity: 0 }],
  ['quantity -1', { ...VALID, quantity: -1 }],
  ['quantity 1.5', { ...VALID, quantity: 1.5 }],
  ['quantity 1e9', '{"user_id":"u1","product_id":"PROD-123","quantity":1e9}'],
  ['quantity 1001', { ...VALID, quantity: 1001 }],
  ['quantity null', { ...VALID, quantity: null }],
  ['quantity true', { ...VALID, quantity: true }],
  ['amount with 3 decimals', { ...VALID, amount: 59.985 }],
  ['amount 1.001', { ...VALID, amount: 1.001 }],
  ['amount 0', { ...VALID, amount: 0 }],
  ['amount negative', { ...VALID, amount: -5 }],
  ['amount as string', { ...VALID, amount: '59.98' }],
  ['amount too large', { ...VALID, amount: 1e12 }],
  ['user_id empty', { ...VALID, user_id: '' }],
  ['user_id 65 chars', { ...VALID, user_id: 'u'.repeat(65) }],
  ['user_id with unicode', { ...VALID, user_id: 'jürgen' }],
  ['user_id with a space', { ...VALID, user_id: 'user 1' }],
  ['user_id with a newline', { ...VALID, user_id: 'user\n1' }],
  ['user_id with NUL', { ...VALID, user_id: 'user\u00001' }],
  ['product_id with fullwidth digits', { ...VALID, product_id: 'PROD-\uff11\uff12\uff13' }],
  ['product_id with a path', { ...VALID, product_id: '../admin' }],
  ['product_id with a dot', { ...VALID, product_id: 'PROD.123' }],
  ['product_id with a control char', { ...VALID, product_id: 'PROD\u0007' }],
  ['product_id with a zero-width space', { ...VALID, product_id: 'PROD\u200b123' }],
  ['product_id 65 chars', { ...VALID, product_id: 'P'.repeat(65) }],
  ['product_id starting with a dash', { ...VALID, product_id: '-PROD-123' }],
  ['product_id starting with an underscore', { ...VALID, product_id: '_PROD' }],
  ['an unknown field', { ...VALID, discount: 100 }],
  ['__proto__ field', '{"user_id":"u1","product_id":"PROD-123","quantity":1,"__proto__":{"admin":true}}'],
  ['array body', [VALID]],
  ['null body', 'null'],
  ['string body', '"an order"'],
  ['empty idempotency key', VALID, { 'idempotency-key': '' }],
  ['idempotency key of 129 chars', VALID, { 'idempotency-key': 'k'.repeat(129) }],
  ['idempotency key with a tab', VALID, { 'idempotency-key': 'abc\tdef' }],
];

for (const [name, payload, headers] of INVALID) {
  test(`400 for ${name}, and order-service is not called`, async () => {
    const before = await invalidCount();
    const response = await post(payload, headers);
    assert.equal(response.statusCode, 400, response.body);
    const body = response.json();
    assert.equal(typeof body.error, 'string');
    assert.equal(typeof body.message, 'string');
    assert.ok('trace_id' in body);
    assert.equal(peer.requests.length, 0);
    assert.equal(await invalidCount(), before + 1, 'counted as rejected: invalid');
  });
}

test('malformed JSON is 400 invalid_json', async () => {
  for (const raw of ['{"user_id": "u1", ', '{user_id: 1}', '']) {
    const response = await post(raw);
    assert.equal(response.statusCode, 400, raw);
    assert.match(response.json().error, /^invalid_(json|request)$/);
  }
  assert.equal(peer.requests.length, 0);
});

test('a body over 16 KiB is 413, one just under is judged on its content', async () => {
  const big = await post({ ...VALID, pad: 'x'.repeat(16 * 1024) });
  assert.equal(big.statusCode, 413);
  assert.equal(big.json().error, 'payload_too_large');
  const fits = await post({ ...VALID, pad: 'x'.repeat(15 * 1024) });
  assert.equal(fits.statusCode, 400, 'within the limit, refused only for the unknown field');
  assert.equal(peer.requests.length, 0);
});

test('anything but JSON is 415', async () => {
  for (const [contentType, payload] of [
    ['text/plain', JSON.stringify(VALID)],
    ['application/xml', '<order/>'],
    ['application/x-www-form-urlencoded', 'user_id=u1&product_id=PROD-123&quantity=1'],
    ['multipart/form-data; boundary=x', '--x--'],
  ] as const) {
    const response = await post(payload, { 'content-type': contentType });
    assert.equal(response.statusCode, 415, contentType);
    assert.equal(response.json().error, 'unsupported_media_type');
  }
  assert.equal(peer.requests.length, 0);
});

test('a valid order is forwarded with amount in cents and the Idempotency-Key, and the answer relayed as is', async () => {
  const created = { order_id: '3f1c2d9e-0000-4000-8000-000000000001', status: 'created', total_cents: 5998, currency: 'USD', trace_id: 'abc' };
  answer = () => ({ status: 201, body: created, headers: { 'idempotent-replayed': 'true' } });
  telemetry.spans.reset();
  const response = await post({ ...VALID, amount: 59.98 }, { 'idempotency-key': 'retry-key-1 with spaces' });
  assert.equal(response.statusCode, 201);
  assert.deepEqual(response.json(), created);
  assert.equal(response.headers['idempotent-replayed'], 'true');

  assert.equal(peer.requests.length, 1);
  const sent = peer.requests[0]!;
  assert.equal(sent.method, 'POST');
  assert.equal(sent.url, '/orders');
  assert.deepEqual(JSON.parse(sent.body), { user_id: 'user-1', product_id: 'PROD-123', quantity: 2, amount_cents: 5998 });
  assert.equal(sent.headers['idempotency-key'], 'retry-key-1 with spaces');
  assert.equal(sent.headers.authorization, undefined, 'the API key stays at the gateway');
  assert.ok(!JSON.stringify(sent).includes(key));

  const spans = await telemetry.finishedSpans();
  const handler = spans.find((s) => s.name === 'gateway.createOrder');
  const call = spans.find((s) => s.name === 'gateway.callOrderService');
  assert.ok(handler && call);
  assert.equal(call.parentSpanContext?.spanId, handler.spanContext().spanId);
  assert.equal(call.kind, SpanKind.INTERNAL);
  assert.equal(handler.attributes['order.id'], created.order_id);
  assert.equal(handler.attributes['product.id'], 'PROD-123');
  assert.equal(handler.attributes['gateway.api_key.id'], digest.slice(0, 8));
  for (const span of [handler, call]) {
    assert.ok(!Object.keys(span.attributes).some((k) => k.startsWith('user')), 'no user id in span attributes');
    assert.ok(!Object.values(span.attributes).includes('user-1'));
  }
});

test('without amount or Idempotency-Key neither is sent on', async () => {
  answer = () => ({ status: 201, body: { order_id: 'o-2', status: 'created' } });
  const response = await post(VALID);
  assert.equal(response.statusCode, 201);
  assert.equal(response.headers['idempotent-replayed'], undefined);
  assert.deepEqual(JSON.parse(peer.requests[0]!.body), VALID);
  assert.equal(peer.requests[0]!.headers['idempotency-key'], undefined);
});

test("order-service's refusals (409, 402, 400, 404) reach the client unchanged", async () => {
  const refusals: [number, Record<string, unknown>][] = [
    [409, { error: 'insufficient_stock', message: 'only 1 left', available: 1, trace_id: 't' }],
    [
      402,
      { error: 'payment_declined', message: 'declined', transaction_id: 'tx-1', order_id: 'o-3', status: 'declined', reason: 'limit_exceeded', trace_id: 't' },
    ],
    [400, { error: 'amount_mismatch', message: 'amount does not match', trace_id: 't' }],
    [404, { error: 'not_found', message: 'no such product', trace_id: 't' }],
    [409, { error: 'idempotency_conflict', message: 'key reused', trace_id: 't' }],
  ];
  for (const [status, body] of refusals) {
    answer = () => ({ status, body });
    const response = await post(VALID);
    assert.equal(response.statusCode, status);
    assert.deepEqual(response.json(), body);
  }
});

test('order-service unreachable is 503, too slow is 504, a non-JSON answer is 502', async () => {
  const unreachable = testApp({ redis, keyHashes: [digest], orderUrl: 'http://127.0.0.1:1' });
  after(() => unreachable.close());
  const down = await unreachable.inject({ method: 'POST', url: '/api/orders', headers: { authorization }, payload: VALID });
  assert.equal(down.statusCode, 503);
  assert.equal(down.json().error, 'service_unavailable');

  answer = () => ({ status: 201, body: { order_id: 'late' }, delayMs: 1500 });
  const slow = await post(VALID);
  assert.equal(slow.statusCode, 504);
  assert.equal(slow.json().error, 'upstream_timeout');
  assert.equal(peer.requests.length, 1, 'a create is never retried by the gateway');

  answer = () => ({ status: 502, raw: '<html>bad gateway</html>' });
  const html = await post(VALID);
  assert.equal(html.statusCode, 502);
  assert.equal(html.json().error, 'bad_gateway');
});

test('GET /api/orders/:id and /api/products/:id are forwarded; malformed ids never leave the gateway', async () => {
  answer = (request) =>
    request.url.startsWith('/orders/')
      ? { status: 200, body: { order_id: 'abc-123', status: 'created' } }
      : { status: 404, body: { error: 'not_found', message: 'no such product', trace_id: null } };
  const order = await app.inject({ method: 'GET', url: '/api/orders/abc-123', headers: { authorization } });
  assert.equal(order.statusCode, 200);
  assert.equal(order.json().order_id, 'abc-123');
  const product = await app.inject({ method: 'GET', url: '/api/products/NO-SUCH', headers: { authorization } });
  assert.equal(product.statusCode, 404);
  assert.equal(product.json().error, 'not_found');
  assert.deepEqual(
    peer.requests.map((r) => `${r.method} ${r.url}`),
    ['GET /orders/abc-123', 'GET /products/NO-SUCH'],
  );

  peer.requests.length = 0;
  for (const id of ['%C3%BC', 'a%00b', 'a%20b', 'x'.repeat(65), 'a.b', '%2e']) {
    for (const base of ['/api/orders/', '/api/products/']) {
      const response = await app.inject({ method: 'GET', url: base + id, headers: { authorization } });
      assert.equal(response.statusCode, 400, base + id);
    }
  }
  // A dot-dot segment is resolved by the router before any route matches.
  for (const url of ['/api/orders/%2e%2e', '/api/products/..%2Fadmin']) {
    const response = await app.inject({ method: 'GET', url, headers: { authorization } });
    assert.ok([400, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
  }
  assert.equal(peer.requests.length, 0);
});
