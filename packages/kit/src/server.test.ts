import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { Type } from '@sinclair/typebox';
import { installTestTelemetry } from '../test/otel.ts';

installTestTelemetry();
const { createService } = await import('./server.ts');
const { conflict, tooManyRequests } = await import('./errors.ts');
const { createPostgres, pingPostgres } = await import('./db.ts');

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

function buildApp(logs = captureLogs()) {
  const app = createService({ name: 'test-service', logStream: logs.stream, bodyLimit: 1024 });
  app.post('/orders', { schema: { body: Type.Object({ quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }) } }, async (request) => ({
    quantity: request.body.quantity,
  }));
  app.get('/conflict', async () => {
    throw conflict('insufficient_stock', 'only 2 left', { available: 2 });
  });
  app.get('/limited', async () => {
    throw tooManyRequests(7);
  });
  app.get('/boom', async () => {
    throw new Error('secret internal detail');
  });
  app.get('/db-down', async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  });
  app.get('/log', async (request) => {
    request.log.info('inside the handler');
    return {};
  });
  return app;
}

let app: ReturnType<typeof buildApp>;
before(async () => {
  app = buildApp();
  await app.ready();
});

test('an HttpError becomes its status with the JSON error body and extra details', async () => {
  const response = await app.inject({ method: 'GET', url: '/conflict' });
  assert.equal(response.statusCode, 409);
  assert.deepEqual(response.json(), { error: 'insufficient_stock', message: 'only 2 left', available: 2, trace_id: null });
});

test('429 carries Retry-After', async () => {
  const response = await app.inject({ method: 'GET', url: '/limited' });
  assert.equal(response.statusCode, 429);
  assert.equal(response.headers['retry-after'], '7');
  assert.equal(response.json().error, 'rate_limited');
});

test('schema violations are 400 invalid_request, wrong types are not coerced', async () => {
  for (const payload of [{}, { quantity: 0 }, { quantity: '2' }, { quantity: 1.5 }, { quantity: 1, extra: true }]) {
    const response = await app.inject({ method: 'POST', url: '/orders', payload });
    assert.equal(response.statusCode, 400, JSON.stringify(payload));
    assert.equal(response.json().error, 'invalid_request');
    assert.equal(typeof response.json().message, 'string');
  }
  const ok = await app.inject({ method: 'POST', url: '/orders', payload: { quantity: 2 } });
  assert.equal(ok.statusCode, 200);
});

test('malformed JSON is 400 invalid_json, a body over the limit is 413', async () => {
  const bad = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: '{"quantity": 1' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error, 'invalid_json');
  const big = await app.inject({ method: 'POST', url: '/orders', payload: { quantity: 1, pad: 'x'.repeat(2000) } });
  assert.equal(big.statusCode, 413);
  assert.equal(big.json().error, 'payload_too_large');
  const media = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'text/xml' }, payload: '<a/>' });
  assert.equal(media.statusCode, 415);
});

test('an unexpected error is a 500 with no internals, and is logged with its stack', async () => {
  const logs = captureLogs();
  const local = buildApp(logs);
  const response = await local.inject({ method: 'GET', url: '/boom' });
  assert.equal(response.statusCode, 500);
  assert.deepEqual(response.json(), { error: 'internal_error', message: 'internal error', trace_id: null });
  assert.doesNotMatch(response.body, /secret internal detail|at /);
  const logged = logs.lines.find((line) => line.msg === 'unhandled error') as { err: { stack: string } } | undefined;
  assert.match(logged?.err.stack ?? '', /secret internal detail/);
});

test('an unreachable dependency is a 503 with Retry-After', async () => {
  const response = await app.inject({ method: 'GET', url: '/db-down' });
  assert.equal(response.statusCode, 503);
  assert.equal(response.json().error, 'service_unavailable');
  assert.equal(response.headers['retry-after'], '1');
});

test('unknown routes are 404 in the same JSON shape', async () => {
  const response = await app.inject({ method: 'GET', url: '/nope?x=1' });
  assert.equal(response.statusCode, 404);
  assert.deepEqual(response.json(), { error: 'not_found', message: 'no route for GET /nope', trace_id: null });
});

test('inside a trace, error bodies and log lines carry the active trace id', async () => {
  const logs = captureLogs();
  const local = buildApp(logs);
  const tracer = trace.getTracer('test');
  await tracer.startActiveSpan('parent', async (span) => {
    const { traceId, spanId } = span.spanContext();
    const response = await local.inject({ method: 'GET', url: '/conflict' });
    assert.equal(response.json().trace_id, traceId);
    await local.inject({ method: 'GET', url: '/log' });
    const line = logs.lines.find((l) => l.msg === 'inside the handler');
    assert.equal(line?.trace_id, traceId);
    assert.equal(line?.span_id, spanId);
    assert.equal(line?.['service.name'], 'test-service');
    span.end();
  });
});

test('the authorization header never reaches a log line', async () => {
  const logs = captureLogs();
  const local = buildApp(logs);
  local.addHook('onRequest', async (request) => {
    request.log.info({ headers: request.headers }, 'headers');
  });
  await local.inject({ method: 'GET', url: '/log', headers: { authorization: 'Bearer super-secret-key' } });
  const text = JSON.stringify(logs.lines);
  assert.doesNotMatch(text, /super-secret-key/);
  assert.match(text, /\[redacted\]/);
});

test('request.ip is the X-Forwarded-For client only when the connection comes from a trusted proxy', async () => {
  const build = (trustProxy?: string[]) => {
    const service = createService({ name: 'test-service', logStream: captureLogs().stream, ...(trustProxy ? { trustProxy } : {}) });
    service.get('/ip', async (request) => ({ ip: request.ip }));
    return service;
  };
  const ipOf = async (service: ReturnType<typeof build>, remoteAddress: string, forwardedFor?: string) =>
    (await service.inject({ method: 'GET', url: '/ip', remoteAddress, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} })).json().ip;

  // As every service but the storefront runs: the header is anyone's to write, and is not read.
  for (const service of [build(), build([])]) assert.equal(await ipOf(service, '127.0.0.1', '203.0.113.7'), '127.0.0.1');

  const behindProxies = build(['127.0.0.1', '10.0.0.0/8']);
  assert.equal(await ipOf(behindProxies, '127.0.0.1'), '127.0.0.1', 'no header: the peer');
  assert.equal(await ipOf(behindProxies, '127.0.0.1', '203.0.113.7'), '203.0.113.7');
  assert.equal(await ipOf(behindProxies, '127.0.0.1', '203.0.113.7, 10.1.2.3'), '203.0.113.7', 'through two trusted proxies');
  assert.equal(
    await ipOf(behindProxies, '127.0.0.1', '198.51.100.1, 203.0.113.7'),
    '203.0.113.7',
    'what the client wrote before its own address is not reached',
  );
  assert.equal(await ipOf(behindProxies, '192.0.2.9', '203.0.113.7'), '192.0.2.9', 'from a peer that is no trusted proxy the header is not read');
});

test('/healthz answers without checking dependencies', async () => {
  const local = createService({ name: 't', readiness: { never: () => Promise.reject(new Error('down')) }, logLevel: 'silent' });
  const response = await local.inject({ method: 'GET', url: '/healthz' });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { status: 'ok' });
});

test('/readyz is 200 when the real PostgreSQL answers and 503 naming the dependency when it does not', async () => {
  const host = process.env.DATABASE_HOST ?? '127.0.0.1';
  const port = process.env.DATABASE_PORT ?? '5432';
  const up = createPostgres(`postgres://shop@${host}:${port}/orders`, { max: 1 });
  const down = createPostgres(`postgres://shop@127.0.0.1:1/orders`, { max: 1, connectTimeout: 1 });
  try {
    const ready = createService({ name: 't', logLevel: 'silent', readiness: { postgres: () => pingPostgres(up) } });
    const okResponse = await ready.inject({ method: 'GET', url: '/readyz' });
    assert.equal(okResponse.statusCode, 200);
    assert.deepEqual(okResponse.json(), { status: 'ready', checks: { postgres: 'ok' } });

    const notReady = createService({
      name: 't',
      logLevel: 'silent',
      readiness: { postgres: () => pingPostgres(down), cache: async () => {} },
    });
    const failed = await notReady.inject({ method: 'GET', url: '/readyz' });
    assert.equal(failed.statusCode, 503);
    assert.equal(failed.json().status, 'not_ready');
    assert.equal(failed.json().checks.cache, 'ok');
    assert.match(failed.json().checks.postgres, /^down: ECONNREFUSED/);
  } finally {
    await up.end();
    await down.end();
  }
});

test('a readiness check that hangs is reported down after the timeout', async () => {
  const local = createService({ name: 't', logLevel: 'silent', readinessTimeoutMs: 50, readiness: { kafka: () => new Promise(() => {}) } });
  const response = await local.inject({ method: 'GET', url: '/readyz' });
  assert.equal(response.statusCode, 503);
  assert.equal(response.json().checks.kafka, 'down: kafka did not answer within 50 ms');
});
