// The real path: two kit services as processes, telemetry started by
// `--import @shop/kit/telemetry/register`, spans exported over OTLP/HTTP to
// the local Jaeger and read back from its query API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { jsonLines, startService } from '../../test/process.ts';
import { JAEGER_QUERY_URL, tracesAt, waitForTrace } from '../../test/jaeger.ts';
import { FASTIFY_INSTRUMENTATIONS } from './sdk.ts';

// OTLP kinds are 1-based: SERVER = 2, CLIENT = 3 (api's SpanKind is 0-based).
const OTLP_SERVER = SpanKind.SERVER + 1;
const OTLP_CLIENT = SpanKind.CLIENT + 1;
const SCOPE_OF: Record<string, string> = {
  'fastify-otel': '@fastify/otel',
  'instrumentation-fastify': '@opentelemetry/instrumentation-fastify',
};

for (const choice of FASTIFY_INSTRUMENTATIONS) {
  test(`with ${choice}: one trace spans both services, routes carry http.route, logs carry the trace id`, async () => {
    const suffix = randomUUID().slice(0, 8);
    const env = { ...tracesAt('1.0'), SHOP_FASTIFY_INSTRUMENTATION: choice };
    const backend = await startService('test/fixtures/demo-service.ts', { ...env, OTEL_SERVICE_NAME: `kit-backend-${suffix}` }, { telemetry: true });
    const frontend = await startService(
      'test/fixtures/demo-service.ts',
      { ...env, OTEL_SERVICE_NAME: `kit-frontend-${suffix}`, PEER_URL: backend.url },
      { telemetry: true },
    );
    let traceId: string;
    let postedTraceId: string;
    try {
      const response = await fetch(`${frontend.url}/via-peer/42`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { peer: { id: string; traceparent: string } };
      assert.equal(body.peer.id, '42');
      // The backend received W3C context from the frontend's outgoing call.
      const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(body.peer.traceparent);
      assert.ok(match, `traceparent reached the peer: ${body.peer.traceparent}`);
      traceId = match[1]!;
      // After a body, the handler's call still continues the request's trace, and its log line names it.
      const posted = await fetch(`${frontend.url}/via-peer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"43"}' });
      const postedParent = ((await posted.json()) as { peer: { traceparent: string } }).peer.traceparent;
      assert.match(postedParent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      postedTraceId = postedParent.split('-')[1]!;
    } finally {
      // SIGTERM flushes telemetry before exit.
      assert.equal(await frontend.stop(), 0);
      assert.equal(await backend.stop(), 0);
    }

    // Both processes flushed on exit, but Jaeger ingests their batches independently.
    const spans = await waitForTrace(traceId, {
      until: (s) =>
        s.some((x) => x.service === `kit-backend-${suffix}` && x.kind === OTLP_SERVER) &&
        s.some((x) => x.service === `kit-frontend-${suffix}` && x.kind === OTLP_SERVER) &&
        s.some((x) => x.service === `kit-frontend-${suffix}` && x.kind === OTLP_CLIENT),
    });
    const frontendServer = spans.find((s) => s.service === `kit-frontend-${suffix}` && s.kind === OTLP_SERVER);
    const frontendClient = spans.find((s) => s.service === `kit-frontend-${suffix}` && s.kind === OTLP_CLIENT);
    const backendServer = spans.find((s) => s.service === `kit-backend-${suffix}` && s.kind === OTLP_SERVER);
    assert.ok(frontendServer && frontendClient && backendServer, `spans: ${spans.map((s) => `${s.service}/${s.scope}/${s.name}`).join(', ')}`);
    assert.equal(frontendServer.attributes['http.route'], '/via-peer/:id');
    assert.equal(backendServer.attributes['http.route'], '/items/:id');
    assert.equal(frontendServer.name, 'GET /via-peer/:id');
    assert.equal(backendServer.parentSpanId, frontendClient.spanId, 'the backend span descends from the outgoing call');
    assert.equal(frontendClient.parentSpanId !== '', true);

    // Exactly one Fastify instrumentation produced spans.
    const scopes = new Set(spans.map((s) => s.scope));
    const other = FASTIFY_INSTRUMENTATIONS.find((c) => c !== choice)!;
    assert.ok(scopes.has(SCOPE_OF[choice]!), `expected spans from ${SCOPE_OF[choice]}, scopes: ${[...scopes].join(', ')}`);
    assert.ok(!scopes.has(SCOPE_OF[other]!), `spans from ${SCOPE_OF[other]} too: ${[...scopes].join(', ')}`);
    const routeSpans = spans.filter((s) => s.scope === SCOPE_OF[choice] && s.attributes['http.route']);
    assert.ok(routeSpans.length > 0, 'the Fastify instrumentation spans carry http.route');

    const lines = jsonLines(backend.output());
    const served = lines.find((line) => line.msg === 'serving item');
    assert.equal(served?.trace_id, traceId);
    const postedServed = lines.filter((line) => line.msg === 'serving item').at(-1);
    assert.equal(postedServed?.trace_id, postedTraceId);
    const postedCompleted = jsonLines(frontend.output()).find((line) => line.msg === 'request completed' && line['http.route'] === '/via-peer');
    assert.equal(postedCompleted?.trace_id, postedTraceId);
    assert.match(String(served?.span_id), /^[0-9a-f]{16}$/);
  });
}

test("an unsampled request records no span, yet its trace id reaches the next service (flags 00) and both services' log lines", async () => {
  const suffix = randomUUID().slice(0, 8);
  const env = tracesAt('0');
  const backend = await startService('test/fixtures/demo-service.ts', { ...env, OTEL_SERVICE_NAME: `kit-backend-${suffix}` }, { telemetry: true });
  const frontend = await startService(
    'test/fixtures/demo-service.ts',
    { ...env, OTEL_SERVICE_NAME: `kit-frontend-${suffix}`, PEER_URL: backend.url },
    { telemetry: true },
  );
  let traceId: string;
  let callerSpanId: string;
  let postedTraceId: string;
  try {
    const response = await fetch(`${frontend.url}/via-peer/7`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { peer: { traceparent: string | null } };
    const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-00$/.exec(body.peer.traceparent ?? '');
    assert.ok(match, `the peer was told the trace is not sampled: ${body.peer.traceparent}`);
    [, traceId, callerSpanId] = match as unknown as [string, string, string];
    // After a body too: the handler and the request's log line continue the same (unsampled) trace.
    const posted = await fetch(`${frontend.url}/via-peer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"8"}' });
    const postedPeer = ((await posted.json()) as { peer: { traceparent: string | null } }).peer.traceparent ?? '';
    assert.match(postedPeer, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    postedTraceId = postedPeer.split('-')[1]!;
    const missing = await fetch(`${frontend.url}/no-such-route`);
    assert.equal(((await missing.json()) as { trace_id: string | null }).trace_id?.length, 32, 'an error answer names the unsampled trace too');
  } finally {
    assert.equal(await frontend.stop(), 0);
    assert.equal(await backend.stop(), 0);
  }
  const served = jsonLines(backend.output()).find((line) => line.msg === 'serving item');
  assert.equal(served?.trace_id, traceId, "the backend logs inside the caller's trace");
  const completed = jsonLines(frontend.output()).filter((line) => line.msg === 'request completed' && line['http.route'] === '/via-peer/:id');
  assert.equal(completed[0]?.trace_id, traceId, "the frontend's request line carries the same trace");
  assert.equal(completed[0]?.span_id, callerSpanId);
  const postedLine = jsonLines(frontend.output()).find((line) => line.msg === 'request completed' && line['http.route'] === '/via-peer');
  assert.equal(postedLine?.trace_id, postedTraceId, 'the POST handler and its log line continue the request after its body');
  assert.notEqual(postedTraceId, traceId);
  // Nothing was exported: Jaeger has no trace with that id (given the time a sampled one takes to arrive).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const found = await fetch(`${JAEGER_QUERY_URL}/api/traces/${traceId}`);
  assert.equal(found.status, 404, 'no span of an unsampled trace is exported');
});
