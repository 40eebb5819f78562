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
  const r = ratios([config('off', 200, 30), config('sampling 0.1', 180, 35), config('sampling 1.0', 150, 40)], {
    tps: 1000,
    latencyMs: { p50: 5, p99: 9, mean: 6 },
    transactions: 30000,
    failed: 0,
  });
  assert.ok(Math.abs(r.tracingOverhead['sampling 0.1']! - 0.1) < 1e-12);
  assert.ok(Math.abs(r.tracingOverhead['sampling 1.0']! - 0.25) < 1e-12);
  assert.equal(r.tracingOverhead.off, undefined);
  assert.ok(Math.abs(r.ofFloor['sampling 0.1']! - 0.18) < 1e-12);
});

test('targets: 10 % at 0.1 and 25 % at 1.0 are still met, the floor share and p99 are judged at sampling 0.1', () => {
  const configs = [config('off', 200, 60), config('sampling 0.1', 180, 99), config('sampling 1.0', 150, 400)];
  const t = targets(configs, ratios(configs, { tps: 720, latencyMs: { p50: 5, p99: 9, mean: 6 }, transactions: 1, failed: 0 }), 16);
  assert.deepEqual(
    t.map((x) => x.met),
    [true, true, true, true],
  );
  const slow = [config('off', 200, 30), config('sampling 0.1', 170, 100), config('sampling 1.0', 149, 30)];
  const u = targets(slow, ratios(slow, { tps: 1000, latencyMs: { p50: 5, p99: 9, mean: 6 }, transactions: 1, failed: 0 }), 16);
  assert.deepEqual(
    u.map((x) => x.met),
    [false, false, false, false],
  );
});

test('against the stock setup, ours must cost at most half of what it costs', () => {
  const run = (ours: number, stock: number) => {
    const configs = [config('off', 200, 30), config('sampling 0.1', ours, 30), config('stock 0.1', stock, 30)];
    return targets(configs, ratios(configs, undefined), 16).find((x) => x.what.includes('stock'))!;
  };
  assert.equal(run(190, 180).met, true, '5 % against 10 %');
  assert.equal(run(189, 180).met, false, '5.5 % against 10 %');
  assert.equal(run(200, 200).met, false, 'a stock setup that costs nothing leaves nothing to halve');
  assert.equal(run(190, 180).measured, '5.0 % vs 10.0 %');
});

test('the table shows a throughput gain as +, a drop as -', () => {
  const configs = [config('off', 100, 30), config('sampling 0.1', 101, 30)];
  const table = markdownTable(configs, undefined, ratios(configs, undefined), 16);
  assert.match(table, /\| telemetry sampling 0\.1 \| 101\.0 \| .* \| \+1\.0 % \|/);
});

test('a light-load run adds its own row and a p99 target judged at sampling 0.1', () => {
  const withLight = (c: ConfigResult, p99: number): ConfigResult => ({ ...c, light: { ...config(c.name, 50, p99), concurrency: 2 } });
  const configs = [withLight(config('off', 200, 300), 90), withLight(config('sampling 0.1', 180, 300), 24), withLight(config('sampling 1.0', 150, 300), 45)];
  const t = targets(configs, ratios(configs, undefined), 16);
  assert.equal(t.length, 5);
  assert.equal(t[4]!.what, 'p99 at concurrency 2, sampling 0.1');
  assert.equal(t[4]!.measured, '24.0 ms');
  assert.equal(t[4]!.met, true);
  const table = markdownTable(configs, undefined, ratios(configs, undefined), 16);
  assert.match(table, /\| telemetry sampling 1\.0 at concurrency 2 \| 50\.0 \| 22\.5 ms \| 45\.0 ms \| 0 \|/);
  assert.equal(targets([config('sampling 0.1', 1, 1)], ratios([], undefined), 16).length, 4, 'no light runs, no light target');
});

test('rounds pool into the median round throughput, percentiles over all samples, summed counts; the table shows the range', () => {
  const round = (throughput: number, latenciesMs: number[]) => ({
    throughput,
    completed: latenciesMs.length + 1,
    succeeded: latenciesMs.length,
    byStatus: { '201': latenciesMs.length, '503': 1 },
    latenciesMs,
  });
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
