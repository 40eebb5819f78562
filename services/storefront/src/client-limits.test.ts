// Who a client is, for the per-client limits, through the storefront as
// main.ts builds it (app.inject with the connection's address; needs the
// built assets, not `make local`). Without trusted proxies X-Forwarded-For
// is anyone's to write and is ignored; behind one, each client it forwards
// for has a bucket of its own, and a client cannot write itself a new one.
// Every request here is a span batch the limit lets through or not: one
// that gets through is then refused for its body (415), so nothing is
// forwarded.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { STOREFRONT_OTLP_TRACES_PATH } from '@shop/contracts';
import type { App } from '@shop/kit';
import { testApp } from '../test/support.ts';

/** One request per client, then none for a long while. */
const once = { perSecond: 0.001, burst: 1 };
const limits = { pages: once, checkouts: once, spanBatches: once };
const direct = await testApp({ limits });
const behindProxy = await testApp({ limits, trustedProxies: ['127.0.0.1', '10.0.0.0/8'] });
after(async () => {
  await Promise.all([direct.close(), behindProxy.close()]);
});

/** 429 when the client's bucket is empty, 415 when the limit let it through. */
async function send(app: App, remoteAddress: string, forwardedFor?: string): Promise<number> {
  const response = await app.inject({
    method: 'POST',
    url: STOREFRONT_OTLP_TRACES_PATH,
    remoteAddress,
    headers: { 'content-type': 'text/plain', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    payload: 'resourceSpans',
  });
  return response.statusCode;
}

test('with no trusted proxy, X-Forwarded-For is ignored: two forwarded-for clients on one connection share its bucket', async () => {
  assert.equal(await send(direct, '127.0.0.1', '203.0.113.1'), 415);
  assert.equal(await send(direct, '127.0.0.1', '203.0.113.2'), 429, 'the same peer, whatever it says it forwards for');
  assert.equal(await send(direct, '192.0.2.1', '203.0.113.2'), 415, 'another peer is another client');
});

test('behind a trusted proxy, each client it forwards for has a bucket of its own', async () => {
  assert.equal(await send(behindProxy, '127.0.0.1', '203.0.113.1'), 415);
  assert.equal(await send(behindProxy, '127.0.0.1', '203.0.113.2'), 415, 'another shopper through the same proxy');
  assert.equal(await send(behindProxy, '127.0.0.1', '203.0.113.1'), 429, 'the first shopper again');
  assert.equal(await send(behindProxy, '127.0.0.1', '203.0.113.1, 10.0.0.5'), 429, 'the same shopper through a second trusted proxy');
  assert.equal(await send(behindProxy, '127.0.0.1'), 415, 'the proxy itself, with no header, is a client of its own');
});

test('a client cannot write itself a new bucket: what it puts before its own address is not read', async () => {
  assert.equal(await send(behindProxy, '127.0.0.1', '203.0.113.9'), 415);
  // The shopper sent `X-Forwarded-For: 198.51.100.7`; the proxy appended the address it saw.
  assert.equal(await send(behindProxy, '127.0.0.1', '198.51.100.7, 203.0.113.9'), 429);
});

test('a peer that is no trusted proxy is its own client, whatever its header says', async () => {
  assert.equal(await send(behindProxy, '192.0.2.9', '203.0.113.20'), 415);
  assert.equal(await send(behindProxy, '192.0.2.9', '203.0.113.21'), 429);
});
