import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadResult, Outcome } from '@shop/load';
import { loadSummaryJson, renderLoadSummary, summarizeLoad } from './load-summary.ts';

const result: LoadResult = {
  plan: { ratePerSecond: 10, durationMs: 2000, concurrency: 5, drainMs: 1000 },
  plannedTotal: 20,
  started: 18,
  completed: 18,
  notSent: 2,
  elapsedMs: 2000,
  interrupted: false,
  outcomes: new Map<Outcome, number>([
    [201, 15],
    [429, 2],
    ['network-error', 1],
  ]),
  latenciesMs: Array.from({ length: 17 }, (_, i) => (i + 1) * 10),
};

test('throughput, error counts by status and percentiles come from the outcomes', () => {
  const summary = summarizeLoad(result);
  assert.equal(summary.succeeded, 15);
  assert.equal(summary.failed, 3);
  assert.equal(summary.throughput, 9);
  assert.equal(summary.successThroughput, 7.5);
  assert.deepEqual(summary.byStatus, { 201: 15, 429: 2, 'network-error': 1 });
  assert.deepEqual(summary.errorsByStatus, { 429: 2, 'network-error': 1 });
  assert.equal(summary.latency.p50, 90);
  assert.equal(summary.latency.p99, 170);
});

test('the human summary says what was sent, how fast, the percentiles and the errors by status', () => {
  const text = renderLoadSummary(summarizeLoad(result)).join('\n');
  assert.match(text, /finished after 2\.00 s: 18 sent of 20 planned, 18 answered, 2 not sent \(concurrency cap\)/);
  assert.match(text, /throughput {3}9\.0 req\/s answered, 7\.5 req\/s succeeded \(offered 10 req\/s\)/);
  assert.match(text, /latency {6}p50 90\.0 ms · p95 170\.0 ms · p99 170\.0 ms · max 170\.0 ms \(17 HTTP answers\)/);
  assert.match(text, /errors {7}3 \(16\.7 %\): 429 × 2 · network-error × 1/);
});

test('the JSON summary has machine-friendly names and rounded numbers', () => {
  const json = loadSummaryJson(summarizeLoad(result));
  assert.equal(json.throughput_rps, 9);
  assert.deepEqual(json.errors_by_status, { 429: 2, 'network-error': 1 });
  assert.deepEqual((json.latency_ms as Record<string, number>).p95, 170);
});
