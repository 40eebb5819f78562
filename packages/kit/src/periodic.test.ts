// The background loop order-service's relay and sweep run on: the task sets
// its own next wait, a failure is answered by onError, and stop() waits for
// the run in progress, but no longer than its bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { periodic } from './periodic.ts';

/** Waits until `done` holds (timers under a busy test run are late, never early). */
async function until(done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) assert.fail('condition not reached in time');
    await sleep(5);
  }
}

test('runs at once, then again after the wait the task returned, until stopped', async () => {
  const runs: number[] = [];
  const started = performance.now();
  const loop = periodic(
    async () => {
      runs.push(performance.now() - started);
      return 50;
    },
    () => assert.fail('no error expected'),
  );
  loop.start();
  loop.start(); // a second start changes nothing
  await until(() => runs.length >= 2);
  assert.equal(await loop.stop(), true);
  const count = runs.length;
  assert.ok(runs[1]! - runs[0]! >= 45, `second run ${runs[1]! - runs[0]!} ms after the first`);
  await sleep(100);
  assert.equal(runs.length, count, 'no run after stop');
});

test('a failing run is answered by onError, whose wait comes next', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const loop = periodic(
    async () => {
      calls++;
      if (calls === 1) throw new Error('database down');
      return 1_000;
    },
    (err) => {
      errors.push(err);
      return 10;
    },
  );
  loop.start();
  await until(() => calls >= 2);
  await sleep(50);
  await loop.stop();
  assert.equal(errors.length, 1);
  assert.match((errors[0] as Error).message, /database down/);
  assert.equal(calls, 2, 'retried after the error wait, then waiting on the task wait');
});

test('stop waits for the run in progress up to its bound, and says whether it finished', async () => {
  let release: (() => void) | undefined;
  const loop = periodic(
    () =>
      new Promise<number>((resolve) => {
        release = () => resolve(10);
      }),
    () => 10,
  );
  loop.start();
  await until(() => release !== undefined);
  assert.equal(await loop.stop(30), false, 'still running when the bound passed');
  const stopping = loop.stop(1_000);
  release!();
  assert.equal(await stopping, true);
});
