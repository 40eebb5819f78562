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

const C = '00000000-0000-4000-8000-00000000000c';

/**
 * A flag phase: the flag served on at 2 s, reset written at 6 s and served
 * at 6.5 s, 500 ms grace. Order C (key k3) was placed at 4 s, failed fast
 * with the flag's 503; order A (k1) placed at 9 s was created; order B
 * (k2) was tried at 1 s, before the flag.
 */
function flagPhase(): PhaseObservation {
  const o = consistent();
  o.restartedAtMs = 6500;
  o.attempts.push(attempt({ key: 'k3', outcome: 503, error: 'service_unavailable', orderId: C, orderStatus: 'failed', startedMs: 4000 }));
  o.orders.push({ id: C, userId: 'u', idempotencyKey: 'k3', status: 'failed', quantity: 1, transactionId: null, failureReason: 'payment_unavailable' });
  o.reservations.push({ orderId: C, quantity: 1, status: 'released' });
  o.payments.set(C, { state: 'none' });
  o.flagWindow = { onAtMs: 2000, offAtMs: 6000, offServedAtMs: 6500, graceMs: 500 };
  // k2's first attempt (a pending 503) goes before the flag, out of its window.
  o.attempts[1]!.startedMs = 1000;
  return o;
}

test('the flag invariant is checked in a flag phase only', () => {
  assert.equal(
    verifyPhase(consistent()).some((r) => r.name === 'flag'),
    false,
  );
  assert.ok(verifyPhase(flagPhase()).some((r) => r.name === 'flag'));
});

test('while the flag is on, an order answered 201, or failed but still holding its stock, is caught', () => {
  const o = flagPhase();
  assert.deepEqual(violated(o), {});
  assert.equal(verifyPhase(o).find((r) => r.name === 'flag')?.checked, 2, 'k3 while on, k1 after the reset');

  const created = flagPhase();
  created.attempts.push(attempt({ key: 'k4', outcome: 201, orderId: A, startedMs: 5000 }));
  assert.equal(violated(created).flag, 1);

  const holding = flagPhase();
  holding.reservations[2]!.status = 'reserved';
  holding.currentStock = 97;
  assert.equal(violated(holding).flag, 1);
});

test('an answer before the grace or after the reset was written is not judged; one that outlived the reset is not either', () => {
  const o = flagPhase();
  o.attempts.push(attempt({ key: 'k5', outcome: 201, orderId: A, startedMs: 2200 }));
  o.attempts.push(attempt({ key: 'k6', outcome: 201, orderId: A, startedMs: 5990, latencyMs: 50 }));
  // Retries replay an earlier key: only first attempts count.
  o.attempts.push(attempt({ key: 'k1', outcome: 201, orderId: A, startedMs: 4000, attempt: 2 }));
  assert.equal(violated(o).flag, undefined);
});

test('no order while the flag was on, none after the reset, a reset flagd never served, or a failure after it are caught', () => {
  const none = flagPhase();
  none.attempts[3]!.startedMs = 1500;
  assert.equal(violated(none).flag, 1);

  const noneAfter = flagPhase();
  noneAfter.attempts[0]!.startedMs = 6600;
  assert.equal(violated(noneAfter).flag, 1);

  const unserved = flagPhase();
  unserved.flagWindow!.offServedAtMs = undefined;
  assert.equal(violated(unserved).flag, 1);

  const failing = flagPhase();
  failing.attempts.push(attempt({ key: 'k7', outcome: 503, error: 'service_unavailable', orderId: undefined, orderStatus: 'failed', startedMs: 8000 }));
  assert.equal(violated(failing).flag, 1);
});
