// With telemetry off (or `undici` among OTEL_NODE_DISABLED_INSTRUMENTATIONS)
// the kit's calls out are neither traced nor measured, and carry no trace
// context: the same as the requests in.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { installTestTelemetry } from '../../test/otel.ts';
import { HttpClient } from '../http-client.ts';
import { startTelemetry } from './sdk.ts';

assert.equal(startTelemetry({ OTEL_SDK_DISABLED: 'true' }).clientCalls, false);
const telemetry = installTestTelemetry();
const received: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  received.push(req.headers);
  res.end('{}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('with telemetry off a call makes no span, no measurement and no traceparent', async () => {
  const client = new HttpClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, peer: 'peer' });
  const parent = trace.getTracer('test').startSpan('caller');
  assert.equal((await context.with(trace.setSpan(context.active(), parent), () => client.get('/x'))).status, 200);
  parent.end();
  assert.equal(received[0]?.traceparent, undefined);
  assert.deepEqual(
    (await telemetry.finishedSpans()).map((s) => s.name),
    ['caller'],
  );
  assert.equal(
    (await telemetry.collectMetrics()).find((m) => m.descriptor.name === 'http.client.request.duration'),
    undefined,
  );
});
