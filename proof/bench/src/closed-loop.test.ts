import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runClosedLoop } from './closed-loop.ts';

test('a closed loop keeps exactly N requests in flight and counts only the window', async () => {
  let inFlight = 0;
  let peak = 0;
  const result = await runClosedLoop({ concurrency: 4, warmupMs: 100, measureMs: 300 }, async () => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 10));
    inFlight--;
    return { ok: true, status: '201' };
  });
  assert.equal(peak, 4);
  // 4 workers x ~10 ms per request over 300 ms: about 120 (timers are coarse; allow slack).
  assert.ok(result.completed > 60 && result.completed <= 130, `completed ${result.completed}`);
  assert.equal(result.succeeded, result.completed);
  assert.equal(result.latenciesMs.length, result.succeeded);
  assert.ok(Math.abs(result.throughput - result.succeeded / 0.3) < 1e-9);
});

test('failures are counted by status and kept out of the latencies', async () => {
  let i = 0;
  const result = await runClosedLoop({ concurrency: 2, warmupMs: 0, measureMs: 100 }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return i++ % 2 ? { ok: true, status: '201' } : { ok: false, status: '503' };
  });
  assert.equal(result.completed, (result.byStatus['201'] ?? 0) + (result.byStatus['503'] ?? 0));
  assert.equal(result.latenciesMs.length, result.byStatus['201']);
});

test('a send that throws counts as a network error and the loop goes on', async () => {
  const result = await runClosedLoop({ concurrency: 1, warmupMs: 0, measureMs: 50 }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new Error('refused');
  });
  assert.ok((result.byStatus['network-error'] ?? 0) > 3);
  assert.equal(result.succeeded, 0);
});
