// The gateway as it runs (telemetry through --import, exporting to the real
// Jaeger), with a small budget of sampled traces per key: a client sending
// a sampled traceparent on every request fast has its burst recorded and
// the rest passed on to inventory unsampled (flags 00, same trace id);
// another key has a budget of its own; and Jaeger holds none of the
// requests over budget. A recording peer stands in for inventory, so the
// test reads the flags the gateway sent on.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startService } from '@shop/kit/test/process';
import { JAEGER_QUERY_URL, tracesAt, waitForTrace } from '@shop/kit/test/jaeger';
import { newApiKey, recordingPeer } from '../../test/support.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

test('sampled traces are honoured per key up to its budget; beyond it requests continue unsampled', { timeout: 60_000 }, async () => {
  const inventory = await recordingPeer(() => ({ status: 200, body: { product_id: 'PROD-1', name: 'x', price_cents: 1, currency: 'USD', stock: 1 } }));
  after(() => inventory.close());
  const heavy = newApiKey();
  const other = newApiKey();
  const gateway = await startService(
    MAIN,
    {
      HOST: '127.0.0.1',
      SHOP_API_KEY_HASHES: `${heavy.digest},${other.digest}`,
      INVENTORY_URL: inventory.url,
      TRACE_BUDGET_PER_SECOND: '0.5',
      TRACE_BUDGET_BURST: '3',
      OTEL_SERVICE_NAME: 'gateway',
      ...tracesAt('1.0'),
    },
    { telemetry: true },
  );
  let stopped = false;
  after(async () => {
    if (!stopped) await gateway.stop();
  });

  /** Sends one sampled request with `authorization`; returns its trace id and the flags inventory was sent. */
  async function forced(authorization: string): Promise<{ traceId: string; flags: string }> {
    const traceId = randomBytes(16).toString('hex');
    const before = inventory.requests.length;
    const response = await fetch(`${gateway.url}/api/products/PROD-1`, {
      headers: { authorization, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    assert.equal(response.status, 200, 'over budget is never refused, only not recorded');
    const sent = String(inventory.requests[before]?.headers.traceparent);
    const [, id, , flags] = sent.split('-');
    assert.equal(id, traceId, "the caller's trace id travels on either way");
    return { traceId, flags: flags! };
  }

  const results = [];
  for (let i = 0; i < 30; i++) results.push(await forced(heavy.authorization));
  const honoured = results.filter((r) => r.flags === '01');
  assert.ok(honoured.length >= 3 && honoured.length <= 5, `${honoured.length} of 30 honoured with a burst of 3 at 0.5/s`);
  assert.equal((await forced(other.authorization)).flags, '01', 'another key has a budget of its own');

  stopped = true;
  assert.equal(await gateway.stop(), 0);
  for (const { traceId } of honoured) await waitForTrace(traceId, { until: (s) => s.some((x) => x.name === 'GET /api/products/:id') });
  let recorded = 0;
  for (const { traceId } of results.filter((r) => r.flags === '00')) {
    if ((await fetch(`${JAEGER_QUERY_URL}/api/traces/${traceId}`)).status !== 404) recorded++;
  }
  assert.equal(recorded, 0, 'no request over budget reached Jaeger');
});
