// The simulated processor's decision rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, simulatedProcessor } from './processor.ts';

const settings = { latencyMs: 0, declineRate: 0, limitCents: 100_000 };

test('a charge within the limit succeeds when the decline rate is 0', () => {
  assert.deepEqual(
    decide(100_000, settings, () => 0),
    { status: 'succeeded' },
  );
});

test('a charge above the limit is always declined with limit_exceeded', () => {
  assert.deepEqual(
    decide(100_001, settings, () => 0.99),
    { status: 'declined', reason: 'limit_exceeded' },
  );
  assert.deepEqual(decide(250_000, { ...settings, declineRate: 1 }), { status: 'declined', reason: 'limit_exceeded' });
});

test('the decline rate declines that share of charges with card_declined', () => {
  const rate = { ...settings, declineRate: 0.25 };
  assert.deepEqual(
    decide(100, rate, () => 0.2),
    { status: 'declined', reason: 'card_declined' },
  );
  assert.deepEqual(
    decide(100, rate, () => 0.25),
    { status: 'succeeded' },
  );
  // Rate 1 declines everything, whatever the draw.
  assert.deepEqual(
    decide(100, { ...settings, declineRate: 1 }, () => 0.999999),
    { status: 'declined', reason: 'card_declined' },
  );
});

test('the simulated processor takes the configured latency', async () => {
  const started = performance.now();
  await simulatedProcessor({ ...settings, latencyMs: 50 }).authorize(100);
  assert.ok(performance.now() - started >= 45);
});
