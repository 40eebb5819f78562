import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFixedRate } from './fixed-rate.ts';

const answerAfter = (ms: number) => async () => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { ok: true, status: '201' };
};

test('a fixed rate starts requests on schedule, however slowly they answer', async () => {
  let inFlight = 0;
  let peak = 0;
  const result = await runFixedRate({ rate: 200, maxInFlight: 100, warmupMs: 100, measureMs: 300 }, async () => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await answerAfter(40)();
    inFlight--;
    return { ok: true, status: '201' };
  });
  // 200/s over 300 ms: 60 starts due in the window, none shed.
  assert.equal(result.offered, 60);
  assert.equal(result.shed, 0);
  // 40 ms answers at one start per 5 ms: several in flight at once (a closed loop of 1 would never be).
  assert.ok(peak >= 4, `peak ${peak}`);
  // Completions in the window: the window's starts shifted by 40 ms, about 60 (timers are coarse).
  assert.ok(result.completed >= 45 && result.completed <= 70, `completed ${result.completed}`);
  assert.equal(result.latenciesMs.length, result.succeeded);
});

test('starts beyond maxInFlight are shed and counted, not queued', async () => {
  const result = await runFixedRate({ rate: 100, maxInFlight: 1, warmupMs: 0, measureMs: 300 }, answerAfter(45));
  assert.equal(result.offered, 30);
  // One request at a time, 45 ms each, a start every 10 ms: most starts find one in flight.
  assert.ok(result.shed >= 18, `shed ${result.shed}`);
  assert.ok(result.offered - result.shed <= 10, `sent ${result.offered - result.shed}`);
});

test('a late timer is caught up: the starts due meanwhile go out at once', async () => {
  let clock = 0;
  const starts: number[] = [];
  // The first wait overruns by 35 ms; later ones are exact.
  let overrun = 35;
  const result = await runFixedRate(
    { rate: 100, maxInFlight: 50, warmupMs: 0, measureMs: 100 },
    async () => {
      starts.push(clock);
      return { ok: true, status: '201' };
    },
    () => clock,
    async (ms) => {
      clock += ms + overrun;
      overrun = 0;
    },
  );
  assert.equal(result.offered, 10);
  assert.equal(starts.length, 10);
  // Due at 0, 10, 20, 30: the overrun wait returned at 45, so 10..40 all start at 45.
  assert.deepEqual(starts, [0, 45, 45, 45, 45, 50, 60, 70, 80, 90]);
});

test('a send that throws counts as a network error and the schedule goes on', async () => {
  const result = await runFixedRate({ rate: 100, maxInFlight: 10, warmupMs: 0, measureMs: 100 }, async () => {
    throw new Error('refused');
  });
  assert.ok((result.byStatus['network-error'] ?? 0) >= 8, JSON.stringify(result.byStatus));
  assert.equal(result.succeeded, 0);
});

test('a rate of zero is refused with a clear message', async () => {
  await assert.rejects(runFixedRate({ rate: 0, maxInFlight: 1, warmupMs: 0, measureMs: 10 }, answerAfter(1)), /rate > 0/);
});
