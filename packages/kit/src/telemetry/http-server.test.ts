// The measurement the order placement objectives are read from
// (http.server.request.duration, @shop/contracts objectives.ts): the
// contract's buckets, a status code and error.type for a 5xx, and a response
// the server never finished (its client closed the connection first) measured
// as connection_closed without a status code, so it counts as no answer, not
// as a success.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_SERVER_DURATION } from '@shop/contracts/objectives';
import { installTestTelemetry } from '../../test/otel.ts';
import { context, trace, type HrTime } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { CONNECTION_CLOSED, endWithTheResponse, traceIncomingRequests } from './http-server.ts';
import { activeTraceId } from './context.ts';

const telemetry = installTestTelemetry();
const server = createServer((req, res) => {
  if (req.url === '/fails') {
    res.statusCode = 503;
    res.end('{}');
  } else if (req.url === '/handler') {
    // What @fastify/otel does with an async handler: a request span, the
    // handler's span beneath; the handler sends after an await, which ends
    // the request span (onSend), and its own span ends as its promise settles.
    const tracer = trace.getTracer('test');
    const requestSpan = tracer.startSpan('request');
    endWithTheResponse(requestSpan, req);
    const handler = tracer.startSpan('handler', {}, trace.setSpan(context.active(), requestSpan));
    const handle = async () => {
      await Promise.resolve();
      res.end('ok');
      requestSpan.end();
    };
    void handle().then(() => handler.end());
  } else if (req.url === '/context') {
    res.end(
      JSON.stringify({ span: trace.getSpan(context.active()) !== undefined, suppressed: isTracingSuppressed(context.active()), traceId: activeTraceId() }),
    );
  } else if (req.url === '/slow') {
    setTimeout(() => res.end('late'), 400);
  } else res.end('ok');
});
traceIncomingRequests(server, { ignore: (path) => path === '/healthz' });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function points() {
  const metric = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === 'http.server.request.duration');
  assert.ok(metric, 'http.server.request.duration is recorded');
  return metric.dataPoints as { attributes: Record<string, unknown>; value: { count: number; buckets: { boundaries: number[] } } }[];
}

test("a finished response is measured with its status code, a 5xx with error.type, in the contract's buckets", async () => {
  assert.equal((await fetch(`${base}/ok`)).status, 200);
  assert.equal((await fetch(`${base}/fails`)).status, 503);
  await fetch(`${base}/healthz`);
  const all = await points();
  const ok = all.find((p) => p.attributes['http.response.status_code'] === 200)!;
  assert.equal(ok.attributes['error.type'], undefined);
  assert.deepEqual(ok.value.buckets.boundaries, [...HTTP_SERVER_DURATION.buckets]);
  assert.ok(ok.value.buckets.boundaries.includes(0.5), 'the latency objective is read at 0.5 s');
  const failed = all.find((p) => p.attributes['http.response.status_code'] === 503)!;
  assert.equal(failed.attributes['error.type'], '503');
  assert.equal(
    all.reduce((n, p) => n + p.value.count, 0),
    2,
    'probes are not measured',
  );
});

test('a response never finished, its connection closed first, is measured as connection_closed without a status code', async () => {
  await new Promise<void>((resolve, reject) => {
    const req = request(`${base}/slow`);
    req.on('error', () => resolve());
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 100).unref();
    req.on('response', () => reject(new Error('the server answered before the client left')));
  });
  // The server notices the closed socket and measures the request.
  const closed = await (async () => {
    for (let i = 0; i < 50; i++) {
      const found = (await points()).find((p) => p.attributes['error.type'] === CONNECTION_CLOSED);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  })();
  assert.ok(closed, 'measured');
  assert.equal(closed.attributes['http.response.status_code'], undefined);
  assert.equal(closed.value.count, 1);
});

test('a request span ended at reply.send() ends when the response is written: after its handler, before the SERVER span', async () => {
  telemetry.spans.reset();
  assert.equal(await (await fetch(`${base}/handler`)).text(), 'ok');
  const nanos = (time: HrTime) => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
  let spans = await telemetry.finishedSpans();
  for (let i = 0; i < 50 && spans.length < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    spans = await telemetry.finishedSpans();
  }
  const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
  const [server, request, handler] = [byName.GET!, byName.request!, byName.handler!];
  assert.ok(server && request && handler, spans.map((s) => s.name).join(', '));
  assert.equal(request.parentSpanContext?.spanId, server.spanContext().spanId);
  assert.ok(nanos(handler.endTime) <= nanos(request.endTime), 'the handler ends within the request span');
  assert.ok(nanos(request.endTime) <= nanos(server.endTime), 'the request span ends within the SERVER span');
});

test('an unsampled request runs with tracing suppressed and no span at all in its context, keeping its trace id', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const unsampled = await fetch(`${base}/context`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-00` } });
  // No span, not even an unrecorded one: instrumentations that look for a parent (ioredis) return at once.
  assert.deepEqual(await unsampled.json(), { span: false, suppressed: true, traceId });
  const sampled = (await (await fetch(`${base}/context`)).json()) as { span: boolean; suppressed: boolean };
  assert.deepEqual([sampled.span, sampled.suppressed], [true, false]);
});
