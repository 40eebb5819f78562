import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTail, type TailAnalysis, type TailRun } from './tail-report.ts';

const run: TailRun = { concurrency: 2, rounds: 3, measureSeconds: 30, warmupSeconds: 10, traced: 0.1, minGroup: 5, before: 'load 1', after: 'load 2' };

function analysis(name: string, overrides: Partial<TailAnalysis> = {}): TailAnalysis {
  const order = (traceId: string, latencyMs: number) => ({ traceId, latencyMs, parts: {} });
  return {
    name,
    throughput: 100,
    latency: { count: 3000, p50: 17.2, p95: 30, p99: 46.4, max: 90, mean: 19 },
    cpuPressureShare: 0.55,
    ioPressureShare: null,
    machineBusyShare: 0.8,
    tailReachedP99: true,
    tailMeanMs: 72,
    medianMeanMs: 17,
    tail: [order('a1', 80), order('a2', 64)],
    median: [order('m1', 17)],
    parts: [
      { part: 'order postgres', median: 4.9, tail: 32.9 },
      { part: 'payment own', median: 1.1, tail: 1.9 },
    ],
    ...overrides,
  };
}

test('one row per variant, with "n/a" where the kernel has no pressure figures', () => {
  const md = renderTail([analysis('as is'), analysis('jaeger at nice 10', { throughput: 121.4 })], run);
  assert.match(md, /^Tail .*: 2 in flight, 3 rounds of 30 s per variant \(interleaved\) after a 10 s warm-up/);
  assert.match(md, /Machine: before load 1, after load 2\./);
  assert.match(md, /\| as is \| 100\.0 \| 17\.2 ms \| 46\.4 ms \| 90\.0 ms \| 55\.0 % \| n\/a \| 80\.0 % \|/);
  assert.match(md, /\| jaeger at nice 10 \| 121\.4 \|/);
});

test('each part shows its growth from the median to the slowest orders and its share of the whole growth', () => {
  const md = renderTail([analysis('as is')], run);
  // 55 ms of growth in all: PostgreSQL's 28 ms is 51 % of it.
  assert.match(md, /\| order postgres \| 4\.90 \| 32\.90 \| 28\.00 \| 51 % \|/);
  assert.match(md, /\| payment own \| 1\.10 \| 1\.90 \| 0\.80 \| 1 % \|/);
  assert.match(md, /`a1` \(80 ms\), `a2` \(64 ms\)/);
});

test('a group that did not reach the p99 says it is the slowest few', () => {
  const md = renderTail([analysis('as is', { tailReachedP99: false })], run);
  assert.match(md, /the slowest 5: fewer reached the p99/);
  assert.doesNotMatch(md, /\(interleaved\)/, 'one variant is not interleaved with anything');
});
