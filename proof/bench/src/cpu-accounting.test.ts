import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStat, perOrderMs, treeCpuSeconds } from './cpu-accounting.ts';

test('a /proc stat line is read from after the last parenthesis: ppid and utime + stime', () => {
  const line = '4242 (postgres: shop orders 127.0.0.1(5432) idle) S 4200 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 1 0 100 0 0';
  assert.deepEqual(parseProcStat(line), { pid: 4242, ppid: 4200, cpuSeconds: 3 });
  assert.throws(() => parseProcStat('garbage'));
});

test('a tree counts the root and every descendant; a missing root counts 0', () => {
  const stats = [
    { pid: 1, ppid: 0, cpuSeconds: 100 },
    { pid: 10, ppid: 1, cpuSeconds: 1 },
    { pid: 11, ppid: 10, cpuSeconds: 2 },
    { pid: 12, ppid: 10, cpuSeconds: 3 },
    { pid: 20, ppid: 1, cpuSeconds: 5 },
  ];
  assert.deepEqual(treeCpuSeconds(stats, { postgres: 10, redis: 20, gone: 99, none: undefined }), { postgres: 6, redis: 5, gone: 0, none: 0 });
});

test('per-order CPU is the growth between samples over the orders, biggest first', () => {
  const rows = perOrderMs({ order: 10, kafka: 5 }, { order: 13, kafka: 5.5, fresh: 1 }, 500);
  assert.deepEqual(
    rows.map((r) => r.name),
    ['order', 'fresh', 'kafka'],
  );
  assert.equal(rows[0]!.msPerOrder, 6);
  assert.equal(rows[2]!.msPerOrder, 1);
});
