import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES, SERVICES, SERVICE_NAMES, peerUrlVariable, startOrder } from './services.ts';
import { STOREFRONT } from './storefront.ts';

test('the service table: one port and one OTel name per service, peers that exist, every database listed', () => {
  const ports = SERVICE_NAMES.map((s) => SERVICES[s].port);
  assert.equal(new Set(ports).size, ports.length);
  const names = SERVICE_NAMES.map((s) => SERVICES[s].otelName);
  assert.equal(new Set(names).size, names.length);
  for (const s of SERVICE_NAMES) for (const peer of SERVICES[s].calls) assert.ok(SERVICE_NAMES.includes(peer), `${s} calls ${peer}`);
  assert.deepEqual([...DATABASES].sort(), SERVICE_NAMES.flatMap((s) => SERVICES[s].database ?? []).sort());
});

test('the start order puts every callee before its callers', () => {
  const order = startOrder();
  assert.deepEqual([...order].sort(), [...SERVICE_NAMES].sort());
  for (const s of SERVICE_NAMES) for (const peer of SERVICES[s].calls) assert.ok(order.indexOf(peer) < order.indexOf(s), `${peer} before ${s}`);
});

test('a peer is found through <PEER>_URL', () => {
  assert.equal(peerUrlVariable('inventory'), 'INVENTORY_URL');
});

test('the storefront stands beside the five services: its own port and OTel names, peers among them, not a row of their table', () => {
  assert.ok(!(SERVICE_NAMES as readonly string[]).includes(STOREFRONT.name));
  assert.ok(!SERVICE_NAMES.some((s) => SERVICES[s].port === STOREFRONT.port));
  const names = SERVICE_NAMES.map((s) => SERVICES[s].otelName);
  assert.ok(!names.includes(STOREFRONT.otelName) && !names.includes(STOREFRONT.webOtelName));
  assert.notEqual(STOREFRONT.otelName, STOREFRONT.webOtelName);
  for (const peer of STOREFRONT.calls) assert.ok(SERVICE_NAMES.includes(peer));
});
