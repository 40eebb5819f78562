// loadGeneratorRate 2: `make local` runs the load generator idle (its
// LOAD_GENERATOR_RATE unset: 0). Within 5 s of `shopctl flags set` its
// orders reach the order service's database (user_id load-generator) at
// about 2 a second, each the trace of a root span of service
// load-generator carrying the flag, continued by the gateway; after
// `reset` they stop within 5 s. No process restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LOAD_GENERATOR, LOAD_GENERATOR_SPANS } from '@shop/contracts';
import { JAEGER_QUERY_URL, flatten, waitForTrace } from '@shop/kit/test/jaeger';
import { closeStores, ordersDb } from '../e2e/support.ts';
import { CHANGE_WITHIN_MS, flagEvent, localPids, resetFlags, setFlag, untilChanged } from './support.ts';

before(resetFlags);
after(async () => {
  await resetFlags();
  await closeStores();
});

const USER = LOAD_GENERATOR.otelName;
const ordersSoFar = async () => (await ordersDb<{ n: number }[]>`SELECT count(*)::int AS n FROM orders WHERE user_id = ${USER}`)[0]!.n;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const generatorStatus = async () => {
  const response = await fetch(`http://127.0.0.1:${LOAD_GENERATOR.port}/status`);
  assert.equal(response.status, 200, 'make local runs the load generator');
  return (await response.json()) as { rate: number; placed: number };
};

/** The ids of traces Jaeger holds of the load generator since `since`. */
async function generatorTraces(since: Date): Promise<string[]> {
  const url =
    `${JAEGER_QUERY_URL}/api/v3/traces?query.service_name=${USER}&query.num_traces=20` +
    `&query.start_time_min=${encodeURIComponent(since.toISOString())}&query.start_time_max=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
  const response = await fetch(url);
  if (!response.ok) return [];
  return [...new Set(flatten(await response.json()).map((s) => s.traceId))];
}

test('loadGeneratorRate 2 places about 2 orders a second through the gateway, traced from the generator; reset stops them', { timeout: 90_000 }, async () => {
  const pids = localPids();
  const idle = await generatorStatus();
  assert.equal(idle.rate, 0, 'idle with every flag off');
  const before = await ordersSoFar();
  await sleep(1_500);
  assert.equal(await ordersSoFar(), before, 'idle: no order');

  const since = new Date();
  await setFlag('loadGeneratorRate', '2');
  const { afterMs } = await untilChanged(ordersSoFar, (n) => n > before);
  assert.ok(afterMs <= CHANGE_WITHIN_MS);
  const start = await ordersSoFar();
  await sleep(5_000);
  const inFiveSeconds = (await ordersSoFar()) - start;
  assert.ok(inFiveSeconds >= 6 && inFiveSeconds <= 14, `${inFiveSeconds} orders in 5 s at 2/s`);

  let traceId: string | undefined;
  for (let i = 0; i < 40 && !traceId; i++) {
    traceId = (await generatorTraces(since))[0];
    if (!traceId) await sleep(500);
  }
  assert.ok(traceId, 'a trace of the load generator in Jaeger');
  const spans = await waitForTrace(traceId, { until: (s) => s.some((x) => x.service === 'gateway') && s.some((x) => x.name === LOAD_GENERATOR_SPANS.order) });
  const root = spans.find((s) => s.name === LOAD_GENERATOR_SPANS.order)!;
  assert.equal(root.service, USER);
  assert.ok(!root.parentSpanId, 'a root span');
  assert.equal(flagEvent(root, 'loadGeneratorRate')['feature_flag.result.value'], 2);
  assert.ok(
    spans.some((s) => s.service === 'order-service'),
    'the order saga continues its trace',
  );

  await resetFlags();
  await sleep(CHANGE_WITHIN_MS);
  const stopped = await ordersSoFar();
  await sleep(2_000);
  assert.equal(await ordersSoFar(), stopped, 'reset: no more orders');
  const done = await generatorStatus();
  assert.equal(done.rate, 0);
  assert.equal(done.placed - idle.placed, stopped - before, 'every order it says it placed is in the database');
  assert.deepEqual(localPids(), pids, 'no process restarted');
});
