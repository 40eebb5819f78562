// The storefront as it runs: `node --import @shop/kit/telemetry/register
// src/main.ts`, on the running system (`make local`: the gateway, Jaeger).
// A checkout sent with a browser's sampled traceparent is one trace from
// that parent through the storefront and all five services to
// notification.send, and the order page draws it, and only for that order.
// The span proxy forwards a good batch to Jaeger and drops the bad, the
// oversized and the too fast; no answer carries CORS headers. One client
// sending sampled traceparents fast gets its budget's worth recorded.
// A bad configuration, or no built assets, stops the start (exit 78).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { KIT_DIR, startService } from '@shop/kit/test/process';
import { JAEGER_QUERY_URL, tracesAt, waitForTrace } from '@shop/kit/test/jaeger';
import { API_KEY, GATEWAY_URL, cookieFrom } from '../test/support.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

const storefront = await startService(
  MAIN,
  {
    HOST: '127.0.0.1',
    GATEWAY_URL,
    STOREFRONT_API_KEY: API_KEY,
    JAEGER_QUERY_URL,
    OTEL_SERVICE_NAME: 'storefront',
    ...tracesAt('1.0'),
    // Small, so the tests can spend them: 3 span batches, 3 sampled traces at once.
    STOREFRONT_OTLP_PER_SECOND: '0.2',
    STOREFRONT_OTLP_BURST: '3',
    STOREFRONT_TRACE_BUDGET_PER_SECOND: '0.5',
    STOREFRONT_TRACE_BUDGET_BURST: '3',
  },
  { telemetry: true },
);
after(() => storefront.stop());

/** A sampled W3C parent, as a browser's page sends one. */
const traceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
};

test("a checkout carrying the browser's sampled traceparent is one trace down to notification.send, drawn on its order page", { timeout: 60_000 }, async () => {
  const page = await fetch(`${storefront.url}/products/PROD-123`);
  const cookie = cookieFrom(page.headers.getSetCookie());
  const key = /data-checkout-key="([^"]+)"/.exec(await page.text())?.[1];
  const parent = traceparent();
  const response = await fetch(`${storefront.url}/checkout`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', traceparent: parent.header },
    body: JSON.stringify({ product_id: 'PROD-123', quantity: 2, checkout_key: key }),
  });
  assert.equal(response.status, 201);
  const body = (await response.json()) as { order_id: string; order_url: string };
  assert.equal(body.order_url, `/orders/${body.order_id}?trace=${parent.traceId}`, "the order page is given the browser's trace");

  const spans = await waitForTrace(parent.traceId, {
    until: (s) => s.some((x) => x.name === 'notification.send') && s.some((x) => x.name === 'storefront.checkout'),
  });
  const server = spans.find((s) => s.service === 'storefront' && s.kind === 2);
  assert.equal(server?.parentSpanId, parent.spanId, "the storefront continues the browser's span");
  assert.equal(server?.name, 'POST /checkout');
  const services = new Set(spans.map((s) => s.service));
  for (const service of ['storefront', 'gateway', 'order-service', 'inventory-service', 'payment-service', 'notification-service'])
    assert.ok(services.has(service), service);
  assert.ok(spans.some((s) => s.name === 'gateway.createOrder' && s.attributes['order.id'] === body.order_id));

  // The order page draws that trace (server-side, from Jaeger) once complete.
  let state: { trace_complete: boolean; trace_html: string } | undefined;
  for (let i = 0; i < 40 && !state?.trace_complete; i++) {
    const answer = await fetch(`${storefront.url}/orders/${body.order_id}/state?trace=${parent.traceId}`, { headers: { cookie } });
    state = (await answer.json()) as typeof state;
    if (!state?.trace_complete) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.equal(state?.trace_complete, true);
  assert.match(state!.trace_html, /notification\.send/);
  assert.match(state!.trace_html, /<table class="waterfall">/);
  assert.match(state!.trace_html, new RegExp(parent.traceId));

  // Another trace id in the URL (here: a trace of no order) is never drawn.
  const other = traceparent();
  await fetch(`${storefront.url}/products/PROD-123`, { headers: { traceparent: other.header } });
  await waitForTrace(other.traceId);
  const forged = await fetch(`${storefront.url}/orders/${body.order_id}?trace=${other.traceId}`, { headers: { cookie } });
  const html = await forged.text();
  assert.doesNotMatch(html, /class="waterfall"/, "a trace that is not the order's is not drawn");
  assert.match(html, /Waiting for the trace/);
});

function spanBatch(traceId: string, serviceName = 'storefront-web', spans = 1) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [
          {
            scope: { name: 'storefront-test' },
            spans: Array.from({ length: spans }, () => ({
              traceId,
              spanId: randomBytes(8).toString('hex'),
              name: 'documentLoad',
              kind: 1,
              startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
              endTimeUnixNano: String(BigInt(Date.now() + 5) * 1_000_000n),
            })),
          },
        ],
      },
    ],
  };
}

test('the span proxy forwards a good batch to Jaeger, drops the bad, the big and the too fast, and answers no CORS', { timeout: 30_000 }, async () => {
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${storefront.url}/otlp/v1/traces`, { method: 'POST', headers: { 'content-type': contentType, origin: 'https://evil.example' }, body });
  const good = randomBytes(16).toString('hex');
  const impostor = randomBytes(16).toString('hex');
  const answers = [
    await post(JSON.stringify(spanBatch(good))),
    await post(JSON.stringify(spanBatch(impostor, 'payment-service'))),
    await post(JSON.stringify(spanBatch(randomBytes(16).toString('hex'), 'storefront-web', 400))),
  ];
  assert.deepEqual(
    answers.map((r) => r.status),
    [200, 400, 413],
    'forwarded; another service name; over 64 KiB',
  );
  // The burst of 3 is spent: the next batch is dropped, however good.
  const late = randomBytes(16).toString('hex');
  const tooFast = await post(JSON.stringify(spanBatch(late)));
  assert.equal(tooFast.status, 429);
  assert.equal((await post('resourceSpans', 'text/plain')).status, 429, 'still too fast');
  for (const response of [...answers, tooFast]) {
    assert.ok(![...response.headers.keys()].some((name) => name.startsWith('access-control-')), 'no CORS header');
  }
  const spans = await waitForTrace(good);
  assert.deepEqual(
    spans.map((s) => [s.service, s.name]),
    [['storefront-web', 'documentLoad']],
  );
  for (const dropped of [impostor, late]) assert.equal((await fetch(`${JAEGER_QUERY_URL}/api/traces/${dropped}`)).status, 404, 'never forwarded');
});

test('one client sending sampled traceparents fast has only its budget recorded; the rest are served, untraced', { timeout: 60_000 }, async () => {
  // The earlier tests spent some of the burst; at 0.5/s it is whole again after 6 s.
  await new Promise((resolve) => setTimeout(resolve, 6000));
  const sent: string[] = [];
  for (let i = 0; i < 25; i++) {
    const parent = traceparent();
    const response = await fetch(`${storefront.url}/products/PROD-123`, { headers: { traceparent: parent.header } });
    assert.equal(response.status, 200, 'over budget is served all the same');
    await response.arrayBuffer();
    sent.push(parent.traceId);
  }
  // The first three were within the burst: they arrive; give the others the same time and more.
  for (const traceId of sent.slice(0, 3)) await waitForTrace(traceId, { until: (s) => s.some((x) => x.service === 'gateway') });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  let recorded = 0;
  for (const traceId of sent) if ((await fetch(`${JAEGER_QUERY_URL}/api/traces/${traceId}`)).status !== 404) recorded++;
  assert.ok(recorded >= 3 && recorded <= 5, `${recorded} of 25 forced traces recorded with a burst of 3 at 0.5/s`);
});

test('no API key, or no built assets, stops the start with one line and exit code 78', () => {
  for (const [env, expected] of [
    [{ STOREFRONT_API_KEY: '' }, /^storefront: invalid configuration: STOREFRONT_API_KEY is required/],
    [
      { STOREFRONT_API_KEY: 'k', STOREFRONT_ASSETS_DIR: '/nonexistent' },
      /^storefront: invalid configuration: no built assets in \/nonexistent: run npm run build -w @shop\/storefront/,
    ],
    [{ STOREFRONT_API_KEY: 'k', OTEL_TRACES_SAMPLER_ARG: '2' }, /^storefront: invalid configuration: OTEL_TRACES_SAMPLER_ARG /],
    [
      { STOREFRONT_API_KEY: 'k', STOREFRONT_TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/33' },
      /^storefront: invalid configuration: STOREFRONT_TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges, got "10\.0\.0\.0\/33"/,
    ],
  ] as const) {
    const result = spawnSync(process.execPath, [MAIN], {
      cwd: KIT_DIR,
      env: { ...process.env, OTEL_SDK_DISABLED: 'true', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(result.status, 78, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, expected);
  }
});
