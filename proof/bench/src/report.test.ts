import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownTable, poolRounds, ratios, targets, type ConfigResult } from './report.ts';

const config = (name: string, ordersPerSecond: number, p99: number): ConfigResult => ({
  name,
  env: {},
  ordersPerSecond,
  latencyMs: { p50: p99 / 2, p99, max: p99 * 2, mean: p99 / 2 },
  completed: 100,
  succeeded: 100,
  byStatus: { '201': 100 },
});

test('overhead is the throughput lost vs telemetry off; the floor share is orders/s over pgbench tps', () => {
  const r = ratios([config('off', 200, 30), config('sampling 0.1', 180, 35), config('sampling 1.0', 150, 40)], { tps: 1000, latencyMs: { p50: 5, p99: 9, mean: 6 }, transactions: 30000, failed: 0 });
  assert.ok(Math.abs(r.tracingOverhead['sampling 0.1']! - 0.1) < 1e-12);
  assert.ok(Math.abs(r.tracingOverhead['sampling 1.0']! - 0.25) < 1e-12);
  assert.equal(r.tracingOverhead.off, undefined);
  assert.ok(Math.abs(r.ofFloor['sampling 0.1']! - 0.18) < 1e-12);
});

test('targets: 10 % overhead is still met, 40 % of the floor and p99 under 50 ms are judged on telemetry-on runs', () => {
  const configs = [config('off', 200, 60), config('sampling 0.1', 180, 45), config('sampling 1.0', 150, 49)];
  const t = targets(configs, ratios(configs, { tps: 400, latencyMs: { p50: 5, p99: 9, mean: 6 }, transactions: 1, failed: 0 }), 16);
  assert.deepEqual(t.map((x) => x.met), [true, true, true]);
  const slow = [config('off', 200, 30), config('sampling 0.1', 170, 30), config('sampling 1.0', 150, 51)];
  const u = targets(slow, ratios(slow, { tps: 1000, latencyMs: { p50: 5, p99: 9, mean: 6 }, transactions: 1, failed: 0 }), 16);
  assert.deepEqual(u.map((x) => x.met), [false, false, false]);
});

test('the table shows a throughput gain as +, a drop as -', () => {
  const configs = [config('off', 100, 30), config('sampling 0.1', 101, 30)];
  const table = markdownTable(configs, undefined, ratios(configs, undefined), 16);
  assert.match(table, /\| telemetry sampling 0\.1 \| 101\.0 \| .* \| \+1\.0 % \|/);
});

test('a light-load run adds its own row and a p99 target judged on the telemetry-on runs only', () => {
  const withLight = (c: ConfigResult, p99: number): ConfigResult => ({ ...c, light: { ...config(c.name, 50, p99), concurrency: 2 } });
  const configs = [withLight(config('off', 200, 300), 90), withLight(config('sampling 0.1', 180, 300), 30), withLight(config('sampling 1.0', 150, 300), 45)];
  const t = targets(configs, ratios(configs, undefined), 16);
  assert.equal(t.length, 4);
  assert.equal(t[3]!.what, 'p99 at concurrency 2 with telemetry on (worst of sampling 0.1, sampling 1.0)');
  assert.equal(t[3]!.measured, '45.0 ms');
  assert.equal(t[3]!.met, true);
  const table = markdownTable(configs, undefined, ratios(configs, undefined), 16);
  assert.match(table, /\| telemetry sampling 1\.0 at concurrency 2 \| 50\.0 \| 22\.5 ms \| 45\.0 ms \| 0 \|/);
  assert.equal(targets([config('sampling 0.1', 1, 1)], ratios([], undefined), 16).length, 3, 'no light runs, no fourth target');
});

test('rounds pool into the median round throughput, percentiles over all samples, summed counts; the table shows the range', () => {
  const round = (throughput: number, latenciesMs: number[]) => ({ throughput, completed: latenciesMs.length + 1, succeeded: latenciesMs.length, byStatus: { '201': latenciesMs.length, '503': 1 }, latenciesMs });
  const percentiles = (samples: number[]) => {
    const s = [...samples].sort((a, b) => a - b);
    return { p50: s[Math.floor(s.length / 2)]!, p99: s.at(-1)!, max: s.at(-1)!, mean: s.reduce((a, b) => a + b, 0) / s.length };
  };
  const pooled = poolRounds([round(150, [10, 20]), round(120, [30]), round(160, [40, 50])], percentiles);
  assert.equal(pooled.ordersPerSecond, 150);
  assert.deepEqual(pooled.roundsOrdersPerSecond, [150, 120, 160]);
  assert.deepEqual(pooled.latencyMs, { p50: 30, p99: 50, max: 50, mean: 30 });
  assert.equal(pooled.completed, 8);
  assert.equal(pooled.succeeded, 5);
  assert.deepEqual(pooled.byStatus, { '201': 5, '503': 3 });
  assert.equal(poolRounds([round(100, [1]), round(90, [1])], percentiles).ordersPerSecond, 90, 'with two rounds, the lower one');
  const table = markdownTable([{ name: 'off', env: {}, ...pooled }], undefined, ratios([], undefined), 16);
  assert.match(table, /\| telemetry off \| 150\.0 \(120\.0-160\.0\) \|/);
});
