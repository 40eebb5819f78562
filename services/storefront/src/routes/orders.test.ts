// POST /checkout and GET /orders/:id/state through app.inject against the
// running system (`make local`): an order placed through the real gateway
// for the shopper of the cookie; the same checkout sent twice at once is one
// order; a decline and a stock shortage come back as the shopper's message
// with a fresh checkout for the next try; the gateway down is a retryable
// 503 in words; and what is refused before the gateway is asked (bad
// bodies, too big, not JSON, another site, too fast).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { NOWHERE, shopper, testApp } from '../../test/support.ts';

const app = await testApp();
const down = await testApp({ gatewayUrl: NOWHERE });
const strict = await testApp({
  limits: { pages: { perSecond: 1000, burst: 1000 }, checkouts: { perSecond: 0.01, burst: 2 }, spanBatches: { perSecond: 1, burst: 1 } },
});
after(async () => {
  await Promise.all([app.close(), down.close(), strict.close()]);
});

const RAW = /trace_id|payment_declined|insufficient_stock|service_unavailable|ECONNREFUSED|-service/;

function checkout(target: typeof app, cookie: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return target.inject({
    method: 'POST',
    url: '/checkout',
    headers: { cookie, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
}

test("a checkout places the order for the cookie's shopper and points to the order page, which shows it", async () => {
  const { cookie, checkoutKey } = await shopper(app);
  const response = await checkout(app, cookie, { product_id: 'PROD-123', quantity: 2, checkout_key: checkoutKey });
  assert.equal(response.statusCode, 201, response.body);
  const body = response.json();
  assert.equal(body.outcome, 'created');
  assert.equal(body.status, 'created');
  assert.match(body.order_url, new RegExp(`^/orders/${body.order_id}`));
  const page = await app.inject({ method: 'GET', url: body.order_url, headers: { cookie } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /data-status="created"/);
  assert.match(page.body, /\$59\.98/);
  const state = await app.inject({ method: 'GET', url: `/orders/${body.order_id}/state`, headers: { cookie } });
  assert.equal(state.statusCode, 200);
  assert.equal(state.json().status, 'created');
  assert.equal(state.json().final, true);
  const stranger = await shopper(app);
  assert.equal((await app.inject({ method: 'GET', url: body.order_url, headers: { cookie: stranger.cookie } })).statusCode, 404, "not another shopper's");
});

test('the same checkout sent twice at once (a double click) is one order', async () => {
  const { cookie, checkoutKey } = await shopper(app);
  const order = { product_id: 'PROD-123', quantity: 1, checkout_key: checkoutKey };
  const [first, second] = await Promise.all([checkout(app, cookie, order), checkout(app, cookie, order)]);
  const answers = [first!, second!].map((r) => ({ status: r.statusCode, body: r.json() }));
  const created = answers.filter((a) => a.status === 201);
  assert.ok(created.length >= 1, JSON.stringify(answers));
  // The slower of the two either met the first order (a replay) or found it still running (retry with the same key).
  for (const answer of answers.filter((a) => a.status !== 201)) assert.match(answer.body.message, /still being placed/);
  const retry = await checkout(app, cookie, order);
  assert.equal(retry.statusCode, 201);
  assert.equal(new Set([...created.map((a) => a.body.order_id), retry.json().order_id]).size, 1, 'one order id for the checkout');
});

test('a declined payment is the shopper message, with a fresh checkout for the next try, and no raw error', async () => {
  const { cookie, checkoutKey } = await shopper(app, 'PROD-999');
  const response = await checkout(app, cookie, { product_id: 'PROD-999', quantity: 1, checkout_key: checkoutKey });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json();
  assert.equal(body.outcome, 'refused');
  assert.equal(body.title, 'Payment declined');
  assert.match(body.message, /declined.*nothing was charged/);
  assert.match(body.next_checkout_key, /^co-/);
  assert.notEqual(body.next_checkout_key, checkoutKey);
  assert.doesNotMatch(response.body, RAW);
});

test('more than is in stock is the shopper message saying how many are left', async () => {
  const { cookie, checkoutKey } = await shopper(app, 'PROD-LOW');
  const response = await checkout(app, cookie, { product_id: 'PROD-LOW', quantity: 1000, checkout_key: checkoutKey });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.json().title, 'Not enough in stock');
  assert.match(response.json().message, /only \d+ left|sold out/);
  assert.doesNotMatch(response.body, RAW);
});

test('with the gateway down a checkout is a retryable 503 that says so in words, and keeps its key', async () => {
  const { cookie, checkoutKey } = await shopper(app);
  const response = await checkout(down, cookie, { product_id: 'PROD-123', quantity: 1, checkout_key: checkoutKey });
  assert.equal(response.statusCode, 503);
  assert.equal(response.json().title, 'The shop is unavailable');
  assert.match(response.json().message, /never orders twice/);
  assert.equal(response.json().next_checkout_key, undefined, 'the same checkout is the one to retry');
  assert.doesNotMatch(response.body, RAW);
});

test('without a shopper cookie or with an expired checkout the page asks for a reload, and nothing is ordered', async () => {
  const { cookie, checkoutKey } = await shopper(app);
  for (const [who, key] of [
    ['', checkoutKey],
    [cookie, 'co-1-000000000000000000000000'],
  ]) {
    const response = await checkout(app, who!, { product_id: 'PROD-123', quantity: 1, checkout_key: key });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().outcome, 'refused');
    assert.match(response.json().message, /Reload the page/);
  }
});

test('bad checkout bodies are 400, a big one 413, anything but JSON 415, and the gateway is not asked', async () => {
  const { cookie, checkoutKey } = await shopper(app);
  const valid = { product_id: 'PROD-123', quantity: 1, checkout_key: checkoutKey };
  for (const body of [
    {},
    { ...valid, quantity: 0 },
    { ...valid, quantity: 1001 },
    { ...valid, quantity: '2' },
    { ...valid, quantity: 1.5 },
    { ...valid, product_id: '../admin' },
    { ...valid, checkout_key: 'anything' },
    { ...valid, user_id: 'someone-else' },
  ]) {
    const response = await checkout(app, cookie, body);
    assert.equal(response.statusCode, 400, JSON.stringify(body));
    assert.equal(response.json().error, 'invalid_request');
  }
  assert.equal((await checkout(app, cookie, { ...valid, pad: 'x'.repeat(5000) })).statusCode, 413);
  const form = await app.inject({
    method: 'POST',
    url: '/checkout',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'quantity=1',
  });
  assert.equal(form.statusCode, 415);
  const text = await app.inject({ method: 'POST', url: '/checkout', headers: { cookie, 'content-type': 'text/plain' }, payload: JSON.stringify(valid) });
  assert.equal(text.statusCode, 415);
});

test('a checkout stating another origin is refused (403)', async () => {
  const { cookie, checkoutKey } = await shopper(app);
  const response = await checkout(app, cookie, { product_id: 'PROD-123', quantity: 1, checkout_key: checkoutKey }, { origin: 'https://evil.example' });
  assert.equal(response.statusCode, 403);
});

test('checkouts are rate limited per client address (429 with Retry-After), pages are not held by it', async () => {
  const { cookie } = await shopper(strict);
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await checkout(strict, cookie, { product_id: 'PROD-123', quantity: 1, checkout_key: 'not-a-key' }));
  assert.deepEqual(
    answers.map((r) => r.statusCode),
    [400, 400, 429],
  );
  assert.equal(answers[2]!.json().error, 'rate_limited');
  assert.ok(Number(answers[2]!.headers['retry-after']) >= 1);
  assert.equal((await strict.inject({ method: 'GET', url: '/products/PROD-123' })).statusCode, 200);
});
