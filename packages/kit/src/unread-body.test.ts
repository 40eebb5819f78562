// An answer given before the body was read reaches a client that is still
// sending that body: the kit's server reads the rest first instead of
// closing the connection under it (which resets it, and the client may then
// never read the answer).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { rawRequest } from '../test/raw-http.ts';
import { startService } from '../test/process.ts';
import { drainUnreadBody, hasUnreadBody } from './unread-body.ts';

// The server in a process of its own: in this one, the client's writes and the server's close would take turns.
const service = await startService('test/fixtures/demo-service.ts', { OTEL_SERVICE_NAME: 'unread-body-test' });
const url = service.url;
after(() => service.stop());

const BIG = Buffer.alloc(1536 * 1024, 1);

test('a 401 from a hook before a 1.5 MiB body is read reaches the client every time, by Content-Length or chunked', async () => {
  for (let i = 0; i < 12; i++) {
    const chunked = i % 2 === 1;
    const body = chunked ? Buffer.concat([Buffer.from(`${BIG.length.toString(16)}\r\n`), BIG, Buffer.from('\r\n0\r\n\r\n')]) : BIG;
    const outcome = await rawRequest(url, {
      method: 'POST',
      target: '/guarded',
      headers: [['Content-Type', 'application/json'], ...(chunked ? [['Transfer-Encoding', 'chunked'] as [string, string]] : [])],
      body,
      contentLength: !chunked,
    });
    assert.equal(outcome.kind, 'answer', `attempt ${i + 1}: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.kind === 'answer' && outcome.status, 401);
  }
});

test('a 413 by Content-Length alone reaches a client still sending its body', async () => {
  for (let i = 0; i < 6; i++) {
    const outcome = await rawRequest(url, {
      method: 'POST',
      target: '/orders',
      headers: [
        ['Authorization', 'Bearer ok'],
        ['Content-Type', 'application/json'],
      ],
      body: BIG,
    });
    assert.equal(outcome.kind === 'answer' && outcome.status, 413, JSON.stringify(outcome));
  }
});

test('draining stops at its byte limit and at its time limit', async () => {
  const fake = (headers: Record<string, string>) => Object.assign(new PassThrough(), { headers, complete: false }) as unknown as IncomingMessage;
  assert.equal(hasUnreadBody(fake({})), false, 'no announced body');
  const endless = fake({ 'transfer-encoding': 'chunked' });
  const writer = setInterval(() => (endless as unknown as PassThrough).write(Buffer.alloc(64 * 1024)), 1);
  const started = Date.now();
  await drainUnreadBody(endless, { ms: 5_000, bytes: 256 * 1024 });
  clearInterval(writer);
  assert.ok(Date.now() - started < 4_000, 'stopped at the byte limit');
  const silent = fake({ 'content-length': '100' });
  const waited = Date.now();
  await drainUnreadBody(silent, { ms: 150, bytes: 1024 });
  assert.ok(Date.now() - waited >= 140, 'waited for the time limit');
});
