// The pages through app.inject against the running system (`make local`):
// the catalogue and a product as the real gateway has them, paging by its
// cursor, the checkout key a render gives and a reload keeps, the headers
// every answer carries (and the CORS ones none does), and a shopper-facing
// page, never a raw error body, when the gateway says no or is down.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, money } from '../pages/html.ts';
import { API_KEY, GATEWAY_URL, NOWHERE, shopper, testApp } from '../../test/support.ts';

// Three products a page: the seeded catalogue alone makes several.
const app = await testApp({ cataloguePageSize: 3 });
const down = await testApp({ gatewayUrl: NOWHERE });
after(async () => {
  await app.close();
  await down.close();
});

/** What must never reach a shopper's page: the gateway's codes and ids. */
const RAW = /"error"|trace_id|not_found|service_unavailable|ECONNREFUSED|inventory-service/;

test("the catalogue lists the gateway's first page, each product with its price and stock, linked to its page", async () => {
  const response = await app.inject({ method: 'GET', url: '/' });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(response.body, /<h1>Catalogue<\/h1>/);
  const first = (await fetch(`${GATEWAY_URL}/api/products?limit=3`, { headers: { authorization: `Bearer ${API_KEY}` } }).then((r) => r.json())) as {
    products: { product_id: string; name: string; price_cents: number }[];
  };
  assert.equal(first.products.length, 3);
  for (const product of first.products) {
    assert.ok(response.body.includes(`<a class="card-link" href="/products/${product.product_id}">${escapeHtml(product.name)}</a>`), product.product_id);
    assert.ok(response.body.includes(money(product.price_cents)), `${product.product_id} price`);
  }
  assert.match(response.body, /class="stock stock-(ok|low|none)"/);
  assert.match(response.body, /<main id="main"/);
  assert.match(response.body, /<script type="module" src="\/assets\/catalogue-[A-Z0-9]+\.js"><\/script>/);
  assert.match(response.body, /<meta name="otel-sampling-ratio" content="1">/);
});

test("the next page follows the gateway's cursor and holds other products", async () => {
  const first = await app.inject({ method: 'GET', url: '/' });
  const next = /href="(\/\?cursor=[A-Za-z0-9_-]+)"/.exec(first.body)?.[1];
  assert.ok(next, 'a next page link');
  const second = await app.inject({ method: 'GET', url: next });
  assert.equal(second.statusCode, 200);
  const ids = (body: string) => [...body.matchAll(/href="\/products\/([^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids(second.body).length > 0);
  assert.ok(!ids(second.body).some((id) => ids(first.body).includes(id)), 'no product on both pages');
  assert.match(second.body, /href="\/">First page/);
});

test('a product page shows name, price and stock, sets the shopper cookie, and renders one checkout key that a reload keeps', async () => {
  const response = await app.inject({ method: 'GET', url: '/products/PROD-999' });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /<h1 id="product-name">Workstation Laptop<\/h1>/);
  assert.match(response.body, /\$2,500\.00/);
  assert.match(response.body, /[\d,]+ in stock/);
  assert.match(response.body, /<label for="quantity">Quantity<\/label>/);
  assert.match(String(response.headers['set-cookie']), /^shopper=shopper-[0-9a-f]{16}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
  const key = /data-checkout-key="([^"]+)"/.exec(response.body)?.[1];
  assert.ok(key);
  const again = await app.inject({ method: 'GET', url: '/products/PROD-999' });
  assert.notEqual(/data-checkout-key="([^"]+)"/.exec(again.body)?.[1], key, 'a new render, a new checkout');
  const reload = await app.inject({ method: 'GET', url: `/products/PROD-999?checkout=${key}` });
  assert.equal(/data-checkout-key="([^"]+)"/.exec(reload.body)?.[1], key, 'a reload keeps its checkout');
  const forged = await app.inject({ method: 'GET', url: '/products/PROD-999?checkout=co-0-000000000000000000000000' });
  assert.notEqual(/data-checkout-key="([^"]+)"/.exec(forged.body)?.[1], 'co-0-000000000000000000000000', 'an expired key is replaced');
});

test('an unknown product, a malformed id or a bad cursor is an HTML page that says so', async () => {
  for (const [url, status] of [
    ['/products/NO-SUCH-PRODUCT', 404],
    ['/products/..%2Fadmin', 400],
    [`/?cursor=${Buffer.from('no such/id').toString('base64url')}`, 400],
    ['/?cursor=***', 400],
  ] as const) {
    const response = await app.inject({ method: 'GET', url });
    assert.ok([status, 404].includes(response.statusCode as 400 | 404), `${url}: ${response.statusCode}`);
    assert.match(String(response.headers['content-type']), /^text\/html/, url);
    assert.match(response.body, /class="notice" role="alert"/, url);
    assert.doesNotMatch(response.body, RAW, url);
  }
});

test("another shopper's order, or no shopper at all, is not found", async () => {
  const { cookie } = await shopper(app);
  for (const headers of [{}, { cookie }]) {
    const response = await app.inject({ method: 'GET', url: '/orders/00000000-0000-4000-8000-000000000000', headers });
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /Order not found/);
  }
});

test('with the gateway down every page says the shop is unavailable, in words', async () => {
  for (const url of ['/', '/products/PROD-123']) {
    const response = await down.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 503, url);
    assert.match(response.body, /The shop is unavailable/);
    assert.match(response.body, /cannot be shown right now/);
    assert.doesNotMatch(response.body, RAW);
  }
});

test('every answer carries the security headers, and none a CORS header, preflight included', async () => {
  const answers = [
    await app.inject({ method: 'GET', url: '/', headers: { origin: 'https://evil.example' } }),
    await app.inject({ method: 'GET', url: '/products/PROD-123' }),
    await app.inject({ method: 'OPTIONS', url: '/checkout', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }),
    await app.inject({ method: 'OPTIONS', url: '/otlp/v1/traces', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }),
  ];
  for (const response of answers) {
    assert.ok(!Object.keys(response.headers).some((name) => name.startsWith('access-control-')), JSON.stringify(response.headers));
    assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['x-frame-options'], 'DENY');
  }
  assert.equal(answers[0]!.headers['cache-control'], 'no-store', 'pages are per shopper');
});

test('the built assets are served by name, gzipped when asked, cached for good; anything else is 404', async () => {
  const page = await app.inject({ method: 'GET', url: '/products/PROD-123' });
  const script = /src="(\/assets\/product-[A-Z0-9]+\.js)"/.exec(page.body)?.[1];
  assert.ok(script);
  const plain = await app.inject({ method: 'GET', url: script });
  assert.equal(plain.statusCode, 200);
  assert.match(String(plain.headers['content-type']), /^text\/javascript/);
  assert.match(String(plain.headers['cache-control']), /immutable/);
  const gzipped = await app.inject({ method: 'GET', url: script, headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(gzipped.headers['content-encoding'], 'gzip');
  assert.ok(gzipped.rawPayload.length < plain.rawPayload.length);
  for (const url of ['/assets/meta.json', '/assets/..%2Fmeta.json', '/assets/nothing.js', '/assets/.hidden']) {
    assert.ok([400, 404].includes((await app.inject({ method: 'GET', url })).statusCode), url);
  }
});
