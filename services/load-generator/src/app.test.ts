// The load generator's routes, with app.inject: the probes (ready with no
// dependency: the gateway being down is counted, not a readiness failure)
// and GET /status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.ts';
import type { GeneratorStatus } from './generator.ts';

const status: GeneratorStatus = {
  rate: { perSecond: 2, source: 'flag' },
  inFlight: 1,
  totals: { sent: 10, placed: 8, notSent: 1, byOutcome: { 201: 8, 503: 2 } },
};

test('healthy and ready, with no dependency checked', async () => {
  const app = buildApp({ status: () => status, logLevel: 'silent' });
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: {} });
  } finally {
    await app.close();
  }
});

test('GET /status: the rate and its source, in flight, and the totals by outcome', async () => {
  const app = buildApp({ status: () => status, logLevel: 'silent' });
  try {
    const answer = await app.inject({ method: 'GET', url: '/status' });
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(answer.json(), { rate: 2, rate_source: 'flag', in_flight: 1, sent: 10, placed: 8, not_sent: 1, by_outcome: { 201: 8, 503: 2 } });
    const other = await app.inject({ method: 'POST', url: '/status' });
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().error, 'not_found');
  } finally {
    await app.close();
  }
});
