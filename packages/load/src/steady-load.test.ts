import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerAfter } from '../test/answer-after.ts';
import type { Outcome } from './outcome.ts';
import { startSteadyLoad } from './steady-load.ts';

test('follows the rate as it changes: none at 0, then about rate x time, then none again', async () => {
  let rate = 0;
  const outcomes: Outcome[] = [];
  const load = startSteadyLoad({ rate: () => rate, concurrency: 100, send: answerAfter(5), onOutcome: (o) => outcomes.push(o), tickMs: 50 });
  await sleep(300);
  assert.equal(outcomes.length, 0, 'rate 0 sends nothing');
  rate = 50;
  await sleep(500);
  rate = 0;
  await sleep(100);
  const sent = outcomes.length;
  assert.ok(sent >= 18 && sent <= 32, `about 25 at 50/s for 0.5 s, got ${sent}`);
  await sleep(300);
  assert.equal(outcomes.length, sent, 'back at 0: nothing more');
  await load.stop();
  assert.ok(outcomes.every((o) => o === 201));
});

test('arrivals that find the concurrency cap full are not sent, and never queued', async () => {
  let sent = 0;
  let notSent = 0;
  const load = startSteadyLoad({
    rate: () => 100,
    concurrency: 2,
    send: async (signal) => {
      sent++;
      return answerAfter(1_000)(signal);
    },
    onNotSent: () => notSent++,
    tickMs: 20,
  });
  await sleep(300);
  await load.stop(0);
  assert.equal(sent, 2);
  assert.ok(notSent >= 20, `not sent ${notSent}`);
});

test('stop() lets what is in flight finish within the drain, then aborts the rest and reports them', async () => {
  const outcomes: Outcome[] = [];
  let calls = 0;
  const load = startSteadyLoad({
    rate: () => 20,
    concurrency: 10,
    // The first answers at once, the others never (until aborted).
    send: (signal) => (calls++ === 0 ? answerAfter(0)(signal) : new Promise<Outcome>(() => {})),
    onOutcome: (o) => outcomes.push(o),
  });
  await sleep(180);
  const started = performance.now();
  await load.stop(100);
  assert.ok(performance.now() - started < 1_500, 'bounded');
  assert.equal(outcomes[0], 201);
  assert.ok(outcomes.length >= 3, `outcomes ${outcomes}`);
  assert.ok(outcomes.slice(1).every((o) => o === 'aborted'));
  assert.equal(load.inFlight, 0);
});

test('a send that rejects is a network error; latency is given for HTTP answers only', async () => {
  const seen: [Outcome, number | undefined][] = [];
  let n = 0;
  const load = startSteadyLoad({
    rate: () => 50,
    concurrency: 10,
    send: (signal) => (n++ % 2 ? Promise.reject(new Error('ECONNREFUSED')) : answerAfter(10, 503)(signal)),
    onOutcome: (o, ms) => seen.push([o, ms]),
  });
  await sleep(200);
  await load.stop();
  assert.ok(seen.some(([o, ms]) => o === 'network-error' && ms === undefined));
  assert.ok(seen.some(([o, ms]) => o === 503 && ms !== undefined && ms >= 9));
});
