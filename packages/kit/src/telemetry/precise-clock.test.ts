import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preciseClock } from './precise-clock.ts';

/**
 * A monotonic clock that advances `step` ms per read, and a wall clock
 * `offset` ms ahead of it, read in whole milliseconds.
 */
function sources(options: { offset: number; step?: number; start?: number }) {
  let monotonic = options.start ?? 1_000.3;
  let offset = options.offset;
  return {
    wall: () => Math.floor(monotonic + offset),
    monotonic: () => (monotonic += options.step ?? 0.001),
    setOffset: (next: number) => (offset = next),
    advance: (ms: number) => (monotonic += ms),
    get at() {
      return monotonic;
    },
  };
}

const close = (actual: number, expected: number, within: number) =>
  assert.ok(Math.abs(actual - expected) <= within, `${actual} is ${actual - expected} ms from ${expected}`);

test('the calibration sees Date.now() tick and so knows the offset to within one read', () => {
  const clock = sources({ offset: 1_700_000_000_000.42 });
  const precise = preciseClock({ sources: clock, sampleEveryMs: 0 });
  const now = precise.now();
  close(now, clock.at + 1_700_000_000_000.42, 0.01);
  assert.notEqual(now % 1, 0, 'fractions of a millisecond');
});

test('a monotonic moment in the recent past maps to its wall time, with its microseconds', () => {
  const clock = sources({ offset: 5_000.25 });
  const precise = preciseClock({ sources: clock, sampleEveryMs: 0 });
  const past = clock.at - 0.3337;
  close(precise.wallAt(past), past + 5_000.25, 0.01);
});

test('a wall clock that moves ahead is followed at once; one stepped back, when the window ends', () => {
  const clock = sources({ offset: 5_000.25 });
  const precise = preciseClock({ sources: clock, sampleEveryMs: 0 });
  clock.setOffset(5_010.9);
  // Date.now() shows the step as soon as it is read: at least its whole milliseconds.
  close(precise.now(), clock.at + 5_010.9, 1);
  for (let i = 0; i < 2_000; i++) precise.now();
  close(precise.now(), clock.at + 5_010.9, 0.01);
  clock.setOffset(4_990.1);
  close(precise.now(), clock.at + 5_010.9, 0.01);
  clock.advance(10_000);
  precise.now();
  for (let i = 0; i < 2_000; i++) precise.now();
  clock.advance(10_000);
  close(precise.now(), clock.at + 4_990.1, 0.01);
});

test('a pause between the two reads never moves the offset', () => {
  const clock = sources({ offset: 5_000.25 });
  let pauseNext = false;
  const precise = preciseClock({
    sampleEveryMs: 0,
    sources: {
      wall: clock.wall,
      // Date.now() read, then the process descheduled for 7 ms before performance.now().
      monotonic: () => {
        if (!pauseNext) return clock.monotonic();
        pauseNext = false;
        return clock.advance(7);
      },
    },
  });
  const before = precise.now() - clock.at;
  pauseNext = true;
  precise.wallAt(clock.at);
  close(precise.now() - clock.at, before, 0.003);
});
