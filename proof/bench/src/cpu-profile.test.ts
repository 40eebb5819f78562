import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageOf, summarizeProfile, type CpuProfile } from './cpu-profile.ts';

test('script URLs map to their package', () => {
  assert.equal(packageOf('file:///home/dev/otel-shop/node_modules/@opentelemetry/sdk-trace/build/src/Span.js', 'x'), '@opentelemetry/sdk-trace');
  assert.equal(packageOf('file:///home/dev/otel-shop/node_modules/fastify/lib/route.js', 'x'), 'fastify');
  assert.equal(packageOf('node:internal/streams/writable', 'x'), 'node:internal');
  assert.equal(packageOf('file:///home/dev/otel-shop/services/order/src/saga/place-order.ts', 'x'), 'services/order');
  assert.equal(packageOf('file:///home/dev/otel-shop/packages/kit/src/db.ts', 'x'), 'packages/kit');
  assert.equal(packageOf('', '(garbage collector)'), '(gc)');
});

test('self time is summed per frame and per package, idle kept apart', () => {
  const frame = (id: number, functionName: string, url = '') => ({ id, callFrame: { functionName, url, lineNumber: 9 } });
  const profile: CpuProfile = {
    nodes: [
      frame(1, '(root)'),
      frame(2, '(idle)'),
      frame(3, 'export', 'file:///r/node_modules/@opentelemetry/exporter/x.js'),
      frame(4, 'handler', 'file:///r/services/order/src/a.ts'),
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [2, 3, 3, 4, 2],
    timeDeltas: [1000, 3000, 1000, 4000, 1000],
  };
  const s = summarizeProfile(profile);
  assert.equal(s.totalMs, 10);
  assert.equal(s.idleMs, 2);
  assert.equal(s.topFrames[0]!.package, '@opentelemetry/exporter');
  assert.equal(s.topFrames[0]!.selfMs, 4);
  assert.equal(s.topFrames[0]!.share, 0.5);
  assert.deepEqual(
    s.byPackage.map((p) => p.package),
    ['@opentelemetry/exporter', 'services/order'],
  );
});

test('with a window, only the samples inside it count', () => {
  const frame = (id: number, functionName: string, url = '') => ({ id, callFrame: { functionName, url, lineNumber: 0 } });
  const profile: CpuProfile = {
    nodes: [frame(1, 'startup', 'node:internal/modules/esm/hooks'), frame(2, 'handler', 'file:///r/services/order/src/a.ts')],
    startTime: 1_000_000,
    endTime: 1_010_000,
    // Samples at 1 001 000 (startup), 1 005 000 and 1 006 000 (handler), 1 010 000 (startup).
    samples: [1, 2, 2, 1],
    timeDeltas: [1000, 4000, 1000, 4000],
  };
  const s = summarizeProfile(profile, 5, { fromUs: 1_004_000, toUs: 1_007_000 });
  assert.equal(s.totalMs, 5);
  assert.deepEqual(
    s.byPackage.map((p) => p.package),
    ['services/order'],
  );
});
