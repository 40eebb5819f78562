import assert from 'node:assert/strict';
import { test } from 'node:test';
import { directCost, flagCost, interleave, median, quantile, renderFlagCost, verdictOf, type FlagRun } from './flags-report.ts';

const run = (config: string, round: number, ordersPerSecond: number, servicesMsPerOrder: number, orders = 100): FlagRun & { orders: number } => ({
  config,
  round,
  ordersPerSecond,
  servicesMsPerOrder,
  machineBusyShare: 0.97,
  servicesShareOfBusy: 0.6,
  errors: 0,
  orders,
});

test('the order of the runs alternates which configuration goes first', () => {
  assert.deepEqual(
    interleave(['on', 'off'], 3).map((r) => `${r.round}${r.config}`),
    ['1on', '1off', '2off', '2on', '3on', '3off'],
  );
});

test('median of odd and even counts; none is NaN', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('quantiles interpolate between the sorted values', () => {
  assert.equal(quantile([5, 1, 3, 2, 4], 0.25), 2);
  assert.equal(quantile([5, 1, 3, 2, 4], 0.75), 4);
  assert.equal(quantile([1, 2], 0.5), 1.5);
  assert.equal(quantile([7], 0.75), 7);
});

test('the cost pairs each round, takes the median, and pools CPU by orders', () => {
  const cost = flagCost(
    [
      run('on', 1, 98, 10.2, 100),
      run('off', 1, 100, 10, 100),
      run('on', 2, 90, 10.5, 300),
      run('off', 2, 100, 10, 100),
      run('on', 3, 99, 10.1),
      run('off', 3, 100, 10),
    ],
    'on',
    'off',
  );
  assert.deepEqual(
    cost.rounds.map((r) => Math.round(r.cost * 1000)),
    [20, 100, 10],
  );
  assert.ok(Math.abs(cost.medianCost - 0.02) < 1e-9);
  assert.ok(Math.abs(cost.medianCpuCost - 0.02) < 1e-9, 'per round: +2 %, +5 %, +1 %');
  assert.ok(Math.abs(cost.cpuCostSpread - 0.02) < 1e-9, 'quartiles +1.5 % and +3.5 %');
  assert.equal(cost.onMedian, 98);
  assert.equal(cost.offMedian, 100);
  // (10.2 * 100 + 10.5 * 300 + 10.1 * 100) / 500
  assert.ok(Math.abs(cost.cpuOn - 10.36) < 1e-9);
  assert.ok(Math.abs(cost.cpuCost - 0.036) < 1e-9);
  assert.equal(cost.minBusyShare, 0.97);
});

test('a round missing one configuration is not paired', () => {
  const cost = flagCost([run('on', 1, 98, 10), run('off', 1, 100, 10), run('on', 2, 90, 10)], 'on', 'off');
  assert.equal(cost.rounds.length, 1);
});

test('rounds that agree decide; rounds that disagree by more than the goal leave it to the cost from below', () => {
  const agreeing = flagCost([run('on', 1, 99, 10.1), run('off', 1, 100, 10), run('on', 2, 99, 10.1), run('off', 2, 100, 10)], 'on', 'off');
  assert.deepEqual(verdictOf(agreeing, 0.02), { verdict: 'within', by: 'whole stack' });
  const noisy = flagCost(
    [run('on', 1, 99, 13), run('off', 1, 100, 10), run('on', 2, 99, 8), run('off', 2, 100, 10), run('on', 3, 99, 10), run('off', 3, 100, 10)],
    'on',
    'off',
  );
  assert.deepEqual(verdictOf(noisy, 0.02), { verdict: 'inconclusive', by: 'none' });
  const cheap = directCost(
    { offNs: 50, keptNs: 150, askedNs: 10_050, backgroundNsPerSecond: 15_000 },
    { evaluationsPerOrder: 7, freshResolutionsPerSecond: 6, providers: 4, ordersPerSecond: 300, cpuMsPerOrder: 3 },
  );
  // 7 × 100 ns + (6 × 10 000 ns + 4 × 15 000 ns) / 300 = 1 100 ns of 3 ms
  assert.ok(Math.abs(cheap.extraNsPerOrder - 1100) < 1e-9);
  assert.ok(Math.abs(cheap.share - 1100 / 3e6) < 1e-12);
  assert.deepEqual(verdictOf(noisy, 0.02, cheap), { verdict: 'within', by: 'from below' });
  const dear = directCost(
    { offNs: 50, keptNs: 50_000, askedNs: 60_000, backgroundNsPerSecond: 0 },
    { evaluationsPerOrder: 7, freshResolutionsPerSecond: 6, providers: 4, ordersPerSecond: 300, cpuMsPerOrder: 3 },
  );
  assert.deepEqual(verdictOf(noisy, 0.02, dear), { verdict: 'over', by: 'from below' });
});

test('the rendering states the per-round losses, the CPU and the verdict against the goal', () => {
  const md = renderFlagCost(flagCost([run('on', 1, 99, 10.1), run('off', 1, 100, 10)], 'on', 'off'), 0.02, 'on', 'off');
  assert.match(md, /\| 1 \| 99\.0 \| 100\.0 \| 1\.0 % \| 10\.100 \| 10\.000 \| \+1\.0 % \|/);
  assert.match(md, /CPU ms per order \(rounds pooled by orders\) \| 10\.100 \| 10\.000 \| \+1\.0 % \|/);
  assert.match(md, /\*\*within the goal\*\*/);
  const over = renderFlagCost(flagCost([run('on', 1, 95, 10.5), run('off', 1, 100, 10)], 'on', 'off'), 0.02, 'on', 'off');
  assert.match(over, /\*\*over the goal\*\*/);
  const evaluation = {
    rounds: [{ round: 1, offNs: 50, keptNs: 150, askedNs: 10_050 }],
    offNs: 50,
    keptNs: 150,
    askedNs: 10_050,
    backgroundNsPerSecond: 0,
    idleWithoutNsPerSecond: 900_000,
    idleWithNsPerSecond: 400_000,
  };
  const noisy = flagCost([run('on', 1, 80, 13), run('off', 1, 100, 10), run('on', 2, 99, 8), run('off', 2, 100, 10)], 'on', 'off');
  const direct = directCost(evaluation, { evaluationsPerOrder: 7, freshResolutionsPerSecond: 6, providers: 4, ordersPerSecond: 100, cpuMsPerOrder: 10 });
  const fromBelow = renderFlagCost(noisy, 0.02, 'on', 'off', evaluation, direct);
  assert.match(fromBelow, /\| \*\*median\*\* \| \*\*50\*\* \| \*\*150\*\* \| \*\*10050\*\* \|/);
  assert.match(fromBelow, /1\.30 µs of CPU per order, \+0\.01 % of the services' 10\.000 ms per order/);
  assert.match(fromBelow, /cannot tell/);
  assert.match(fromBelow, /900 µs of CPU a second with no provider, 400 µs with two: below the noise, counted as 0/);
  assert.match(fromBelow, /\*\*within the goal\*\* \(decided from below\)/);
});
