import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAfter } from '../test/answer-after.ts';
import { runOpenLoop } from './open-loop.ts';
import type { Outcome } from './outcome.ts';

test('sends rate x duration requests on schedule and measures each answer', async () => {
  const started = performance.now();
  const result = await runOpenLoop({ ratePerSecond: 50, durationMs: 400, concurrency: 100, drainMs: 1000 }, answerAfter(20));
  assert.equal(result.plannedTotal, 20);
  assert.equal(result.started, 20);
  assert.equal(result.completed, 20);
  assert.equal(result.notSent, 0);
  assert.deepEqual([...result.outcomes], [[201, 20]]);
  assert.equal(result.latenciesMs.length, 20);
  assert.ok(
    result.latenciesMs.every((ms) => ms >= 19),
    `latencies ${result.latenciesMs}`,
  );
  // The last arrival is due at 380 ms; it answers 20 ms later.
  assert.ok(performance.now() - started < 1000, 'open loop: no waiting between sends');
});

test('open loop: arrivals that find the concurrency cap full are counted as not sent, not queued', async () => {
  const result = await runOpenLoop({ ratePerSecond: 100, durationMs: 300, concurrency: 2, drainMs: 1000 }, answerAfter(100));
  assert.equal(result.plannedTotal, 30);
  assert.ok(result.started >= 4 && result.started <= 10, `started ${result.started}`);
  assert.equal(result.started + result.notSent, 30);
  assert.equal(result.completed, result.started);
});

test('always stops: requests that never answer are aborted after the drain time', async () => {
  const hang = (signal: AbortSignal) => new Promise<Outcome>((resolve) => signal.addEventListener('abort', () => resolve('aborted')));
  const started = performance.now();
  const result = await runOpenLoop({ ratePerSecond: 20, durationMs: 200, concurrency: 10, drainMs: 150 }, hang);
  const took = performance.now() - started;
  assert.ok(took < 1000, `took ${took} ms`);
  assert.deepEqual([...result.outcomes], [['aborted', 4]]);
});

test('even a send that ignores its abort signal cannot keep the run alive', async () => {
  const deaf = () => new Promise<Outcome>(() => {});
  const started = performance.now();
  const result = await runOpenLoop({ ratePerSecond: 10, durationMs: 100, concurrency: 10, drainMs: 50 }, deaf);
  assert.ok(performance.now() - started < 2000);
  assert.equal(result.outcomes.get('aborted'), 1);
  assert.equal(result.completed, 1);
});

test('an interrupt (Ctrl-C) stops early, aborts what is in flight, and says it was interrupted', async () => {
  const interrupt = new AbortController();
  setTimeout(() => interrupt.abort(), 150);
  const started = performance.now();
  const result = await runOpenLoop({ ratePerSecond: 20, durationMs: 10_000, concurrency: 10, drainMs: 5000 }, answerAfter(1000), { signal: interrupt.signal });
  assert.ok(performance.now() - started < 1500);
  assert.equal(result.interrupted, true);
  assert.ok(result.started < 10);
  assert.equal(result.outcomes.get('aborted'), result.started);
});

test('a rejected send counts as a network error, and progress is reported while running', async () => {
  const seen: number[] = [];
  const result = await runOpenLoop({ ratePerSecond: 40, durationMs: 250, concurrency: 10, drainMs: 100 }, () => Promise.reject(new Error('ECONNRESET')), {
    onProgress: (p) => seen.push(p.completed),
    progressEveryMs: 50,
  });
  assert.deepEqual([...result.outcomes], [['network-error', 10]]);
  assert.equal(result.latenciesMs.length, 0, 'no HTTP answer, no latency sample');
  assert.ok(seen.length >= 3, `progress calls ${seen.length}`);
  assert.equal(seen.at(-1), 10, 'a final progress report after the drain');
});
