// The kit's calls out, as the trace and the metrics see them: a CLIENT span
// per attempt under a recorded parent, whose context the peer receives; no
// span at all inside an unsampled request, whose trace still reaches the
// peer with flags 00; and http.client.request.duration for every attempt,
// answered or not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { installTestTelemetry } from '../../test/otel.ts';
import { HttpClient } from '../http-client.ts';
import { unsampledContext } from './context.ts';

const telemetry = installTestTelemetry();
const received: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  received.push(req.headers);
  res.statusCode = req.url === '/missing' ? 404 : 200;
  res.setHeader('content-type', 'application/json');
  res.end('{"ok":true}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const client = new HttpClient({ baseUrl: `http://127.0.0.1:${port}`, peer: 'peer', retries: 0 });
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const tracer = trace.getTracer('test');

async function durations() {
  const metric = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === 'http.client.request.duration');
  assert.ok(metric, 'http.client.request.duration is recorded');
  return metric.dataPoints as { attributes: Record<string, unknown>; value: { count: number } }[];
}

const countWhere = async (match: (attributes: Record<string, unknown>) => boolean) =>
  (await durations()).filter((p) => match(p.attributes)).reduce((n, p) => n + p.value.count, 0);

test('a call under a recorded span is a CLIENT span beneath it, and the peer continues that span', async () => {
  telemetry.spans.reset();
  const parent = tracer.startSpan('caller');
  const answer = await context.with(trace.setSpan(context.active(), parent), () => client.get<{ ok: boolean }>('/items/1?x=y'));
  parent.end();
  assert.equal(answer.status, 200);
  const spans = await telemetry.finishedSpans();
  const call = spans.find((s) => s.kind === SpanKind.CLIENT);
  assert.ok(call, spans.map((s) => s.name).join(', '));
  assert.equal(call.name, 'GET');
  assert.equal(call.parentSpanContext?.spanId, parent.spanContext().spanId);
  assert.deepEqual(call.attributes, {
    'http.request.method': 'GET',
    'server.address': '127.0.0.1',
    'server.port': port,
    'url.scheme': 'http',
    'network.protocol.version': '1.1',
    'url.full': `http://127.0.0.1:${port}/items/1?x=y`,
    'http.response.status_code': 200,
  });
  assert.equal(received.at(-1)?.traceparent, `00-${call.spanContext().traceId}-${call.spanContext().spanId}-01`);
});

test('a 4xx answer marks the CLIENT span failed with error.type, as the conventions ask of a client', async () => {
  telemetry.spans.reset();
  const parent = tracer.startSpan('caller');
  const answer = await context.with(trace.setSpan(context.active(), parent), () => client.get('/missing'));
  parent.end();
  assert.equal(answer.status, 404);
  const call = (await telemetry.finishedSpans()).find((s) => s.kind === SpanKind.CLIENT)!;
  assert.equal(call.status.code, SpanStatusCode.ERROR);
  assert.equal(call.attributes['error.type'], '404');
  assert.ok((await countWhere((a) => a['http.response.status_code'] === 404 && a['error.type'] === '404')) >= 1);
});

test('inside an unsampled request a call makes no span, passes the trace on with flags 00, and is still measured', async () => {
  telemetry.spans.reset();
  const identity = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE };
  const posted = (a: Record<string, unknown>) => a['http.response.status_code'] === 200 && a['http.request.method'] === 'POST';
  const before = await countWhere(posted);
  await context.with(unsampledContext(context.active(), identity), () => client.post('/orders', { n: 1 }));
  assert.deepEqual(await telemetry.finishedSpans(), [], 'no span of any instrumentation');
  assert.equal(received.at(-1)?.traceparent, `00-${identity.traceId}-${identity.spanId}-00`);
  assert.equal(await countWhere(posted), before + 1);
});

test('a peer that cannot be reached is measured and traced with the error, not a status code', async () => {
  telemetry.spans.reset();
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const dead = new HttpClient({ baseUrl: `http://127.0.0.1:${deadPort}`, peer: 'gone', retries: 0 });
  const parent = tracer.startSpan('caller');
  await assert.rejects(
    context.with(trace.setSpan(context.active(), parent), () => dead.get('/')),
    (err: Error & { statusCode?: number }) => err.statusCode === 503,
  );
  parent.end();
  const call = (await telemetry.finishedSpans()).find((s) => s.kind === SpanKind.CLIENT)!;
  assert.equal(call.status.code, SpanStatusCode.ERROR);
  assert.equal(call.attributes['error.type'], 'ECONNREFUSED');
  assert.equal(call.attributes['http.response.status_code'], undefined);
  assert.equal(await countWhere((a) => a['server.port'] === deadPort && a['error.type'] === 'ECONNREFUSED'), 1);
});
