import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createService, type App } from './server.ts';
import { rawRequest, type RawRequest } from '../test/raw-http.ts';

const SECRET = 'Bearer kit-protocol-secret-0123456789';
const logLines: string[] = [];
let app: App;
let url: string;

before(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  app = createService({ name: 'protocol-test', logStream: stream });
  app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.post('/items', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(() => app.close());

async function expectContract(request: RawRequest, status: number, message?: RegExp) {
  const outcome = await rawRequest(url, request);
  assert.equal(outcome.kind, 'answer', `${request.method} ${request.target.slice(0, 40)}: ${JSON.stringify(outcome)}`);
  if (outcome.kind !== 'answer') return;
  assert.equal(outcome.status, status, outcome.text);
  assert.match(outcome.headers.get('content-type')?.[0] ?? '', /^application\/json/);
  const body = outcome.json as { error: string; message: string; trace_id: unknown };
  assert.equal(body.error, 'invalid_request', outcome.text);
  assert.equal(typeof body.message, 'string');
  assert.ok('trace_id' in body, outcome.text);
  if (message) assert.match(body.message, message);
}

test('what the HTTP parser refuses is answered with the error contract, not a bare 400', async () => {
  await expectContract({ method: 'FOO', target: '/items/1' }, 400, /method/);
  await expectContract({ method: 'get', target: '/items/1' }, 400, /method/);
  await expectContract({ method: 'GET', target: '/items/1 HTTP/9.9' }, 400);
  await expectContract({ method: 'POST', target: '/items', headers: [['Content-Length', 'abc']], body: '{}' }, 400, /Content-Length/);
  await expectContract(
    {
      method: 'POST',
      target: '/items',
      headers: [
        ['Content-Length', '7'],
        ['Content-Length', '3'],
      ],
      body: '{"a":1}',
    },
    400,
    /Content-Length/,
  );
  await expectContract(
    {
      method: 'POST',
      target: '/items',
      headers: [
        ['Transfer-Encoding', 'chunked'],
        ['Content-Length', '7'],
      ],
      body: '{"a":1}',
    },
    400,
  );
  await expectContract({ method: 'GET', target: '/items/1', headers: [['X (bad)', 'v']] }, 400, /header/);
  await expectContract({ method: 'GET', target: '/items/1', headers: [['X-Junk', 'a\u0000b']] }, 400);
});

test('oversized headers are 431 and a truncated body is 400, both with the contract', async () => {
  await expectContract({ method: 'GET', target: '/items/1', headers: [['X-Filler', 'f'.repeat(20_000)]] }, 431);
  await expectContract({ method: 'GET', target: `/items/${'a'.repeat(20_000)}` }, 431);
  await expectContract(
    {
      method: 'POST',
      target: '/items',
      headers: [
        ['Content-Type', 'application/json'],
        ['Content-Length', '500'],
      ],
      body: '{"a":1}',
      endAfterWrite: true,
      timeoutMs: 5000,
    },
    400,
  );
});

test('URLs the router cannot decode and over-long parameters are 4xx with the contract', async () => {
  await expectContract({ method: 'GET', target: '/items/%zz' }, 400);
  await expectContract({ method: 'GET', target: '/items/%C3%28' }, 400);
  await expectContract({ method: 'GET', target: `/items/${'a'.repeat(300)}` }, 414);
});

test('CONNECT and an unknown Expect are refused with a JSON body, not a dropped socket or an empty 417', async () => {
  await expectContract({ method: 'CONNECT', target: '127.0.0.1:80' }, 400, /proxy/);
  await expectContract({ method: 'POST', target: '/items', headers: [['Expect', 'teapot']], body: '{}' }, 417, /Expect/);
});

test('the server keeps serving after protocol abuse, and a refused packet never reaches the logs', async () => {
  await expectContract({ method: 'FOO', target: '/items/1', headers: [['Authorization', SECRET]] }, 400);
  await expectContract(
    {
      method: 'GET',
      target: '/items/1',
      headers: [
        ['Authorization', SECRET],
        ['X-Filler', 'f'.repeat(20_000)],
      ],
    },
    431,
  );
  const ok = await fetch(`${url}/items/42`);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { id: '42' });
  const refusals = logLines.filter((line) => line.includes('malformed request refused'));
  assert.ok(refusals.length >= 2, 'each refusal is logged');
  assert.ok(!logLines.some((line) => line.includes('kit-protocol-secret')), 'the credential was logged');
});
