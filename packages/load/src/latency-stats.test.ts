import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, summarizeLatencies } from './latency-stats.ts';

test('percentiles are nearest-rank over every sample', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 50), 50);
  assert.equal(percentile(sorted, 95), 95);
  assert.equal(percentile(sorted, 99), 99);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('the summary sorts unsorted samples and reports max and mean', () => {
  const summary = summarizeLatencies([30, 10, 20, 40]);
  assert.deepEqual(summary, { count: 4, p50: 20, p95: 40, p99: 40, max: 40, mean: 25 });
});
