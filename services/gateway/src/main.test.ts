// The gateway as it really runs: `node --import @shop/kit/telemetry/register
// src/main.ts`, exporting to the real Jaeger. Checks the span chain of an
// order (server span -> gateway.createOrder -> gateway.callOrderService ->
// the kit's HTTP client span whose context reaches order), the plaintext
// key from the environment, start-up refusal of bad configuration, and a
// clean SIGTERM.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { KIT_DIR, startService } from '@shop/kit/test/process';
import { OTLP_ENDPOINT, waitForTrace } from '@shop/kit/test/jaeger';
import { recordingPeer } from '../test/support.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

test('started with the telemetry hook: authenticates, forwards inside one trace, and stops on SIGTERM', { timeout: 60_000 }, async () => {
  const order = await recordingPeer(() => ({ status: 201, body: { order_id: 'o-main-test', status: 'created' } }));
  after(() => order.close());
  const key = `main-test-${randomBytes(8).toString('hex')}`;
  const gateway = await startService(
    MAIN,
    {
      HOST: '127.0.0.1',
      SHOP_API_KEY: key,
      ORDER_URL: order.url,
      OTEL_SERVICE_NAME: 'gateway',
      OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
    { telemetry: true },
  );
  let stopped = false;
  after(async () => {
    if (!stopped) await gateway.stop();
  });

  // Ready once Redis is connected (it connects in the background, after listen).
  const deadline = Date.now() + 10_000;
  while ((await fetch(`${gateway.url}/readyz`)).status !== 200) {
    assert.ok(Date.now() < deadline, 'gateway did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const refused = await fetch(`${gateway.url}/api/orders/o-1`, { headers: { authorization: 'Bearer local-dev-key' } });
  assert.equal(refused.status, 401, 'the development key is off once SHOP_API_KEY is set');

  const traceId = randomBytes(16).toString('hex');
  const response = await fetch(`${gateway.url}/api/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': 'k-1',
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    },
    body: JSON.stringify({ user_id: 'u-1', product_id: 'PROD-123', quantity: 1, amount: 19.99 }),
  });
  assert.equal(response.status, 201);
  assert.equal(JSON.parse(order.requests[0]!.body).amount_cents, 1999);

  const spans = await waitForTrace(traceId, {
    until: (s) => s.some((x) => x.name === 'gateway.callOrderService') && s.some((x) => x.scope === '@shop/kit/http-client'),
  });
  const byName = (name: string) => spans.find((s) => s.name === name);
  const handler = byName('gateway.createOrder')!;
  const call = byName('gateway.callOrderService')!;
  const client = spans.find((s) => s.scope === '@shop/kit/http-client')!;
  const server = spans.find((s) => s.kind === 2)!;
  assert.ok(handler && call && client && server, spans.map((s) => `${s.scope}:${s.name}`).join(', '));
  assert.equal(server.attributes['http.route'], '/api/orders');
  assert.ok(spans.every((s) => s.service === 'gateway'));
  assert.equal(call.parentSpanId, handler.spanId);
  assert.equal(client.parentSpanId, call.spanId);
  assert.equal(client.kind, 3, 'the HTTP call is the CLIENT span');
  assert.equal(handler.attributes['order.id'], 'o-main-test');
  assert.equal(handler.attributes['gateway.api_key.id'], (await import('./auth/api-keys.ts')).sha256(key).toString('hex').slice(0, 8));
  // order received the client span's context: its spans will continue this trace.
  assert.equal(String(order.requests[0]!.headers.traceparent).split('-')[1], traceId);
  assert.equal(String(order.requests[0]!.headers.traceparent).split('-')[2], client.spanId);
  for (const span of spans) assert.ok(!JSON.stringify(span.attributes).includes(key), `no key in ${span.name}`);

  stopped = true;
  assert.equal(await gateway.stop(), 0, 'SIGTERM: clean exit');
  assert.ok(!gateway.output().includes(key), 'the key is never logged');
});

test('bad configuration stops the start with one line naming the variable and exit code 78', () => {
  for (const [env, variable] of [
    [{ SHOP_API_KEY_HASHES: 'not-a-digest' }, 'SHOP_API_KEY_HASHES'],
    [{ RATE_LIMIT_PER_SECOND: '0' }, 'RATE_LIMIT_PER_SECOND'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
  ] as const) {
    const result = spawnSync(process.execPath, [MAIN], {
      cwd: KIT_DIR,
      env: { ...process.env, OTEL_SDK_DISABLED: 'true', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(result.status, 78, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, new RegExp(`^gateway: invalid configuration: ${variable} `));
    assert.ok(!result.stderr.includes('not-a-digest'), 'the value is not echoed');
  }
});
