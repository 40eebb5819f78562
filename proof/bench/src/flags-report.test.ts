import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flagCost, interleave, median, renderFlagCost, type FlagRun } from './flags-report.ts';

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

test('the rendering states the per-round losses, the CPU and the verdict against the goal', () => {
  const md = renderFlagCost(flagCost([run('on', 1, 99, 10.1), run('off', 1, 100, 10)], 'on', 'off'), 0.02, 'on', 'off');
  assert.match(md, /\| 1 \| 99\.0 \| 100\.0 \| 1\.0 % \|/);
  assert.match(md, /CPU ms per order \| 10\.100 \| 10\.000 \| \+1\.0 % \|/);
  assert.match(md, /\*\*within the goal\*\*/);
  const over = renderFlagCost(flagCost([run('on', 1, 95, 10.5), run('off', 1, 100, 10)], 'on', 'off'), 0.02, 'on', 'off');
  assert.match(over, /\*\*over the goal\*\*/);
});
