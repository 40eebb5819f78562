// What the shopper reads for each refusal or failure: a plain sentence,
// never the gateway's codes, trace ids or service names, and whether trying
// again can help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ORDER_STATUSES } from '@shop/contracts';
import { gatewayTimeout, serviceUnavailable } from '@shop/kit';
import { checkoutRefusal, orderStatusMessage, readFailure } from './shopper-messages.ts';

const RAW = /[a-z]+_[a-z]+|trace|[0-9a-f]{32}|-service|gateway|ECONN/;

test('each checkout refusal has its own plain message, and says whether a retry can help', () => {
  const cases: [string, { status: number; body: unknown }, RegExp, boolean][] = [
    ['declined', { status: 402, body: { error: 'payment_declined', message: 'charge declined: limit_exceeded', trace_id: 'a'.repeat(32) } }, /declined/, false],
    ['out of stock', { status: 409, body: { error: 'insufficient_stock', available: 3 } }, /only 3 left/, false],
    ['sold out', { status: 409, body: { error: 'insufficient_stock', available: 0 } }, /sold out/, false],
    ['key reused', { status: 409, body: { error: 'idempotency_conflict' } }, /Reload the page/, false],
    ['still running', { status: 409, body: { error: 'request_in_progress' } }, /still being placed/, true],
    ['unknown product', { status: 404, body: { error: 'not_found' } }, /no longer in the catalogue/, false],
    ['rate limited', { status: 429, body: { error: 'rate_limited' } }, /busy/, true],
    ['down', { status: 503, body: { error: 'service_unavailable', message: 'inventory-service is unavailable' } }, /not answering/, true],
    ['bad gateway', { status: 502, body: { error: 'bad_gateway' } }, /not answering/, true],
    ['slow', { status: 504, body: { error: 'upstream_timeout', message: 'order-service did not answer within 10000 ms' } }, /may still go through/, true],
  ];
  for (const [name, answer, expected, retry] of cases) {
    const message = checkoutRefusal(answer, '2');
    assert.match(message.message, expected, name);
    assert.equal(message.retry, retry, name);
    assert.doesNotMatch(`${message.title} ${message.message}`, RAW, `${name}: no raw detail`);
  }
  assert.match(checkoutRefusal({ status: 429, body: {} }, '7').message, /in 7 seconds/);
  assert.match(checkoutRefusal({ status: 429, body: {} }, null).message, /in a few seconds/);
});

test('a gateway that cannot be reached or answers too late reads like its 503 or 504', () => {
  assert.match(checkoutRefusal(serviceUnavailable('gateway is unavailable', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).message, /not answering/);
  assert.match(checkoutRefusal(gatewayTimeout('gateway did not answer within 10000 ms')).message, /may still go through/);
});

test('pages that cannot be filled say why in words', () => {
  assert.match(readFailure(404, 'product').title, /not found/);
  assert.match(readFailure(404, 'order').title, /Order not found/);
  for (const status of [500, 502, 503, 504]) {
    const message = readFailure(status, 'catalogue');
    assert.match(message.message, /cannot be shown right now/);
    assert.doesNotMatch(message.message, RAW);
  }
  assert.match(readFailure(429, 'catalogue', '3').message, /in 3 seconds/);
});

test('every order state has a message, and only pending is not final', () => {
  for (const status of ORDER_STATUSES) {
    const about = orderStatusMessage(status);
    assert.ok(about.title && about.message, status);
    assert.equal(about.final, status !== 'pending', status);
  }
});
