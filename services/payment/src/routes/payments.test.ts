// Charging against the real Redis: exactly once per order, with the outcome
// stored and replayed, and traced as payment.process.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode } from '@opentelemetry/api';
import { Redis } from 'ioredis';
import { installTestTelemetry } from '@shop/kit/test/otel';

// The in-memory SDK must be global before the app's modules load.
const telemetry = installTestTelemetry();
const { buildApp } = await import('../app.ts');
const { simulatedProcessor } = await import('../domain/processor.ts');
const { redisPaymentStore } = await import('../domain/store.ts');
const { testOrders, TEST_REDIS_URL } = await import('../../test/redis.ts');

const redis = new Redis(TEST_REDIS_URL);
const orders = testOrders(redis);
const LIMIT = 100_000;

function paymentApp(options: { latencyMs?: number; declineRate?: number; leaseMs?: number } = {}) {
  return buildApp({
    redis,
    processor: simulatedProcessor({ latencyMs: options.latencyMs ?? 5, declineRate: options.declineRate ?? 0, limitCents: LIMIT }),
    leaseMs: options.leaseMs ?? 5_000,
    logLevel: 'silent',
  });
}

const app = paymentApp();

after(async () => {
  await app.close();
  await orders.removeAll();
  await redis.quit();
});

function chargeRequest(body: unknown, target = app) {
  return target.inject({ method: 'POST', url: '/payments', payload: body as Record<string, unknown> });
}

async function chargesCounted(): Promise<number> {
  const metric = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === 'payments');
  return ((metric?.dataPoints ?? []) as { value: number }[]).reduce((sum, p) => sum + p.value, 0);
}

test('a charge succeeds with 201 and a txn_ transaction id, and can be read back by order and by transaction', async () => {
  const orderId = orders.id();
  const response = await chargeRequest({ order_id: orderId, amount_cents: 2999, currency: 'USD' });
  assert.equal(response.statusCode, 201);
  const body = response.json();
  assert.match(body.transaction_id, /^txn_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.deepEqual(body, { transaction_id: body.transaction_id, order_id: orderId, amount_cents: 2999, currency: 'USD', status: 'succeeded' });

  const byOrder = await app.inject({ method: 'GET', url: `/payments?order_id=${orderId}` });
  assert.equal(byOrder.statusCode, 200);
  assert.deepEqual(byOrder.json(), body);
  const byTransaction = await app.inject({ method: 'GET', url: `/payments/${body.transaction_id}` });
  assert.equal(byTransaction.statusCode, 200);
  assert.deepEqual(byTransaction.json(), body);
});

test('a replay returns the same transaction with 201 and charges nothing', async () => {
  const orderId = orders.id();
  const charged = await chargesCounted();
  const first = await chargeRequest({ order_id: orderId, amount_cents: 500, currency: 'USD' });
  const second = await chargeRequest({ order_id: orderId, amount_cents: 500, currency: 'USD' });
  assert.equal(first.statusCode, 201);
  assert.equal(second.statusCode, 201);
  assert.deepEqual(second.json(), first.json());
  assert.equal(second.headers['idempotent-replayed'], 'true');
  assert.equal(first.headers['idempotent-replayed'], undefined);
  assert.equal(await chargesCounted(), charged + 1, 'one charge reached the processor');

  const transactionId = first.json().transaction_id;
  assert.equal((await app.inject({ method: 'GET', url: `/payments?order_id=${orderId}` })).json().transaction_id, transactionId);
  assert.equal((await app.inject({ method: 'GET', url: `/payments/${transactionId}` })).json().order_id, orderId);
});

test('a repeat with a different amount is 409 idempotency_conflict and leaves the payment as it was', async () => {
  const orderId = orders.id();
  const first = await chargeRequest({ order_id: orderId, amount_cents: 1000, currency: 'USD' });
  const different = await chargeRequest({ order_id: orderId, amount_cents: 1001, currency: 'USD' });
  assert.equal(different.statusCode, 409);
  assert.equal(different.json().error, 'idempotency_conflict');
  const stored = await app.inject({ method: 'GET', url: `/payments?order_id=${orderId}` });
  assert.deepEqual(stored.json(), first.json());
});

test('20 concurrent charges for one order make exactly one transaction', async () => {
  const slow = paymentApp({ latencyMs: 100 });
  try {
    const orderId = orders.id();
    const charged = await chargesCounted();
    const responses = await Promise.all(Array.from({ length: 20 }, () => chargeRequest({ order_id: orderId, amount_cents: 2500, currency: 'USD' }, slow)));
    const statuses = responses.map((r) => r.statusCode);
    assert.ok(
      statuses.every((s) => s === 201 || s === 409),
      `statuses: ${statuses.join(',')}`,
    );
    const succeeded = responses.filter((r) => r.statusCode === 201);
    assert.ok(succeeded.length >= 1);
    const transactionIds = new Set(succeeded.map((r) => r.json().transaction_id));
    assert.equal(transactionIds.size, 1, `transaction ids: ${[...transactionIds].join(', ')}`);
    for (const busy of responses.filter((r) => r.statusCode === 409)) {
      assert.equal(busy.json().error, 'payment_in_progress');
    }
    assert.equal(await chargesCounted(), charged + 1);
    const stored = await slow.inject({ method: 'GET', url: `/payments?order_id=${orderId}` });
    assert.ok(transactionIds.has(stored.json().transaction_id));
  } finally {
    await slow.close();
  }
});

test('while a charge is in flight, reading the order says payment_in_progress (409), not 404', async () => {
  const slow = paymentApp({ latencyMs: 200 });
  try {
    const orderId = orders.id();
    const pending = chargeRequest({ order_id: orderId, amount_cents: 700, currency: 'USD' }, slow);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const during = await slow.inject({ method: 'GET', url: `/payments?order_id=${orderId}` });
    assert.equal(during.statusCode, 409);
    assert.equal(during.json().error, 'payment_in_progress');
    assert.equal((await pending).statusCode, 201);
    assert.equal((await slow.inject({ method: 'GET', url: `/payments?order_id=${orderId}` })).statusCode, 200);
  } finally {
    await slow.close();
  }
});

test('a charge above the card limit is declined: 402 limit_exceeded with a transaction id, replayed as 402', async () => {
  const orderId = orders.id();
  const response = await chargeRequest({ order_id: orderId, amount_cents: 250_000, currency: 'USD' });
  assert.equal(response.statusCode, 402);
  const body = response.json();
  assert.equal(body.error, 'payment_declined');
  assert.equal(body.status, 'declined');
  assert.equal(body.reason, 'limit_exceeded');
  assert.equal(body.order_id, orderId);
  assert.match(body.transaction_id, /^txn_/);
  assert.equal(typeof body.message, 'string');

  const replay = await chargeRequest({ order_id: orderId, amount_cents: 250_000, currency: 'USD' });
  assert.equal(replay.statusCode, 402);
  assert.equal(replay.json().transaction_id, body.transaction_id);

  const stored = await app.inject({ method: 'GET', url: `/payments/${body.transaction_id}` });
  assert.equal(stored.statusCode, 200);
  assert.equal(stored.json().status, 'declined');
  assert.equal(stored.json().reason, 'limit_exceeded');
});

test('the card limit itself is still accepted', async () => {
  const response = await chargeRequest({ order_id: orders.id(), amount_cents: LIMIT, currency: 'USD' });
  assert.equal(response.statusCode, 201);
});

test('with PAYMENT_DECLINE_RATE 1 every charge is declined: 402 card_declined', async () => {
  const declining = paymentApp({ declineRate: 1 });
  try {
    const response = await chargeRequest({ order_id: orders.id(), amount_cents: 100, currency: 'USD' }, declining);
    assert.equal(response.statusCode, 402);
    assert.equal(response.json().reason, 'card_declined');
  } finally {
    await declining.close();
  }
});

test('unknown payments are 404', async () => {
  const byOrder = await app.inject({ method: 'GET', url: `/payments?order_id=${orders.id()}` });
  assert.equal(byOrder.statusCode, 404);
  assert.equal(byOrder.json().error, 'not_found');
  const byTransaction = await app.inject({ method: 'GET', url: '/payments/txn_00000000-0000-0000-0000-000000000000' });
  assert.equal(byTransaction.statusCode, 404);
  const noQuery = await app.inject({ method: 'GET', url: '/payments' });
  assert.equal(noQuery.statusCode, 400);
});

test('invalid charge bodies are 400, never 500, and charge nothing', async () => {
  const orderId = orders.id();
  const invalid: unknown[] = [
    { order_id: orderId, amount_cents: 0, currency: 'USD' },
    { order_id: orderId, amount_cents: -100, currency: 'USD' },
    { order_id: orderId, amount_cents: 10.5, currency: 'USD' },
    { order_id: orderId, amount_cents: '100', currency: 'USD' },
    { order_id: orderId, amount_cents: 100, currency: 'EUR' },
    { order_id: orderId, amount_cents: 100, currency: 'usd' },
    { order_id: orderId, amount_cents: 100 },
    { order_id: orderId, currency: 'USD' },
    { amount_cents: 100, currency: 'USD' },
    { order_id: '', amount_cents: 100, currency: 'USD' },
    { order_id: 'a b', amount_cents: 100, currency: 'USD' },
    { order_id: orderId, amount_cents: 100, currency: 'USD', card_number: '4111111111111111' },
    [],
  ];
  for (const body of invalid) {
    const response = await chargeRequest(body);
    assert.equal(response.statusCode, 400, `body ${JSON.stringify(body)} answered ${response.statusCode}`);
    assert.equal(response.json().error, 'invalid_request');
  }
  const malformed = await app.inject({ method: 'POST', url: '/payments', headers: { 'content-type': 'application/json' }, payload: '{"order_id"' });
  assert.equal(malformed.statusCode, 400);
  assert.equal((await app.inject({ method: 'GET', url: `/payments?order_id=${orderId}` })).statusCode, 404);
});

test('a processor that crashed mid charge blocks the order only until its lease expires', async () => {
  const orderId = orders.id();
  // What a crashed process leaves behind: a claim nobody will complete.
  const store = redisPaymentStore(redis);
  assert.equal(await store.claim(orderId, { token: 'crashed', amountCents: 900, currency: 'USD' }, 300), true);
  const blocked = await chargeRequest({ order_id: orderId, amount_cents: 900, currency: 'USD' });
  assert.equal(blocked.statusCode, 409);
  assert.equal(blocked.json().error, 'payment_in_progress');
  await new Promise((resolve) => setTimeout(resolve, 400));
  const retried = await chargeRequest({ order_id: orderId, amount_cents: 900, currency: 'USD' });
  assert.equal(retried.statusCode, 201);
});

test('a processor error frees the order at once, so a retry charges', async () => {
  let fail = true;
  const flaky = buildApp({
    redis,
    processor: {
      async authorize() {
        if (fail) throw new Error('processor connection reset');
        return { status: 'succeeded' };
      },
    },
    leaseMs: 60_000,
    logLevel: 'silent',
  });
  try {
    const orderId = orders.id();
    const failed = await chargeRequest({ order_id: orderId, amount_cents: 300, currency: 'USD' }, flaky);
    assert.equal(failed.statusCode, 500);
    assert.equal(failed.json().error, 'internal_error');
    fail = false;
    const retried = await chargeRequest({ order_id: orderId, amount_cents: 300, currency: 'USD' }, flaky);
    assert.equal(retried.statusCode, 201);
  } finally {
    await flaky.close();
  }
});

test('charges are traced as payment.process; a decline is an outcome on the span, not an error', async () => {
  const okOrder = orders.id();
  const declinedOrder = orders.id();
  telemetry.spans.reset();
  const ok = await chargeRequest({ order_id: okOrder, amount_cents: 1234, currency: 'USD' });
  await chargeRequest({ order_id: declinedOrder, amount_cents: 150_000, currency: 'USD' });
  await chargeRequest({ order_id: okOrder, amount_cents: 1234, currency: 'USD' });
  const spans = (await telemetry.finishedSpans()).filter((s) => s.name === 'payment.process');
  assert.equal(spans.length, 3);
  const [charged, declined, replayed] = spans;
  assert.ok(charged && declined && replayed);

  assert.equal(charged.attributes['order.id'], okOrder);
  assert.equal(charged.attributes['payment.transaction_id'], ok.json().transaction_id);
  assert.equal(charged.attributes['payment.amount_cents'], 1234);
  assert.equal(charged.attributes['payment.currency'], 'USD');
  assert.equal(charged.attributes['payment.status'], 'succeeded');
  assert.equal(charged.attributes['payment.idempotency'], 'charged');
  assert.equal(charged.status.code, SpanStatusCode.UNSET);

  assert.equal(declined.attributes['payment.status'], 'declined');
  assert.equal(declined.attributes['payment.decline_reason'], 'limit_exceeded');
  assert.notEqual(declined.status.code, SpanStatusCode.ERROR);
  assert.equal(declined.events.length, 0);

  assert.equal(replayed.attributes['payment.idempotency'], 'replayed');
  assert.equal(replayed.attributes['payment.transaction_id'], ok.json().transaction_id);
});

test('payments are counted by status and their amounts recorded in cents', async () => {
  const count = async () => {
    const metrics = await telemetry.collectMetrics();
    const points = (metrics.find((m) => m.descriptor.name === 'payments')?.dataPoints ?? []) as { attributes: Record<string, unknown>; value: number }[];
    const amount = metrics.find((m) => m.descriptor.name === 'payment.amount');
    const amountPoints = (amount?.dataPoints ?? []) as { attributes: Record<string, unknown>; value: { count: number; sum: number } }[];
    return {
      succeeded: points.filter((p) => p.attributes.status === 'succeeded').reduce((s, p) => s + p.value, 0),
      limit: points.find((p) => p.attributes.status === 'declined' && p.attributes.reason === 'limit_exceeded')?.value ?? 0,
      amountSum: amountPoints.reduce((s, p) => s + p.value.sum, 0),
      unit: amount?.descriptor.unit,
    };
  };
  const before = await count();
  await chargeRequest({ order_id: orders.id(), amount_cents: 4000, currency: 'USD' });
  await chargeRequest({ order_id: orders.id(), amount_cents: 200_000, currency: 'USD' });
  const after = await count();
  assert.equal(after.succeeded - before.succeeded, 1);
  assert.equal(after.limit - before.limit, 1);
  assert.equal(after.amountSum - before.amountSum, 204_000);
  assert.equal(after.unit, '{USD_cents}');
});
