import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tally, rateChangeLine, summaryLine } from './tally.ts';

test('an interval counts what was sent, placed and not sent, by outcome; the totals keep counting', () => {
  const tally = new Tally();
  for (const o of [201, 201, 429, 'network-error', 201] as const) tally.add(o);
  tally.skip();
  const first = tally.takeInterval();
  assert.deepEqual(first, { sent: 5, placed: 3, notSent: 1, byOutcome: { 201: 3, 429: 1, 'network-error': 1 } });
  tally.add(503);
  assert.deepEqual(tally.takeInterval(), { sent: 1, placed: 0, notSent: 0, byOutcome: { 503: 1 } });
  assert.deepEqual(tally.totals(), { sent: 6, placed: 3, notSent: 1, byOutcome: { 201: 3, 429: 1, 503: 1, 'network-error': 1 } });
});

test('the summary line says the rate and its source, what was sent and placed, and the answers', () => {
  assert.equal(
    summaryLine({ perSecond: 2, source: 'flag' }, { sent: 60, placed: 58, notSent: 0, byOutcome: { 201: 58, 429: 2 } }, 30_000),
    'load: 2 orders/s (flag loadGeneratorRate); last 30 s: 60 sent, 58 placed; 201 × 58 · 429 × 2',
  );
  assert.equal(
    summaryLine({ perSecond: 0, source: 'configured' }, { sent: 0, placed: 0, notSent: 0, byOutcome: {} }, 29_990),
    'load: 0 orders/s (configured LOAD_GENERATOR_RATE); last 30 s: 0 sent, 0 placed; no answers',
  );
  assert.match(
    summaryLine({ perSecond: 50, source: 'flag' }, { sent: 9, placed: 9, notSent: 4, byOutcome: { 201: 9 } }, 1000),
    /9 placed, 4 not sent \(concurrency cap\)/,
  );
  assert.equal(
    rateChangeLine({ perSecond: 2, source: 'flag' }, { perSecond: 0, source: 'configured' }),
    'load rate: 2 orders/s (flag loadGeneratorRate), was 0 orders/s (configured LOAD_GENERATOR_RATE)',
  );
});
