// The simulated processor's decision rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagdDocument } from '@shop/contracts';
import { startFlags } from '@shop/kit';
import { startTestFlagd } from '@shop/kit/test/flagd';
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

test('the latency is capped so the claim on the order outlives the charge', async () => {
  const started = performance.now();
  await simulatedProcessor({ ...settings, latencyMs: 5_000, maxLatencyMs: 30 }).authorize(100);
  assert.ok(performance.now() - started < 1_000);
});

test('paymentFailure and paymentLatencyMs, while on, replace the configured decline rate and latency (a real flagd)', async () => {
  const flagd = await startTestFlagd(flagdDocument({ paymentFailure: 1, paymentLatencyMs: 80 }));
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  const flags = await startFlags({ log: log as never, env: {}, flagd: { host: flagd.host, port: flagd.syncPort } });
  try {
    const processor = simulatedProcessor({ ...settings, latencyMs: 0, declineRate: 0 }, () => 0.5, flags);
    const started = performance.now();
    assert.deepEqual(await processor.authorize(100), { status: 'declined', reason: 'card_declined' });
    assert.ok(performance.now() - started >= 75, "the flag's latency");
    // Off again: the configuration's rate (0) and latency (0).
    flagd.write(flagdDocument());
    const deadline = Date.now() + 5_000;
    while ((await processor.authorize(100)).status === 'declined' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const again = performance.now();
    assert.deepEqual(await processor.authorize(100), { status: 'succeeded' });
    assert.ok(performance.now() - again < 50);
  } finally {
    await flags.close();
    await flagd.close();
  }
});
