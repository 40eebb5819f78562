import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalClock } from './arrival-clock.ts';

test('at a steady rate arrivals are 1/rate apart, the first one at once', () => {
  const clock = new ArrivalClock();
  clock.setRate(4, 1000);
  assert.deepEqual(clock.take(1000), [1000]);
  assert.deepEqual(clock.take(1600), [1250, 1500]);
  assert.equal(clock.untilNext(1600), 150);
});

test('at rate 0 nothing is due, however long', () => {
  const clock = new ArrivalClock();
  clock.setRate(0, 0);
  assert.deepEqual(clock.take(60_000), []);
  assert.equal(clock.untilNext(60_000), undefined);
  clock.setRate(2, 0);
  clock.setRate(0, 100);
  assert.deepEqual(clock.take(60_000), [], 'stopped before its first arrival was due');
});

test('a faster rate applies from the last arrival, without a burst of the arrivals it "missed"', () => {
  const clock = new ArrivalClock();
  clock.setRate(0.1, 0);
  assert.deepEqual(clock.take(0), [0]);
  // The old rate had the next arrival at 10 s; at 10/s it is due 100 ms after the last.
  clock.setRate(10, 5_000);
  assert.deepEqual(clock.take(5_000), [5_000]);
  assert.deepEqual(clock.take(5_250), [5_100, 5_200]);
});

test('a slower rate applies from the last arrival too; the same rate again changes nothing', () => {
  const clock = new ArrivalClock();
  clock.setRate(10, 0);
  assert.deepEqual(clock.take(0), [0]);
  clock.setRate(1, 50);
  assert.deepEqual(clock.take(999), []);
  assert.deepEqual(clock.take(1000), [1000]);
  clock.setRate(1, 1500);
  assert.deepEqual(clock.take(2000), [2000]);
});

test('a rate that is not a positive number is 0', () => {
  const clock = new ArrivalClock();
  for (const rate of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
    clock.setRate(rate, 0);
    assert.equal(clock.ratePerSecond, 0, String(rate));
    assert.deepEqual(clock.take(10_000), []);
  }
});
