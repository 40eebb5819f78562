// The rule between payment's variables: a claim outlives the slowest charge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@shop/kit';
import { configCheck, configSpec, LEASE_HEADROOM_MS } from './config.ts';

test('a lease shorter than the simulated latency plus headroom is refused, naming both variables', () => {
  const env = { PAYMENT_LATENCY_MS: '500', PAYMENT_LEASE_MS: String(500 + LEASE_HEADROOM_MS - 1) };
  assert.throws(
    () => loadConfig(configSpec, env, configCheck),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.variables, ['PAYMENT_LEASE_MS']);
      assert.equal(
        err.message,
        `PAYMENT_LEASE_MS must be at least PAYMENT_LATENCY_MS + ${LEASE_HEADROOM_MS}, got ${env.PAYMENT_LEASE_MS} with PAYMENT_LATENCY_MS 500`,
      );
      return true;
    },
  );
});

test('the defaults, and a lease of exactly latency plus headroom, are accepted', () => {
  assert.equal(loadConfig(configSpec, {}, configCheck).leaseMs, 30_000);
  assert.equal(
    loadConfig(configSpec, { PAYMENT_LATENCY_MS: '500', PAYMENT_LEASE_MS: String(500 + LEASE_HEADROOM_MS) }, configCheck).leaseMs,
    500 + LEASE_HEADROOM_MS,
  );
});
