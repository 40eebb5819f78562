// The budget of sampled traces at the door, on real processes exporting to
// the real Jaeger: one client sending a sampled `traceparent` on every
// request fast gets only its budget's worth recorded; the rest continue
// unsampled in the same trace (the next service is told flags 00, and
// Jaeger never sees them). Requests without a sampled parent are the
// service's own to sample, and cost the client nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { startService } from '../../test/process.ts';
import { JAEGER_QUERY_URL, tracesAt, waitForTrace } from '../../test/jaeger.ts';

const TELEMETRY = tracesAt('1.0');

test('one client forcing sampled traces fast gets its burst recorded; the rest continue unsampled with their trace ids', { timeout: 60_000 }, async () => {
  const suffix = randomUUID().slice(0, 8);
  const backend = await startService('test/fixtures/demo-service.ts', { ...TELEMETRY, OTEL_SERVICE_NAME: `kit-budget-backend-${suffix}` }, { telemetry: true });
  const edge = await startService(
    'test/fixtures/demo-service.ts',
    { ...TELEMETRY, OTEL_SERVICE_NAME: `kit-budget-edge-${suffix}`, PEER_URL: backend.url, TRACE_BUDGET_PER_SECOND: '0.5', TRACE_BUDGET_BURST: '3' },
    { telemetry: true },
  );
  const sent: { traceId: string; flags: string }[] = [];
  let ownRoot: string | undefined;
  let seconds = 0;
  try {
    const started = performance.now();
    for (let i = 0; i < 30; i++) {
      const traceId = randomBytes(16).toString('hex');
      const response = await fetch(`${edge.url}/via-peer/${i}`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
      assert.equal(response.status, 200, 'over budget is never refused, only not recorded');
      const { peer } = (await response.json()) as { peer: { traceparent: string } };
      const match = /^00-([0-9a-f]{32})-[0-9a-f]{16}-(0[01])$/.exec(peer.traceparent);
      assert.ok(match, peer.traceparent);
      assert.equal(match[1], traceId, "the caller's trace id travels on either way");
      sent.push({ traceId, flags: match[2]! });
    }
    seconds = (performance.now() - started) / 1000;
    // No sampled parent: the edge's own sampler (ratio 1.0) decides, budget or not.
    const response = await fetch(`${edge.url}/via-peer/own`);
    ownRoot = /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(((await response.json()) as { peer: { traceparent: string } }).peer.traceparent)?.[1];
    assert.ok(ownRoot, 'a request without a sampled parent is sampled by the ratio, budget spent or not');
  } finally {
    assert.equal(await edge.stop(), 0);
    assert.equal(await backend.stop(), 0);
  }

  const honoured = sent.filter((s) => s.flags === '01');
  // The burst, plus what 0.5/s refilled while the 30 requests ran (a loaded machine takes longer).
  const most = 3 + Math.ceil(seconds * 0.5);
  assert.ok(honoured.length >= 3 && honoured.length <= most, `${honoured.length} of 30 honoured with a burst of 3 at 0.5/s over ${seconds.toFixed(1)} s`);
  assert.ok(honoured.length < 30, 'a client forcing every request is not recorded every time');
  assert.deepEqual(
    sent.slice(0, 3).map((s) => s.flags),
    ['01', '01', '01'],
    'the burst comes first',
  );
  for (const { traceId } of honoured) {
    const spans = await waitForTrace(traceId, { until: (s) => s.some((x) => x.service === `kit-budget-backend-${suffix}`) });
    assert.ok(spans.some((s) => s.service === `kit-budget-edge-${suffix}`));
  }
  await waitForTrace(ownRoot!);
  // The honoured ones are in; given the same time, none of the others arrived.
  let recorded = 0;
  for (const { traceId } of sent.filter((s) => s.flags === '00')) {
    if ((await fetch(`${JAEGER_QUERY_URL}/api/traces/${traceId}`)).status !== 404) recorded++;
  }
  assert.equal(recorded, 0, 'no span of a request over budget reached Jaeger');
});
