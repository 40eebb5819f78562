import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { clientAddress, forwardedClientAddress } from './trace-budget.ts';

const request = (peer: string, forwardedFor?: string): IncomingMessage =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

test('with no trusted proxy a client is its connection, whatever it writes in X-Forwarded-For', () => {
  const client = forwardedClientAddress([]);
  assert.equal(client, clientAddress);
  assert.equal(client(request('203.0.113.7', '198.51.100.1')), '203.0.113.7');
});

test('behind a trusted proxy a client is the nearest forwarded address that is not a trusted proxy', () => {
  const client = forwardedClientAddress(['127.0.0.1', '10.0.0.0/8']);
  assert.equal(client(request('127.0.0.1', '198.51.100.1')), '198.51.100.1');
  // Two proxies we trust, then the shopper; what the shopper wrote before that is not believed.
  assert.equal(client(request('10.1.2.3', 'forged, 198.51.100.1, 10.9.9.9')), '198.51.100.1');
  // An IPv4 peer on a dual-stack socket is the same address.
  assert.equal(client(request('::ffff:127.0.0.1', '198.51.100.2')), '198.51.100.2');
  // A peer we do not trust is the client; its header is ignored.
  assert.equal(client(request('203.0.113.7', '198.51.100.1')), '203.0.113.7');
  // A trusted proxy that forwards nothing is itself the client.
  assert.equal(client(request('127.0.0.1')), '127.0.0.1');
});

test('IPv6 ranges are matched as ranges', () => {
  const client = forwardedClientAddress(['fd00::/8']);
  assert.equal(client(request('fd12::1', '2001:db8::5')), '2001:db8::5');
  assert.equal(client(request('2001:db8::9', '2001:db8::5')), '2001:db8::9');
});
