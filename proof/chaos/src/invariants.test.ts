import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isClearAnswer, verifyPhase, type InvariantName, type PhaseObservation } from './invariants.ts';
import type { AttemptRecord } from './load/chaos-load.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function attempt(over: Partial<AttemptRecord>): AttemptRecord {
  return {
    outcome: 201,
    latencyMs: 50,
    json: true,
    error: undefined,
    orderId: A,
    orderStatus: 'created',
    retryAfterMs: undefined,
    key: 'k1',
    userId: 'u',
    attempt: 1,
    startedMs: 9000,
    ...over,
  };
}

/** A phase where order A was created (qty 2) and order B failed without a charge: everything consistent. */
function consistent(): PhaseObservation {
  return {
    productId: 'P',
    initialStock: 100,
    clientTimeoutMs: 12_000,
    restartedAtMs: 8000,
    attempts: [
      attempt({}),
      attempt({ key: 'k2', outcome: 503, error: 'service_unavailable', orderId: B, orderStatus: 'pending', startedMs: 5000 }),
      attempt({ key: 'k2', outcome: 409, error: 'request_in_progress', orderId: B, orderStatus: 'pending', startedMs: 6000, attempt: 2 }),
    ],
    orders: [
      { id: A, userId: 'u', idempotencyKey: 'k1', status: 'created', quantity: 2, transactionId: 'txn_a', failureReason: null },
      { id: B, userId: 'u', idempotencyKey: 'k2', status: 'failed', quantity: 1, transactionId: null, failureReason: 'recovered_without_payment' },
    ],
    currentStock: 98,
    reservations: [
      { orderId: A, quantity: 2, status: 'reserved' },
      { orderId: B, quantity: 1, status: 'released' },
    ],
    outbox: [{ id: 'e1', aggregateId: A, sent: true }],
    notifications: [{ eventId: 'e1', orderId: A, status: 'sent' }],
    payments: new Map([
      [A, { state: 'succeeded', transactionId: 'txn_a' }],
      [B, { state: 'none' }],
    ]),
    deadLetters: [],
    dlqReadComplete: true,
    collateralDeaths: [],
  };
}

function violated(o: PhaseObservation): Partial<Record<InvariantName, number>> {
  return Object.fromEntries(
    verifyPhase(o)
      .filter((r) => r.violations > 0)
      .map((r) => [r.name, r.violations]),
  );
}

test('a consistent phase violates nothing', () => {
  assert.deepEqual(violated(consistent()), {});
});

test('a 500 or a non-JSON answer is not a clear error; 503/504 JSON, 409 request_in_progress and 429 are', () => {
  assert.equal(isClearAnswer({ outcome: 503, json: true, error: 'service_unavailable' }), true);
  assert.equal(isClearAnswer({ outcome: 504, json: true, error: 'upstream_timeout' }), true);
  assert.equal(isClearAnswer({ outcome: 409, json: true, error: 'request_in_progress' }), true);
  assert.equal(isClearAnswer({ outcome: 429, json: true, error: 'rate_limited' }), true);
  assert.equal(isClearAnswer({ outcome: 500, json: true, error: 'internal_error' }), false);
  assert.equal(isClearAnswer({ outcome: 503, json: false, error: undefined }), false);
  assert.equal(isClearAnswer({ outcome: 'network-error', json: false, error: undefined }), false);
  const o = consistent();
  o.attempts.push(attempt({ key: 'k3', outcome: 500, error: 'internal_error', orderId: undefined }));
  assert.deepEqual(violated(o), { clear_errors: 1 });
});

test('an attempt that ran into the client timeout is a hang', () => {
  const o = consistent();
  o.attempts.push(attempt({ key: 'k3', outcome: 'timeout', json: false, latencyMs: 12_000, orderId: undefined }));
  assert.deepEqual(violated(o), { no_hang: 1 });
});

test('a key answered 201 whose order is not created, or answered with another id, is caught', () => {
  const o = consistent();
  o.orders[0]!.status = 'failed';
  const v = violated(o);
  assert.equal(v.created_once, 1);
  const p = consistent();
  p.attempts.push(attempt({ orderId: B, attempt: 2 }));
  assert.equal(violated(p).created_once, 1);
});

test('an order left pending is caught', () => {
  const o = consistent();
  o.orders[1]!.status = 'pending';
  assert.equal(violated(o).none_pending, 1);
});

test('stock that went missing or a reservation still held by a failed order is caught', () => {
  const o = consistent();
  o.currentStock = 97;
  assert.deepEqual(violated(o), { stock: 1 });
  const p = consistent();
  p.reservations[1]!.status = 'reserved';
  p.currentStock = 97;
  assert.equal(violated(p).stock, 2);
});

test('a created order without its charge, or a failed order that was charged, is caught', () => {
  const o = consistent();
  o.payments.set(A, { state: 'none' });
  o.payments.set(B, { state: 'succeeded', transactionId: 'txn_b' });
  assert.deepEqual(violated(o), { charges: 2 });
});

test('a missing or duplicated notification, an unsent outbox row, an unexplained dead letter are caught', () => {
  const o = consistent();
  o.notifications.push({ eventId: 'e2', orderId: A, status: 'sent' });
  o.outbox[0]!.sent = false;
  o.deadLetters.push({ orderId: B, reason: 'max_attempts', partition: 0, offset: '7' });
  assert.deepEqual(violated(o), { notifications: 1, outbox: 1, dlq: 1 });
});

test('a dead-lettered notification is explained by its dead letter', () => {
  const o = consistent();
  o.notifications[0]!.status = 'dead_lettered';
  assert.equal(violated(o).notifications, 1);
  o.deadLetters.push({ orderId: A, reason: 'max_attempts: channel down', partition: 0, offset: '3' });
  assert.deepEqual(violated(o), {});
});

test('no success after the restart, or another process dying, means not recovered', () => {
  const o = consistent();
  o.restartedAtMs = 9500;
  assert.equal(violated(o).recovered, 1);
  const p = consistent();
  p.collateralDeaths.push('notification');
  assert.equal(violated(p).recovered, 1);
});
